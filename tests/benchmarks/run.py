"""Benchmarks: SQL queries and time per page, by gallery size; media and unlocking.

Run with `make bench` (or `.venv/bin/python tests/benchmarks/run.py`). Builds a throwaway
database (SQLite in a temporary folder, or BENCH_DATABASE_URL) and prints one table.
These are measurements, not tests: nothing here passes or fails.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.benchmarks.environment import prepare

WORKDIR = prepare("bts-bench-")

from django.core.files.base import ContentFile  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402


class QueryCounter:
    """Counts every SQL statement run through the default connection, across reconnects."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


# Photos large enough for every width a gallery tile has (720 and 960 px) and the viewer's
# own size, so the sheets name as many renditions as the owner's camera photos make.
PHOTO_SIZE = tuple(int(n) for n in os.environ.get("BENCH_PHOTO_SIZE", "1000x750").split("x"))
GALLERY_SIZES = [int(n) for n in os.environ.get("BENCH_GALLERY_SIZES", "5,30,60,120").split(",")]
REPEAT = int(os.environ.get("BENCH_REPEAT", "15"))


def measure(client, url, **headers):
    """(status, queries, median ms, p90 ms, bytes) of GETting a URL REPEAT times."""
    client.get(url, **headers)  # warm: templates, connections
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        response = client.get(url, **headers)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        r = client.get(url, **headers)
        if r.streaming:
            b"".join(r.streaming_content)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p90 = times[int(len(times) * 0.9) - 1]
    return response.status_code, counter.count, statistics.median(times), p90, len(body)


PAIRED_ROUNDS = int(os.environ.get("BENCH_PAIRED_ROUNDS", "80"))


def paired_ratio(client, small_url, large_url):
    """(median of the rounds' large ÷ small times, median small ms, median large ms).

    Each round renders both pages back to back, in alternating order, so a slow spell of a
    shared machine (a virtual one's neighbours) weighs on both sides of each ratio."""
    small, large, ratios = [], [], []
    for round_ in range(PAIRED_ROUNDS):
        times = {}
        for url in (small_url, large_url) if round_ % 2 else (large_url, small_url):
            start = time.perf_counter()
            response = client.get(url)
            times[url] = time.perf_counter() - start
            assert response.status_code == 200, url
        small.append(times[small_url] * 1000)
        large.append(times[large_url] * 1000)
        ratios.append(times[large_url] / times[small_url])
    return statistics.median(ratios), statistics.median(small), statistics.median(large)


def main():
    print(
        f"database: {connection.vendor}  workdir: {WORKDIR}  repeat: {REPEAT}  "
        f"photos: {PHOTO_SIZE[0]}x{PHOTO_SIZE[1]}"
    )
    from gallery.tasks import make_page_renditions
    from showreels.models import AccessPass
    from tests.factories import (
        FilmSheetPageFactory,
        ImageFactory,
        ShowreelPageFactory,
        VideoFactory,
        build_site,
        gallery_block,
        image_bytes,
        make_private,
        video_block,
    )

    def photo(n):
        bytes_ = image_bytes(*PHOTO_SIZE, color=(n % 255, 60, 90))
        return ImageFactory(file=ContentFile(bytes_, name=f"photo-{n}.jpg"))

    tree = build_site()
    rows = []
    sheets = {}
    for size in GALLERY_SIZES:
        images = [photo(n) for n in range(size)]
        sheet = FilmSheetPageFactory(
            parent=tree["films"], key_image=images[0], body=[gallery_block(images)]
        )
        start = time.perf_counter()
        make_page_renditions.call(sheet.pk)
        publish_ms = (time.perf_counter() - start) * 1000
        sheets[size] = (sheet, publish_ms)

    showreel = ShowreelPageFactory(parent=tree["home"])
    video = VideoFactory()
    showreel.body = [video_block(video), gallery_block(ImageFactory.create_batch(10))]
    showreel.save_revision().publish()
    make_private(showreel)
    make_page_renditions.call(showreel.pk)
    access_pass, password = AccessPass.issue(label="Bench", page=showreel)

    client = Client()
    for size, (sheet, publish_ms) in sheets.items():
        rows.append((f"film sheet, {size} photos", *measure(client, sheet.url)))
        rows.append((f"  (renditions made at publish: {publish_ms:.0f} ms)",))
    rows.append(("home", *measure(client, tree["home"].url)))
    rows.append(("film index", *measure(client, tree["films"].url)))
    rows.append(
        (
            "film index ?role=bts-video-unit",
            *measure(client, tree["films"].url + "?role=bts-video-unit"),
        )
    )
    rows.append(("search ?q=Film", *measure(client, "/search/?q=Film")))
    rows.append(("sitemap.xml", *measure(client, "/sitemap.xml")))

    sheet = sheets[GALLERY_SIZES[0]][0]
    rendition = sheet.key_image.renditions.filter(filter_spec__contains="format-avif").first()
    rows.append(("public rendition (avif)", *measure(client, rendition.url)))
    rows.append(("private showreel, locked (form)", *measure(client, showreel.url)))

    start = time.perf_counter()
    response = client.post(f"/private/unlock/{showreel.pk}/", {"password": password})
    unlock_ms = (time.perf_counter() - start) * 1000
    rows.append(("unlock with a pass", response.status_code, "", unlock_ms, "", ""))
    rows.append(("private showreel, unlocked", *measure(client, showreel.url)))
    # (The private video's stream is measured by tests/benchmarks/video.py.)

    print(f"\n{'what':44} {'status':>6} {'queries':>7} {'median ms':>9} {'p90 ms':>7} {'bytes':>8}")
    for row in rows:
        if len(row) == 1:
            print(row[0])
            continue
        name, status, queries, median, p90, size = row
        cells = [
            format(value, spec) if value != "" else format("", f">{width}")
            for value, spec, width in (
                (queries, ">7", 7),
                (median, ">9.1f", 9),
                (p90, ">7.1f", 7),
                (size, ">8", 8),
            )
        ]
        print(f"{name:44} {status:>6} " + " ".join(cells))

    sheet_rows = [row for row in rows if row[0].startswith("film sheet,")]
    by_size = dict(zip(GALLERY_SIZES, sheet_rows, strict=True))
    smallest, largest = GALLERY_SIZES[0], GALLERY_SIZES[-1]
    if 60 in by_size and 5 in by_size:
        smallest, largest = 5, 60
    ratio, small_ms, large_ms = paired_ratio(
        client, sheets[smallest][0].url, sheets[largest][0].url
    )
    print(
        f"\nrender time, {largest} photos / {smallest} photos (same process, no page cache, "
        f"median of {PAIRED_ROUNDS} paired rounds: {large_ms:.1f} ms / {small_ms:.1f} ms): "
        f"{ratio:.2f}  (goal: at most 1.5)"
    )
    queries = sorted({row[2] for row in sheet_rows})
    print(f"queries of an uncached film sheet, {GALLERY_SIZES} photos: {queries}  (goal: <= 12)")
    print(f"HTML of the {largest}-photo sheet: {by_size[largest][5]} bytes  (goal: < 60 KB)")


if __name__ == "__main__":
    main()
