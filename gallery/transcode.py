"""Turning a master into what players need, with FFmpeg, in a local folder.

One FFmpeg run decodes the master once and encodes every rung of an adaptive HLS ladder in
H.264/AAC (a split filter and `-var_stream_map`), with keyframes forced at every segment
boundary so that a player can switch rungs between any two segments, and writes the
scrubbing thumbnails beside them. The progressive MP4 fallback is the ≤720p rung's
segments copied into one file (no second encode), its index moved to the front.

FFmpeg applies the master's rotation itself (its `autorotate` default), so every output is
upright; rungs are never larger than the master. Nothing here knows about Django: it works
on local paths and is driven by gallery/videos.py.
"""

import math
import subprocess
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

import imageio_ffmpeg
from django.conf import settings
from PIL import Image, ImageStat

# (name, short side in pixels, peak video bitrate in kbit/s): the rungs a master can give.
LADDER = [("360p", 360, 900), ("540p", 540, 2000), ("720p", 720, 3500), ("1080p", 1080, 6000)]
AUDIO_KBITS = 128
FALLBACK_SHORT_SIDE = 720  # the progressive MP4: good enough, light enough to download
MAX_FRAME_RATE = 60
CRF = 21  # quality target; the peak bitrate above caps it ("capped CRF")
X264_PRESET = "veryfast"  # the whole ladder of a minute of 1080p in under two minutes on 2 cores
THUMB_HEIGHT = 90
SPRITE_COLUMNS = 10
MAX_THUMBS = 200
# A frame whose mean brightness (0–255) is below this is taken for black (a fade, a slate
# in the dark) and not chosen as the poster.
BLACK_LEVEL = 20
# Where the automatic poster is looked for: about 10 % in, then further until a frame is
# not black.
POSTER_POSITIONS = (0.10, 0.15, 0.20, 0.25, 0.30, 0.35, 0.40, 0.50, 0.60, 0.70, 0.80, 0.90)


class FFmpegError(RuntimeError):
    """FFmpeg stopped with an error; the message is its last words."""


@dataclass(frozen=True)
class Rung:
    name: str
    width: int
    height: int
    max_kbits: int

    def as_dict(self):
        return asdict(self)


def ffmpeg_binary():
    """FFMPEG_BINARY when set, else the static FFmpeg that imageio-ffmpeg installs."""
    return getattr(settings, "FFMPEG_BINARY", "") or imageio_ffmpeg.get_ffmpeg_exe()


def _even(value):
    return max(2, int(round(value / 2)) * 2)


def _size_for(probe, short_side):
    """Width and height with this short side and the master's shape (both even)."""
    scale = short_side / probe.short_side
    return _even(probe.width * scale), _even(probe.height * scale)


def ladder_for(probe):
    """The rungs for a master: every rung of LADDER not larger than it; a master smaller
    than the lowest rung gets one rung of its own size."""
    rungs = [
        Rung(name, *_size_for(probe, side), kbits)
        for name, side, kbits in LADDER
        if side <= probe.short_side
    ]
    if not rungs:
        name, side, kbits = LADDER[0]
        share = (probe.short_side / side) ** 2
        rungs = [
            Rung(
                f"{_even(probe.short_side)}p",
                _even(probe.width),
                _even(probe.height),
                max(150, round(kbits * share)),
            )
        ]
    return rungs


def fallback_rung(rungs):
    """The rung copied into the progressive MP4: the largest up to 720p."""
    fitting = [rung for rung in rungs if min(rung.width, rung.height) <= FALLBACK_SHORT_SIDE]
    return fitting[-1] if fitting else rungs[0]


def output_frame_rate(probe):
    """The master's frame rate, halved (or more) above 60 fps: slow-motion masters play at
    their delivery rate, not at 120 or 240 frames a second."""
    rate = probe.frame_rate or 25.0
    return rate / math.ceil(rate / MAX_FRAME_RATE) if rate > MAX_FRAME_RATE else rate


def thumbnail_interval(duration):
    """Seconds between scrubbing thumbnails: one a second, fewer for long videos."""
    return max(1, math.ceil(duration / MAX_THUMBS))


def thumbnail_size(probe):
    return _even(probe.width * THUMB_HEIGHT / probe.height), THUMB_HEIGHT


def run_ffmpeg(args, duration=None, on_progress=None):
    """Run FFmpeg with these arguments; `on_progress(fraction)` follows its output time."""
    command = [
        ffmpeg_binary(),
        *("-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-nostats"),
        *(("-progress", "pipe:1") if on_progress else ()),
        *args,
    ]
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(  # noqa: S603 - a fixed binary, arguments as a list
            command,
            stdout=subprocess.PIPE if on_progress else subprocess.DEVNULL,
            stderr=errors,
            text=True,
        )
        try:
            if on_progress:
                for line in process.stdout:
                    key, _, value = line.strip().partition("=")
                    if key == "out_time_us" and duration and value.lstrip("-").isdigit():
                        on_progress(min(max(int(value) / 1e6 / duration, 0.0), 1.0))
            code = process.wait()
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        if code:
            errors.seek(0)
            lines = [line.strip() for line in errors.read().decode(errors="replace").splitlines()]
            reason = "; ".join(line for line in lines if line)[-600:] or f"exit status {code}"
            raise FFmpegError(f"FFmpeg failed: {reason}")


def ladder_arguments(source, probe, rungs, out_dir, segment_seconds, thumbs_dir):
    """FFmpeg arguments for the whole ladder and the scrubbing thumbnails in one run."""
    rate = output_frame_rate(probe)
    keyint = max(1, round(segment_seconds * rate))
    thumb_width, thumb_height = thumbnail_size(probe)
    interval = thumbnail_interval(probe.duration)
    branches = len(rungs) + 1
    graph = [
        f"[0:v:0]{_rate_filter(probe, rate)}split={branches}"
        + "".join(f"[s{index}]" for index in range(branches))
    ]
    for index, rung in enumerate(rungs):
        graph.append(
            f"[s{index}]scale={rung.width}:{rung.height}:flags=bicubic,setsar=1,"
            f"format=yuv420p[v{index}]"
        )
    graph.append(
        f"[s{len(rungs)}]fps=1/{interval},scale={thumb_width}:{thumb_height},setsar=1[thumbs]"
    )
    args = ["-i", str(source), "-filter_complex", ";".join(graph)]
    streams = []
    for index, rung in enumerate(rungs):
        args += ["-map", f"[v{index}]"]
        if probe.has_audio:
            args += ["-map", "0:a:0"]
        streams.append(
            f"v:{index},a:{index},name:{rung.name}"
            if probe.has_audio
            else f"v:{index},name:{rung.name}"
        )
        args += [
            f"-maxrate:v:{index}", f"{rung.max_kbits}k",
            f"-bufsize:v:{index}", f"{rung.max_kbits * 2}k",
        ]  # fmt: skip
    args += [
        "-c:v", "libx264",
        "-preset", X264_PRESET,
        "-profile:v", "high",
        "-crf", str(CRF),
        "-g", str(keyint), "-keyint_min", str(keyint), "-sc_threshold", "0",
        "-force_key_frames", f"expr:gte(t,n_forced*{segment_seconds})",
    ]  # fmt: skip
    if probe.has_audio:
        args += ["-c:a", "aac", "-b:a", f"{AUDIO_KBITS}k", "-ac", "2", "-ar", "48000"]
    args += [
        "-f", "hls",
        "-hls_time", str(segment_seconds),
        "-hls_playlist_type", "vod",
        "-hls_flags", "independent_segments",
        "-hls_segment_type", "mpegts",
        "-hls_segment_filename", str(out_dir / "%v" / "segment-%05d.ts"),
        "-master_pl_name", "master.m3u8",
        "-var_stream_map", " ".join(streams),
        str(out_dir / "%v" / "index.m3u8"),
        "-map", "[thumbs]", "-q:v", "5", str(thumbs_dir / "%05d.jpg"),
    ]  # fmt: skip
    return args


def _rate_filter(probe, rate):
    return f"fps={rate:.6g}," if rate != (probe.frame_rate or rate) else ""


def make_ladder(source, probe, out_dir, segment_seconds, on_progress=None):
    """Encode the ladder into out_dir: master.m3u8, <rung>/index.m3u8 and segments,
    sprite.jpg and thumbnails.vtt. Returns the rungs."""
    out_dir = Path(out_dir)
    rungs = ladder_for(probe)
    for rung in rungs:
        (out_dir / rung.name).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="thumbs-", dir=out_dir.parent) as thumbs_dir:
        thumbs_dir = Path(thumbs_dir)
        args = ladder_arguments(source, probe, rungs, out_dir, segment_seconds, thumbs_dir)
        run_ffmpeg(args, probe.duration, on_progress)
        make_sprite(sorted(thumbs_dir.glob("*.jpg")), probe.duration, out_dir)
    return rungs


def make_fallback(out_dir, rung):
    """fallback.mp4: the rung's segments in one MP4, its index ('moov') before the media."""
    out_dir = Path(out_dir)
    run_ffmpeg(
        [
            *("-i", str(out_dir / rung.name / "index.m3u8")),
            *("-map", "0", "-c", "copy", "-movflags", "+faststart"),
            str(out_dir / "fallback.mp4"),
        ]
    )
    return out_dir / "fallback.mp4"


def _timestamp(seconds):
    milliseconds = round(seconds * 1000)
    hours, rest = divmod(milliseconds, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def make_sprite(thumbs, duration, out_dir, sprite_name="sprite.jpg"):
    """sprite.jpg, the thumbnails in a grid, and thumbnails.vtt, the WebVTT map from each
    stretch of the timeline to its tile (`sprite.jpg#xywh=x,y,w,h`, as players read it)."""
    out_dir = Path(out_dir)
    if not thumbs:
        raise FFmpegError("FFmpeg made no thumbnails of the video.")
    interval = thumbnail_interval(duration)
    thumbs = thumbs[: max(1, math.ceil(duration / interval))]
    with Image.open(thumbs[0]) as first:
        width, height = first.size
    columns = min(SPRITE_COLUMNS, len(thumbs))
    rows = math.ceil(len(thumbs) / columns)
    sprite = Image.new("RGB", (columns * width, rows * height))
    cues = ["WEBVTT", ""]
    for index, path in enumerate(thumbs):
        x, y = (index % columns) * width, (index // columns) * height
        with Image.open(path) as thumb:
            sprite.paste(thumb.convert("RGB").resize((width, height)), (x, y))
        start = index * interval
        end = duration if index == len(thumbs) - 1 else min((index + 1) * interval, duration)
        cues += [
            f"{_timestamp(start)} --> {_timestamp(end)}",
            f"{sprite_name}#xywh={x},{y},{width},{height}",
            "",
        ]
    sprite.save(out_dir / sprite_name, "JPEG", quality=80, optimize=True)
    (out_dir / "thumbnails.vtt").write_text("\n".join(cues), encoding="utf-8")


def extract_frame(source, seconds, out_path, width, height):
    """One frame of the master at `seconds`, upright and scaled, as a JPEG."""
    out_path = Path(out_path)
    out_path.unlink(missing_ok=True)
    run_ffmpeg(
        [
            *("-ss", f"{seconds:.3f}", "-i", str(source)),
            *("-frames:v", "1", "-vf", f"scale={width}:{height},setsar=1", "-q:v", "2"),
            str(out_path),
        ]
    )
    return out_path.exists() and out_path.stat().st_size > 0


def brightness(path):
    with Image.open(path) as image:
        return ImageStat.Stat(image.convert("L")).mean[0]


def make_poster(source, probe, out_path, width, height, at=None):
    """poster.jpg: the frame at `at` seconds when the owner chose one; otherwise the first
    frame that is not black from about 10 % in. Returns the time of the frame used."""
    last = max(0.0, probe.duration - 1 / max(probe.frame_rate or 25.0, 1))
    if at is not None:
        seconds = min(max(float(at), 0.0), last)
        if extract_frame(source, seconds, out_path, width, height):
            return seconds
        raise FFmpegError(f"No frame could be taken at {seconds:.2f} s.")
    out_path = Path(out_path)
    candidate = out_path.with_name("poster-candidate.jpg")
    best = None
    for share in POSTER_POSITIONS:
        seconds = round(min(probe.duration * share, last), 3)
        if not extract_frame(source, seconds, candidate, width, height):
            continue
        level = brightness(candidate)
        if best is None or level > best[0]:
            best = (level, seconds)
            candidate.replace(out_path)
        if level >= BLACK_LEVEL:
            break
    if best is None:
        raise FFmpegError("No frame of the video could be taken for its poster.")
    return best[1]
