from wagtail import hooks
from wagtail.admin.userbar import ContentCheckerItem
from wagtail.snippets.models import register_snippet

from gallery.bulk_actions import EditCaptionsAndCreditsBulkAction
from gallery.video_admin import VideoViewSet

register_snippet(VideoViewSet)


hooks.register("register_bulk_action", EditCaptionsAndCreditsBulkAction)


class PhotoContentCheckerItem(ContentCheckerItem):
    """Wagtail's content checker, also flagging images without alt text (axe's image-alt):
    a photo with neither alt text of its own nor a description has no alt attribute."""

    axe_run_only = [*ContentCheckerItem.axe_run_only, "image-alt"]
    axe_messages = {
        **ContentCheckerItem.axe_messages,
        "image-alt": {
            "error_name": "Photo without alt text",
            "help_text": "Write what it shows in its alt text or its description, or mark it "
            "decorative",
        },
    }


@hooks.register("construct_wagtail_userbar")
def check_photos_have_alt_text(request, items, page):
    # The same items make the page editor's "Checks" panel.
    items[:] = [
        PhotoContentCheckerItem(in_editor=item.in_editor)
        if isinstance(item, ContentCheckerItem) and not isinstance(item, PhotoContentCheckerItem)
        else item
        for item in items
    ]
