"""The password form of private pages, unlocking, and media files behind the privacy check."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import F
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_http_methods
from wagtail.models import Page

from bts_site.clients import client_key, ip_prefix, user_agent
from gallery import privacy
from gallery.forms import UnlockForm
from gallery.media import clean_media_path, file_response, owner_of
from gallery.models import AccessPass, UnlockAttempt

logger = logging.getLogger("gallery.unlock")

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
        "action_url": f"/private/unlock/{page.pk}/",
        "error": error,
        "robots": "noindex, nofollow",
    }
    response = TemplateResponse(
        request, settings.WAGTAIL_PASSWORD_REQUIRED_TEMPLATE, context, status=status
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return privacy.mark_private_response(response)


def _recent_failures(request, page):
    since = timezone.now() - timedelta(seconds=settings.SHOWREEL_UNLOCK_WINDOW)
    return UnlockAttempt.objects.filter(
        page=page, client=client_key(request), outcome__in=FAILED, created_at__gte=since
    )


def _log(request, page, outcome, access_pass=None):
    UnlockAttempt.objects.create(
        page=page,
        access_pass=access_pass,
        outcome=outcome,
        client=client_key(request),
        user_agent=user_agent(request),
    )
    logger.info(
        "unlock %s page=%s pass=%s from=%s",
        outcome,
        page.pk,
        access_pass.pk if access_pass else "-",
        ip_prefix(request),
    )


def find_pass(page, password):
    """The access pass this password belongs to, if it covers the page (or None)."""
    key = password.split("-", 1)[0].lower()
    if len(key) != 5:
        return None
    ancestors = [page.path[:end] for end in range(Page.steplen, len(page.path) + 1, Page.steplen)]
    candidate = (
        AccessPass.objects.filter(lookup_key=key, page__path__in=ancestors)
        .select_related("page")
        .first()
    )
    if candidate and candidate.check_password(password.lower()):
        return candidate
    return None


def _record_use(request, access_pass):
    now = timezone.now()
    first_use = access_pass.first_used_at is None
    AccessPass.objects.filter(pk=access_pass.pk).update(
        use_count=F("use_count") + 1,
        last_used_at=now,
        last_ip_prefix=ip_prefix(request),
        last_user_agent=user_agent(request),
    )
    if first_use:
        updated = AccessPass.objects.filter(pk=access_pass.pk, first_used_at__isnull=True).update(
            first_used_at=now
        )
        if updated and settings.SHOWREEL_NOTIFY_EMAIL:
            try:
                send_mail(
                    f"Access pass used: {access_pass.label}",
                    f"The pass “{access_pass.label}” was used for the first time at {now:%Y-%m-%d %H:%M} "
                    f"from {ip_prefix(request)}.",
                    None,
                    [settings.SHOWREEL_NOTIFY_EMAIL],
                )
            except Exception:
                logger.exception("Could not send the first-use email for pass %s", access_pass.pk)


@require_http_methods(["GET", "POST"])
def unlock(request, page_id, restriction_id=None):
    """Check a password for a private page: an access pass, or Wagtail's shared password."""
    page = get_object_or_404(Page, pk=page_id).specific
    target = page.get_url(request) or "/"
    if not privacy.is_private(page, request) or privacy.can_view_page(request, page):
        return HttpResponseRedirect(target)
    if request.method == "GET":
        return password_required_response(request, page)

    failures = _recent_failures(request, page)
    if failures.count() >= settings.SHOWREEL_UNLOCK_ATTEMPTS:
        oldest = failures.order_by("created_at").first().created_at
        retry = oldest + timedelta(seconds=settings.SHOWREEL_UNLOCK_WINDOW) - timezone.now()
        retry_seconds = max(int(retry.total_seconds()) + 1, 1)
        _log(request, page, UnlockAttempt.LIMITED)
        message = MESSAGES[UnlockAttempt.LIMITED].format(minutes=max(retry_seconds // 60, 1))
        return password_required_response(
            request, page, error=message, status=429, retry_after=retry_seconds
        )

    form = UnlockForm(request.POST)
    if not form.is_valid():
        return password_required_response(request, page, form=form, status=400)
    password = form.cleaned_data["password"]

    access_pass = find_pass(page, password)
    if access_pass is not None:
        if access_pass.is_revoked or access_pass.is_expired:
            outcome = UnlockAttempt.REVOKED if access_pass.is_revoked else UnlockAttempt.EXPIRED
            _log(request, page, outcome, access_pass)
            return password_required_response(request, page, error=MESSAGES[outcome])
        _record_use(request, access_pass)
        privacy.grant_access(request, page, access_pass=access_pass)
        _log(request, page, UnlockAttempt.SUCCESS, access_pass)
        return HttpResponseRedirect(target)

    if settings.SHOWREEL_ALLOW_SHARED_PASSWORD:
        for restriction in privacy.password_restrictions_for(request, page):
            if restriction.password and privacy.constant_time_equal(password, restriction.password):
                privacy.grant_access(request, page, restriction=restriction)
                _log(request, page, UnlockAttempt.SUCCESS)
                return HttpResponseRedirect(target)

    _log(request, page, UnlockAttempt.WRONG)
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
    if access == privacy.PUBLIC:
        cache_control = f"public, max-age={settings.PUBLIC_MEDIA_MAX_AGE}"
    else:
        cache_control = "private, no-store"
    response = file_response(request, path, cache_control)
    if response is None:
        raise Http404("No such file.")
    if access != privacy.PUBLIC:
        response["Vary"] = "Cookie"
    return response
