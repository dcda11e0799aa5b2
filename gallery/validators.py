"""Checks that an uploaded video file is really a video the browser can play."""

from django.core.exceptions import ValidationError

VIDEO_EXTENSIONS = {"mp4": "video/mp4", "m4v": "video/mp4", "webm": "video/webm"}


def sniff_video_type(head: bytes):
    """The MIME type of a video from its first bytes, or None."""
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return "video/mp4"
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "video/webm"
    return None


def validate_video_file(file):
    name = (getattr(file, "name", "") or "").lower()
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    if extension not in VIDEO_EXTENSIONS:
        raise ValidationError(
            "This file is not a video the site can play: upload an MP4 or WebM file.",
            code="video_extension",
        )
    try:
        position = file.tell() if hasattr(file, "tell") else 0
        file.seek(0)
        head = file.read(16)
        file.seek(position)
    except (OSError, ValueError):
        raise ValidationError(
            "The video file could not be read; please upload it again.", code="video_unreadable"
        ) from None
    if sniff_video_type(head) is None:
        raise ValidationError(
            "The file's content is not MP4 or WebM video, whatever its name says.",
            code="video_content",
        )
