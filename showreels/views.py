"""The password form of private pages, unlocking, and media files behind the privacy check."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import F
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods
from wagtail.models import Page

from gallery.media import VIDEO_OUTPUT_RE, clean_media_path, file_response, owner_of
from gallery.models import Video
from showreels import limits, privacy, screening
from showreels.clients import ip_prefix, network_key, user_agent
from showreels.models import AccessPass, UnlockAttempt, pass_digest
from showreels.screening_forms import AcceptTermsForm, MoreTimeForm, UnlockForm

logger = logging.getLogger("showreels.unlock")

MESSAGES = {
    UnlockAttempt.WRONG: "That access pass does not open this page. Check it and try again.",
    UnlockAttempt.EXPIRED: "This pass has expired. Please ask for a new one.",
    UnlockAttempt.REVOKED: "This pass has been withdrawn. Please get in touch if you need access.",
    UnlockAttempt.LIMITED: (
        "Too many wrong access passes. Please wait {minutes} minutes and try again."
    ),
    "empty": "Please enter the access pass you were given.",
    "closed": "This page is not open to access passes at the moment.",
    "terms": "Please read the terms of viewing and tick the box to accept them.",
}


def password_required_response(request, page, form=None, error="", status=403, retry_after=None):
    """The form shown instead of a private page. It names nothing of the page it guards,
    but the terms of viewing the owner wrote for it, when there are any."""
    terms_page = screening.terms_page_for(page)
    context = {
        "form": form or UnlockForm(terms=terms_page),
        "terms_page": terms_page,
        "action_url": reverse("unlock_private_page", args=[page.pk]),
        "error": error,
        # What a crawler (or anyone without a pass) gets at a private page's address: this
        # form, kept out of search engines. The unlocked page itself carries no noindex: it
        # is only ever sent to a pass holder's session, `private, no-store`, and no sitemap,
        # listing or search shows it to anyone without access: no crawler can reach it.
        "robots": "noindex, nofollow",
    }
    response = TemplateResponse(
        request, settings.WAGTAIL_PASSWORD_REQUIRED_TEMPLATE, context, status=status
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return privacy.mark_private_response(response)


def _log(request, page, section, outcome, access_pass=None):
    """Log a checked attempt: the failures are what the limits count."""
    UnlockAttempt.objects.create(
        page=page,
        section=section,
        access_pass=access_pass,
        outcome=outcome,
        client=network_key(request),
        user_agent=user_agent(request),
    )
    logger.info(
        "unlock %s page=%s pass=%s from=%s",
        outcome,
        page.pk,
        access_pass.pk if access_pass else "-",
        ip_prefix(request),
    )


def find_pass(request, page, password):
    """The access pass this password belongs to, if it covers the page (or None).

    A pass covers the page it was issued for and everything below it, and only while
    that page is private.
    """
    key = password.split("-", 1)[0].lower()
    candidate = None
    if len(key) == 5:
        candidate = (
            AccessPass.objects.filter(
                lookup_key=key, page__path__in=privacy.ancestor_paths(page.path)
            )
            .select_related("page")
            .first()
        )
    if candidate is None:
        # The same hashing work as a real check: response times do not tell which keys exist.
        pass_digest(password.lower())
        return None
    if not candidate.check_password(password.lower()):
        return None
    if not privacy.is_private(candidate.page, request):
        return None
    return candidate


def _send_first_use_email(request, access_pass, page, when):
    """Tell the owner a pass has just been used for the first time. Never raises."""
    if not settings.SHOWREEL_NOTIFY_EMAIL:
        return
    when = timezone.localtime(when)
    lines = [
        f"The access pass “{access_pass.label}” was used for the first time.",
        "",
        f"Page: {page.title}",
        f"When: {when:%Y-%m-%d %H:%M %Z}",
        f"From: {ip_prefix(request)}",
        f"Browser: {user_agent(request) or 'unknown'}",
    ]
    try:
        details = reverse("access_passes:inspect", args=[access_pass.pk])
    except NoReverseMatch:
        details = ""
    if details:
        lines += ["", f"Details: {settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{details}"]
    try:
        send_mail(
            f"Access pass used: {access_pass.label}",
            "\n".join(lines),
            None,
            [settings.SHOWREEL_NOTIFY_EMAIL],
        )
    except Exception:
        # Unlocking must go on whatever the mail server does.
        logger.exception("Could not send the first-use email for pass %s", access_pass.pk)


def _record_use(request, access_pass, page):
    now = timezone.now()
    AccessPass.objects.filter(pk=access_pass.pk).update(
        use_count=F("use_count") + 1,
        last_used_at=now,
        last_ip_prefix=ip_prefix(request),
        last_user_agent=user_agent(request),
    )
    if access_pass.first_used_at is None:
        # Only the request that sets first_used_at sends the email, even in parallel.
        first = AccessPass.objects.filter(pk=access_pass.pk, first_used_at__isnull=True).update(
            first_used_at=now
        )
        if first:
            _send_first_use_email(request, access_pass, page, now)


def _redirect(target):
    return privacy.mark_private_response(HttpResponseRedirect(target))


@require_http_methods(["GET", "POST"])
def unlock(request, page_id, restriction_id=None):
    """Check a password for a private page: an access pass, or Wagtail's shared password
    where the owner allows it. The limits (showreels/limits.py) come before any check."""
    page = get_object_or_404(Page.objects.live(), pk=page_id)
    if not privacy.is_private(page, request) or privacy.can_view_page(request, page):
        return _redirect(page.get_url(request) or "/")
    if request.method == "GET":
        return password_required_response(request, page)
    section = privacy.protected_section(request, page)
    if section is None:
        # Private by type, with no restriction to hold passes: its editors only.
        return password_required_response(request, page, error=MESSAGES["closed"])

    retry_seconds = limits.retry_after(request, section)
    if retry_seconds:
        message = MESSAGES[UnlockAttempt.LIMITED].format(minutes=max(retry_seconds // 60, 1))
        return password_required_response(
            request, page, error=message, status=429, retry_after=retry_seconds
        )

    terms_page = screening.terms_page_for(page)
    form = UnlockForm(request.POST, terms=terms_page)
    if not form.is_valid():
        if form.has_error("accept_terms"):
            # Refused before any password is checked: nothing learnt, nothing counted.
            return password_required_response(
                request, page, form=form, error=MESSAGES["terms"], status=400
            )
        _log(request, page, section, UnlockAttempt.WRONG)
        return password_required_response(
            request, page, form=form, error=MESSAGES["empty"], status=400
        )
    password = form.cleaned_data["password"]

    access_pass = find_pass(request, page, password)
    if access_pass is not None:
        if access_pass.is_revoked or access_pass.is_expired:
            outcome = UnlockAttempt.REVOKED if access_pass.is_revoked else UnlockAttempt.EXPIRED
            _log(request, page, section, outcome, access_pass)
            return password_required_response(request, page, error=MESSAGES[outcome])
        _log(request, page, section, UnlockAttempt.SUCCESS, access_pass)
        _record_use(request, access_pass, page)
        if terms_page is not None:
            screening.record_acceptance(request, access_pass, terms_page)
        privacy.grant_access(request, page, access_pass=access_pass)
        return _redirect(page.get_url(request) or "/")

    if settings.SHOWREEL_ALLOW_SHARED_PASSWORD:
        for restriction in privacy.password_restrictions_for(request, page):
            if restriction.password and privacy.constant_time_equal(password, restriction.password):
                _log(request, page, section, UnlockAttempt.SUCCESS)
                privacy.grant_access(request, page, restriction=restriction)
                return _redirect(page.get_url(request) or "/")

    _log(request, page, section, UnlockAttempt.WRONG)
    return password_required_response(request, page, error=MESSAGES[UnlockAttempt.WRONG])


@require_http_methods(["GET", "HEAD"])
def serve_media(request, path):
    """Every uploaded file, served only to requests that may see a page using it."""
    path = clean_media_path(path)
    obj = owner_of(path) if path else None
    if obj is None:
        raise Http404("No such file.")
    is_video = isinstance(obj, Video)
    # Originals (photos' full files, video masters) are for the people managing them.
    original = path.startswith("original_images/") or (is_video and path == obj.file.name)
    access = privacy.media_access(request, obj, original=original)
    if is_video and access == privacy.GRANTED and not privacy.manages_in_library(request, obj):
        # A private video plays through its signed, session-bound stream (streaming.py).
        access = privacy.DENIED
    if access == privacy.DENIED:
        # The same answer as a file that does not exist: nothing to learn by guessing.
        raise Http404("No such file.")
    immutable = is_video and VIDEO_OUTPUT_RE.match(path) is not None
    return media_response(request, path, access, immutable=immutable)


def media_response(request, path, access, immutable=False):
    """A stored file with the cache headers its visibility calls for; 404 if it is missing.

    `immutable`: the file never changes under its name (a processed video's outputs).
    """
    if access == privacy.PUBLIC and immutable:
        cache_control = f"public, max-age={settings.PUBLIC_VIDEO_MAX_AGE}, immutable"
    elif access == privacy.PUBLIC:
        cache_control = f"public, max-age={settings.PUBLIC_MEDIA_MAX_AGE}"
    else:
        cache_control = "private, no-store"
    response = file_response(request, path, cache_control)
    if response is None:
        raise Http404("No such file.")
    if access != privacy.PUBLIC:
        patch_vary_headers(response, ["Cookie"])
    return response


@require_http_methods(["POST"])
def accept_terms(request, page_id):
    """A pass holder accepts the (changed) terms of viewing, then sees the page."""
    page = get_object_or_404(Page.objects.live(), pk=page_id)
    access_pass = privacy.pass_for(request, page)
    if access_pass is None:
        raise Http404("No such page.")  # names nothing, not even where the page is
    terms_page = screening.terms_to_accept(request, page)
    if terms_page is None:
        return _redirect(page.get_url(request) or "/")
    form = AcceptTermsForm(request.POST)
    if not form.is_valid():
        return screening.terms_response(request, page, terms_page, form=form, status=400)
    screening.record_acceptance(request, access_pass, terms_page)
    return _redirect(page.get_url(request) or "/")


@require_http_methods(["POST"])
def ask_for_more_time(request, page_id):
    """A pass holder asks the owner for more time: stored, then emailed to the owner."""
    page = get_object_or_404(Page.objects.live(), pk=page_id)
    access_pass = privacy.pass_for(request, page)
    if access_pass is None:
        raise Http404("No such page.")
    form = MoreTimeForm(request.POST)
    target = page.get_url(request) or "/"
    if not form.is_valid():
        return _redirect(f"{target}?more-time=empty#more-time")
    sent = screening.ask_for_more_time(request, access_pass, page, form.cleaned_data["message"])
    return _redirect(f"{target}?more-time={'sent' if sent else 'later'}#more-time")
