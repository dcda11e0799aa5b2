def site_navigation(request):
    """The menu and footer links, filtered by the privacy check (see home.navigation)."""
    from home.navigation import navigation_for

    return {"navigation": navigation_for(request)}
