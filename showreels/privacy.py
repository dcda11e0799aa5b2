"""The one privacy check: may this request see this page, and the media on it?

Every public surface (page serving, listings, menus, search, sitemap, structured data,
media files) asks here and nowhere else. A page is private when it or an ancestor carries a
Wagtail view restriction (https://docs.wagtail.org/en/stable/advanced_topics/privacy.html),
or when its type is private whatever the tree says (`private_by_type`: showreels, wherever a
copy, move or alias puts them). People who may edit or publish a private page in the admin,
or who hold the "view private work" permission, see it; any other admin user is a visitor
here. A password restriction opens for a request whose session holds a grant that is still true
*now*: an access pass that is neither revoked nor expired and covers the page, or Wagtail's
shared password as it is now (when allowed by SHOWREEL_ALLOW_SHARED_PASSWORD). Grants are
checked on every request, so revoking, expiry, a password change or a removed restriction
take effect on the very next request of every session.

A response that shows anything of a private page (the page itself, or a menu, listing or
search result naming it) is marked `Cache-Control: private, no-store` and `Vary: Cookie` by
PrivateResponseMiddleware, so no shared cache or CDN hands it to someone else.
"""

import hashlib
import hmac

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from wagtail.models import Page, PageViewRestriction, ReferenceIndex
from wagtail.permissions import policy_registry

from gallery.models import Video

SESSION_KEY = "showreel_grants"
_CACHE_ATTR = "_privacy_cache"


VIEW_PRIVATE_WORK = "showreels.view_private_work"


def ancestor_paths(path):
    """The tree paths of a page and its ancestors, root first."""
    return [path[:end] for end in range(Page.steplen, len(path) + 1, Page.steplen)]


def _user(request):
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated and user.is_active else None


def can_see_all_private_work(request):
    """Superusers and the groups the owner gave the "view private work" permission."""
    user = _user(request)
    return bool(user and user.has_perm(VIEW_PRIVATE_WORK))


def is_editor_of(request, page):
    """Whether Wagtail's page permissions let this user edit or publish the page.

    Permissions are read once per user (Wagtail caches them on the user object).
    """
    user = _user(request)
    if user is None:
        return False
    if user.has_perm(VIEW_PRIVATE_WORK):
        return True
    permissions = page.permissions_for_user(user)
    return permissions.can_edit() or permissions.can_publish()


def is_private_by_type(page):
    """Showreels are private wherever they stand (see ShowreelPage.private_by_type)."""
    return getattr(page.specific_class, "private_by_type", False)


def password_fingerprint(restriction):
    """A keyed digest of a restriction's shared password, so a change invalidates grants."""
    message = f"{restriction.pk}:{restriction.password}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


class _RequestState:
    """What one request needs to answer many questions: loaded once, never shared."""

    def __init__(self, request):
        self.request = request
        self.restrictions = list(PageViewRestriction.objects.select_related("page"))
        self.by_path = {}
        for restriction in self.restrictions:
            self.by_path.setdefault(restriction.page.path, []).append(restriction)
        self.alias_sources = (
            dict(Page.objects.filter(alias_of__isnull=False).values_list("path", "alias_of__path"))
            if self.restrictions
            else {}
        )
        self._passes = None
        self.verdicts = {}
        # Set when this request was shown a private page: its response must stay private.
        self.revealed = False

    def restrictions_for(self, page):
        """Restrictions on the page and its ancestors, and on the source of any alias among them.

        Wagtail looks only at an alias source's own restrictions; an alias of a page inside a
        private section would then show that page to everyone, so the source's ancestors count
        too.
        """
        if not self.restrictions:
            return []
        found, seen = [], set()
        for restriction in self._restrictions_for_path(page.path, depth=0):
            if restriction.pk not in seen:
                seen.add(restriction.pk)
                found.append(restriction)
        return found

    def _restrictions_for_path(self, path, depth):
        found = []
        for prefix in ancestor_paths(path):
            found.extend(self.by_path.get(prefix, []))
            source = self.alias_sources.get(prefix)
            if source and depth < 8:  # aliases of aliases, without looping forever
                found.extend(self._restrictions_for_path(source, depth + 1))
        return found

    def grants(self):
        session = getattr(self.request, "session", None)
        if session is None:
            return []
        return session.get(SESSION_KEY, [])

    def passes(self):
        """The usable access passes this session holds, with the pages they open."""
        if self._passes is None:
            # Looked up by name: the models module asks this one for its listings.
            AccessPass = apps.get_model("showreels", "AccessPass")
            ids = {g["pass"] for g in self.grants() if g.get("pass")}
            self._passes = (
                {
                    p.pk: p
                    for p in AccessPass.objects.usable().filter(pk__in=ids).select_related("page")
                }
                if ids
                else {}
            )
        return self._passes


def _state(request):
    state = getattr(request, _CACHE_ATTR, None)
    if state is None:
        state = _RequestState(request)
        setattr(request, _CACHE_ATTR, state)
    return state


def forget_request_cache(request):
    """Call after unlocking, so the same request sees the new grant."""
    if hasattr(request, _CACHE_ATTR):
        delattr(request, _CACHE_ATTR)


def restriction_is_open(request, restriction, page):
    if restriction.restriction_type != PageViewRestriction.PASSWORD:
        # Login and group restrictions: Wagtail's own rule.
        return restriction.accept_request(request)
    state = _state(request)
    for grant in state.grants():
        if grant.get("restriction") != restriction.pk:
            continue
        if "pass" in grant:
            access_pass = state.passes().get(grant["pass"])
            if (
                access_pass
                and page.path.startswith(access_pass.page.path)
                # A pass opens only while its own page is private: were the owner to make
                # it public, the pass must not go on opening private pages below it.
                and state.restrictions_for(access_pass.page)
            ):
                return True
        elif (
            settings.SHOWREEL_ALLOW_SHARED_PASSWORD
            and restriction.password
            and hmac.compare_digest(grant.get("password", ""), password_fingerprint(restriction))
        ):
            return True
    return False


def is_private(page, request=None):
    """Whether the page is private by its type, or it, an ancestor or an alias source
    carries a view restriction."""
    if is_private_by_type(page):
        return True
    state = _state(request) if request is not None else _RequestState(None)
    return bool(state.restrictions_for(page))


def can_view_page(request, page):
    """The question every public surface asks: may this request see this page?"""
    state = _state(request)
    if page.pk in state.verdicts:
        return state.verdicts[page.pk]
    restrictions = state.restrictions_for(page)
    private = bool(restrictions) or is_private_by_type(page)
    if not private or is_editor_of(request, page):
        verdict = True
    elif not restrictions:
        # Private by type with no restriction to unlock (moved or copied out of its
        # section, say): its editors only, until the owner gives it a restriction again.
        verdict = False
    else:
        verdict = all(restriction_is_open(request, r, page) for r in restrictions)
    if verdict and private:
        state.revealed = True
    state.verdicts[page.pk] = verdict
    return verdict


def visible_pages(request, pages):
    """The pages of an iterable or queryset that this request may see, in order."""
    return [page for page in pages if can_view_page(request, page)]


def view_restrictions(request, page):
    """The view restrictions on the page, its ancestors and alias sources (loaded once per
    request, with no further query)."""
    return _state(request).restrictions_for(page)


class CheckedViewRestrictions:
    """For page models: Wagtail's own restriction check (its `on_serve_page` hook) reads
    the restrictions this module's check already loaded for the request, instead of asking
    the database again (two queries per page view).

    `guard_private_pages` (showreels.wagtail_hooks) hands them over before Wagtail's check
    runs; anywhere else Wagtail's method answers as usual.
    """

    checked_view_restrictions = None

    def get_view_restrictions(self):
        if self.checked_view_restrictions is not None:
            return self.checked_view_restrictions
        return super().get_view_restrictions()


def unmet_login_restriction(request, page):
    """Whether a login or group restriction (not a password) keeps this request out."""
    return any(
        r.restriction_type != PageViewRestriction.PASSWORD and not r.accept_request(request)
        for r in _state(request).restrictions_for(page)
    )


def password_restrictions_for(request, page):
    return [
        r
        for r in _state(request).restrictions_for(page)
        if r.restriction_type == PageViewRestriction.PASSWORD
    ]


def pass_for(request, page):
    """The usable access pass through which this session sees the page, or None."""
    state = _state(request)
    for grant in state.grants():
        access_pass = state.passes().get(grant.get("pass"))
        if access_pass is not None and page.path.startswith(access_pass.page.path):
            return access_pass
    return None


def protected_section(request, page):
    """The page whose password restriction guards this page (the nearest), or None."""
    restrictions = password_restrictions_for(request, page)
    if not restrictions:
        return None
    return max(restrictions, key=lambda r: len(r.page.path)).page


def grant_access(request, page, *, access_pass=None, restriction=None):
    """Record in the session that it passed the page's password restrictions."""
    restrictions = password_restrictions_for(request, page)
    grants = list(request.session.get(SESSION_KEY, []))
    for r in restrictions:
        if access_pass is not None:
            grant = {"restriction": r.pk, "pass": access_pass.pk}
        elif restriction is not None and r.pk == restriction.pk:
            grant = {"restriction": r.pk, "password": password_fingerprint(r)}
        else:
            continue
        if grant not in grants:
            grants.append(grant)
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        # A visitor's unlocked session ends with the browser, as Wagtail's does; an
        # editor's login session keeps the length it has.
        request.session.set_expiry(0)
    # A fresh session key on unlocking: a session id seen before cannot ride on the grant.
    request.session.cycle_key()
    request.session[SESSION_KEY] = grants
    forget_request_cache(request)


def password_restriction_ids():
    return list(
        PageViewRestriction.objects.filter(
            restriction_type=PageViewRestriction.PASSWORD
        ).values_list("pk", flat=True)
    )


def password_restriction(pk):
    return PageViewRestriction.objects.filter(
        pk=pk, restriction_type=PageViewRestriction.PASSWORD
    ).first()


class _ViewerRequest:
    """Who a stream token names, as the privacy check reads a request: a user and grants."""

    def __init__(self, user, grants):
        self.user = user if user is not None else AnonymousUser()
        self.session = {SESSION_KEY: list(grants)}


def viewer_request(*, user=None, grants=()):
    """A stand-in request for asking the privacy check about someone not asking right now
    (the holder of a stream token, between two segments)."""
    return _ViewerRequest(user, grants)


def mark_private_response(response):
    """No shared cache or CDN may keep a private response."""
    add_never_cache_headers(response)
    patch_vary_headers(response, ["Cookie"])
    return response


def keep_response_private(request):
    """Have PrivateResponseMiddleware mark this request's response private, no-store."""
    _state(request).revealed = True


def revealed_private_content(request):
    """Whether this request was judged able to see some private page."""
    state = getattr(request, _CACHE_ATTR, None)
    return bool(state and state.revealed)


class PrivateResponseMiddleware:
    """Keeps out of shared caches every response that showed something private.

    A public page is private for the visitor who holds a pass when its menu, listing or
    search results name a private page; it must never be cached and served to others.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if revealed_private_content(request):
            mark_private_response(response)
        return response


def _referencing_sources(obj, depth=0):
    """What uses a library object: (pages, other_sources) from Wagtail's reference index.

    The index records each source by its base model's content type: Page for every page
    type, the model itself for Video.
    """
    page_ids, others = set(), 0
    page_ct = ContentType.objects.get_for_model(Page)
    video_ct = ContentType.objects.get_for_model(Video)
    videos = []
    for base_ct_id, object_id in ReferenceIndex.get_references_to(obj).values_list(
        "base_content_type_id", "object_id"
    ):
        if base_ct_id == page_ct.id:
            page_ids.add(int(object_id))
        elif base_ct_id == video_ct.id:
            videos.append(int(object_id))
        else:
            others += 1  # site settings and the like: shown on every public page
    if videos and depth < 2:
        for video in Video.objects.filter(pk__in=videos):
            more_pages, more_others = _referencing_sources(video, depth + 1)
            page_ids |= more_pages
            others += more_others
    return page_ids, others


PUBLIC, GRANTED, DENIED = "public", "granted", "denied"


def manages_in_library(request, obj):
    """Whether the admin lets this user work with the file's library item (Wagtail's
    collection permissions for images and documents, the model permission for videos)."""
    user = _user(request)
    if user is None:
        return False
    if isinstance(obj, Video):
        return user.has_perm("gallery.change_video")
    policy = policy_registry.get_by_type(type(obj))
    return policy.user_has_any_permission_for_instance(user, ["change", "choose"], obj)


def media_access(request, obj, original=False):
    """May this request fetch a library file (image, rendition, video, document)?

    A file is as visible as the most visible live page that uses it: a photo on a public
    film sheet is PUBLIC; a photo used only on a private showreel is GRANTED only to a
    request that may see that showreel. The original of any image (`original`), and a file no
    page shows, are for the people who manage it in the admin: visitors and producers get
    renditions.
    """
    if original:
        return GRANTED if manages_in_library(request, obj) else DENIED
    page_ids, others = _referencing_sources(obj)
    if others:
        return PUBLIC
    pages = list(Page.objects.filter(pk__in=page_ids, live=True))
    if any(not is_private(page, request) for page in pages):
        return PUBLIC
    if any(can_view_page(request, page) for page in pages):
        return GRANTED
    if manages_in_library(request, obj):
        return GRANTED  # e.g. the admin's own thumbnails
    return DENIED


def pages_showing(request, obj):
    """The live pages this request may see that show a library object, in tree order."""
    page_ids, _others = _referencing_sources(obj)
    if not page_ids:
        return []
    pages = Page.objects.live().filter(pk__in=page_ids).specific().order_by("path")
    return visible_pages(request, pages)


def constant_time_equal(given, expected):
    return hmac.compare_digest(given.encode(), expected.encode())
