"""Benchmark: a private screening's HLS stream against the master file, on a slow link and
under load.

Run with `make bench-video` (or `.venv/bin/python tests/benchmarks/video.py`): about eight
minutes on 2 cores, most of it FFmpeg. Throwaway database and media folder as in run.py.

Makes a 60 s 1920x1080 25 fps master as a camera or editing export would be: H.264 at about
11 Mbit/s with a keyframe a second, AAC audio, the index (moov) at the end of the file.
The picture is FFmpeg's testsrc2 pattern (moving shapes) under moving grain that changes
every frame, so that every rung is as hard to compress as real footage, not a flat test
card; the sound a 440 Hz tone. The master is processed into the HLS ladder twice (2-s
segments, the VIDEO_HLS_SEGMENT_SECONDS default, and 4-s segments), each on a private
showreel with an access pass; the site is served by gunicorn with 2 sync workers and the
production settings (DEBUG off, hashed static files from WhiteNoise) on a free loopback
port. Then it prints:

1. Time from play() to the first frame (requestVideoFrameCallback) in Chromium on an
   emulated slow link (1.6 Mbit/s down, 750 kbit/s up, 150 ms latency, cache off; the page
   itself is loaded before the link is slowed): the private page's player (hls.js),
   unlocked with the pass, against a logged-in owner playing the master from /media/,
   as exported and remuxed with its index first. Median of BENCH_RUNS fresh contexts. The
   player is also timed with hls.js's bandwidth test off (`testBandwidth: false`, patched
   into player.js in the browser only), as a what-if.
2. Bytes downloaded to watch the first 10 s, and to jump to 80 % and watch 5 s: the body
   bytes of every response of the stream (playlists, segments, sprite and thumbnails for
   HLS; every range request of the master), summed from the DevTools protocol's
   Network.dataReceived events, from the page's opening until the playhead gets there.
   Without the slow link: the bytes each player chooses to fetch, not how long they take.
3. Requests per second and median latency, CONNECTIONS keep-alive clients for
   HAMMER_SECONDS each: the private segment view (one segment, then all the 360p rung's in
   turn) with the unlocked session's cookie, a public segment through the /media/ view,
   and a static file from WhiteNoise.
A measurement, not a test: nothing passes or fails.

BENCH_MASTER=<file> uses that master instead of making one; BENCH_SECONDS (60) its length
when made (a short one for a quick try of the script); BENCH_RUNS (3);
BENCH_LONG_SEGMENTS (4; 0 skips the second processing and its runs);
BENCH_HAMMER_SECONDS (10); BENCH_CONNECTIONS (8); BENCH_KEEP=1 keeps the work folder
(about 300 MB) instead of deleting it.
"""

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.benchmarks.environment import prepare

WORKDIR = prepare("bts-bench-stream-")

from django.conf import settings  # noqa: E402
from django.core.files import File  # noqa: E402
from django.db import connections  # noqa: E402
from django.db.models.signals import post_save  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from gallery import videos  # noqa: E402
from gallery.models import Video  # noqa: E402
from gallery.signals import queue_video_processing  # noqa: E402
from gallery.transcode import ffmpeg_binary  # noqa: E402
from tests.benchmarks.serving import (  # noqa: E402
    CONNECTIONS,
    HAMMER_SECONDS,
    PROJECT_DIR,
    free_port,
    hammer,
    start_server,
    stop_server,
)

SECONDS = int(os.environ.get("BENCH_SECONDS", "60"))
SIZE, RATE = "1920x1080", 25
MASTER_KBITS = 11_000
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
# The site's default (settings.VIDEO_HLS_SEGMENT_SECONDS, 2 s) and, for comparison, 4-s ones.
SEGMENTS = [2] + [s for s in [int(os.environ.get("BENCH_LONG_SEGMENTS", "4"))] if s]
KEEP = os.environ.get("BENCH_KEEP", "") not in ("", "0")
# Lighthouse's "slow 4G" link, as DevTools applies it (bytes per second, milliseconds).
LINK = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1_600_000 / 8,
    "uploadThroughput": 750_000 / 8,
}
FRAME_TIMEOUT_MS = 90_000
GOAL_SECONDS, GOAL_RATIO = 2.0, 3.0
WATCH, SEEK_SHARE, SEEK_WATCH = 10, 0.8, 5

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
VIEWPORT = {"width": 1440, "height": 900}
STREAM_TAIL = re.compile(r"^.*/private/stream/[^/]+/")
# What if hls.js did not spend its first download on a bandwidth test? With startLevel -1
# and testBandwidth on (its default), hls.js loads the lowest rung's first segment only to
# time it, throws it away, and loads the first segment again at the rung it then picks.
# The what-if runs patch the player's config in the browser only (the file is not changed).
PLAYER_JS = PROJECT_DIR / "gallery/static/gallery/js/player.js"
PLAYER_URL = re.compile(r"/gallery/js/player(\.[0-9a-f]+)?\.js$")
PLAYER_ANCHOR = "capLevelToPlayerSize: true,"
WHAT_IF = " testBandwidth: false,"

# Starts playback of the page's only <video>; resolves with the milliseconds from play() to
# the first frame the browser presented (requestVideoFrameCallback: it can come before
# playback starts, a frame shown while paused) and to the `playing` event (playback under
# way), and what the page fetched meanwhile (Resource Timing: hls.js's requests; the media
# element's own are not listed).
PLAY_JS = """async (limit) => {
  const video = document.querySelector("video");
  video.muted = true;
  const t0 = performance.now();
  const result = { frame: null, playing: null, error: null };
  await new Promise((resolve) => {
    const timer = setTimeout(resolve, limit);
    const check = () => {
      if (result.frame !== null && result.playing !== null) { clearTimeout(timer); resolve(); }
    };
    video.addEventListener("playing", () => {
      result.playing = performance.now() - t0;
      check();
    }, { once: true });
    video.requestVideoFrameCallback(() => {
      result.frame = performance.now() - t0;
      check();
    });
    video.play().catch((error) => { result.error = String(error); resolve(); });
  });
  result.resources = performance.getEntriesByType("resource")
    .filter((entry) => entry.startTime >= t0)
    .map((entry) => ({ url: entry.name, start: entry.startTime - t0,
                       end: entry.responseEnd - t0, bytes: entry.encodedBodySize }));
  video.pause();
  return result;
}"""

# The owner's plain page: the master straight from /media/, nothing fetched before play().
MASTER_PAGE_JS = """(src) => {
  document.body.innerHTML = "";
  const video = document.createElement("video");
  video.preload = "none";
  video.muted = true;
  video.playsInline = true;
  video.width = 960;
  video.height = 540;
  video.src = src;
  document.body.append(video);
}"""

WATCH_JS = """(start) => {
  const video = document.querySelector("video");
  video.muted = true;
  if (start) { video.currentTime = start; }
  video.play();
}"""


@dataclass
class Reel:
    segment_seconds: int
    video: Video
    path: str
    password: str
    processing_seconds: float


# Making and processing the video ----------------------------------------------------------


def ffmpeg(*args):
    command = [ffmpeg_binary(), "-hide_banner", "-loglevel", "error", "-nostdin", "-y", *args]
    subprocess.run(command, check=True)


def make_master(path):
    """A camera-like export: grainy moving picture, ~11 Mbit/s H.264, 1-s GOP, moov last."""
    ffmpeg(
        *("-f", "lavfi", "-i"),
        f"testsrc2=size={SIZE}:rate={RATE}:duration={SECONDS},noise=alls=6:allf=t+u",
        *("-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:duration={SECONDS}"),
        *("-c:v", "libx264", "-preset", "veryfast", "-profile:v", "high", "-pix_fmt", "yuv420p"),
        *("-b:v", f"{MASTER_KBITS}k", "-maxrate", f"{MASTER_KBITS * 11 // 10}k"),
        *("-bufsize", f"{MASTER_KBITS * 2}k", "-g", str(RATE)),
        *("-c:a", "aac", "-b:a", "192k", str(path)),
    )


def index_first(path):
    """Whether the MP4's index (moov box) comes before its media data (mdat box)."""
    with open(path, "rb") as handle:
        while header := handle.read(8):
            size, kind = int.from_bytes(header[:4], "big"), header[4:8]
            if kind in (b"moov", b"mdat"):
                return kind == b"moov"
            if size == 1:
                size = int.from_bytes(handle.read(8), "big") - 8
            elif size == 0:
                return False
            handle.seek(size - 8, os.SEEK_CUR)
    return False


def library_video(title, path):
    with path.open("rb") as handle:
        video = Video(title=title, file=File(handle, name=path.name))
        video.save()
    return video


def processed(title, path, segment_seconds):
    video = library_video(title, path)
    started = time.perf_counter()
    with override_settings(VIDEO_HLS_SEGMENT_SECONDS=segment_seconds):
        outcome = videos.process(video.pk)
    took = time.perf_counter() - started
    video.refresh_from_db()
    if outcome != "ready":
        sys.exit(f"processing {outcome}: {video.processing_error}")
    return video, took


def rung_files(video, rung):
    folder = Path(settings.MEDIA_ROOT) / video.output_folder / rung
    return sorted(folder.glob("segment-*.ts"))


def describe_ladder(video):
    parts = []
    for rung in video.renditions:
        sizes = [path.stat().st_size for path in rung_files(video, rung["name"])]
        kbits = sum(sizes) * 8 / 1000 / (video.duration or 1)
        parts.append(
            f"{rung['name']} {len(sizes)} x {statistics.mean(sizes) / 1e3:.0f} KB "
            f"(first {sizes[0] / 1e3:.0f} KB), {kbits:.0f} kbit/s"
        )
    return "; ".join(parts)


def build_site(master, faststart):
    """Pages, videos, passes and the owner's session; returns what the runs need."""
    from django.contrib.auth import get_user_model

    from gallery.tasks import make_page_renditions
    from showreels.models import AccessPass
    from tests.factories import (
        FilmSheetPageFactory,
        ImageFactory,
        ShowreelPageFactory,
        make_private,
        processed_video,
        video_block,
    )
    from tests.factories import build_site as build_tree

    tree = build_tree()
    owner = get_user_model().objects.create_superuser("owner", "owner@example.com", None)
    reels = []
    for seconds in SEGMENTS:
        video, took = processed(f"Master, {seconds}-s segments", master, seconds)
        page = ShowreelPageFactory(
            parent=tree["home"], title=f"Showreel {seconds}", slug=f"showreel-{seconds}s"
        )
        page.body = [video_block(video)]
        page.save_revision().publish()
        make_private(page)
        make_page_renditions.call(page.pk)
        _access_pass, password = AccessPass.issue(label=f"Producer {seconds}", page=page)
        reels.append(Reel(seconds, video, page.url, password, took))
        print(
            f"processed with {seconds}-s segments in {took:.1f} s: {describe_ladder(video)}",
            flush=True,
        )
    # Only the owner plays this one, from /media/: it is not processed.
    faststart_video = library_video("Master, index first", faststart)

    # A small public video on a film sheet, for the public /media/ segment.
    clip = processed_video(title="Public clip", seconds=4, segment_seconds=4, name="public")
    sheet = FilmSheetPageFactory(
        parent=tree["films"], key_image=ImageFactory(), body=[video_block(clip)]
    )
    sheet.save_revision().publish()

    client = Client()
    client.force_login(owner)
    owner_session = client.cookies[settings.SESSION_COOKIE_NAME].value
    public_segment = rung_files(clip, clip.renditions[0]["name"])[0]
    return {
        "reels": reels,
        "masters": {
            "master as exported": reels[0].video.file.url,
            "master, index first": faststart_video.file.url,
        },
        "owner_session": owner_session,
        "public_segment": public_segment,
    }


# The server ---------------------------------------------------------------------------


# In the browser -------------------------------------------------------------------------


class Meter:
    """What one page fetched: its requests in order, with the body bytes each received
    (Network.dataReceived, which also counts requests cancelled part way)."""

    def __init__(self, cdp):
        self.cdp = cdp
        self.urls = {}
        self.received = defaultdict(int)
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.dataReceived", self._data)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})

    def _sent(self, event):
        self.urls[event["requestId"]] = event["request"]["url"]

    def _data(self, event):
        self.received[event["requestId"]] += event["dataLength"]

    def mark(self):
        return len(self.urls)

    def fetched(self, wanted="", since=0):
        """(url, bytes) of the requests whose URL contains `wanted`, from mark `since` on."""
        ids = list(self.urls)[since:]
        return [(self.urls[i], self.received[i]) for i in ids if wanted in self.urls[i]]


def patch_player(route):
    response = route.fetch()
    route.fulfill(
        response=response, body=response.text().replace(PLAYER_ANCHOR, PLAYER_ANCHOR + WHAT_IF)
    )


def open_showreel(browser, base_url, reel, what_if=False):
    """A fresh context unlocked with the reel's pass, its player ready and the page idle."""
    context = browser.new_context(base_url=base_url, viewport=VIEWPORT)
    if what_if:
        context.route(PLAYER_URL, patch_player)
    page = context.new_page()
    meter = Meter(context.new_cdp_session(page))
    page.goto(reel.path)  # the pass form (403)
    page.locator("input[name=password]").fill(reel.password)
    page.get_by_role("button", name="Watch").click()
    # The player loads hls.js and the playlist when a visitor reaches for it.
    page.locator(".player[data-player]").hover()
    page.locator(".player[data-state=ready]").wait_for()
    page.wait_for_load_state("networkidle")
    # No interception left while measuring.
    context.unroute_all()
    return context, page, meter


def open_master(browser, base_url, owner_session, master_url):
    """A fresh context of the logged-in owner, a page on the site holding only the master."""
    context = browser.new_context(base_url=base_url, viewport=VIEWPORT)
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": owner_session, "url": base_url}]
    )
    page = context.new_page()
    meter = Meter(context.new_cdp_session(page))
    page.goto("/")
    page.wait_for_load_state("networkidle")
    page.evaluate(MASTER_PAGE_JS, master_url)
    return context, page, meter


def first_frame(opened):
    """Slow the link, play; the milliseconds to the first frame and what was fetched."""
    context, page, meter = opened
    try:
        meter.cdp.send("Network.emulateNetworkConditions", LINK)
        mark = meter.mark()
        result = page.evaluate(PLAY_JS, FRAME_TIMEOUT_MS)
        result["fetched"] = meter.fetched(since=mark)
        return result
    finally:
        context.close()


def watched(opened, wanted, start, until):
    """Play from `start` until the playhead reaches `until`; every request of the stream."""
    context, page, meter = opened
    try:
        page.evaluate(WATCH_JS, start)
        page.wait_for_function(
            "(until) => document.querySelector('video').currentTime >= until",
            arg=until,
            timeout=120_000,
            polling=100,
        )
        page.evaluate("document.querySelector('video').pause()")
        return meter.fetched(wanted)
    finally:
        context.close()


def seconds_text(ms):
    return "no frame" if ms is None else f"{ms / 1000:.2f} s"


def frame_runs(label, open_page):
    """RUNS fresh contexts; prints each run; returns the median seconds to the first frame
    and to `playing` (None: not within FRAME_TIMEOUT_MS)."""
    frames, playing = [], []
    for run in range(1, RUNS + 1):
        result = first_frame(open_page())
        frames.append(result["frame"])
        fetched = result["fetched"]
        total = sum(size for _url, size in fetched)
        playing.append(result["playing"])
        print(
            f"  {label}, run {run}: first frame {seconds_text(result['frame'])}, "
            f"playing {seconds_text(result['playing'])}"
            + (f", play() failed: {result['error']}" if result["error"] else "")
            + f"; {len(fetched)} requests, {total / 1e6:.2f} MB fetched after play()",
            flush=True,
        )
        steps = [
            f"{STREAM_TAIL.sub('', r['url'])} {r['bytes'] / 1e3:.0f} KB "
            f"{r['start'] / 1000:.2f}-{r['end'] / 1000:.2f} s"
            for r in result["resources"]
            if "/private/stream/" in r["url"]
        ]
        if steps:
            print("      " + ", ".join(steps))

    def median(values):
        return None if None in values else statistics.median(values) / 1000

    return median(frames), median(playing)


def describe_fetched(fetched):
    """Total bytes, and for HLS how many segments of which rung."""
    total = sum(size for _url, size in fetched)
    found = [
        (m[1], int(m[2]))
        for url, _size in fetched
        if (m := re.search(r"/([0-9]{3,4}p)/segment-([0-9]+)\.ts", url))
    ]
    other = sum(size for url, size in fetched if not url.endswith(".ts"))
    if found:
        rungs = ", ".join(
            f"{n} x {rung}" for rung, n in sorted(Counter(r for r, _ in found).items())
        )
        indexes = sorted(index for _rung, index in found)
        detail = (
            f"segments {rungs}, #{indexes[0]}-#{indexes[-1]}; "
            f"playlists, sprite, thumbnails {other / 1e3:.0f} KB"
        )
    else:
        detail = f"{len(fetched)} range requests"
    return total, f"{total / 1e6:6.2f} MB  ({detail})"


# Load on the server ---------------------------------------------------------------------


# The run ---------------------------------------------------------------------------------


def main():
    print(f"workdir: {WORKDIR}  cores: {os.cpu_count()}  load: {os.getloadavg()[0]:.1f}")
    started_at = time.perf_counter()
    # Processed below, with the segment length asked for, not when saved.
    post_save.disconnect(queue_video_processing, sender=Video)

    if os.environ.get("BENCH_MASTER"):
        master = Path(os.environ["BENCH_MASTER"])
        print(f"master: {master}, {master.stat().st_size / 1e6:.1f} MB")
    else:
        master = WORKDIR / "master.mp4"
        started = time.perf_counter()
        make_master(master)
        print(
            f"master: {SECONDS} s {SIZE} {RATE} fps H.264 ~{MASTER_KBITS // 1000} Mbit/s + AAC, "
            f"testsrc2 under moving grain, {master.stat().st_size / 1e6:.1f} MB, made in "
            f"{time.perf_counter() - started:.1f} s",
            flush=True,
        )
    faststart = WORKDIR / "master-index-first.mp4"
    ffmpeg("-i", str(master), "-map", "0", "-c", "copy", "-movflags", "+faststart", str(faststart))
    print(
        f"master's index: {'first' if index_first(master) else 'at the end'} "
        f"(a copy with it first: {'first' if index_first(faststart) else 'at the end'})"
    )

    site = build_site(master, faststart)
    reels = site["reels"]
    connections.close_all()
    port = free_port()
    server, base_url = start_server(WORKDIR, port)
    setup = time.perf_counter() - started_at
    print(f"gunicorn: 2 sync workers on {base_url} (setup took {setup:.0f} s)")
    link = (
        f"{LINK['downloadThroughput'] * 8 / 1e6:.1f} Mbit/s down, "
        f"{LINK['uploadThroughput'] * 8 / 1e3:.0f} kbit/s up, {LINK['latency']} ms"
    )
    frames, watching, load = {}, {}, {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
            print(f"\n1. play() to first frame on a slow link ({link}), {RUNS} fresh contexts")
            player = PLAYER_JS.read_text()
            what_ifs = [False] + (
                [True] if PLAYER_ANCHOR in player and WHAT_IF not in player else []
            )
            for what_if in what_ifs:
                for reel in reels:
                    label = f"HLS, {reel.segment_seconds}-s segments" + (
                        ", testBandwidth: false (what if)" if what_if else ""
                    )
                    frames[label] = frame_runs(
                        label,
                        lambda reel=reel, what_if=what_if: open_showreel(
                            browser, base_url, reel, what_if
                        ),
                    )
            for label, url in site["masters"].items():
                frames[label] = frame_runs(
                    label,
                    lambda url=url: open_master(browser, base_url, site["owner_session"], url),
                )

            print("\n2. bytes downloaded (no throttling; fresh context each)")
            reel = reels[0]
            duration = reel.video.duration
            seek = round(duration * SEEK_SHARE, 1)
            cases = {
                f"first {WATCH} s": (0, WATCH),
                f"jump to {SEEK_SHARE:.0%}, {SEEK_WATCH} s": (
                    seek,
                    min(seek + SEEK_WATCH, duration - 0.5),
                ),
            }
            master_url = site["masters"]["master as exported"]
            for case, (start, until) in cases.items():
                for label, opened, wanted in (
                    (
                        f"HLS {reel.segment_seconds}-s",
                        lambda: open_showreel(browser, base_url, reel),
                        "/private/stream/",
                    ),
                    (
                        "master",
                        lambda: open_master(browser, base_url, site["owner_session"], master_url),
                        master_url,
                    ),
                ):
                    total, text = describe_fetched(watched(opened(), wanted, start, until))
                    watching[(case, label)] = total
                    print(f"  {case:<18} {label:<10} {text}", flush=True)

            # The unlocked session and the token URL of its player, for the load test.
            context, page, _meter = open_showreel(browser, base_url, reel)
            cookie = "; ".join(f"{c['name']}={c['value']}" for c in context.cookies())
            stream_base = page.locator(".player").get_attribute("data-hls")
            context.close()
            browser.close()

        stream_base = stream_base.removesuffix("master.m3u8")
        rung = reel.video.renditions[0]["name"]
        segments = rung_files(reel.video, rung)
        smallest = min(segments, key=lambda path: path.stat().st_size)
        manifest = json.loads((Path(settings.STATIC_ROOT) / "staticfiles.json").read_text())
        css = "/static/" + manifest["paths"]["css/site.css"]
        public = site["public_segment"]
        media_root = Path(settings.MEDIA_ROOT)
        mean_size = statistics.mean(path.stat().st_size for path in segments)
        targets = [
            (
                f"private segment view, one {rung} segment",
                [f"{stream_base}{rung}/{smallest.name}"],
                smallest.stat().st_size,
                {"Cookie": cookie},
            ),
            (
                f"private segment view, {len(segments)} {rung} segments in turn",
                [f"{stream_base}{rung}/{path.name}" for path in segments],
                mean_size,
                {"Cookie": cookie},
            ),
            (
                "public segment, /media/ view",
                ["/media/" + public.relative_to(media_root).as_posix()],
                public.stat().st_size,
                {},
            ),
            (
                "static file, WhiteNoise (site.css)",
                [css],
                (Path(settings.STATIC_ROOT) / manifest["paths"]["css/site.css"]).stat().st_size,
                {},
            ),
        ]
        print(
            f"\n3. requests per second: {CONNECTIONS} connections for {HAMMER_SECONDS:.0f} s "
            "each, gunicorn 2 sync workers, the client on the same 2 cores"
        )
        for label, paths, size, headers in targets:
            rps, median_ms, statuses, errors = hammer(port, paths, headers)
            load[label] = (rps, median_ms, size)
            print(
                f"  {label:<46} {rps:7.0f} req/s  median {median_ms:6.1f} ms  "
                f"{size / 1e3:6.0f} KB  statuses {statuses}"
                + (f"  errors {errors}" if errors else ""),
                flush=True,
            )
    finally:
        stop_server(server)

    summary(frames, watching, load, reels)
    print(
        f"\nwhole run: {time.perf_counter() - started_at:.0f} s, load average at the end: "
        f"{os.getloadavg()[0]:.1f} (other work on the machine shows in every figure)"
    )
    if KEEP:
        print(f"kept: {WORKDIR} (gunicorn.log there)")
    else:
        shutil.rmtree(WORKDIR, ignore_errors=True)


def summary(frames, watching, load, reels):
    def shown(value):
        return "-" if value is None else f"{value:.2f} s"

    masters = {label: times for label, times in frames.items() if label.startswith("master")}
    print("\nSummary")
    print(
        f"  {'play() on the slow link, median':<50} {'1st frame':>9} {'playing':>8}  "
        f"{'< ' + format(GOAL_SECONDS, '.0f') + ' s':<7}"
        + "".join(f"  {'vs ' + label:>22}" for label in masters)
    )
    for label, (frame, playing) in frames.items():
        cells = ""
        if label.startswith("HLS"):
            met = frame is not None and frame < GOAL_SECONDS
            cells = f"{'met' if met else 'MISSED':<7}"
            for master_frame, _playing in masters.values():
                ratio = master_frame / frame if frame and master_frame else None
                verdict = "met" if ratio and ratio >= GOAL_RATIO else "MISSED"
                text = "-" if ratio is None else f"{ratio:5.1f} x {verdict:<6}"
                cells += f"  {text:>22}"
        print(f"  {label:<50} {shown(frame):>9} {shown(playing):>8}  {cells}")
    print(f"  (ratio goal: HLS's first frame at least {GOAL_RATIO:.0f} x sooner than the master's)")
    print(f"\n  {'bytes downloaded (no throttling)':<50} {'HLS':>9} {'master':>8}")
    for case in dict.fromkeys(case for case, _label in watching):
        hls = next(v for (c, label), v in watching.items() if c == case and label != "master")
        master = watching[(case, "master")]
        print(
            f"  {case:<50} {hls / 1e6:>6.1f} MB {master / 1e6:>5.1f} MB  "
            f"(master {master / max(hls, 1):.1f} x)"
        )
    print(f"\n  {'requests per second':<50} {'req/s':>9} {'median':>8}  size")
    for label, (rps, median_ms, size) in load.items():
        print(f"  {label:<50} {rps:>9.0f} {median_ms:>5.1f} ms  {size / 1e3:.0f} KB")
    processing = ", ".join(
        f"{reel.segment_seconds}-s segments {reel.processing_seconds:.0f} s" for reel in reels
    )
    print(f"\n  processing the master: {processing}")


if __name__ == "__main__":
    main()
