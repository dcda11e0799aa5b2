from bts_site.navigation import navigation_for


def site_navigation(request):
    """The menu and footer links, filtered by the privacy check (see bts_site.navigation)."""
    return {"navigation": navigation_for(request)}
