"""A service going away is answered plainly and recovered from on its own.

- Redis stopped (a real redis-server of the test's own, stopped and started again): pages
  are still served, from the database; a change made meanwhile is not undone when Redis
  comes back with the pages it held; unlock attempts stay limited (they are counted in the
  database, not in the cache).
- The database unreachable (a real gunicorn process whose PostgreSQL does not answer): the
  site's 503 page with Retry-After, for a page and for a form post ("not received, send it
  again"), never a traceback; the health check still answers.
"""

import secrets
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from django.core.cache import caches
from django.test import Client, override_settings
from django.urls import reverse
from wagtail.models import Site

from bts_site import page_cache
from gallery.renditions import ensure_renditions
from home.models import PortfolioSettings
from tests import factories
from tests.conftest import require
from tests.test_privacy_processes import GUNICORN, PROJECT, Server, outside_env

pytestmark = pytest.mark.processes

REDIS_SERVER = shutil.which("redis-server")
CSRF_TOKEN = "a" * 32


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, seconds=10.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


class RedisServer:
    """A redis-server of this test's own on a free port, saving to its folder on shutdown,
    so that a restart brings back what it held (as a production Redis with persistence)."""

    def __init__(self, folder):
        self.folder, self.port, self.process = folder, free_port(), None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--dir",
             str(self.folder), "--save", "3600 1", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        assert wait_for(self.answers), "redis-server did not start"

    def answers(self):
        with socket.socket() as probe:
            return probe.connect_ex(("127.0.0.1", self.port)) == 0

    def stop(self):
        """SIGTERM: Redis saves its data, then exits."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)


@pytest.fixture
def redis_server(tmp_path):
    require(REDIS_SERVER is not None, "redis-server is not installed (apt-get install redis)")
    server = RedisServer(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def redis_caches(url):
    options = {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1}
    return {
        name: {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": name,
            "OPTIONS": {**options, "IGNORE_EXCEPTIONS": name != "pages"},
        }
        for name in ("default", "pages", "renditions")
    }


@pytest.fixture
def site(db):
    tree = factories.build_site()
    sheet = factories.FilmSheetPageFactory(parent=tree["films"], title="Salt Roads")
    reel = factories.ShowreelPageFactory(parent=tree["home"], title="Harbour reel")
    reel.save_revision().publish()
    # As on a running site: settings saved once, renditions made at publish.
    PortfolioSettings.objects.get_or_create(site=Site.objects.get(is_default_site=True))
    for image, presets in sheet.specific.rendition_needs():
        ensure_renditions(image, presets)
    return {"sheet": sheet, "reel": reel}


def test_pages_are_served_while_redis_is_stopped_and_no_stale_page_returns(site, redis_server):
    sheet = site["sheet"]
    with override_settings(CACHES=redis_caches(redis_server.url), PAGE_CACHE_SECONDS=300):
        client = Client()
        assert client.get(sheet.url)["X-Page-Cache"] == "miss"
        assert client.get(sheet.url)["X-Page-Cache"] == "hit"

        redis_server.stop()
        response = client.get(sheet.url)
        assert response.status_code == 200
        assert "Salt Roads" in response.content.decode()
        # A change while Redis is away cannot empty the page cache: it is kept for later.
        sheet.title = "Salt Roads Revisited"
        sheet.save_revision().publish()
        assert page_cache.outage.bump_pending
        response = client.get(sheet.url)
        assert response.status_code == 200
        assert "Salt Roads Revisited" in response.content.decode()

        # Redis comes back holding the page stored before the change.
        redis_server.start()
        assert caches["pages"].get(page_cache.GENERATION_KEY) is not None
        for _ in range(3):
            body = client.get(sheet.url).content.decode()
            assert "Salt Roads Revisited" in body
        assert wait_for(lambda: not page_cache.outage.bump_pending)
        client.get(sheet.url)
        response = client.get(sheet.url)
        assert response["X-Page-Cache"] == "hit"
        assert "Salt Roads Revisited" in response.content.decode()


def test_unlock_attempts_stay_limited_while_redis_is_stopped(site, redis_server, settings):
    settings.SHOWREEL_UNLOCK_ATTEMPTS = 3
    redis_server.stop()
    with override_settings(CACHES=redis_caches(redis_server.url)):
        client = Client(REMOTE_ADDR="203.0.113.9")
        unlock = reverse("unlock_private_page", args=[site["reel"].pk])
        statuses = [client.post(unlock, {"password": "wrong"}).status_code for _ in range(4)]
    assert statuses == [403, 403, 403, 429]


@pytest.fixture(scope="module")
def server_without_database(tmp_path_factory):
    """gunicorn with production settings whose PostgreSQL does not answer (a closed port)."""
    require(GUNICORN.exists(), "gunicorn is not installed in .venv")
    env = outside_env()
    env.update(
        {
            "SECRET_KEY": secrets.token_urlsafe(40),
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{free_port()}/nowhere",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "STATIC_FROM_SOURCE": "true",
            "CACHE_DIR": str(tmp_path_factory.mktemp("cache")),
            "MEDIA_ROOT": str(tmp_path_factory.mktemp("media")),
            "LOG_LEVEL": "CRITICAL",
        }
    )
    server = Server(env, tmp_path_factory.mktemp("logs") / "gunicorn.log")
    try:
        server.wait_until_ready()
        yield server
    finally:
        server.stop()


def assert_unavailable_page(status, headers, body):
    text = body.decode()
    assert status == 503
    assert headers["Retry-After"] == "5"
    assert "no-store" in headers["Cache-Control"]
    assert "Back in a moment" in text
    assert "Traceback" not in text and "OperationalError" not in text
    return text


def test_a_page_answers_503_while_the_database_is_unreachable(server_without_database):
    for path in ("/", "/films/", "/no-such-page/", "/sitemap.xml", "/search/?q=salt"):
        text = assert_unavailable_page(*server_without_database.request("GET", path))
        assert "Please try again in a few seconds" in text, path
    status, _, body = server_without_database.request("GET", "/healthz/")
    assert (status, body) == (200, b"ok")


def test_a_form_post_answers_not_received_while_the_database_is_unreachable(
    server_without_database,
):
    """The contact form and unlocking: nothing was kept, and the page says to send again."""
    # Seen through an HTTPS proxy (Server.request): Origin and Referer as a browser sends.
    origin = f"https://127.0.0.1:{server_without_database.port}"
    for path in ("/contact/", "/private/unlock/3/"):
        status, headers, body = server_without_database.request(
            "POST",
            path,
            body=f"csrfmiddlewaretoken={CSRF_TOKEN}&your_name=Ada&password=x",
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": origin,
                "Referer": origin + path,
            },
            cookies={"csrftoken": CSRF_TOKEN},
        )
        text = assert_unavailable_page(status, headers, body)
        assert "What you sent was not received" in text, path


def test_the_503_page_is_self_contained():
    """It renders with nothing from the database: no template tags reaching for settings."""
    template = (PROJECT / "site" / "templates" / "503.html").read_text()
    assert "{% load" not in template and "{% extends" not in template
    assert Path(PROJECT / "site" / "templates" / "500.html").exists()
