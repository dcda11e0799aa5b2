"""What a page's video player is given: the URLs of a processed video, public or private.

The media library does not decide who may watch what. For a video on a public page it points
the player at the public outputs (immutable names, cacheable for a year); for a video on a
private page it asks the provider named by the GALLERY_VIDEO_STREAMS setting (the private-work
app's), which answers with URLs that carry a short-lived signed token, the screening mark and
a smaller buffer so that what a pass fetched is what it watched.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils.module_loading import import_string

from gallery import object_storage


@dataclass
class Caption:
    src: str
    language: str
    label: str


@dataclass
class VideoStream:
    """Everything the player template needs; no URL of the master, ever."""

    hls_url: str
    fallback_url: str
    sprite_url: str
    thumbnails_url: str
    captions: list = field(default_factory=list)
    qualities: list = field(default_factory=list)  # rung names, lowest first: ["360p", ...]
    duration: float = 0.0
    segment_seconds: int = 4
    width: int = 16
    height: int = 9
    private: bool = False
    mark: str = ""  # the screening mark shown over private playback, or ""
    # Where a private player reports the segments it loaded, when they come from object
    # storage rather than through the app (showreels.streaming.stream_watched).
    watched_url: str = ""


def stream_from_base(video, base_url, caption_url):
    """A VideoStream whose outputs are under base_url (ending in "/")."""
    return VideoStream(
        hls_url=f"{base_url}master.m3u8",
        fallback_url=f"{base_url}fallback.mp4",
        sprite_url=f"{base_url}sprite.jpg",
        thumbnails_url=f"{base_url}thumbnails.vtt",
        captions=[
            Caption(src=caption_url(caption), language=caption.language, label=caption.label)
            for caption in video.captions.all()
        ],
        qualities=[rung["name"] for rung in video.renditions or []],
        duration=video.duration or 0.0,
        segment_seconds=video.segment_seconds,
        width=video.width or 16,
        height=video.height or 9,
    )


def public_stream(video):
    """The public outputs of a processed video, served as static files are.

    On object storage, from the public bucket (or the CDN in front of it) once the copies are
    made, None until then ("being prepared"); captions come from the app, as a <track> from
    another origin would need CORS.
    """
    if object_storage.enabled():
        if not video.has_public_copies:
            return None
        return stream_from_base(
            video,
            object_storage.public_url(f"{video.output_folder}/"),
            lambda caption: object_storage.app_url(caption.file.name),
        )
    return stream_from_base(
        video,
        default_storage.url(f"{video.output_folder}/"),
        lambda caption: caption.file.url,
    )


def stream_for(request, page, video):
    """The player's URLs for this video on this page, or None while it is not ready."""
    if video is None or not video.is_ready:
        return None
    provider = getattr(settings, "GALLERY_VIDEO_STREAMS", None)
    if provider:
        return import_string(provider)(request, page, video)
    return public_stream(video)
