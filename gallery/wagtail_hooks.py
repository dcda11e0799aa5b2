import secrets

from wagtail import hooks
from wagtail.models import PageViewRestriction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from gallery.models import ShowreelIndexPage, ShowreelPage, Video
from gallery.privacy import can_view_page, password_restrictions_for


class VideoViewSet(SnippetViewSet):
    model = Video
    icon = "media"
    menu_label = "Videos"
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["title", "created_at"]
    search_fields = ["title"]


register_snippet(VideoViewSet)


@hooks.register("before_serve_page")
def guard_private_pages(page, request, serve_args, serve_kwargs):
    """Answer the password form instead of a private page this request may not see."""
    from gallery.views import password_required_response

    if not can_view_page(request, page):
        return password_required_response(request, page)
    # Allowed by our check: let Wagtail's own check_view_restrictions agree, since it
    # only knows its session marks (it then adds its never-cache headers).
    for restriction in password_restrictions_for(request, page):
        restriction.mark_as_passed(request)
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

