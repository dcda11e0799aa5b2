import secrets

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.urls import reverse
from wagtail import hooks
from wagtail.models import PageViewRestriction
from wagtail.permissions import register_permission_policy

from showreels import privacy
from showreels.admin_views import REVOKE_ACTION, ShowreelAccessGroup, UnlockAttemptPermissionPolicy
from showreels.models import ShowreelIndexPage, ShowreelPage, UnlockAttempt
from showreels.views import media_response, password_required_response

# Before anything asks for a fallback policy: reading the log follows the pass permissions.
register_permission_policy(UnlockAttempt, UnlockAttemptPermissionPolicy())


@hooks.register("register_admin_viewset")
def register_showreel_access_admin():
    return ShowreelAccessGroup()


@hooks.register("register_log_actions")
def register_access_pass_log_actions(actions):
    actions.register_action(REVOKE_ACTION, "Revoke access pass", "Access pass revoked")


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
    # Allowed by our check: let Wagtail's own check_view_restrictions agree, since it
    # only knows its session marks (it then adds its never-cache headers).
    for restriction in privacy.password_restrictions_for(request, page):
        restriction.mark_as_passed(request)
    return None


# After Wagtail's own check of collection restrictions (order 0), which answers first.
@hooks.register("before_serve_document", order=100)
def guard_private_documents(document, request):
    """A document is as visible as the pages that link to it (see privacy.media_access)."""
    access = privacy.media_access(request, document)
    if access == privacy.DENIED:
        raise Http404("No such file.")
    if access == privacy.GRANTED:
        # Served here, so that it carries private, no-store like every private file.
        return media_response(request, document.file.name, access)
    return None


@hooks.register("after_create_page")
def make_new_showreels_private(request, page):
    """New showreels start private; the owner can make them public in the privacy dialog."""
    if isinstance(page.specific, ShowreelPage | ShowreelIndexPage) and not (
        page.get_view_restrictions().exists()
    ):
        PageViewRestriction.objects.create(
            page=page,
            restriction_type=PageViewRestriction.PASSWORD,
            password=secrets.token_urlsafe(24),
        )
