"""Whole rendered pages for anonymous visitors, kept in the shared "pages" cache.

A request is served from the cache only when it is a GET or HEAD without a session cookie:
a producer who unlocked something and an editor who signed in both carry one, so they always
get a page rendered for them. A response is stored only when it is a 200 (or a 404) HTML page
that showed nothing private (showreels.privacy marks such responses private, no-store), set
no cookie and used no CSRF token.

Every stored page is keyed by a site-wide generation number, itself in the cache; any change
to content a page may show (see `CHANGES_THAT_MATTER` in bts_site.apps) bumps it, so the very
next anonymous request renders afresh. Bumping also purges a CDN or Varnish in front when
wagtail.contrib.frontend_cache is configured (WAGTAILFRONTENDCACHE from the environment).
Cached pages carry `Cache-Control: public, max-age=0, s-maxage=PAGE_CACHE_SECONDS`: browsers
ask again, shared caches keep the page until it is purged or expires.

A cache that fails (Redis stopped or slow) never fails a page: it renders, and still carries
its shared-cache headers. A change made while the cache cannot be reached is remembered by
the process and applied as soon as the cache answers again, so no page stored before the
change is served after it.
"""

import hashlib
import logging
import threading
import time
import uuid

from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.utils.cache import patch_cache_control
from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.models import Page, Site

logger = logging.getLogger(__name__)

# Writes that change nothing a public page shows: they leave the page cache as it is.
# Everything else saved or deleted (pages, images and renditions, videos, settings, roles,
# restrictions, menus) empties it.
UNSEEN_MODELS = {
    "sessions.session",
    "admin.logentry",
    "auth.user",
    "contenttypes.contenttype",
    "django_tasks_db.dbtaskresult",
    "wagtailcore.revision",
    "wagtailcore.pagelogentry",
    "wagtailcore.modellogentry",
    "wagtailcore.referenceindex",
    "wagtailcore.workflowstate",
    "wagtailcore.taskstate",
    "wagtailcore.comment",
    "wagtailcore.commentreply",
    "wagtailcore.pagesubscription",
    "wagtailcore.uploadedfile",
    "wagtailsearch.indexentry",
    "wagtailsearch.query",
    "wagtailsearch.querydailyhits",
    "wagtailusers.userprofile",
    "wagtailadmin.editingsession",
    "wagtailforms.formsubmission",
    "showreels.accesspass",
    "showreels.unlockattempt",
    "showreels.unlockrefusal",
    "showreels.termsacceptance",
    "showreels.moretimerequest",
    "showreels.watchrecord",
    "home.contactsubmission",
    "axes.accessattempt",
    "axes.accessfailurelog",
    "axes.accesslog",
}

GENERATION_KEY = "pages:generation"
HIT_HEADER = "X-Page-Cache"


def cache():
    return caches["pages"]


def generation():
    """The number every stored page's key carries. While the cache cannot be read, or a
    change made while it could not be reached still waits to empty it, a number no stored
    entry has: nothing from before is served, nothing stored now is read back."""
    if outage.bump_pending:
        return f"unsettled-{uuid.uuid4().hex}"
    try:
        value = cache().get(GENERATION_KEY)
        if value is None:
            value = 1
            cache().add(GENERATION_KEY, value, timeout=None)
    except Exception:  # Redis down or slow, a full disk: see CacheOutage
        outage.failed("be read")
        return f"unsettled-{uuid.uuid4().hex}"
    return value


def bump():
    """Everything cached so far is stale: the next anonymous request of each page renders.

    When the cache cannot be reached, the bump is retried every second from this process
    until it can (pages stored before the change must not come back with the cache).
    """
    try:
        _bump()
    except Exception:  # Redis down or slow, a full disk: see CacheOutage
        outage.bump_later()


def _bump():
    try:
        cache().incr(GENERATION_KEY)
    except ValueError:
        cache().set(GENERATION_KEY, 2, timeout=None)


class CacheOutage:
    """What this process knows of the page cache failing: logs it once in a while, and
    keeps retrying a bump that could not be made."""

    LOG_EVERY = 10.0  # seconds
    RETRY_EVERY = 1.0

    def __init__(self):
        self.lock = threading.Lock()
        self.logged_at = None
        self.retry = None

    def failed(self, action):
        now = time.monotonic()
        with self.lock:
            if self.logged_at is not None and now - self.logged_at < self.LOG_EVERY:
                return
            self.logged_at = now
        logger.warning("The page cache could not %s; pages render without it", action)

    def bump_later(self):
        self.failed("be emptied after a change (retrying)")
        with self.lock:
            if self.retry is not None:
                return
            self.retry = threading.Timer(self.RETRY_EVERY, self._retry_bump)
            self.retry.daemon = True
            timer = self.retry
        timer.start()

    def _retry_bump(self):
        with self.lock:
            self.retry = None
        try:
            _bump()
        except Exception:
            self.bump_later()
        else:
            logger.warning("The page cache answers again: emptied after the changes made")

    @property
    def bump_pending(self):
        return self.retry is not None


outage = CacheOutage()


def cache_key(request):
    path = request.get_full_path()
    digest = hashlib.sha256(f"{request.get_host()}|{path}".encode()).hexdigest()
    return f"pages:{generation()}:{digest}"


def is_cacheable_request(request):
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path.startswith(settings.PAGE_CACHE_SKIP_PREFIXES)
    )


def is_cacheable_response(request, response):
    if response.status_code not in (200, 404) or response.streaming:
        return False
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    control = response.get("Cache-Control", "")
    return "private" not in control and "no-store" not in control and "no-cache" not in control


class PageCacheMiddleware:
    """Serves anonymous visitors from the page cache; stores what may be shared."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_cacheable_request(request):
            return self.get_response(request)
        key = None
        # While a change waits to empty the cache, nothing stored before it may be served.
        if not outage.bump_pending:
            try:
                key = cache_key(request)
                stored = cache().get(key)
            except Exception:  # Redis down or slow: render the page instead
                outage.failed("be read")
                key = stored = None
            if stored is not None:
                stored[HIT_HEADER] = "hit"
                return stored
        response = self.get_response(request)
        if is_cacheable_response(request, response):
            patch_cache_control(
                response, public=True, max_age=0, s_maxage=settings.PAGE_CACHE_SECONDS
            )
            if key is not None:
                self.store(key, response)
        return response

    def store(self, key, response):
        if hasattr(response, "render") and callable(response.render):
            response.render()
        try:
            cache().set(key, response, settings.PAGE_CACHE_SECONDS)
        except Exception:
            outage.failed("store a page")
            return
        response[HIT_HEADER] = "miss"


# One purge for a burst of changes (publishing a page saves it, its revision, its
# renditions...): the first change arms a timer, the changes that follow ride on it.
PURGE_DELAY = 2.0  # seconds
_purge = {"timer": None, "lock": threading.Lock()}


def changed():
    """Content a public page may show has changed: stale pages go, here and in front."""
    bump()
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    with _purge["lock"]:
        if _purge["timer"] is not None:
            return
        timer = threading.Timer(PURGE_DELAY, _purge_now)
        timer.daemon = True
        _purge["timer"] = timer
    timer.start()


def model_changed(sender, **kwargs):
    if sender._meta.label_lower not in UNSEEN_MODELS:
        changed()


def something_changed(sender, **kwargs):
    changed()


def _purge_now():
    with _purge["lock"]:
        _purge["timer"] = None
    try:
        purge_front_cache()
    finally:
        connections.close_all()  # a thread of its own: no connection left open


# Purged with the pages, as prefixes (a path ending in `*`, see deploy/varnish.vcl): public
# photos and video, which a page made private must stop showing at once, and the sitemap.
FRONT_CACHE_PREFIXES = ("/media/*", "/sitemap.xml*")


def purge_front_cache():
    """Ask the CDN or Varnish in front (WAGTAILFRONTENDCACHE) to drop every live page, with
    its query-string variants, public media and the sitemap."""
    try:
        batch = PurgeBatch()
        batch.add_pages(Page.objects.live().specific(defer=True))
        for root_url in {site.root_url for site in Site.objects.all()}:
            batch.add_urls(root_url + prefix for prefix in FRONT_CACHE_PREFIXES)
        batch.purge()
    except Exception:  # the database or the front cache away: its entries expire instead
        logger.exception("Could not purge the front cache")
