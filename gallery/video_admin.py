"""The owner's video library in the admin: the listing with each video's processing state
and duration, the editor (gallery/video_panels.py), "Retry" / "Process again", and the
processing state as JSON for the editor's progress bar."""

from django.contrib.admin.utils import quote
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets import Button
from wagtail.snippets.views.snippets import EditView, SnippetViewSet

from gallery import videos
from gallery.models import Video
from gallery.tasks import process_video


def retry_label(video):
    return "Retry" if video.processing_status == Video.Status.FAILED else "Process again"


class VideoEditView(EditView):
    """The editor, with "Retry" (or "Process again") among the header's actions."""

    reprocess_url_name = None

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if self.user_has_permission("change"):
            buttons.append(
                Button(
                    retry_label(self.object),
                    url=reverse(self.reprocess_url_name, args=(quote(self.object.pk),)),
                    icon_name="rotate",
                    priority=15,
                )
            )
        return buttons


class VideoReprocessView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """Ask, then queue the video for processing again from its master."""

    model = Video
    permission_required = "change"
    template_name = "gallery/admin/video_reprocess.html"
    header_icon = "media"
    index_url_name = None
    edit_url_name = None

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = get_object_or_404(Video, pk=kwargs["pk"])

    def get_page_title(self):
        return retry_label(self.object)

    def get_page_subtitle(self):
        return self.object.title

    def get_edit_url(self):
        return reverse(self.edit_url_name, args=(quote(self.object.pk),))

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": "Videos"},
            {"url": self.get_edit_url(), "label": self.object.title},
            {"url": "", "label": retry_label(self.object)},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            object=self.object,
            action_label=retry_label(self.object),
            working=self.object.processing_status in (Video.Status.QUEUED, Video.Status.PROCESSING),
            cancel_url=self.get_edit_url(),
        )
        return context

    def post(self, request, *args, **kwargs):
        videos.requeue(self.object)
        transaction.on_commit(lambda: process_video.enqueue(self.object.pk))
        messages.success(
            request,
            f"“{self.object.title}” is queued for processing: its progress shows on this page.",
        )
        return redirect(self.get_edit_url())


class VideoProcessingStatusView(PermissionCheckedMixin, View):
    """The processing state of one video, polled by the editor's progress bar."""

    model = Video
    any_permission_required = ["change", "view"]

    def get(self, request, pk):
        video = get_object_or_404(Video, pk=pk)
        response = JsonResponse(
            {
                "status": video.processing_status,
                "label": video.status_label,
                "progress": video.processing_progress,
                "error": video.processing_error,
            }
        )
        response["Cache-Control"] = "no-store"
        return response


class VideoViewSet(SnippetViewSet):
    model = Video
    icon = "media"
    menu_label = "Videos"
    menu_order = 310
    add_to_admin_menu = True
    edit_view_class = VideoEditView
    list_display = [
        "title",
        StatusTagColumn(
            "processing_status",
            label="Processing",
            accessor="status_label",
            primary=lambda video: video.processing_status == Video.Status.READY,
            sort_key="processing_status",
        ),
        Column("duration", label="Duration", accessor="duration_label", sort_key="duration"),
        "created_at",
    ]
    search_fields = ["title"]

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            reprocess_url_name=self.get_url_name("reprocess"), **kwargs
        )

    @property
    def reprocess_view(self):
        return self.construct_view(
            VideoReprocessView,
            index_url_name=self.get_url_name("list"),
            edit_url_name=self.get_url_name("edit"),
        )

    @property
    def processing_status_view(self):
        return self.construct_view(VideoProcessingStatusView)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("reprocess/<int:pk>/", self.reprocess_view, name="reprocess"),
            path("processing/<int:pk>/", self.processing_status_view, name="processing_status"),
        ]
