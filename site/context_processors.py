from django.utils.functional import lazy
from wagtail.models import Site

from bts_site.navigation import navigation_for
from home.models import PortfolioSettings


def site_navigation(request):
    """The menu and footer links, filtered by the privacy check (see bts_site.navigation)."""
    return {"navigation": navigation_for(request)}


def photo_credit(request):
    """The site's default photo credit, for photos without one (gallery.blocks), read only
    by pages that show a gallery."""

    def default_photo_credit():
        if Site.find_for_request(request) is None:
            return ""
        # Cached on the request, shared with the templates' `settings` (one query a request).
        return PortfolioSettings.for_request(request).default_photo_credit

    return {"default_photo_credit": lazy(default_photo_credit, str)()}
