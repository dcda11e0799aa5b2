from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from gallery.models import Video


class VideoViewSet(SnippetViewSet):
    model = Video
    icon = "media"
    menu_label = "Videos"
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["title", "created_at"]
    search_fields = ["title"]


register_snippet(VideoViewSet)
