"""What a video file holds, read with FFmpeg's own demuxers and decoders (PyAV).

A file is a video when FFmpeg can open it, finds a video stream in it and decodes its first
frame: its name and its first bytes decide nothing. When it is not, `VideoRefused` says what
was found instead ("This file is a PDF document, not a video", "no video stream found: …",
"the file is truncated: …"), in words the owner can act on.
"""

import math
import struct
from dataclasses import dataclass
from pathlib import Path

import av

# Demuxers that read still images: FFmpeg opens a photo as a one-frame "video".
IMAGE_FORMATS = {"image2", "gif", "apng", "ico", "bmp_pipe", "tiff_pipe"}
CODEC_NAMES = {
    "h264": "H.264",
    "hevc": "HEVC (H.265)",
    "prores": "Apple ProRes",
    "vp8": "VP8",
    "vp9": "VP9",
    "av1": "AV1",
    "aac": "AAC",
    "opus": "Opus",
    "vorbis": "Vorbis",
    "mp3": "MP3",
    "ac3": "Dolby Digital (AC-3)",
    "mjpeg": "Motion JPEG",
}
# First bytes of common files that are not video, only to name what was uploaded instead.
SIGNATURES = [
    (0, b"%PDF", "a PDF document"),
    (0, b"\xff\xd8\xff", "a JPEG image"),
    (0, b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (0, b"GIF8", "a GIF image"),
    (0, b"II*\x00", "a TIFF image (or a camera raw file)"),
    (0, b"MM\x00*", "a TIFF image (or a camera raw file)"),
    (0, b"8BPS", "a Photoshop document"),
    (0, b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (0, b"Rar!", "a RAR archive"),
    (0, b"7z\xbc\xaf", "a 7-Zip archive"),
    (0, b"ID3", "an MP3 audio file"),
    (0, b"fLaC", "a FLAC audio file"),
    (0, b"OggS", "an Ogg file"),
    (0, b"{\\rtf", "an RTF document"),
    (0, b"\xd0\xcf\x11\xe0", "an old Office document"),
]
RIFF_KINDS = {b"WEBP": "a WebP image", b"WAVE": "a WAV audio file", b"AVI ": "an AVI video"}
ISO_IMAGE_BRANDS = {b"heic", b"heix", b"mif1", b"msf1", b"avif", b"avis"}
ISO_AUDIO_BRANDS = {b"M4A ", b"M4B "}
# Top-level boxes that can open an MP4 or QuickTime file.
ISO_FIRST_BOXES = {b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot", b"uuid"}


class VideoRefused(ValueError):
    """The file is not a video that can be processed; the message says what was found."""


@dataclass(frozen=True)
class VideoProbe:
    """The facts of a video file that processing needs and the admin shows."""

    container: str
    duration: float  # seconds
    width: int  # as shown: rotation and non-square pixels applied
    height: int
    frame_rate: float
    video_codec: str  # FFmpeg's codec name: h264, hevc, prores, vp9…
    audio_codec: str  # "" when the file has no sound
    rotation: int  # 0, 90, 180 or 270 degrees counter-clockwise, as the file asks players

    @property
    def has_audio(self):
        return bool(self.audio_codec)

    @property
    def short_side(self):
        return min(self.width, self.height)


def codec_label(name):
    return CODEC_NAMES.get(name, name.upper() if name else "")


def human_size(size):
    """1536 → "1.5 KB": sizes in a message to the owner."""
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size} bytes" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return ""  # pragma: no cover


def describe(head):
    """What a file is from its first bytes, when it is a well-known kind of non-video."""
    for offset, magic, kind in SIGNATURES:
        if head[offset : offset + len(magic)] == magic:
            return kind
    if head[:4] == b"RIFF":
        return RIFF_KINDS.get(head[8:12])
    if head[4:8] == b"ftyp":
        if head[8:12] in ISO_IMAGE_BRANDS:
            return "a HEIC or AVIF photo"
        if head[8:12] in ISO_AUDIO_BRANDS:
            return "an M4A audio file"
    lowered = head.lstrip().lower()
    if lowered.startswith((b"<!doctype html", b"<html")):
        return "an HTML page"
    if head and b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return "a text file"
    return None


def _read_head(path, size=64):
    with open(path, "rb") as handle:
        return handle.read(size)


def iso_damage(path, size):
    """Why an MP4/QuickTime file is incomplete, or None: every top-level box must fit in the
    file, and one of them must be the index ('moov', or 'moof' fragments). A copy or a
    recording that stopped early fails one of the two; FFmpeg would open some of them and
    make a shorter video without a word."""
    offset, seen = 0, set()
    with open(path, "rb") as handle:
        while offset < size:
            handle.seek(offset)
            header = handle.read(16)
            if len(header) < 8:
                return f"it ends inside a box header at byte {offset}"
            box_size, kind = struct.unpack(">I4s", header[:8])
            if box_size == 1 and len(header) == 16:
                box_size = struct.unpack(">Q", header[8:16])[0]
            elif box_size == 0:
                box_size = size - offset
            if box_size < 8:
                return f"its structure is broken at byte {offset}"
            name = kind.decode("latin-1")
            seen.add(name)
            if offset + box_size > size:
                what = "its media data (the 'mdat' box)" if name == "mdat" else f"its '{name}' box"
                return (
                    f"it ends at {human_size(size)}, inside {what}, which runs to "
                    f"{human_size(offset + box_size)}"
                )
            offset += box_size
    if not seen & {"moov", "moof"}:
        return (
            "its index (the 'moov' box, written when a recording or an export finishes) is missing"
        )
    return None


def _ebml_number(handle):
    """An EBML variable-length number: (value, is_unknown), or None at the end of the file."""
    first = handle.read(1)
    if not first:
        return None
    length = 8 - first[0].bit_length() + 1
    if length > 8:
        return None
    rest = handle.read(length - 1)
    if len(rest) < length - 1:
        return None
    value = first[0] & (0xFF >> length)
    for byte in rest:
        value = (value << 8) | byte
    return value, value == (1 << (7 * length)) - 1


def matroska_damage(path, size):
    """Why a WebM/Matroska file is incomplete, or None: its Segment says how long it is."""
    with open(path, "rb") as handle:
        for expected in (b"\x1a\x45\xdf\xa3", b"\x18\x53\x80\x67"):  # EBML header, Segment
            element = handle.read(4)
            if element != expected:
                return None
            number = _ebml_number(handle)
            if number is None:
                return "it ends inside its header"
            length, unknown = number
            if expected == b"\x1a\x45\xdf\xa3":
                handle.seek(length, 1)
                continue
            end = handle.tell() + length
            if not unknown and end > size:
                return f"it ends at {human_size(size)} of the {human_size(end)} it announces"
    return None


def _damage(path, head, size):
    if head[4:8] in ISO_FIRST_BOXES:
        return iso_damage(path, size)
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return matroska_damage(path, size)
    return None


def _rate(stream):
    rate = stream.average_rate or stream.guessed_rate or stream.base_rate
    return float(rate) if rate else 0.0


def _duration(container, stream):
    if container.duration:
        return container.duration / av.time_base
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    return 0.0


def _is_cover_art(stream):
    return bool(stream.disposition & av.stream.Disposition.attached_pic)


def probe_video(path):
    """The VideoProbe of a local file, or VideoRefused saying what the file is instead."""
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        raise VideoRefused("This file is empty (0 bytes), not a video.")
    head = _read_head(path)
    damage = _damage(path, head, size)
    if damage:
        raise VideoRefused(f"The file is truncated: {damage}. Upload the complete file.")
    try:
        container = av.open(str(path), metadata_errors="ignore")
    except av.FFmpegError as error:
        kind = describe(head)
        if kind:
            raise VideoRefused(f"This file is {kind}, not a video.") from None
        raise VideoRefused(
            f"This file is not a video FFmpeg can read ({error.strerror or error})."
        ) from None
    with container:
        fmt = container.format.name
        if fmt in IMAGE_FORMATS or fmt.endswith("_pipe"):
            kind = describe(head) or "a still image"
            raise VideoRefused(f"This file is {kind}, not a video.")
        videos = [s for s in container.streams.video if not _is_cover_art(s)]
        audio = list(container.streams.audio)
        if not videos:
            found = (
                "only sound (" + ", ".join(codec_label(s.codec_context.name) for s in audio) + ")"
                if audio
                else "no picture and no sound"
            )
            raise VideoRefused(f"No video stream found: the file has {found}.")
        stream = videos[0]
        codec = stream.codec_context.name
        try:
            frame = next(container.decode(stream), None)
        except av.FFmpegError as error:
            raise VideoRefused(
                f"The video stream ({codec_label(codec)}) cannot be decoded: "
                f"{error.strerror or error}. The file may be damaged or truncated."
            ) from None
        if frame is None:
            raise VideoRefused(f"The video stream ({codec_label(codec)}) holds no picture.")
        duration = _duration(container, stream)
        if not duration or not math.isfinite(duration):
            raise VideoRefused("The file's duration cannot be read: it may be damaged.")
        rotation = round(frame.rotation or 0) % 360
        rotation = min((0, 90, 180, 270, 360), key=lambda r: abs(r - rotation)) % 360
        width, height = frame.width, frame.height
        aspect = stream.sample_aspect_ratio
        if aspect and aspect.numerator and aspect != 1:
            width = round(width * float(aspect))
        if rotation in (90, 270):
            width, height = height, width
        return VideoProbe(
            container=fmt,
            duration=round(duration, 3),
            width=width,
            height=height,
            frame_rate=round(_rate(stream), 3),
            video_codec=codec,
            audio_codec=audio[0].codec_context.name if audio else "",
            rotation=rotation,
        )
