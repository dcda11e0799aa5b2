"""The real site in a real browser: one gunicorn server and one Chromium for the whole session.

The server runs the production settings (DEBUG off, the cached template loader, hashed
static files from WhiteNoise, private media behind the privacy check) on 127.0.0.1 against
its own SQLite file, filled by the same commands a deployment runs. Each test opens its own
browser context, so cookies never leak from one test to the next.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.browser.helpers import (
    AXE_RUNS,
    BIG_GALLERY_FILM,
    BIG_GALLERY_PHOTOS,
    BIG_GALLERY_TITLE,
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    PAGE_TYPES,
    SHOWREEL_PATH,
    SHOWREEL_TITLE,
    STREAM_RECHECK_SECONDS,
    issue_access_pass,
    log_in,
    unlock,
)
from tests.conftest import require

PROJECT_DIR = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
SCREENSHOTS_DIR = PROJECT_DIR / "test-artifacts" / "screenshots"
SCREENSHOTS_KEY = pytest.StashKey[Path]()

ADMIN_USERNAME = "owner"
# Only ever used against the throwaway database of one test session.
ADMIN_PASSWORD = "Backstage-Owner-Login-2024"
DEMO_PASS_LINE = re.compile(r"Demo access pass for (\S+): (\S+)")
INHERITED_ENV = {"PATH", "HOME", "USER", "LOGNAME", "LANG", "TZ", "TMPDIR"}
BIG_GALLERY_COMMAND = (
    "from tests.browser.big_gallery import append_gallery; "
    f"append_gallery({BIG_GALLERY_FILM['slug']!r}, {BIG_GALLERY_PHOTOS}, {BIG_GALLERY_TITLE!r})"
)
SERVER_START_SECONDS = 90
COMMAND_SECONDS = 600

# The browser waits on a server that shares two cores with the rest of the run.
expect.set_options(timeout=15_000)


@dataclass(frozen=True)
class IssuedPass:
    label: str
    password: str


@dataclass(frozen=True)
class LiveSite:
    base_url: str
    admin_username: str
    admin_password: str
    demo_pass: str
    log_path: Path

    def log_tail(self, lines=120):
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_env(folder, base_url):
    """Production settings, with only what a plain-HTTP server on 127.0.0.1 needs changed.

    Nothing else comes from the test process: not its settings module (pytest-django sets
    bts_site.test_settings), nor a database, cache or option the shell happens to export.
    """
    inherited = {
        key: value
        for key, value in os.environ.items()
        if key in INHERITED_ENV or key.startswith("LC_")
    }
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "bts_site.settings",
        "DEBUG": "false",
        "SECRET_KEY": "browser-suite-" + "k" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        # Two gunicorn workers write to one SQLite file (admin saves, autosave, uploads,
        # sessions): writers queue for the lock instead of failing with "database is locked".
        "DATABASE_URL": (
            f"sqlite:///{folder / 'site.sqlite3'}?timeout=30&transaction_mode=IMMEDIATE"
            "&init_command=PRAGMA%20journal_mode%3DWAL"
        ),
        "MEDIA_ROOT": str(folder / "media"),
        "CACHE_DIR": str(folder / "cache"),
        "STATIC_ROOT": str(folder / "static"),
        "WAGTAILADMIN_BASE_URL": base_url,
        # Nothing a test does may send real mail.
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "ADMIN_USERNAME": ADMIN_USERNAME,
        "ADMIN_PASSWORD": ADMIN_PASSWORD,
        # The suite's two gunicorn workers must notice a revocation made in the other one
        # soon: each re-checks a private stream's viewer at most this often (30 s by default).
        "SHOWREEL_STREAM_RECHECK_SECONDS": str(STREAM_RECHECK_SECONDS),
        "PYTHONUNBUFFERED": "1",
    }


def manage(env, *args, background=False):
    command = [str(VENV_BIN / "python"), str(PROJECT_DIR / "manage.py"), *args]
    process = subprocess.Popen(
        command,
        cwd=PROJECT_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    if background:
        return process
    return finish(process, args)


def finish(process, args):
    try:
        output, _ = process.communicate(timeout=COMMAND_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    if process.returncode != 0:
        pytest.fail(f"manage.py {' '.join(args)} failed:\n{output}", pytrace=False)
    return output


def wait_until_healthy(server, base_url, log_path):
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(
                f"gunicorn exited with {server.returncode}:\n{log_path.read_text()}", pytrace=False
            )
        try:
            with urllib.request.urlopen(f"{base_url}/healthz/", timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    pytest.fail(f"gunicorn did not answer /healthz/ in time:\n{log_path.read_text()}")


def stop(server):
    if server.poll() is None:
        # gunicorn's graceful shutdown: workers finish the request they are on.
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


@pytest.fixture(scope="session")
def chromium():
    require(CHROMIUM.exists(), f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    return CHROMIUM


@pytest.fixture(scope="session")
def live_site(chromium, tmp_path_factory):
    folder = tmp_path_factory.mktemp("live-site")
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = server_env(folder, base_url)

    # collectstatic touches no database: it runs beside the migrations.
    static = manage(env, "collectstatic", "--noinput", "-v", "0", background=True)
    manage(env, "migrate", "--noinput", "-v", "0")
    finish(static, ["collectstatic"])
    manage(env, "createcachetable")
    # Renditions of the demo photos made as they are published, as the worker would: no
    # visitor's first request waits for a gallery of full-size photos to be resized.
    demo_output = manage(
        {**env, "BACKGROUND_TASKS": "immediate"},
        *("load_demo_content", "--hostname", "127.0.0.1", "--port", str(port), "--quiet"),
    )
    found = DEMO_PASS_LINE.search(demo_output)
    assert found, f"load_demo_content printed no access pass:\n{demo_output}"
    assert found.group(1) == SHOWREEL_PATH, demo_output
    # One sheet with a gallery of sixty photos, published with its renditions the same way.
    manage({**env, "BACKGROUND_TASKS": "immediate"}, "shell", "-c", BIG_GALLERY_COMMAND)
    # Its own password file: with ADMIN_PASSWORD set, the command removes the one it is given.
    manage(env, "ensure_admin", "--password-file", str(folder / ".admin-password"))

    log_path = folder / "gunicorn.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "bts_site.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--threads",
                "4",
                "--timeout",
                "120",
                # The default control socket is one path in $HOME shared by every gunicorn.
                "--no-control-socket",
            ],
            cwd=PROJECT_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until_healthy(server, base_url, log_path)
        yield LiveSite(
            base_url=base_url,
            admin_username=ADMIN_USERNAME,
            admin_password=ADMIN_PASSWORD,
            demo_pass=found.group(2),
            log_path=log_path,
        )
    finally:
        stop(server)


@pytest.fixture(scope="session")
def browser(chromium):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(chromium), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def new_context(browser, live_site):
    """Open browser contexts on the live site; every one is closed after the test."""
    contexts = []

    def open_context(**options):
        options = {"viewport": DESKTOP["viewport"], **options}
        context = browser.new_context(base_url=live_site.base_url, **options)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()


@pytest.fixture
def open_page_type(request, new_context):
    """Open one of helpers.PAGE_TYPES in a new context, checking the status it answers with."""

    def open_page(name, **context_options):
        spec = PAGE_TYPES[name]
        if spec.get("unlocked"):
            context_options["storage_state"] = request.getfixturevalue("unlocked_state")
        page = new_context(**context_options).new_page()
        response = page.goto(spec["path"])
        assert response.status == spec.get("status", 200), f"{name}: {spec['path']}"
        return page

    return open_page


@pytest.fixture(scope="session")
def owner_state(browser, live_site, tmp_path_factory):
    """Cookies of a logged-in owner, for tests that start in the admin."""
    context = browser.new_context(base_url=live_site.base_url, viewport=DESKTOP["viewport"])
    try:
        page = context.new_page()
        log_in(page, live_site.admin_username, live_site.admin_password)
        path = tmp_path_factory.mktemp("owner") / "state.json"
        context.storage_state(path=str(path))
    finally:
        context.close()
    return path


@pytest.fixture(scope="session")
def issued_pass(browser, live_site, owner_state):
    """The pass the owner issues in the admin for the showreel, with its one-time password.

    Shared by the owner's journey (which checks how it is issued) and the producer's
    (which uses it, then sees it revoked), so that either runs alone or both in order.
    """
    label = "Line producer, Harbour Lights Films"
    context = browser.new_context(
        base_url=live_site.base_url, viewport=DESKTOP["viewport"], storage_state=owner_state
    )
    try:
        password = issue_access_pass(context.new_page(), label, SHOWREEL_TITLE)
    finally:
        context.close()
    return IssuedPass(label=label, password=password)


@pytest.fixture(scope="session")
def unlocked_state(browser, live_site, tmp_path_factory):
    """Cookies of a producer who opened the demo showreel with the demo access pass."""
    context = browser.new_context(base_url=live_site.base_url, viewport=DESKTOP["viewport"])
    try:
        page = context.new_page()
        page.goto(SHOWREEL_PATH)
        unlock(page, live_site.demo_pass)
        expect(page.locator("video")).to_have_count(1)
        path = tmp_path_factory.mktemp("producer") / "state.json"
        context.storage_state(path=str(path))
    finally:
        context.close()
    return path


@pytest.fixture
def rendition_worker(live_site):
    """Start the background worker beside the server under test, as the Procfile does.

    The server runs without BACKGROUND_TASKS, so with its default, the database queue:
    publishing queues renditions and returns. Call the fixture's value to start the
    worker that makes them; it is stopped after the test.
    """
    folder = live_site.log_path.parent
    env = server_env(folder, live_site.base_url)
    started = []

    def start():
        log = (folder / "worker.log").open("a")
        command = ["db_worker", "--backend", "background", "--no-startup-delay", "--no-reload"]
        worker = subprocess.Popen(
            [str(VENV_BIN / "python"), str(PROJECT_DIR / "manage.py"), *command],
            cwd=PROJECT_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        started.append((worker, log))
        return worker

    yield start
    for worker, log in started:
        stop(worker)
        log.close()


@pytest.fixture(scope="session")
def screenshots_dir(request):
    """A fresh folder for this run's screenshots, named in the summary at the end."""
    if SCREENSHOTS_DIR.exists():
        shutil.rmtree(SCREENSHOTS_DIR)
    SCREENSHOTS_DIR.mkdir(parents=True)
    request.config.stash[SCREENSHOTS_KEY] = SCREENSHOTS_DIR
    return SCREENSHOTS_DIR


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """When a browser test fails, show the end of the server's log beside the failure."""
    outcome = yield
    report = outcome.get_result()
    if report.failed and "live_site" in getattr(item, "funcargs", {}):
        report.sections.append(("gunicorn log (last lines)", item.funcargs["live_site"].log_tail()))


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    # Violations below "serious" do not fail a test; they are listed here all the same.
    if AXE_RUNS:
        found = [(label, finding) for label, findings in AXE_RUNS for finding in findings]
        terminalreporter.write_line(
            f"axe-core: {len(AXE_RUNS)} page states checked, {len(found)} violations"
        )
        for label, (rule, impact, nodes) in found:
            terminalreporter.write_line(f"  {label}: {rule} ({impact}), {nodes} element(s)")
    folder = config.stash.get(SCREENSHOTS_KEY, None)
    if folder is not None:
        count = len(list(folder.glob("*.png")))
        terminalreporter.write_line(f"Screenshots: {folder} ({count} PNG files)")
