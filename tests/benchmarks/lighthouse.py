"""Lighthouse (mobile) scores of the five pages the site is judged by, with the reports saved.

Run with `make lighthouse` (or `.venv/bin/python tests/benchmarks/lighthouse.py`). Installs
lighthouse (LIGHTHOUSE_VERSION) with npm into .cache/lighthouse when it is missing, builds
a throwaway site with the demo content and a film sheet of 60 photos (renditions made as
they are published, as the worker would), serves it with gunicorn and production settings
(DEBUG off, page cache on, hashed and compressed static files from WhiteNoise), and runs
Lighthouse with its defaults (mobile, simulated throttling) in Debian's Chromium
(CHROME_PATH, `--headless=new --no-sandbox --disable-gpu`) on five pages: home, about, the
film index, the 60-photo sheet and the demo showreel unlocked with its access pass.

The showreel is unlocked in Chromium itself, through the pass form (a real POST), and its
session cookie goes to Lighthouse with `--extra-headers` for that run only. Lighthouse then
runs in that same Chromium (`--port`): the header alone is not enough, as the page's own
Set-Cookie (the CSRF cookie of its "more time" form) makes Chromium send its cookie jar
instead of the header for everything after the page itself
(https://github.com/GoogleChrome/lighthouse/issues/6207), and the showreel's photos and
video would then be measured as the 404s a visitor without a pass gets.

Each page runs LIGHTHOUSE_RUNS times (3 by default; LIGHTHOUSE_PAGES picks some pages by
report name); the run with the median Performance score is reported and saved as
reports/lighthouse/<page>.report.html and .json, every run under reports/lighthouse/runs/
(the folder is git-ignored). A run that Lighthouse itself could not finish (a runtime error
such as NO_NAVSTART) is run again, up to 3 times.
Performance depends on how busy the machine is (the simulated throttling multiplies the
main thread's measured times, and on a machine shared with other work those include the
time the renderer waited for a core): each run first waits, up to LIGHTHOUSE_QUIET_WAIT
seconds (120), for the 1-minute load average to come down to LIGHTHOUSE_QUIET_LOAD (the
number of cores), and the table gives each run's score with the load average it started at
and Lighthouse's own CPU benchmark. A measurement, not a test.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from io import StringIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.benchmarks.environment import prepare

WORKDIR = prepare("bts-lighthouse-")

from django.core.management import call_command  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from tests.benchmarks.serving import PROJECT_DIR, free_port, start_server, stop_server  # noqa: E402
from tests.browser.big_gallery import append_gallery  # noqa: E402
from tests.browser.helpers import (  # noqa: E402
    ABOUT_PATH,
    BIG_GALLERY_FILM,
    BIG_GALLERY_PATH,
    BIG_GALLERY_PHOTOS,
    BIG_GALLERY_TITLE,
    FILM_INDEX_PATH,
    SHOWREEL_PATH,
    SHOWREEL_TITLE,
)

LIGHTHOUSE_VERSION = os.environ.get("LIGHTHOUSE_VERSION", "12.2.3")
LIGHTHOUSE_DIR = PROJECT_DIR / ".cache" / "lighthouse"
LIGHTHOUSE_CLI = LIGHTHOUSE_DIR / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROME_PATH = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu"]
REPORTS_DIR = PROJECT_DIR / "reports" / "lighthouse"
RUNS = max(1, int(os.environ.get("LIGHTHOUSE_RUNS", "3")))
QUIET_LOAD = float(os.environ.get("LIGHTHOUSE_QUIET_LOAD", os.cpu_count() or 1))
QUIET_WAIT = float(os.environ.get("LIGHTHOUSE_QUIET_WAIT", "120"))
ATTEMPTS = 3
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
DEMO_PASS_LINE = re.compile(r"Demo access pass for (\S+): (\S+)")

# (report name, path, whether the run needs the unlocked session)
PAGES = [
    ("home", "/", False),
    ("about", ABOUT_PATH, False),
    ("film-index", FILM_INDEX_PATH, False),
    (f"film-sheet-{BIG_GALLERY_PHOTOS}-photos", BIG_GALLERY_PATH, False),
    ("showreel-unlocked", SHOWREEL_PATH, True),
]
# LIGHTHOUSE_PAGES: some of the pages only, by report name (comma-separated), while working
# on them.
if os.environ.get("LIGHTHOUSE_PAGES"):
    PAGES = [page for page in PAGES if page[0] in os.environ["LIGHTHOUSE_PAGES"].split(",")]


def install_lighthouse():
    """lighthouse@LIGHTHOUSE_VERSION under .cache/lighthouse, never globally."""
    package = LIGHTHOUSE_DIR / "node_modules" / "lighthouse" / "package.json"
    installed = json.loads(package.read_text())["version"] if package.exists() else None
    if installed != LIGHTHOUSE_VERSION:
        print(f"Installing lighthouse@{LIGHTHOUSE_VERSION} into {LIGHTHOUSE_DIR} ...", flush=True)
        subprocess.run(
            [
                "npm",
                *("install", "--no-save", "--no-audit", "--no-fund", "--loglevel", "error"),
                *("--prefix", str(LIGHTHOUSE_DIR), f"lighthouse@{LIGHTHOUSE_VERSION}"),
            ],
            check=True,
        )
    if not Path(CHROME_PATH).exists():
        sys.exit(f"Chromium not found at {CHROME_PATH}: apt-get install chromium")


def build_site(port):
    """The demo portfolio and the 60-photo sheet; returns the demo access pass."""
    output = StringIO()
    call_command("load_demo_content", hostname="127.0.0.1", port=port, quiet=True, stdout=output)
    found = DEMO_PASS_LINE.search(output.getvalue())
    if not found or found.group(1) != SHOWREEL_PATH:
        sys.exit(f"load_demo_content printed no access pass for {SHOWREEL_PATH}:\n{output}")
    append_gallery(BIG_GALLERY_FILM["slug"], BIG_GALLERY_PHOTOS, BIG_GALLERY_TITLE)
    return found.group(2)


def launcher_flags():
    """The flags Lighthouse's own launcher (chrome-launcher) starts Chromium with."""
    script = (
        "import('chrome-launcher')"
        ".then((m) => console.log(JSON.stringify(m.Launcher.defaultFlags())))"
    )
    found = subprocess.run(
        ["node", "--input-type=module", "-e", script],
        cwd=LIGHTHOUSE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return [*json.loads(found.stdout), "--disable-setuid-sandbox"]


@contextmanager
def unlocked_chromium(base_url, password):
    """A Chromium started as Lighthouse starts it, with the showreel unlocked in it through
    the pass form; yields its debugging port and the session's Cookie header."""
    port = free_port()
    profile = Path(tempfile.mkdtemp(prefix="bts-lighthouse-chromium-"))
    chromium = subprocess.Popen(
        [
            CHROME_PATH,
            *launcher_flags(),
            *CHROME_FLAGS,
            f"--remote-debugging-port={port}",
            f"--user-data-dir={profile}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        endpoint = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{endpoint}/json/version", timeout=2).close()  # noqa: S310
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline or chromium.poll() is not None:
                    sys.exit(f"Chromium did not open its debugging port {port}")
                time.sleep(0.2)
        with sync_playwright() as playwright:
            browser = playwright.chromium.connect_over_cdp(endpoint)
            context = browser.contexts[0]  # the one Lighthouse's tab will open in
            page = context.new_page()
            locked = page.goto(base_url + SHOWREEL_PATH)
            if locked.status != 403:
                sys.exit(f"{SHOWREEL_PATH} answered {locked.status} before the pass")
            page.get_by_label("Access pass").fill(password)
            terms = page.locator("input[name=accept_terms]")
            if terms.count():
                terms.check()
            with page.expect_navigation() as navigation:
                page.get_by_role("button", name="Watch").click()
            heading = page.get_by_role("heading", level=1).inner_text()
            if navigation.value.status != 200 or heading != SHOWREEL_TITLE:
                sys.exit(f"unlocking answered {navigation.value.status} with {heading!r}")
            cookies = context.cookies(base_url)
            page.close()
            browser.close()  # disconnects; the browser and its cookie jar stay
        if not any(cookie["name"] == "sessionid" for cookie in cookies):
            sys.exit("unlocking set no session cookie")
        yield port, "; ".join(f"{cookie['name']}={cookie['value']}" for cookie in cookies)
    finally:
        os.killpg(chromium.pid, signal.SIGTERM)
        chromium.wait(timeout=30)
        shutil.rmtree(profile, ignore_errors=True)


def warm(url):
    """One GET first, as a live site has: the page cache holds the anonymous pages."""
    with urllib.request.urlopen(url) as response:  # noqa: S310
        response.read()


def wait_for_quiet():
    """The 1-minute load average once it is down to QUIET_LOAD, or after QUIET_WAIT s."""
    deadline = time.monotonic() + QUIET_WAIT
    while os.getloadavg()[0] > QUIET_LOAD and time.monotonic() < deadline:
        time.sleep(5)
    return os.getloadavg()[0]


def run_lighthouse(url, output_base, extra_headers=None, port=None):
    """One Lighthouse run; Chromium started by Lighthouse, or the one on `port`."""
    command = [
        "node",
        str(LIGHTHOUSE_CLI),
        url,
        "--output=json",
        "--output=html",
        f"--output-path={output_base}",
        "--quiet",
    ]
    command.append(f"--port={port}" if port else f"--chrome-flags={' '.join(CHROME_FLAGS)}")
    if extra_headers:
        command.append(f"--extra-headers={json.dumps(extra_headers)}")
    json_path = Path(f"{output_base}.report.json")
    for attempt in range(1, ATTEMPTS + 1):
        json_path.unlink(missing_ok=True)
        load = wait_for_quiet()
        subprocess.run(command, env={**os.environ, "CHROME_PATH": CHROME_PATH}, check=False)
        report = json.loads(json_path.read_text()) if json_path.exists() else None
        error = (report or {}).get("runtimeError", {}).get("code") if report else "no report"
        if report and not error:
            return report, load, attempt
        print(f"  Lighthouse could not finish ({error}); again", flush=True)
    sys.exit(f"Lighthouse failed {ATTEMPTS} times on {url}")


def scores(report):
    return {name: round((report["categories"][name]["score"] or 0) * 100) for name in CATEGORIES}


def failing_audits(report, category):
    """(id, title, score, value) of the audits that cost this category points."""
    audits = report["audits"]
    failing = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = audits[ref["id"]]
        if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 1:
            failing.append(
                (ref["id"], audit["title"], audit["score"], audit.get("displayValue", ""))
            )
    return failing


def measure(name, url, runs_dir, extra_headers=None, port=None):
    """RUNS runs of one page; the median one (by Performance) copied to the reports."""
    runs = []
    for number in range(1, RUNS + 1):
        print(f"Lighthouse {name} run {number}/{RUNS} ...", flush=True)
        base = runs_dir / f"{name}-run{number}"
        report, load, attempts = run_lighthouse(url, base, extra_headers, port)
        runs.append(
            {
                "number": number,
                "report": report,
                "load": load,
                "attempts": attempts,
                "performance": scores(report)["performance"],
                "benchmark": report["environment"]["benchmarkIndex"],
            }
        )
    median = sorted(runs, key=lambda run: (run["performance"], run["number"]))[len(runs) // 2]
    for suffix in ("json", "html"):
        shutil.copyfile(
            runs_dir / f"{name}-run{median['number']}.report.{suffix}",
            REPORTS_DIR / f"{name}.report.{suffix}",
        )
    return median, runs


def main():
    install_lighthouse()
    port = free_port()
    print(f"workdir: {WORKDIR}\nBuilding the demo site and a {BIG_GALLERY_PHOTOS}-photo sheet ...")
    password = build_site(port)
    server, base_url = start_server(WORKDIR, port)
    runs_dir = REPORTS_DIR / "runs"
    shutil.rmtree(REPORTS_DIR, ignore_errors=True)
    runs_dir.mkdir(parents=True)
    results = []
    try:
        for name, path, unlocked in PAGES:
            if unlocked:
                with unlocked_chromium(base_url, password) as (debugging_port, cookie):
                    result = measure(
                        name, base_url + path, runs_dir, {"Cookie": cookie}, debugging_port
                    )
            else:
                warm(base_url + path)
                result = measure(name, base_url + path, runs_dir)
            results.append((name, *result))
    finally:
        stop_server(server)

    report = results[0][1]["report"]
    print(
        f"\nLighthouse {report['lighthouseVersion']}, mobile (default form factor and simulated "
        f"throttling), {CHROME_PATH} {' '.join(CHROME_FLAGS)}\n"
        f"{report['environment']['hostUserAgent']}\n"
        f"{RUNS} run(s) per page; the run with the median Performance score is reported. "
        f"Each run waited up to {QUIET_WAIT:.0f} s for a load average of {QUIET_LOAD:.1f}.\n"
    )
    header = (
        f"{'page':24} {'Perf':>4} {'A11y':>4} {'BP':>4} {'SEO':>4}"
        "   every run: Performance (load average before it, CPU benchmark)"
    )
    print(header)
    print("-" * len(header))
    for name, median, runs in results:
        cells = " ".join(f"{score:>4}" for score in scores(median["report"]).values())
        every = ", ".join(
            f"{run['performance']} ({run['load']:.1f}, {run['benchmark']:.0f})"
            + (f" after {run['attempts']} tries" if run["attempts"] > 1 else "")
            for run in runs
        )
        print(f"{name:24} {cells}   {every}")
    for name, median, _runs in results:
        report = median["report"]
        metrics = ", ".join(
            f"{label} {report['audits'][audit]['displayValue']}"
            for label, audit in (
                ("FCP", "first-contentful-paint"),
                ("LCP", "largest-contentful-paint"),
                ("TBT", "total-blocking-time"),
                ("CLS", "cumulative-layout-shift"),
                ("SI", "speed-index"),
            )
        )
        print(f"\n{name} (run {median['number']}): {metrics}".replace("\xa0", " "))
        for category, score in scores(report).items():
            if score < 100:
                print(f"  {report['categories'][category]['title']} {score}:")
                for audit_id, title, audit_score, value in failing_audits(report, category):
                    value = f" ({value})".replace("\xa0", " ") if value else ""
                    print(f"    {audit_id}: {title}{value}, score {audit_score:.2f}")
    print(f"\nReports: {REPORTS_DIR}/<page>.report.html and .json (every run in {runs_dir})")


if __name__ == "__main__":
    main()
