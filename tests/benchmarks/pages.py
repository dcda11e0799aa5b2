"""Benchmark: pages served to anonymous visitors through a real server, from the page cache
and rendered, against the site's own static CSS file through the same server.

Run with `.venv/bin/python tests/benchmarks/pages.py` (part of `make bench`). Builds a
throwaway database (SQLite, or BENCH_DATABASE_URL) with a film sheet of 60 photos, serves
it with gunicorn (2 sync workers, production settings, page cache on) on a loopback port,
and GETs each URL from BENCH_CONNECTIONS clients for BENCH_HAMMER_SECONDS. BENCH_REDIS_URL
puts the caches (and the page cache) in Redis instead of files. A measurement, not a test.
"""

import os
import re
import sys
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.benchmarks.environment import prepare

WORKDIR = prepare("bts-bench-pages-")

from django.db import connection  # noqa: E402
from wagtail.models import Site  # noqa: E402

from gallery.tasks import make_page_renditions  # noqa: E402
from home.models import PortfolioSettings  # noqa: E402
from tests.benchmarks.serving import (  # noqa: E402
    CONNECTIONS,
    HAMMER_SECONDS,
    free_port,
    hammer,
    start_server,
    stop_server,
)
from tests.factories import (  # noqa: E402
    FilmSheetPageFactory,
    ImageFactory,
    build_site,
    gallery_block,
)

PHOTOS = int(os.environ.get("BENCH_PHOTOS", "60"))
STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)"')


def main():
    tree = build_site()
    images = ImageFactory.create_batch(PHOTOS)
    sheet = FilmSheetPageFactory(
        parent=tree["films"], key_image=images[0], body=[gallery_block(images)]
    )
    sheet.save_revision().publish()
    make_page_renditions.call(sheet.pk)
    make_page_renditions.call(tree["home"].pk)
    site = Site.objects.get(is_default_site=True)
    PortfolioSettings.objects.get_or_create(site=site)
    site.hostname, site.port = "127.0.0.1", 80
    site.save()

    extra = {"PAGE_CACHE_SECONDS": "600"}
    if os.environ.get("BENCH_REDIS_URL"):
        extra["REDIS_URL"] = os.environ["BENCH_REDIS_URL"]
    port = free_port()
    server, base_url = start_server(WORKDIR, port, **extra)
    try:
        with urllib.request.urlopen(base_url + sheet.url) as response:  # noqa: S310
            html = response.read().decode()
            cache_state = response.headers.get("X-Page-Cache")
        stylesheet = STYLESHEET.search(html).group(1)
        rows = []
        for label, paths, headers in [
            ("static CSS file (WhiteNoise)", [stylesheet], {}),
            (f"film sheet, {PHOTOS} photos, from the page cache", [sheet.url], {}),
            ("home, from the page cache", [tree["home"].url], {}),
            # A session cookie keeps a request out of the page cache: the page renders.
            (
                f"film sheet, {PHOTOS} photos, rendered",
                [sheet.url],
                {"Cookie": "sessionid=benchmark-no-such-session"},
            ),
        ]:
            rps, median_ms, statuses, errors = hammer(port, paths, headers)
            rows.append((label, rps, median_ms, statuses, errors))
    finally:
        stop_server(server)

    backend = "Redis" if "REDIS_URL" in extra else "files"
    print(
        f"database: {connection.vendor}  caches: {backend}  workdir: {WORKDIR}\n"
        f"gunicorn 2 sync workers, {CONNECTIONS} clients for {HAMMER_SECONDS:.0f} s each "
        f"(the clients share the machine's 2 cores); first GET of the sheet: {cache_state}\n"
    )
    print(f"{'what':48} {'req/s':>7} {'median':>9}  statuses")
    for label, rps, median_ms, statuses, errors in rows:
        extra_text = f", {errors} errors" if errors else ""
        print(f"{label:48} {rps:7.0f} {median_ms:7.1f} ms  {statuses}{extra_text}")
    static = rows[0][1]
    cached = rows[1][1]
    print(
        f"\ncached {PHOTOS}-photo sheet req/s / static CSS req/s: {cached / static:.2f}"
        "  (goal: at least 0.5)"
    )


if __name__ == "__main__":
    main()
