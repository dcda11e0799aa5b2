"""The video editor's parts: the file input with an upload progress bar, and the panel that
shows what processing found and made (status, probe, poster) with a retry button."""

from django import forms
from django.conf import settings
from django.urls import reverse
from wagtail.admin.panels import Panel

VIDEO_ADMIN_JS = "gallery/js/video-admin.js"
ACCEPTED = ".mp4,.m4v,.mov,.webm,.mkv,video/mp4,video/quicktime,video/webm,video/x-matroska"


class VideoFileInput(forms.ClearableFileInput):
    """A file input that tells the admin script to send the form with XMLHttpRequest, so
    the browser reports how much of the file has gone (a progress bar), and to refuse a
    file over the size limit before sending it."""

    def __init__(self, attrs=None):
        super().__init__({"accept": ACCEPTED, "data-video-upload": "", **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-max-size"] = str(settings.VIDEO_MAX_UPLOAD_SIZE)
        return context

    class Media:
        js = [VIDEO_ADMIN_JS]


class VideoProcessingPanel(Panel):
    """Processing status (queued, percent done, ready, failed with the reason), what the
    probe found, and the poster, for a video already saved."""

    def __init__(self, **kwargs):
        kwargs.setdefault("heading", "Processing")
        super().__init__(**kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "gallery/panels/video_processing.html"

        def is_shown(self):
            return bool(self.instance and self.instance.pk)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            video = self.instance
            viewset = video.snippet_viewset
            working = video.processing_status in (video.Status.QUEUED, video.Status.PROCESSING)
            context.update(
                video=video,
                working=working,
                failed=video.processing_status == video.Status.FAILED,
                status_url=reverse(viewset.get_url_name("processing_status"), args=[video.pk]),
                reprocess_url=reverse(viewset.get_url_name("reprocess"), args=[video.pk]),
                poster_is_frame=video.poster_id is not None
                and video.poster_id == video.generated_poster_id,
            )
            return context

        @property
        def media(self):
            return forms.Media(js=[VIDEO_ADMIN_JS])
