"""The password form of private pages, unlocking, and media files behind the privacy check."""

import functools
import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
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

from gallery.media import clean_media_path, file_response, owner_of
from showreels import privacy
from showreels.clients import client_key, ip_prefix, user_agent
from showreels.forms import UnlockForm
from showreels.models import AccessPass, UnlockAttempt

logger = logging.getLogger("showreels.unlock")

MESSAGES = {
    UnlockAttempt.WRONG: "That password does not open this page. Check it and try again.",
    UnlockAttempt.EXPIRED: "This pass has expired. Please ask for a new one.",
    UnlockAttempt.REVOKED: "This pass has been withdrawn. Please get in touch if you need access.",
    UnlockAttempt.LIMITED: "Too many wrong passwords. Please wait {minutes} minutes and try again.",
}
FAILED = [UnlockAttempt.WRONG, UnlockAttempt.EXPIRED, UnlockAttempt.REVOKED]


def password_required_response(request, page, form=None, error="", status=403, retry_after=None):
    """The form shown instead of a private page. It names nothing of the page it guards."""
    context = {
        "form": form or UnlockForm(),
        "action_url": reverse("unlock_private_page", args=[page.pk]),
        "error": error,
        "robots": "noindex, nofollow",
    }
    response = TemplateResponse(
        request, settings.WAGTAIL_PASSWORD_REQUIRED_TEMPLATE, context, status=status
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return privacy.mark_private_response(response)


def _log(request, page):
    """Log an attempt before its password is checked: as a failure until settled."""
    return UnlockAttempt.objects.create(
        page=page,
        outcome=UnlockAttempt.WRONG,
        client=client_key(request),
        user_agent=user_agent(request),
    )


def _settle(request, attempt, outcome, access_pass=None):
    """Give a logged attempt its outcome once the password has been checked."""
    if outcome != attempt.outcome or access_pass is not None:
        UnlockAttempt.objects.filter(pk=attempt.pk).update(outcome=outcome, access_pass=access_pass)
    logger.info(
        "unlock %s page=%s pass=%s from=%s",
        outcome,
        attempt.page_id,
        access_pass.pk if access_pass else "-",
        ip_prefix(request),
    )


def _limit_reached(attempt):
    """Seconds to wait when this attempt is over the limit for its client and page, else 0.

    The attempt is logged (as a failure) before this count, so parallel requests each see
    the ones before them: a burst of guesses cannot all slip in under the limit together.
    """
    limit, window = settings.SHOWREEL_UNLOCK_ATTEMPTS, settings.SHOWREEL_UNLOCK_WINDOW
    since = timezone.now() - timedelta(seconds=window)
    latest = list(
        UnlockAttempt.objects.filter(
            page_id=attempt.page_id,
            client=attempt.client,
            outcome__in=FAILED,
            created_at__gte=since,
            pk__lt=attempt.pk,
        )
        .order_by("-created_at")
        .values_list("created_at", flat=True)[:limit]
    )
    if len(latest) < limit:
        return 0
    # Allowed again when the oldest of the latest `limit` failures leaves the window.
    retry = latest[-1] + timedelta(seconds=window) - timezone.now()
    return max(int(retry.total_seconds()) + 1, 1)


@functools.cache
def _dummy_hash():
    return make_password("not-an-access-pass")


def find_pass(request, page, password):
    """The access pass this password belongs to, if it covers the page (or None).

    A pass covers the page it was issued for and everything below it, and only while
    that page is private.
    """
    key = password.split("-", 1)[0].lower()
    ancestors = [page.path[:end] for end in range(Page.steplen, len(page.path) + 1, Page.steplen)]
    candidate = None
    if len(key) == 5:
        candidate = (
            AccessPass.objects.filter(lookup_key=key, page__path__in=ancestors)
            .select_related("page")
            .first()
        )
    if candidate is None:
        # The same hashing work as a real check: response times do not tell which keys exist.
        check_password(password.lower(), _dummy_hash())
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
    """Check a password for a private page: an access pass, or Wagtail's shared password.

    Every POST is logged as an UnlockAttempt; the failures of the last
    SHOWREEL_UNLOCK_WINDOW seconds, per client and page, are the rate limit.
    """
    page = get_object_or_404(Page.objects.live(), pk=page_id).specific
    target = page.get_url(request) or "/"
    if not privacy.is_private(page, request) or privacy.can_view_page(request, page):
        return _redirect(target)
    if request.method == "GET":
        return password_required_response(request, page)

    attempt = _log(request, page)
    retry_seconds = _limit_reached(attempt)
    if retry_seconds:
        _settle(request, attempt, UnlockAttempt.LIMITED)
        message = MESSAGES[UnlockAttempt.LIMITED].format(minutes=max(retry_seconds // 60, 1))
        return password_required_response(
            request, page, error=message, status=429, retry_after=retry_seconds
        )

    form = UnlockForm(request.POST)
    if not form.is_valid():
        _settle(request, attempt, UnlockAttempt.WRONG)
        return password_required_response(
            request, page, form=form, error="Please enter the password you were given.", status=400
        )
    password = form.cleaned_data["password"]

    access_pass = find_pass(request, page, password)
    if access_pass is not None:
        if access_pass.is_revoked or access_pass.is_expired:
            outcome = UnlockAttempt.REVOKED if access_pass.is_revoked else UnlockAttempt.EXPIRED
            _settle(request, attempt, outcome, access_pass)
            return password_required_response(request, page, error=MESSAGES[outcome])
        _settle(request, attempt, UnlockAttempt.SUCCESS, access_pass)
        _record_use(request, access_pass, page)
        privacy.grant_access(request, page, access_pass=access_pass)
        return _redirect(target)

    if settings.SHOWREEL_ALLOW_SHARED_PASSWORD:
        for restriction in privacy.password_restrictions_for(request, page):
            if restriction.password and privacy.constant_time_equal(password, restriction.password):
                _settle(request, attempt, UnlockAttempt.SUCCESS)
                privacy.grant_access(request, page, restriction=restriction)
                return _redirect(target)

    _settle(request, attempt, UnlockAttempt.WRONG)
    return password_required_response(request, page, error=MESSAGES[UnlockAttempt.WRONG])


@require_http_methods(["GET", "HEAD"])
def serve_media(request, path):
    """Every uploaded file, served only to requests that may see a page using it."""
    path = clean_media_path(path)
    obj = owner_of(path) if path else None
    if obj is None:
        raise Http404("No such file.")
    access = privacy.media_access(request, obj)
    if access == privacy.DENIED:
        # The same answer as a file that does not exist: nothing to learn by guessing.
        raise Http404("No such file.")
    return media_response(request, path, access)


def media_response(request, path, access):
    """A stored file with the cache headers its visibility calls for; 404 if it is missing."""
    if access == privacy.PUBLIC:
        cache_control = f"public, max-age={settings.PUBLIC_MEDIA_MAX_AGE}"
    else:
        cache_control = "private, no-store"
    response = file_response(request, path, cache_control)
    if response is None:
        raise Http404("No such file.")
    if access != privacy.PUBLIC:
        patch_vary_headers(response, ["Cookie"])
    return response
