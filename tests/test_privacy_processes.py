"""One unlocked session, honoured by two separate server processes on the same database.

Two real gunicorn processes run with production settings (DEBUG off, HTTPS behind a
proxy, sessions in the database) against a dedicated SQLite file, and against a dedicated
PostgreSQL database when DATABASE_URL points at PostgreSQL. A visitor unlocks a showreel
on process A; process B answers the same session cookie with the page. The pass is then
revoked in the database and both processes lock the session out on its next request.

The database and the two servers are set up once for the module (per database backend);
each test builds its own showreel on them.
"""

import html
import http.client
import json
import os
import re
import secrets
import socket
import subprocess
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

from tests.conftest import require

STREAM_BASE = re.compile(r"/private/stream/[^\"/]+/")
RECHECK_SECONDS = 2

pytestmark = pytest.mark.processes

PROJECT = Path(__file__).resolve().parent.parent
PYTHON = PROJECT / ".venv" / "bin" / "python"
GUNICORN = PROJECT / ".venv" / "bin" / "gunicorn"
MARKER = "Ossifragecoldharbour"


def build_script(slug):
    """A `manage.py shell` script: a private showreel at /<slug>/ with a video and a pass,
    under the site's home page (built by the first script run on the database)."""
    return f"""
import json
from wagtail.models import Site
from home.models import HomePage
from showreels.models import AccessPass
from tests import factories

root = Site.objects.get(is_default_site=True).root_page.specific
home = root if isinstance(root, HomePage) else factories.build_site()["home"]
video = factories.processed_video(seconds=3, segment_seconds=1)
reel = factories.ShowreelPageFactory(
    parent=home,
    title="{MARKER} reel",
    slug="{slug}",
    body=[factories.video_block(video)],
)
reel.save_revision().publish()
factories.make_private(reel, password="shared-for-processes-1")
access_pass, password = AccessPass.issue(label="Producer", page=reel)
print(json.dumps({{
    "url": reel.url, "page_id": reel.pk, "pass_id": access_pass.pk,
    "password": password, "video": video.file.url,
}}))
"""


def build(env, slug):
    return json.loads(manage(env, "shell", script=build_script(slug)).strip().splitlines()[-1])


def manage(env, *args, script=None):
    command = [str(PYTHON), "manage.py", *args]
    if script is not None:
        command += ["-c", script]
    result = subprocess.run(
        command, cwd=PROJECT, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def postgres_url():
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else ""


def backends():
    return ["sqlite", "postgres"] if postgres_url() else ["sqlite"]


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    """collectstatic once, as a deployment does: the manifest storage needs it."""
    root = tmp_path_factory.mktemp("static")
    manage({**outside_env(), "DEBUG": "1", "STATIC_ROOT": str(root)}, "collectstatic", "--noinput")
    return root


@pytest.fixture(scope="module", params=backends())
def database_url(request, tmp_path_factory):
    """A dedicated database: a new SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'processes.sqlite3'}"
        return
    import psycopg

    base = urlsplit(postgres_url())
    name = f"bts_processes_{secrets.token_hex(4)}"
    admin_url = base._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield base._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def outside_env():
    """The environment without what the test run itself set (its settings module above all)."""
    return {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(
            ("DJANGO", "DEBUG", "SECURE_", "SESSION_", "CSRF_", "PYTEST", "DATABASE_URL")
        )
        and key not in ("SECRET_KEY", "ALLOWED_HOSTS", "REDIS_URL")
    }


@pytest.fixture(scope="module")
def production_env(database_url, static_root, tmp_path_factory):
    env = outside_env()
    env.update(
        {
            "SECRET_KEY": secrets.token_urlsafe(40),
            "DATABASE_URL": database_url,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_PROXY_SSL_HEADER_NAME": "HTTP_X_FORWARDED_PROTO",
            "STATIC_ROOT": str(static_root),
            "MEDIA_ROOT": str(tmp_path_factory.mktemp("media")),
            "CACHE_DIR": str(tmp_path_factory.mktemp("cache")),
            "LOG_LEVEL": "WARNING",
            "SHOWREEL_NOTIFY_EMAIL": "",
            # This module checks the shared page password too, which the owner may turn on.
            "SHOWREEL_ALLOW_SHARED_PASSWORD": "true",
            # How soon a process notices a revocation made elsewhere, for its video streams.
            "SHOWREEL_STREAM_RECHECK_SECONDS": str(RECHECK_SECONDS),
        }
    )
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "createcachetable")
    return env


class Server:
    """One gunicorn process of the site, on its own port.

    The test binds and listens on the port itself and hands the socket to gunicorn
    (`--bind fd://N`): no other program can take the port in between, and a first request
    simply waits in the listen backlog until the worker is up, so nothing polls or sleeps.
    """

    def __init__(self, env, log_path):
        with socket.socket() as listener:
            listener.bind(("127.0.0.1", 0))
            listener.listen(64)
            self.port = listener.getsockname()[1]
            self.log = open(log_path, "w")  # noqa: SIM115 - closed in stop()
            self.process = self._start(env, listener.fileno())
        # Only gunicorn holds the socket now: should it die, requests are refused at once.

    def _start(self, env, fd):
        return subprocess.Popen(
            [
                str(GUNICORN),
                "bts_site.wsgi:application",
                "--bind",
                f"fd://{fd}",
                "--workers",
                "1",
                "--timeout",
                "60",
                # gunicorn 27 shares one control socket per user between servers otherwise.
                "--no-control-socket",
            ],
            cwd=PROJECT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            pass_fds=(fd,),
        )

    def wait_until_ready(self):
        """The first request waits for the worker; a server that died is refused at once."""
        try:
            status = self.request("GET", "/healthz/", timeout=120)[0]
        except OSError as error:
            raise AssertionError(f"server on {self.port}: {error}\n{self.log_tail()}") from error
        assert status == 200, self.log_tail()

    def request(self, method, path, body=None, headers=None, cookies=None, timeout=30):
        """(status, headers, body) of one request, as seen through an HTTPS proxy."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        all_headers = {"Host": f"127.0.0.1:{self.port}", "X-Forwarded-Proto": "https"}
        if cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        all_headers.update(headers or {})
        try:
            connection.request(method, path, body=body, headers=all_headers)
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()

    def log_tail(self, lines=40):
        self.log.flush()
        return "\n".join(Path(self.log.name).read_text().splitlines()[-lines:])

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)
        self.log.close()


@pytest.fixture(scope="module")
def two_servers(production_env, tmp_path_factory):
    require(GUNICORN.exists(), "gunicorn is not installed in .venv")
    logs = tmp_path_factory.mktemp("logs")
    servers = []
    try:
        for name in ("a", "b"):
            servers.append(Server(production_env, logs / f"gunicorn-{name}.log"))
        for server in servers:
            server.wait_until_ready()
        yield servers
    finally:
        for server in servers:
            server.stop()


def cookies_from(headers):
    jar = SimpleCookie()
    for value in headers.get_all("Set-Cookie") or []:
        jar.load(value)
    return {key: morsel.value for key, morsel in jar.items()}


def unlock(server, site, password):
    """Unlock through the real form: CSRF cookie and token, Origin and Referer as a browser."""
    status, headers, body = server.request("GET", site["url"])
    assert status == 403, server.log_tail()
    cookies = cookies_from(headers)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body.decode())[1]
    origin = f"https://127.0.0.1:{server.port}"
    status, headers, _ = server.request(
        "POST",
        f"/private/unlock/{site['page_id']}/",
        body=urlencode({"csrfmiddlewaretoken": html.unescape(token), "password": password}),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": origin,
            "Referer": origin + site["url"],
        },
        cookies=cookies,
    )
    assert status == 302, server.log_tail()
    cookies.update(cookies_from(headers))
    assert "sessionid" in cookies
    return {"sessionid": cookies["sessionid"]}


def test_unlocked_session_holds_across_processes_until_revoked(production_env, two_servers):
    site = build(production_env, "reel-until-revoked")
    server_a, server_b = two_servers

    session = unlock(server_a, site, site["password"])

    for server in (server_b, server_a):
        status, headers, body = server.request("GET", site["url"], cookies=session)
        assert status == 200, server.port
        assert MARKER in body.decode()
        assert "no-store" in headers["Cache-Control"]
        assert "Cookie" in headers["Vary"]
    # The player's signed URLs, written by process A, stream from process B.
    stream = STREAM_BASE.search(body.decode())[0]
    status, headers, body = server_b.request(
        "GET", stream + "fallback.mp4", headers={"Range": "bytes=100-199"}, cookies=session
    )
    assert status == 206
    assert headers["Content-Range"].startswith("bytes 100-199/")
    assert len(body) == 100
    segment = stream + "360p/segment-00000.ts"
    for server in (server_a, server_b):
        assert server.request("GET", segment, cookies=session)[0] == 200
    assert server_b.request("GET", segment)[0] == 404  # the URL alone opens nothing
    # Without the cookie, neither process shows anything.
    status, _, body = server_b.request("GET", site["url"])
    assert status == 403
    assert MARKER not in body.decode()
    assert server_b.request("GET", site["video"])[0] == 404

    manage(
        production_env,
        "shell",
        script=(
            "from showreels.models import AccessPass; "
            f"AccessPass.objects.get(pk={site['pass_id']}).revoke()"
        ),
    )
    for server in (server_a, server_b):
        status, _, body = server.request("GET", site["url"], cookies=session)
        assert status == 403, server.port
        assert MARKER not in body.decode()
        assert server.request("GET", site["video"], cookies=session)[0] == 404
    # Neither process heard of the revocation: each notices within the recheck time.
    time.sleep(RECHECK_SECONDS + 0.2)
    for server in (server_a, server_b):
        assert server.request("GET", segment, cookies=session)[0] == 404, server.port


def test_shared_password_change_locks_out_every_process(production_env, two_servers):
    site = build(production_env, "reel-password-changed")
    server_a, server_b = two_servers
    session = unlock(server_b, site, "shared-for-processes-1")
    assert server_a.request("GET", site["url"], cookies=session)[0] == 200

    manage(
        production_env,
        "shell",
        script=(
            "from wagtail.models import PageViewRestriction; "
            f"PageViewRestriction.objects.filter(page_id={site['page_id']})"
            ".update(password='shared-for-processes-2')"
        ),
    )
    for server in (server_a, server_b):
        status, _, body = server.request("GET", site["url"], cookies=session)
        assert status == 403
        assert MARKER not in body.decode()
