"""The menu the owner controls with each page's “Show in menus” box, and the footer."""

from wagtail.models import Site

from bts_site.site_cache import menu_pages
from showreels.privacy import visible_pages


def navigation_for(request):
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return {"home": None, "menu": []}
    return {"home": site.root_page, "menu": visible_pages(request, menu_pages(site))}
