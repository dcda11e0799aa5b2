"""Checks on uploaded videos and caption files, with messages that say what was found.

A video upload is checked by probing it with FFmpeg (gallery/probe.py) on the temporary
file Django streamed it to: its name and first bytes decide nothing.
"""

import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError

from gallery.captions import MAX_CAPTION_BYTES, CaptionError, to_webvtt
from gallery.probe import VideoRefused, human_size, probe_video

VIDEO_EXTENSIONS = {
    "mp4": "video/mp4",
    "m4v": "video/mp4",
    "mov": "video/quicktime",
    "webm": "video/webm",
    "mkv": "video/x-matroska",
}
CHUNK = 1024 * 1024


@contextmanager
def local_path(file):
    """A path on this machine holding the uploaded file: Django's temporary file for an
    upload streamed to disk, otherwise a temporary copy written chunk by chunk."""
    for candidate in (file, getattr(file, "file", None)):
        if hasattr(candidate, "temporary_file_path"):
            yield Path(candidate.temporary_file_path())
            return
    suffix = Path(file.name or "").suffix
    with tempfile.NamedTemporaryFile(prefix="bts-upload-", suffix=suffix) as copy:
        if hasattr(file, "seek"):
            file.seek(0)
        for chunk in file.chunks(CHUNK) if hasattr(file, "chunks") else iter(file.read, b""):
            copy.write(chunk)
        copy.flush()
        if hasattr(file, "seek"):
            file.seek(0)
        yield Path(copy.name)


def _extension(name):
    name = (name or "").lower()
    return name.rsplit(".", 1)[-1] if "." in name else ""


def validate_video_file(file):
    """A new upload must be a video of an accepted kind and size that FFmpeg can read; a
    file already stored (the form saved again without a new upload) was checked then."""
    if getattr(file, "_committed", False):
        return
    if _extension(file.name) not in VIDEO_EXTENSIONS:
        raise ValidationError(
            "Upload the video as an MP4, MOV, M4V, WebM or MKV file.", code="video_extension"
        )
    limit = settings.VIDEO_MAX_UPLOAD_SIZE
    if file.size is not None and file.size > limit:
        raise ValidationError(
            f"This file is {human_size(file.size)}: videos of up to {human_size(limit)} "
            "can be uploaded.",
            code="video_too_large",
        )
    try:
        with local_path(file) as path:
            probe_video(path)
    except VideoRefused as refusal:
        raise ValidationError(str(refusal), code="not_a_video") from None
    except OSError:
        raise ValidationError(
            "The video file could not be read; please upload it again.", code="video_unreadable"
        ) from None


def validate_caption_file(file):
    """Captions must be WebVTT or SRT text with at least one cue."""
    if getattr(file, "_committed", False):
        return
    if _extension(file.name) not in {"vtt", "srt"}:
        raise ValidationError(
            "Upload captions as a WebVTT (.vtt) or SubRip (.srt) file.", code="caption_extension"
        )
    if file.size is not None and file.size > MAX_CAPTION_BYTES:
        raise ValidationError(
            "This file is too large to be captions (over 2 MB).", code="caption_too_large"
        )
    try:
        file.seek(0)
        data = file.read()
        file.seek(0)
        to_webvtt(data)
    except CaptionError as error:
        raise ValidationError(str(error), code="not_captions") from None
