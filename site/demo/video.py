"""A short backstage clip: Pillow frames encoded to WebM (VP9) by the ffmpeg of imageio-ffmpeg."""

import math
import subprocess
import tempfile
from pathlib import Path

from PIL import Image, ImageEnhance

from bts_site.demo.images import render_wide

FPS = 24


class VideoUnavailable(Exception):
    """ffmpeg cannot be found or run here; the clip is left out."""


def ffmpeg_executable():
    try:
        import imageio_ffmpeg
    except ImportError as error:
        raise VideoUnavailable("the imageio-ffmpeg package is not installed") from error
    try:
        return imageio_ffmpeg.get_ffmpeg_exe()
    except RuntimeError as error:
        raise VideoUnavailable(str(error)) from error


def frames(kind, palette, key, size, seconds):
    """A slow dolly move across a wide still, the key light breathing, fading in and out."""
    width, height = size
    pan = width // 4
    still = render_wide(kind, (width + pan, height), palette, key)
    count = round(seconds * FPS)
    fade = FPS // 2
    for index in range(count):
        t = index / max(1, count - 1)
        eased = t * t * (3 - 2 * t)
        offset = pan * eased
        # Sub-pixel crop: an affine shift keeps the move smooth at slow speeds.
        frame = still.transform(
            size, Image.Transform.AFFINE, (1, 0, offset, 0, 1, 0), Image.Resampling.BILINEAR
        )
        level = 1.0 + 0.04 * math.sin(2 * math.pi * index / FPS)
        level *= min(1.0, (index + 1) / fade, (count - index) / fade)
        yield ImageEnhance.Brightness(frame).enhance(level)


def poster_frame(kind, palette, key, size):
    """The still a player shows before playback: the clip's frame a third of the way in."""
    width, height = size
    still = render_wide(kind, (width + width // 4, height), palette, key)
    offset = (width // 4) * 0.26
    return still.transform(
        size, Image.Transform.AFFINE, (1, 0, offset, 0, 1, 0), Image.Resampling.BILINEAR
    )


def encode_webm(kind, palette, key, size=(960, 540), seconds=4):
    """The WebM bytes of a silent clip, VP9 in yuv420p so every browser plays it."""
    executable = ffmpeg_executable()
    width, height = size
    with tempfile.TemporaryDirectory(prefix="bts-demo-video-") as folder:
        output = Path(folder) / "clip.webm"
        command = [
            executable,
            "-hide_banner",
            "-loglevel",
            "error",
            "-y",
            "-f",
            "rawvideo",
            "-pix_fmt",
            "rgb24",
            "-s",
            f"{width}x{height}",
            "-r",
            str(FPS),
            "-i",
            "-",
            "-an",
            "-c:v",
            "libvpx-vp9",
            "-pix_fmt",
            "yuv420p",
            "-b:v",
            "0",
            "-crf",
            "36",
            "-deadline",
            "realtime",
            "-cpu-used",
            "8",
            "-row-mt",
            "1",
            str(output),
        ]
        try:
            process = subprocess.Popen(  # noqa: S603 - fixed arguments, no shell
                command, stdin=subprocess.PIPE, stderr=subprocess.PIPE
            )
        except OSError as error:
            raise VideoUnavailable(f"ffmpeg could not be started ({error})") from error
        try:
            for frame in frames(kind, palette, key, size, seconds):
                process.stdin.write(frame.tobytes())
        except BrokenPipeError:
            pass  # ffmpeg stopped early; its exit status and message say why
        finally:
            process.stdin.close()
        errors = process.stderr.read().decode(errors="replace").strip()
        process.stderr.close()
        if process.wait() != 0 or not output.exists():
            raise VideoUnavailable(f"ffmpeg failed: {errors or 'no output'}")
        return output.read_bytes()
