"""Benchmark: the whole stack on loopback (Procfile.stack): Varnish in front of two gunicorn
app servers and the background worker, on PostgreSQL and Redis.

Run with `make bench-stack` (or `.venv/bin/python tests/benchmarks/stack.py`). Builds a
throwaway PostgreSQL database (dropped at the end) with a film sheet of 60 photos and a
private showreel with an access pass, starts the stack's processes, then prints:

1. an anonymous page through Varnish against the site's static CSS file through Varnish
   (requests per second, BENCH_CONNECTIONS clients for BENCH_HAMMER_SECONDS each; goal:
   a ratio of at least 0.9);
2. the 60-photo sheet's images: requests that reached the app servers (their access logs)
   the first time they were asked and the second time (goal: 0);
3. STACK_SECONDS (60) of mixed load from STACK_CONNECTIONS (32) clients: home, the film
   sheet, the locked showreel and unlocking it with the pass (form, then POST), with
   errors (no answer, or 5xx), p50 and p99 latency, and how the app servers shared it.

BENCH_STACK_DATABASE_URL (a PostgreSQL server; default postgres://postgres@127.0.0.1:5432)
and BENCH_STACK_REDIS_URL (default redis://127.0.0.1:6379/3, emptied first) say where.
A measurement, not a test.
"""

import html
import os
import re
import secrets
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import psycopg
import redis

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

SERVER_URL = os.environ.get("BENCH_STACK_DATABASE_URL", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_STACK_REDIS_URL", "redis://127.0.0.1:6379/3")
DATABASE = f"bts_bench_stack_{secrets.token_hex(4)}"
ADMIN_URL = urlsplit(SERVER_URL)._replace(path="/postgres").geturl()
DATABASE_URL = urlsplit(SERVER_URL)._replace(path=f"/{DATABASE}").geturl()

with psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=5) as _connection:
    _connection.execute(f'CREATE DATABASE "{DATABASE}"')
os.environ["BENCH_DATABASE_URL"] = DATABASE_URL

from tests.benchmarks.environment import prepare  # noqa: E402

WORKDIR = prepare("bts-bench-stack-")

from django.db import connections  # noqa: E402
from wagtail.models import Site  # noqa: E402

from gallery.tasks import make_page_renditions  # noqa: E402
from home.models import PortfolioSettings  # noqa: E402
from showreels.models import AccessPass  # noqa: E402
from tests.benchmarks.serving import (  # noqa: E402
    CONNECTIONS,
    HAMMER_SECONDS,
    PROJECT_DIR,
    VENV_BIN,
    StackProcesses,
    free_port,
    hammer,
    run_load,
    stack_env,
)
from tests.factories import (  # noqa: E402
    FilmSheetPageFactory,
    ImageFactory,
    ShowreelPageFactory,
    build_site,
    gallery_block,
)

PHOTOS = int(os.environ.get("BENCH_PHOTOS", "60"))
LOAD_SECONDS = float(os.environ.get("STACK_SECONDS", "60"))
LOAD_CONNECTIONS = int(os.environ.get("STACK_CONNECTIONS", "32"))
STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)"')
MEDIA_URL = re.compile(r'/media/[^"\s,]+')
GZIP = {"Accept-Encoding": "gzip"}


def build(port):
    tree = build_site()
    images = ImageFactory.create_batch(PHOTOS)
    sheet = FilmSheetPageFactory(
        parent=tree["films"], key_image=images[0], body=[gallery_block(images)]
    )
    sheet.save_revision().publish()
    make_page_renditions.call(sheet.pk)
    make_page_renditions.call(tree["home"].pk)
    reel = ShowreelPageFactory(parent=tree["home"], title="Producers' reel")
    reel.save_revision().publish()
    _, password = AccessPass.issue(label="Benchmark producer", page=reel)
    site = Site.objects.get(is_default_site=True)
    PortfolioSettings.objects.get_or_create(site=site)
    site.hostname, site.port = "127.0.0.1", port
    site.save()
    return {"home": tree["home"].url, "sheet": sheet.url, "reel": reel.url, "reel_id": reel.pk,
            "password": password}  # fmt: skip


def get(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return response.status, response.headers, response.read()


def scenarios(site, port):
    origin = f"http://127.0.0.1:{port}"

    def home(client):
        client.request("GET", site["home"], "home", headers=GZIP)

    def sheet(client):
        client.request("GET", site["sheet"], f"film sheet ({PHOTOS} photos)", headers=GZIP)

    def locked(client):
        client.request("GET", site["reel"], "locked showreel (pass form)", headers=GZIP)

    def unlock(client):
        status, headers, body = client.request("GET", site["reel"], "unlock: form")
        if status != 403:
            return
        cookie = headers["Set-Cookie"].split(";", 1)[0]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body.decode())[1]
        client.request(
            "POST",
            f"/private/unlock/{site['reel_id']}/",
            "unlock: POST (302 expected)",
            body=urlencode(
                {"csrfmiddlewaretoken": html.unescape(token), "password": site["password"]}
            ),  # fmt: skip
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": cookie,
                "Origin": origin,
                "Referer": origin + site["reel"],
            },
        )

    return [home, sheet, locked, unlock]


def main():
    redis.Redis.from_url(REDIS_URL).flushdb()
    port, web_ports = free_port(), (free_port(), free_port())
    site = build(port)
    connections.close_all()
    env = stack_env(WORKDIR, port, web_ports, REDIS_URL=REDIS_URL)
    subprocess.run(
        [str(VENV_BIN / "python"), "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=PROJECT_DIR,
        env=env,
        check=True,
    )
    stack = StackProcesses(WORKDIR, env)
    try:
        for name in ("web1", "web2", "worker", "varnish"):
            stack.start(name)
        stack.wait_until_serving(port)
        report(site, port, stack)
    finally:
        stack.stop_all()
        with psycopg.connect(ADMIN_URL, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


def report(site, port, stack):
    base = f"http://127.0.0.1:{port}"
    _, _, body = get(base + site["sheet"])
    stylesheet = STYLESHEET.search(body.decode()).group(1)
    for path in (site["sheet"], stylesheet):  # kept by Varnish before measuring
        get(base + path, GZIP)
    page_rps, page_ms, page_statuses, page_errors = hammer(port, [site["sheet"]], GZIP)
    css_rps, css_ms, css_statuses, css_errors = hammer(port, [stylesheet], GZIP)
    print(f"workdir: {WORKDIR}\nVarnish on {base}, app servers on {stack.env['VARNISH_BACKENDS']}")
    print(f"\n1. Through Varnish, {CONNECTIONS} clients for {HAMMER_SECONDS:.0f} s each")
    print(f"   film sheet ({PHOTOS} photos)  {page_rps:7.0f} req/s  median {page_ms:5.1f} ms"
          f"  {page_statuses}{f', {page_errors} errors' if page_errors else ''}")  # fmt: skip
    print(f"   static CSS file         {css_rps:7.0f} req/s  median {css_ms:5.1f} ms"
          f"  {css_statuses}{f', {css_errors} errors' if css_errors else ''}")  # fmt: skip
    print(f"   page / static file: {page_rps / css_rps:.2f}  (goal: at least 0.9)")

    images = sorted(set(MEDIA_URL.findall(get(base + site["sheet"])[2].decode())))
    passes = []
    for _ in range(2):
        before = sum(len(lines) for lines in stack.access_log_lines())
        hits = sum(get(base + image)[1].get("X-Cache") == "hit" for image in images)
        time.sleep(0.5)  # access log lines are written just after each response
        after = sum(len(lines) for lines in stack.access_log_lines())
        passes.append((after - before, hits))
    print(f"\n2. The sheet's {len(images)} image files (every size of {PHOTOS} photos)")
    print(f"   first time: {passes[0][0]} requests reached the app servers")
    print(f"   second time: {passes[1][0]} reached them, {passes[1][1]} answered by Varnish"
          "  (goal: 0)")  # fmt: skip

    before = [len(lines) for lines in stack.access_log_lines()]
    result = run_load(port, scenarios(site, port), LOAD_SECONDS, LOAD_CONNECTIONS)
    time.sleep(0.5)
    served = [len(lines) - b for lines, b in zip(stack.access_log_lines(), before, strict=True)]
    total = result.summary()
    print(f"\n3. Mixed load: {LOAD_CONNECTIONS} connections for {result.elapsed:.0f} s "
          "(home, film sheet, locked showreel, unlock form and POST)")  # fmt: skip
    print(
        f"   {total['requests']} requests, {total['per_second']:.0f} req/s, "
        f"errors: {total['errors']}, p50 {total['p50_ms']:.1f} ms, "
        f"p99 {total['p99_ms']:.1f} ms, max {total['max_ms']:.0f} ms"
    )
    for label, summary in result.by_label().items():
        print(f"   {label:34} {summary['requests']:6} p50 {summary['p50_ms']:6.1f} ms  "
              f"p99 {summary['p99_ms']:7.1f} ms  {summary['statuses']}")  # fmt: skip
    print(
        f"   reached the app servers: web1 {served[0]}, web2 {served[1]} "
        "(the rest answered by Varnish)"
    )


if __name__ == "__main__":
    main()
