"""Which object a media file belongs to, and streaming it with HTTP Range."""

import mimetypes
import os
import re
from pathlib import PurePosixPath
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from gallery import object_storage
from gallery.models import Video, VideoCaption

# HLS playlists and segments, and WebVTT, by their standard types: the system's own table
# may call .ts a translation file.
mimetypes.add_type("application/vnd.apple.mpegurl", ".m3u8")
mimetypes.add_type("video/mp2t", ".ts")
mimetypes.add_type("text/vtt", ".vtt")
# What processing writes for a video: videos/<id>-<token>/... (gallery/videos.py).
VIDEO_OUTPUT_RE = re.compile(r"^(videos/(\d+)-[0-9a-f]+)/")
RANGE_RE = re.compile(r"^bytes=([0-9]*)-([0-9]*)$", re.IGNORECASE)
# A position written with more digits than this lies past the end of any file (10^18 bytes
# is an exabyte). It is compared as such rather than turned into an int: Python refuses to
# convert strings of over 4,300 digits, and a Range header must never make a 500.
MAX_POSITION_DIGITS = 18
CHUNK = 64 * 1024


def clean_media_path(path):
    """A storage-relative path, or None for anything that tries to leave MEDIA_ROOT."""
    if not path or "\x00" in path or "\\" in path:
        return None
    parts = PurePosixPath(path).parts
    if not parts or any(part in ("..", ".", "") for part in parts) or path.startswith("/"):
        return None
    return "/".join(parts)


def owner_of(path):
    """The library object a media file belongs to: an image, a video or a document."""
    Image = get_image_model()
    Rendition = Image.get_rendition_model()
    if path.startswith("original_images/"):
        return Image.objects.filter(file=path).first()
    if path.startswith("images/"):
        rendition = Rendition.objects.filter(file=path).select_related("image").first()
        return rendition.image if rendition else None
    if path.startswith("videos/"):
        return _video_of(path)
    if path.startswith("documents/"):
        return get_document_model().objects.filter(file=path).first()
    return None


def _video_of(path):
    """The video of a master, of one of its processing outputs, or of a caption file."""
    if path.startswith("videos/captions/"):
        caption = VideoCaption.objects.filter(file=path).select_related("video").first()
        return caption.video if caption else None
    output = VIDEO_OUTPUT_RE.match(path)
    if output:
        folder, video_id = output.groups()
        return Video.objects.filter(pk=int(video_id), output_folder=folder).first()
    return Video.objects.filter(file=path).first()


def _position(digits):
    """A byte position from its digits, or None for one past the end of any file."""
    digits = digits.lstrip("0") or "0"
    return int(digits) if len(digits) <= MAX_POSITION_DIGITS else None


def _range(header, size):
    """(start, end) inclusive for a single satisfiable byte range, None for none, False if bad.

    Anything but a single well-formed range (several ranges, another unit, garbage) is
    ignored and the whole file is sent, as RFC 9110 section 14.2 allows.
    """
    match = RANGE_RE.match(header.strip()) if header else None
    if not match or size <= 0:
        return None
    first, last = match.groups()
    if first == "" and last == "":
        return False
    if first == "":
        # The last N bytes: the whole file when N is larger than it.
        length = _position(last)
        if length == 0:
            return False
        return (0 if length is None else max(size - length, 0)), size - 1
    start = _position(first)
    if start is None or start >= size:
        return False
    end = _position(last) if last else None
    end = size - 1 if end is None else min(end, size - 1)
    if end < start:
        return False
    return start, end


class _RangeFile:
    """An iterator over part of an open file."""

    def __init__(self, handle, start, length):
        self.handle, self.remaining = handle, length
        handle.seek(start)

    def __iter__(self):
        while self.remaining > 0:
            data = self.handle.read(min(CHUNK, self.remaining))
            if not data:
                break
            self.remaining -= len(data)
            yield data

    def close(self):
        self.handle.close()


def content_disposition(path, content_type):
    """Documents other than PDF and plain text download rather than open, as in Wagtail."""
    inline_types = getattr(
        settings, "WAGTAILDOCS_INLINE_CONTENT_TYPES", ["application/pdf", "text/plain"]
    )
    as_attachment = path.startswith("documents/") and content_type not in inline_types
    return content_disposition_header(as_attachment, PurePosixPath(path).name)


def file_response(request, path, cache_control):
    """Stream a stored file (or hand it to the web server), honouring a Range header.

    On object storage, a redirect to a presigned URL of the file (its bytes come from the
    bucket), but for playlists and WebVTT files, which are read through.
    """
    content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    method = settings.MEDIA_SERVE_METHOD
    if object_storage.enabled():
        if not object_storage.read_through(path):
            download = PurePosixPath(path).name if path.startswith("documents/") else None
            return object_storage.redirect_to_signed(path, download_name=download)
        method = "django"
    if method != "django":
        response = HttpResponse(content_type=content_type)
        response["Content-Disposition"] = content_disposition(path, content_type)
        if method == "nginx":
            # nginx decodes the URI it is handed, as it would a request's.
            response["X-Accel-Redirect"] = (
                settings.MEDIA_ACCEL_PREFIX.rstrip("/") + "/" + quote(path)
            )
        else:
            response["X-Sendfile"] = os.path.join(settings.MEDIA_ROOT, path)
        response["Cache-Control"] = cache_control
        return response

    try:
        size = default_storage.size(path)
        handle = default_storage.open(path, "rb")
    except (FileNotFoundError, *object_storage.STORAGE_ERRORS):
        return None
    byte_range = _range(request.META.get("HTTP_RANGE", ""), size)
    if byte_range is False:
        handle.close()
        response = HttpResponse(status=416, content_type="text/plain")
        response.content = b"The requested byte range is outside the file."
        response["Content-Range"] = f"bytes */{size}"
    elif byte_range:
        start, end = byte_range
        length = end - start + 1
        response = StreamingHttpResponse(
            _RangeFile(handle, start, length), content_type=content_type, status=206
        )
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(length)
    else:
        response = FileResponse(handle, content_type=content_type)
        response["Content-Length"] = str(size)
    if response.status_code != 416:
        response["Content-Disposition"] = content_disposition(path, content_type)
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = cache_control
    response["X-Content-Type-Options"] = "nosniff"
    return response
