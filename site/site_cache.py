"""What every page of a site reads and seldom changes, kept between requests.

Each request used to look up, in the database, the site its host names, the site's
portfolio settings and the pages of its menu: three queries before a page shows anything
of its own. They are kept in the page cache (bts_site.page_cache) under its generation
number, which any change to content bumps, so a change shows on the very next request,
as for cached pages. Whether a menu page may be shown is still asked of the privacy check
on every request (only the list of menu pages is kept).

A cache that cannot be reached costs the queries, never the page.
"""

import logging

from django.conf import settings
from wagtail.models import Site

from bts_site import page_cache
from home.models import PortfolioSettings

logger = logging.getLogger(__name__)

NO_SITE = "no-site"


def _key(*parts):
    return ":".join(["site", str(page_cache.generation()), *map(str, parts)])


def _get(key):
    try:
        return page_cache.cache().get(key)
    except Exception:  # Redis down or slow: the database answers instead
        return None


def _set(key, value):
    try:
        page_cache.cache().set(key, value, timeout=settings.SITE_CACHE_SECONDS)
    except Exception:
        logger.debug("site cache: could not store %s", key)


def _cached(key, load):
    if not settings.SITE_CACHE_SECONDS:
        return load()
    value = _get(key)
    if value is None:
        value = load()
        _set(key, value)
    return value


class SiteCacheMiddleware:
    """Hands Wagtail the request's site and its portfolio settings from the cache.

    Wagtail keeps the site it found for a request on the request (`Site.find_for_request`
    documents `request._wagtail_site`) and settings likewise (`get_cache_attr_name`): this
    fills both before anything asks.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SITE_CACHE_SECONDS:
            try:
                self.prepare(request)
            except Exception:  # a broken cache entry: Wagtail looks everything up itself
                logger.exception("site cache: lookup failed")
                for attr in ("_wagtail_site", PortfolioSettings.get_cache_attr_name()):
                    request.__dict__.pop(attr, None)
        return self.get_response(request)

    def prepare(self, request):
        host, port = request._get_raw_host(), request.get_port()
        site = _cached(_key("for", host, port), lambda: _find_site(request))
        request._wagtail_site = None if site == NO_SITE else site
        if site == NO_SITE:
            return
        portfolio = _cached(_key("settings", site.pk), lambda: PortfolioSettings.for_site(site))
        portfolio._request = request  # as Wagtail's own for_request does
        setattr(request, PortfolioSettings.get_cache_attr_name(), portfolio)


def _find_site(request):
    site = Site.find_for_request(request)
    if site is None:
        return NO_SITE
    site.root_page  # noqa: B018 - kept with the site: routing starts from it
    return site


def menu_pages(site):
    """The live pages below the site's home that are shown in menus, in order (the privacy
    check then filters them per request)."""
    return _cached(
        _key("menu", site.pk),
        lambda: list(site.root_page.get_children().live().in_menu().specific(defer=True)),
    )
