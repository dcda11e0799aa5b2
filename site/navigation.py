"""The menu the owner controls with each page's “Show in menus” box, and the footer."""

from wagtail.models import Site

from showreels.privacy import visible_pages


def navigation_for(request):
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return {"home": None, "menu": []}
    home = site.root_page
    children = home.get_children().live().in_menu().specific(defer=True)
    return {"home": home, "menu": visible_pages(request, children)}
