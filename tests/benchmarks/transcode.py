"""Benchmark: processing a 60 s 1080p25 H.264 master into the whole ladder.

Run with `.venv/bin/python tests/benchmarks/transcode.py`. Makes the master with FFmpeg
(its test pattern with a little moving grain, as a camera has, and a tone), then times
gallery.videos.process on it as the background worker runs it: probe, the 360p/540p/720p/
1080p HLS ladder with thumbnails, the MP4 fallback, the poster, storing the outputs.
Prints seconds per step and in all. A measurement, not a test: nothing passes or fails.

BENCH_SECONDS (60), BENCH_SIZE (1920x1080), BENCH_RATE (25) and BENCH_GRAIN (6, 0 for none)
change the master; BENCH_MASTER=<file> uses that file instead of making one (making it
takes a few minutes on 2 cores).
"""

import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.benchmarks.environment import prepare

WORKDIR = prepare("bts-bench-video-")

from django.core.files import File  # noqa: E402
from django.db.models.signals import post_save  # noqa: E402

from gallery import videos  # noqa: E402
from gallery.models import Video  # noqa: E402
from gallery.signals import queue_video_processing  # noqa: E402
from gallery.transcode import ffmpeg_binary  # noqa: E402

SECONDS = int(os.environ.get("BENCH_SECONDS", "60"))
SIZE = os.environ.get("BENCH_SIZE", "1920x1080")
RATE = int(os.environ.get("BENCH_RATE", "25"))
GRAIN = int(os.environ.get("BENCH_GRAIN", "6"))
CHILD_TIMES = ("children_user", "children_system")
STEPS = ("probe_video", "make_ladder", "make_fallback", "make_poster", "store_folder")


def make_master(path):
    picture = f"testsrc2=size={SIZE}:rate={RATE}:duration={SECONDS}"
    if GRAIN:
        picture += f",noise=alls={GRAIN}:allf=t+u"
    subprocess.run(
        [
            *(ffmpeg_binary(), "-hide_banner", "-loglevel", "error", "-y"),
            *("-f", "lavfi", "-i", picture),
            *("-f", "lavfi", "-i", f"sine=frequency=440:duration={SECONDS}"),
            *("-c:v", "libx264", "-preset", "fast", "-b:v", "20M", "-pix_fmt", "yuv420p"),
            *("-c:a", "aac", "-b:a", "192k", str(path)),
        ],
        check=True,
    )


def timed(name, function, spent):
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[name] = spent.get(name, 0.0) + time.perf_counter() - started

    return wrapper


def main():
    print(f"workdir: {WORKDIR}  cores: {os.cpu_count()}  ffmpeg: {ffmpeg_binary()}")
    if os.environ.get("BENCH_MASTER"):
        master = Path(os.environ["BENCH_MASTER"])
        print(f"master: {master}, {master.stat().st_size / 1e6:.1f} MB")
    else:
        master = WORKDIR / "master.mp4"
        started = time.perf_counter()
        make_master(master)
        print(
            f"master: {SECONDS} s {SIZE} {RATE} fps H.264, {master.stat().st_size / 1e6:.1f} "
            f"MB, made in {time.perf_counter() - started:.1f} s (not counted)"
        )
    spent = {}
    for name in STEPS:
        setattr(videos, name, timed(name, getattr(videos, name), spent))
    # Processed below, timed, rather than by the immediate backend when it is saved.
    post_save.disconnect(queue_video_processing, sender=Video)
    with master.open("rb") as handle:
        video = Video(title="Benchmark master", file=File(handle, name="master.mp4"))
        video.save()
    started, cpu_before = time.perf_counter(), os.times()
    outcome = videos.process(video.pk)
    total, cpu_after = time.perf_counter() - started, os.times()
    # FFmpeg's processor time: what the run costs whatever else the machine is doing.
    cpu = sum(getattr(cpu_after, f) - getattr(cpu_before, f) for f in CHILD_TIMES)
    video.refresh_from_db()
    if outcome != "ready":
        print(f"processing {outcome}: {video.processing_error}")
        sys.exit(1)
    rungs = ", ".join(f"{r['name']} {r['width']}x{r['height']}" for r in video.renditions)
    print(f"ladder: {rungs}")
    for name in STEPS:
        print(f"  {name:<14} {spent.get(name, 0.0):7.1f} s")
    print(f"whole processing: {total:.1f} s ({SECONDS / total:.2f}x real time)")
    cores = os.cpu_count() or 1
    print(
        f"FFmpeg processor time: {cpu:.1f} s, so at least {cpu / cores:.1f} s on {cores} "
        f"idle cores; load average at the end: {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
