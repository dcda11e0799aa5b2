"""Varnish (deploy/varnish.vcl, started by deploy/varnish.py) in front of two real gunicorn
app servers on one database: what it keeps, what it never keeps, purges on publish and
privacy changes, round robin and a server going down, and the leak suite's site walked
through it.

The site is the leak suite's (tests/test_leaks.py: private showreels whose every field
holds a made-up marker word), built once in a dedicated SQLite database; each app server
writes an access log, so a test can count the requests that reached the app.
"""

import http.client
import json
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

from tests.conftest import require
from tests.test_leaks import MARKERS, is_media, urls_in
from tests.test_privacy_processes import GUNICORN, PROJECT, Server, cookies_from, outside_env

pytestmark = pytest.mark.processes

VARNISHD = shutil.which("varnishd") or next(
    (p for p in ("/usr/sbin/varnishd", "/usr/local/sbin/varnishd") if Path(p).exists()), None
)
PYTHON = PROJECT / ".venv" / "bin" / "python"
PURGE_WAIT = 15  # seconds: the app's purge is debounced (2 s), then sent page by page

BUILD = """
import json
from django.core.management import call_command
from wagtail.images import get_image_model
from tests.test_leaks import PrivateSiteMixin as S

S.setUpTestData()
# What the background worker does after a publish: the public photos' renditions.
call_command("db_worker", "--backend", "background", "--batch", verbosity=0)
private_pages = [S.reel, S.second, S.section, S.child, S.private_sheet, S.showreels, S.open_reel]
print(json.dumps({
    "public_pages": [p.url for p in (S.home, S.about, S.films, S.sheet_a, S.sheet_b)],
    "private_pages": [p.url for p in private_pages],
    "private_page_ids": [p.pk for p in private_pages],
    "private_media": ["/media/" + name for name in S.private_files()] + [S.document.url],
    "gallery_renditions": [
        r.file.name
        for r in get_image_model().objects.get(pk=S.public_images[1].pk).renditions.all()
    ],
    "reel": {"url": S.reel.url, "id": S.reel.pk, "password": S.pass_password},
    "sheet_a": {"url": S.sheet_a.url, "id": S.sheet_a.pk, "title": S.sheet_a.title},
    "sheet_b": {"url": S.sheet_b.url, "id": S.sheet_b.pk, "title": S.sheet_b.title},
}))
"""

# Run in a manage.py shell: the change, then the app's own debounced purge is waited for.
AFTER_CHANGE = """
from bts_site import page_cache
timer = page_cache._purge["timer"]
if timer is not None:
    timer.join()
"""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def manage(env, *args, script=None):
    command = [str(PYTHON), "manage.py", *args] + (["-c", script] if script else [])
    result = subprocess.run(
        command, cwd=PROJECT, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


class LoggedServer(Server):
    """An app server that logs every request it answers (the access log)."""

    def _start(self, env, fd):
        self.access_log = Path(self.log.name).with_suffix(".access.log")
        return subprocess.Popen(
            [
                str(GUNICORN),
                "bts_site.wsgi:application",
                *("--bind", f"fd://{fd}", "--workers", "1", "--threads", "4"),
                *("--worker-class", "gthread", "--timeout", "60", "--no-control-socket"),
                *("--access-logfile", str(self.access_log)),
            ],
            cwd=PROJECT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            pass_fds=(fd,),
        )

    def requests_for(self, path):
        if not self.access_log.exists():
            return 0
        return self.access_log.read_text().count(f'"GET {path} HTTP/1.1"')


class Stack:
    def __init__(self, env, site, servers, varnish, port):
        self.env, self.site, self.servers, self.varnish, self.port = (
            env,
            site,
            servers,
            varnish,
            port,
        )

    def request(self, method, path, body=None, headers=None, cookies=None, source="127.0.0.1"):
        """(status, headers, body) of one request through Varnish, from `source`."""
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=30, source_address=(source, 0)
        )
        all_headers = {"Host": f"127.0.0.1:{self.port}", "Accept-Encoding": "identity"}
        if cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        all_headers.update(headers or {})
        try:
            connection.request(method, path, body=body, headers=all_headers)
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()

    def app_requests(self, path, expected=None):
        """Requests for the path in the app servers' access logs, which gunicorn writes
        just after each response: with `expected`, waits (briefly) for that many."""
        count = lambda: sum(server.requests_for(path) for server in self.servers)  # noqa: E731
        if expected is not None:
            wait_for(lambda: count() >= expected, seconds=5)
        return count()

    def change(self, script):
        manage(self.env, "shell", script=script + AFTER_CHANGE)


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    require(VARNISHD is not None, "varnishd is not installed (apt-get install varnish)")
    require(GUNICORN.exists(), "gunicorn is not installed in .venv")
    folder = tmp_path_factory.mktemp("stack")
    port = free_port()
    env = outside_env()
    env.update(
        {
            "SECRET_KEY": secrets.token_urlsafe(40),
            "DATABASE_URL": f"sqlite:///{folder / 'stack.sqlite3'}",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "SECURE_HSTS_SECONDS": "0",
            "STATIC_FROM_SOURCE": "true",
            "MEDIA_ROOT": str(folder / "media"),
            "CACHE_DIR": str(folder / "cache"),
            "PAGE_CACHE_SECONDS": "600",
            "FRONTEND_CACHE_PURGE_URL": f"http://127.0.0.1:{port}",
            "FORWARDED_FOR_DEPTH": "1",
            # Renditions at publish go to the queue, worked below as the worker would.
            "BACKGROUND_TASKS": "database",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "SHOWREEL_NOTIFY_EMAIL": "",
            "LOG_LEVEL": "WARNING",
        }
    )
    manage(env, "migrate", "--noinput", "-v0")
    # Built before Varnish runs: nothing to purge yet.
    build_env = {k: v for k, v in env.items() if k != "FRONTEND_CACHE_PURGE_URL"}
    site = json.loads(manage(build_env, "shell", script=BUILD).strip().splitlines()[-1])

    servers, varnish = [], None
    varnish_log = open(folder / "varnish.log", "w")  # noqa: SIM115 - closed below
    try:
        for name in ("a", "b"):
            servers.append(LoggedServer(env, folder / f"gunicorn-{name}.log"))
        for server in servers:
            server.wait_until_ready()
        varnish = subprocess.Popen(
            [
                sys.executable,
                str(PROJECT / "deploy" / "varnish.py"),
                *("--listen", f"127.0.0.1:{port}", "--workdir", str(folder / "varnish")),
                "--backends",
                ",".join(f"127.0.0.1:{server.port}" for server in servers),
                *("--probe-host", "127.0.0.1", "--varnishd", VARNISHD),
            ],
            stdout=varnish_log,
            stderr=subprocess.STDOUT,
        )
        stack = Stack(env, site, servers, varnish, port)
        wait_until_serving(stack, varnish_log)
        yield stack
    finally:
        if varnish is not None and varnish.poll() is None:
            varnish.terminate()
            varnish.wait(timeout=30)
        varnish_log.close()
        for server in servers:
            server.stop()


def wait_until_serving(stack, log):
    """Varnish answers once its child runs and a probe found an app server healthy."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert stack.varnish.poll() is None, Path(log.name).read_text()
        try:
            if stack.request("GET", "/healthz/")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"Varnish did not serve:\n{Path(log.name).read_text()}")


def assert_nothing_private(path, headers, body):
    text = body.decode("utf-8", "replace").lower()
    header_text = " ".join(f"{k}: {v}" for k, v in headers.items()).lower()
    for field, marker in MARKERS.items():
        if marker in path.lower():
            continue
        assert marker not in text, f"{field} marker in the body of {path}"
        assert marker not in header_text, f"{field} marker in the headers of {path}"


def unlock(stack, page):
    """Through Varnish with the real form: CSRF cookie and token, Origin and Referer."""
    status, headers, body = stack.request("GET", page["url"])
    assert status == 403
    cookies = cookies_from(headers)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body.decode())[1]
    origin = f"http://127.0.0.1:{stack.port}"
    status, headers, _ = stack.request(
        "POST",
        f"/private/unlock/{page['id']}/",
        body=urlencode({"csrfmiddlewaretoken": token, "password": page["password"]}),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": origin,
            "Referer": origin + page["url"],
        },
        cookies=cookies,
    )
    assert status == 302
    cookies.update(cookies_from(headers))
    return cookies


def wait_for(condition, seconds=PURGE_WAIT):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def test_anonymous_public_page_is_kept_and_asked_of_the_app_once(stack):
    path = stack.site["public_pages"][-1]
    first = stack.request("GET", path)
    second = stack.request("GET", path)
    assert first[0] == second[0] == 200
    assert first[1]["X-Cache"] == "miss"
    assert second[1]["X-Cache"] == "hit"
    assert "s-maxage" in second[1]["Cache-Control"]
    assert second[2] == first[2]
    assert stack.app_requests(path, expected=1) == 1
    # A third-party cookie (analytics) changes nothing: still the kept copy.
    third = stack.request("GET", path, cookies={"_ga": "GA1.1.1"})
    assert third[1]["X-Cache"] == "hit"
    assert stack.app_requests(path, expected=1) == 1


def test_static_files_are_kept_whatever_the_cookies(stack):
    html = stack.request("GET", "/")[2].decode()
    stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)"', html)[1]
    stack.request("GET", stylesheet)
    status, headers, _ = stack.request("GET", stylesheet, cookies={"sessionid": "abc"})
    assert status == 200
    assert headers["X-Cache"] == "hit"


def test_session_cookie_authorization_and_posts_reach_the_app(stack):
    path = stack.site["public_pages"][1]
    stack.request("GET", path)
    before = stack.app_requests(path, expected=1)
    for extra in (
        {"cookies": {"sessionid": "no-such-session"}},
        {"cookies": {"csrftoken": "x" * 32}},
        {"headers": {"Authorization": "Basic eDp5"}},
    ):
        status, headers, _ = stack.request("GET", path, **extra)
        assert status == 200
        assert headers["X-Cache"] == "pass", extra
    assert stack.app_requests(path, expected=before + 3) == before + 3
    assert stack.request("POST", "/search/")[1]["X-Cache"] == "pass"
    assert stack.request("GET", "/admin/login/")[1]["X-Cache"] == "pass"


def test_purge_is_answered_on_loopback_only(stack):
    """The ACL names 127.0.0.1 and ::1: a PURGE from another address (127.0.0.2, still this
    machine) is refused and drops nothing."""
    path = stack.site["public_pages"][2]
    stack.request("GET", path)
    assert stack.request("GET", path)[1]["X-Cache"] == "hit"
    status, _, body = stack.request("PURGE", path, source="127.0.0.2")
    assert status == 405
    assert stack.request("GET", path)[1]["X-Cache"] == "hit"
    assert stack.request("PURGE", path)[0] == 200
    assert stack.request("GET", path)[1]["X-Cache"] == "miss"


def test_a_private_showreel_never_reaches_another_visitor(stack):
    reel = stack.site["reel"]
    for _ in range(2):  # before anyone unlocked it
        status, headers, body = stack.request("GET", reel["url"])
        assert status == 403
        assert_nothing_private(reel["url"], headers, body)
    producer = unlock(stack, reel)
    for _ in range(2):
        status, headers, body = stack.request("GET", reel["url"], cookies=producer)
        assert status == 200
        assert MARKERS["title"] in body.decode().lower()
        assert headers["X-Cache"] == "pass"
        assert "no-store" in headers["Cache-Control"]
    other_session = {"sessionid": secrets.token_hex(16)}
    for cookies in (None, other_session, {"_ga": "GA1.1.1"}):
        status, headers, body = stack.request("GET", reel["url"], cookies=cookies)
        assert status == 403
        assert headers["X-Cache"] != "hit"
        assert_nothing_private(reel["url"], headers, body)


def test_every_private_url_is_closed_through_varnish_before_and_after_a_producer(stack):
    site = stack.site
    private = site["private_pages"] + site["private_media"]
    private += [f"/private/terms/{pk}/" for pk in site["private_page_ids"]]

    def anonymous_pass(note):
        for path in private:
            for cookies in (None, {"_ga": "GA1.1.1"}):
                status, headers, body = stack.request("GET", path, cookies=cookies)
                assert status in (403, 404, 405), (note, path, status)
                assert headers["X-Cache"] != "hit", (note, path)
                assert_nothing_private(path, headers, body)

    anonymous_pass("before")
    producer = unlock(stack, site["reel"])
    for path in private + site["public_pages"]:
        stack.request("GET", path, cookies=producer)
    anonymous_pass("after a producer")
    assert_crawl_shows_nothing_private(stack)


def assert_crawl_shows_nothing_private(stack):
    """Every page and file reachable from home or the sitemap, anonymously, twice (the second
    time from Varnish where it kept them)."""
    sitemap = stack.request("GET", "/sitemap.xml")[2].decode()
    listed = [urlsplit(url).path for url in re.findall(r"<loc>([^<]+)</loc>", sitemap)]
    seen, queue = set(), ["/", *listed]
    while queue and len(seen) < 200:
        path = queue.pop(0)
        if path in seen or path.startswith(("/static/", "/admin/")):
            continue
        seen.add(path)
        for _ in range(2):
            status, headers, body = stack.request("GET", path)
            assert_nothing_private(path, headers, body)
        if status == 200 and not is_media(path) and "html" in headers.get("Content-Type", ""):
            queue += sorted(urls_in(body.decode()) - seen)
    assert any(is_media(path) for path in seen)
    assert len(seen) > 10


def test_publishing_shows_on_the_next_anonymous_request(stack):
    sheet = stack.site["sheet_a"]
    stack.request("GET", sheet["url"])
    assert stack.request("GET", sheet["url"])[1]["X-Cache"] == "hit"
    stack.change(
        "from wagtail.models import Page\n"
        f"page = Page.objects.get(pk={sheet['id']}).specific\n"
        "page.title = 'Harbour Lights Recut'\n"
        "page.save_revision().publish()\n"
    )
    assert wait_for(lambda: b"Harbour Lights Recut" in stack.request("GET", sheet["url"])[2])


def test_making_a_page_private_drops_it_and_its_photos_from_varnish(stack):
    sheet = stack.site["sheet_b"]
    stack.request("GET", sheet["url"])
    assert stack.request("GET", sheet["url"])[1]["X-Cache"] == "hit"
    # A public photo shown only on the first film sheet, kept by Varnish.
    html = stack.request("GET", stack.site["sheet_a"]["url"])[2].decode()
    photo = next(
        f"/media/{name}" for name in stack.site["gallery_renditions"] if f"/media/{name}" in html
    )
    stack.request("GET", photo)
    status, headers, _ = stack.request("GET", photo)
    assert (status, headers["X-Cache"]) == (200, "hit")

    stack.change(
        "from wagtail.models import Page\nfrom tests import factories\n"
        f"factories.make_private(Page.objects.get(pk={sheet['id']}))\n"
        f"factories.make_private(Page.objects.get(pk={stack.site['sheet_a']['id']}))\n"
    )
    assert wait_for(lambda: stack.request("GET", sheet["url"])[0] == 403)
    status, headers, body = stack.request("GET", sheet["url"])
    assert headers["X-Cache"] != "hit"
    assert sheet["title"].encode() not in body
    status, headers, _ = stack.request("GET", photo)
    assert status == 404
    assert headers["X-Cache"] != "hit"


def test_requests_go_round_robin_to_both_app_servers(stack):
    before = [server.requests_for("/about/") for server in stack.servers]
    for _ in range(6):
        status, headers, _ = stack.request("GET", "/about/", cookies={"sessionid": "rr"})
        assert (status, headers["X-Cache"]) == (200, "pass")
    wait_for(lambda: sum(s.requests_for("/about/") for s in stack.servers) >= sum(before) + 6)
    after = [server.requests_for("/about/") for server in stack.servers]
    assert [a - b for a, b in zip(after, before, strict=True)] == [3, 3]


def test_with_one_app_server_stopped_every_request_is_still_answered(stack):
    """Last in the module: it stops the second app server."""
    stack.servers[1].stop()
    for _ in range(6):
        assert stack.request("GET", "/about/", cookies={"sessionid": "down"})[0] == 200
        assert stack.request("GET", stack.site["public_pages"][0])[0] == 200
    # Once the probes have seen it, Varnish stops trying it at all.
    time.sleep(3)
    server = stack.servers[0]
    before = server.requests_for("/about/")
    for _ in range(4):
        assert stack.request("GET", "/about/", cookies={"sessionid": "down"})[0] == 200
    wait_for(lambda: server.requests_for("/about/") >= before + 4, seconds=5)
    assert server.requests_for("/about/") == before + 4
