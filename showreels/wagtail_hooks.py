from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.urls import reverse
from wagtail import hooks
from wagtail.models import PageViewRestriction
from wagtail.permissions import register_permission_policy

from showreels import privacy, screening, tree_warnings  # noqa: F401 - registers its hooks
from showreels.admin_views import (
    REVOKE_ACTION,
    GuessingAlertPanel,
    ShowreelAccessGroup,
    UnlockAttemptPermissionPolicy,
    guessing_alerts,
    manages_passes,
)
from showreels.models import UnlockAttempt
from showreels.views import password_required_response

# Before anything asks for a fallback policy: reading the log follows the pass permissions.
register_permission_policy(UnlockAttempt, UnlockAttemptPermissionPolicy())


@hooks.register("register_admin_viewset")
def register_showreel_access_admin():
    return ShowreelAccessGroup()


@hooks.register("register_permissions")
def register_view_private_work_permission():
    """Shown in the admin's group editor, so the owner chooses who sees all private work."""
    return Permission.objects.filter(
        content_type__app_label="showreels", codename="view_private_work"
    )


@hooks.register("register_log_actions")
def register_access_pass_log_actions(actions):
    actions.register_action(REVOKE_ACTION, "Revoke access pass", "Access pass revoked")


@hooks.register("construct_homepage_panels")
def add_guessing_alert_panel(request, panels):
    """On the dashboard: someone is guessing passes on a section from several networks."""
    if manages_passes(request.user) and (alerts := guessing_alerts()):
        panels.append(GuessingAlertPanel(alerts))


def login_required_response(request):
    """Wagtail's answer to a login or group restriction: its front-end login page.

    https://docs.wagtail.org/en/stable/reference/settings.html#wagtail-frontend-login-url
    """
    login_url = getattr(settings, "WAGTAIL_FRONTEND_LOGIN_URL", None) or reverse(
        "wagtailcore_login"
    )
    return redirect_to_login(request.get_full_path(), login_url)


# First of all before_serve_page hooks: no other hook may answer for a private page
# (Wagtail's own answers OPTIONS) before this check has run.
@hooks.register("before_serve_page", order=-100)
def guard_private_pages(page, request, serve_args, serve_kwargs):
    """Answer the password form instead of a private page this request may not see."""
    if not privacy.can_view_page(request, page):
        if privacy.unmet_login_restriction(request, page):
            return privacy.mark_private_response(login_required_response(request))
        return password_required_response(request, page)
    terms_page = screening.terms_to_accept(request, page)
    if terms_page is not None:
        return screening.terms_response(request, page, terms_page)
    # Allowed by our check: let Wagtail's own check_view_restrictions agree, since it
    # only knows its session marks (it then adds its never-cache headers). It checks the
    # same restrictions, which ours has loaded (privacy.CheckedViewRestrictions).
    restrictions = privacy.view_restrictions(request, page)
    for restriction in restrictions:
        if restriction.restriction_type == PageViewRestriction.PASSWORD:
            restriction.mark_as_passed(request)
    page.checked_view_restrictions = restrictions
    return None


# After Wagtail's own check of collection restrictions (order 0), which answers first.
@hooks.register("before_serve_document", order=100)
def guard_private_documents(document, request):
    """A document is as visible as the pages that link to it (see privacy.media_access)."""
    access = privacy.media_access(request, document)
    if access == privacy.DENIED:
        raise Http404("No such file.")
    if access == privacy.GRANTED:
        # Wagtail serves the file (it takes only an HttpResponse from this hook, not a
        # streaming one); the middleware makes the response private, no-store.
        privacy.keep_response_private(request)
    return None
