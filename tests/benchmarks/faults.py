"""Fault script: the services the stack shares go away under load, one after the other.

Run with `make faults` (or `.venv/bin/python tests/benchmarks/faults.py`). It restarts the
machine's PostgreSQL and Redis: not while another test run uses them. Both are started again
at the end whatever happens.

The stack of Procfile.stack (Varnish, two app servers, the worker, SeaweedFS) runs on a
throwaway PostgreSQL database, Redis database 4 and media in SeaweedFS's buckets, with a mail
server that never answers (EMAIL_PORT closed). FAULT_CONNECTIONS (8) clients load it
throughout: home and a film sheet (anonymous: Varnish keeps them), a producer's unlocked
showreel (passes Varnish: the app, its session in the database) and a public photo from the
public bucket. A contact message is posted twice a second around each fault. Then:

1. PostgreSQL stopped for FAULT_SECONDS (5) and started again (pg_ctlcluster);
2. Redis shut down for FAULT_SECONDS and started again (redis-server with
   REDIS_CONFIG, default /etc/redis/redis.conf);
3. SeaweedFS stopped for FAULT_SECONDS and started again.

For each it prints the requests that failed (no answer, or 5xx) and the status codes seen,
the longest answer, the time from the service answering again to the last failure of each
kind of request (the time to recover), and the contact messages: accepted and stored,
refused with "not received", and accepted but lost (must be 0). A measurement, not a test.
"""

import html
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import psycopg
import redis

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.serving import (
    PROJECT_DIR,
    VENV_BIN,
    StackProcesses,
    free_port,
    http_status,
    procfile_commands,
    run_load,
    stack_env,
)

SERVER_URL = os.environ.get("BENCH_STACK_DATABASE_URL", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("FAULT_REDIS_URL", "redis://127.0.0.1:6379/4")
REDIS_CONFIG = os.environ.get("REDIS_CONFIG", "/etc/redis/redis.conf")
DOWN_SECONDS = float(os.environ.get("FAULT_SECONDS", "5"))
CONNECTIONS = int(os.environ.get("FAULT_CONNECTIONS", "8"))
RECOVERY_GOAL = 5.0
DATABASE = f"bts_bench_faults_{secrets.token_hex(4)}"
ADMIN_URL = urlsplit(SERVER_URL)._replace(path="/postgres").geturl()
DATABASE_URL = urlsplit(SERVER_URL)._replace(path=f"/{DATABASE}").geturl()
S3_PORT = free_port()
S3 = {
    "MEDIA_S3_BUCKET": "media",
    "MEDIA_S3_PUBLIC_BUCKET": "media-public",
    "MEDIA_S3_ENDPOINT_URL": f"http://127.0.0.1:{S3_PORT}",
    "AWS_ACCESS_KEY_ID": "faults" + secrets.token_hex(6),
    "AWS_SECRET_ACCESS_KEY": secrets.token_urlsafe(30),
}
MAIL = {  # a mail server that is down: nothing listens on the port
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": "127.0.0.1",
    "EMAIL_PORT": str(free_port()),
    "EMAIL_USE_TLS": "false",
    "EMAIL_TIMEOUT": "2",
}
LIMITS = {"CONTACT_SUBMISSIONS_PER_WINDOW": "100000"}


def postgres_cluster():
    versions = sorted(p.name for p in Path("/etc/postgresql").iterdir())
    return versions[-1], "main"


def pg_ctl(action):
    version, cluster = postgres_cluster()
    command = ["pg_ctlcluster", "--skip-systemctl-redirect", version, cluster, action]
    if action == "stop":
        command += ["-m", "fast"]
    subprocess.run(command, check=True, capture_output=True)


def postgres_answers():
    result = subprocess.run(
        ["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"], check=False, capture_output=True
    )
    return result.returncode == 0


def redis_answers():
    try:
        return redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


def wait_until(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return time.perf_counter()
        time.sleep(0.05)
    raise SystemExit("a service did not come back within a minute")


def ensure_services_running():
    """PostgreSQL and Redis answer again, whatever happened."""
    if not postgres_answers():
        pg_ctl("start")
        wait_until(postgres_answers)
    if not redis_answers():
        subprocess.run(["redis-server", REDIS_CONFIG], check=True)
        wait_until(redis_answers)


# Media in SeaweedFS from the start: the content is built on it.
os.environ.update({**S3, "SEAWEEDFS_DIR": ""})
with psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=5) as _connection:
    _connection.execute(f'CREATE DATABASE "{DATABASE}"')
os.environ["BENCH_DATABASE_URL"] = DATABASE_URL
_WORKDIR_EARLY = Path(tempfile.mkdtemp(prefix="bts-faults-s3-"))
os.environ["SEAWEEDFS_DIR"] = str(_WORKDIR_EARLY)
_storage = subprocess.Popen(
    ["/bin/sh", "-c", procfile_commands()["storage"]],
    cwd=PROJECT_DIR,
    env={**os.environ, "PATH": f"{VENV_BIN}:{os.environ['PATH']}"},
    stdout=subprocess.PIPE,
    stderr=subprocess.STDOUT,
    text=True,
    start_new_session=True,
)
if "ready" not in (_storage.stdout.readline() or ""):
    sys.exit("SeaweedFS did not start")

from tests.benchmarks.environment import prepare  # noqa: E402

WORKDIR = prepare("bts-bench-faults-")

from django.db import connections  # noqa: E402
from wagtail.models import Site  # noqa: E402

from gallery.tasks import make_page_renditions  # noqa: E402
from home.models import ContactSubmission, PortfolioSettings  # noqa: E402
from showreels.models import AccessPass  # noqa: E402
from tests.factories import (  # noqa: E402
    FilmSheetPageFactory,
    ImageFactory,
    ShowreelPageFactory,
    build_site,
    gallery_block,
)


def build(port):
    tree = build_site()
    contact = tree["contact"]
    contact.to_address = "owner@example.com"
    contact.save_revision().publish()
    images = ImageFactory.create_batch(6)
    sheet = FilmSheetPageFactory(
        parent=tree["films"], key_image=images[0], body=[gallery_block(images)]
    )
    sheet.save_revision().publish()
    reel = ShowreelPageFactory(parent=tree["home"], title="Producers' reel")
    reel.save_revision().publish()
    _, password = AccessPass.issue(label="Faults producer", page=reel)
    for page in (sheet, tree["home"]):
        make_page_renditions.call(page.pk)
    site = Site.objects.get(is_default_site=True)
    PortfolioSettings.objects.get_or_create(site=site)
    site.hostname, site.port = "127.0.0.1", port
    site.save()
    return {"home": tree["home"].url, "sheet": sheet.url, "reel": reel.url, "reel_id": reel.pk,
            "contact": contact.url, "password": password}  # fmt: skip


def request(port, method, path, body=None, headers=None):
    prepared = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", data=body, method=method, headers=headers or {}
    )
    try:
        with urllib.request.urlopen(prepared, timeout=15) as response:  # noqa: S310
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def form_cookie_and_token(port, path):
    status, headers, body = request(port, "GET", path)
    assert status in (200, 403), status
    cookie = headers["Set-Cookie"].split(";", 1)[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body.decode())[1]
    return cookie, html.unescape(token)


def unlock(port, site):
    cookie, token = form_cookie_and_token(port, site["reel"])
    opener = urllib.request.build_opener(NoRedirect)
    origin = f"http://127.0.0.1:{port}"
    post = urllib.request.Request(  # noqa: S310
        f"{origin}/private/unlock/{site['reel_id']}/",
        data=urlencode({"csrfmiddlewaretoken": token, "password": site["password"]}).encode(),
        headers={
            "Cookie": cookie,
            "Origin": origin,
            "Referer": origin + site["reel"],
            "Content-Type": "application/x-www-form-urlencoded",
        },  # fmt: skip
    )
    try:
        opener.open(post, timeout=15)
    except urllib.error.HTTPError as error:
        assert error.code == 302, error.code
        session = re.search(r"sessionid=[^;]+", error.headers["Set-Cookie"])[0]
        return session
    raise SystemExit("unlocking did not redirect")


def public_photo(port, site):
    """A public photo's copy in the public bucket, as the film sheet names it, once the
    worker has copied it there."""
    body = request(port, "GET", site["sheet"])[2].decode()
    url = re.search(rf'http://127\.0\.0\.1:{S3_PORT}/media-public/[^"\s,]+', body)[0]
    path = urlsplit(html.unescape(url)).path
    wait_until(lambda: photo_served(path), seconds=60)
    return path


def photo_served(path):
    try:
        return http_status(f"http://127.0.0.1:{S3_PORT}{path}", timeout=2) == 200
    except OSError:
        return False


class ContactWriter:
    """Posts a contact message every half second until stopped; each one numbered."""

    def __init__(self, port, site):
        self.port, self.site = port, site
        self.cookie, self.token = form_cookie_and_token(port, site["contact"])
        self.sent = []  # (name, status, says "not received")
        self.stop = threading.Event()
        self.thread = None

    def start(self, prefix):
        self.stop.clear()
        self.thread = threading.Thread(target=self.run, args=(prefix,))
        self.thread.start()

    def run(self, prefix):
        number = 0
        origin = f"http://127.0.0.1:{self.port}"
        while not self.stop.is_set():
            number += 1
            name = f"{prefix}-{number}"
            body = urlencode({"csrfmiddlewaretoken": self.token, "your_name": name,
                              "your_email": "producer@example.com",
                              "message": "Could we see the reel?"}).encode()  # fmt: skip
            try:
                status, _, page = request(
                    self.port, "POST", self.site["contact"], body,
                    {"Cookie": self.cookie, "Origin": origin, "Referer": origin + "/contact/",
                     "Content-Type": "application/x-www-form-urlencoded"},
                )  # fmt: skip
            except OSError:
                status, page = None, b""
            self.sent.append((name, status, b"was not received" in page))
            self.stop.wait(0.5)

    def finish(self):
        self.stop.set()
        self.thread.join()


def recovery(result, back_at):
    """Per kind of request: failures, and seconds from `back_at` to the end of the last one."""
    rows = {}
    for label in sorted({record[3] for record in result.records}):
        records = [r for r in result.records if r[3] == label]
        failed = [r for r in records if result.failed(r)]
        last_end = max((r[0] + r[1] for r in failed), default=None)
        rows[label] = (
            len(records),
            len(failed),
            result.summary(records)["statuses"],
            (result.summary(records)["p50_ms"], max(r[1] for r in records)),
            None if last_end is None else max(0.0, last_end - back_at),
        )
    return rows


def main():
    redis.Redis.from_url(REDIS_URL).flushdb()
    port, web_ports = free_port(), (free_port(), free_port())
    site = build(port)
    connections.close_all()
    env = stack_env(WORKDIR, port, web_ports, REDIS_URL=REDIS_URL, **S3, **MAIL, **LIMITS,
                    SEAWEEDFS_DIR=str(_WORKDIR_EARLY))  # fmt: skip
    for command in (("collectstatic", "--noinput", "-v", "0"), ("sync_public_media", "--recopy")):
        # The public copies of the photos, as after switching a site to object storage.
        subprocess.run([str(VENV_BIN / "python"), "manage.py", *command],
                       cwd=PROJECT_DIR, env=env, check=True)  # fmt: skip
    stack = StackProcesses(WORKDIR, env)
    stack.running["storage"] = _storage
    results = []
    try:
        for name in ("web1", "web2", "worker", "varnish"):
            stack.start(name)
        stack.wait_until_serving(port)
        session = unlock(port, site)
        photo = public_photo(port, site)
        scenarios = [
            lambda c: c.request("GET", site["home"], "home (anonymous, Varnish)"),
            lambda c: c.request("GET", site["sheet"], "film sheet (anonymous, Varnish)"),
            lambda c: c.request(
                "GET",
                site["reel"],
                "showreel, producer (app, database)",
                headers={"Cookie": session},
            ),  # fmt: skip
            lambda c: c.request("GET", photo, "public photo (SeaweedFS)", port=S3_PORT),
        ]
        contact = ContactWriter(port, site)
        for fault, stop, start, answers in (
            ("PostgreSQL restarted", lambda: pg_ctl("stop"), lambda: pg_ctl("start"),
             postgres_answers),
            ("Redis stopped", lambda: subprocess.run(
                ["redis-cli", "-h", "127.0.0.1", "-p", "6379", "shutdown"], check=False,
                capture_output=True), lambda: subprocess.run(
                ["redis-server", REDIS_CONFIG], check=True), redis_answers),
            ("SeaweedFS stopped", lambda: stack.stop("storage"), lambda: stack.start("storage"),
             lambda: photo_served(photo)),
        ):  # fmt: skip
            results.append(run_fault(port, scenarios, contact, fault, stop, start, answers))
            ensure_services_running()
            time.sleep(2)
    finally:
        ensure_services_running()
        stack.stop_all()
    report(results, contact)
    connections.close_all()
    with psycopg.connect(ADMIN_URL, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    shutil.rmtree(_WORKDIR_EARLY, ignore_errors=True)


def run_fault(port, scenarios, contact, fault, stop, start, answers):
    """Load before, during and after the fault; returns what the report needs."""
    halt = threading.Event()
    outcome = {}
    loader = threading.Thread(
        target=lambda: outcome.setdefault(
            "result", run_load(port, scenarios, 600, CONNECTIONS, timeout=30, stop=halt)
        )
    )
    loader.start()
    contact.start(fault.split()[0].lower())
    try:
        time.sleep(2)
        stopped_at = time.perf_counter()
        stop()
        time.sleep(DOWN_SECONDS)
        start()
        back_at = wait_until(answers)
        time.sleep(RECOVERY_GOAL + 3)
    finally:
        contact.finish()
        halt.set()
        loader.join()
    return fault, outcome["result"], stopped_at, back_at


def report(results, contact):
    print(f"workdir: {WORKDIR}\n{CONNECTIONS} clients throughout; each service down "
          f"{DOWN_SECONDS:.0f} s; the mail server down all along\n")  # fmt: skip
    for fault, result, stopped_at, back_at in results:
        during = [r for r in result.records if stopped_at <= r[0] <= back_at]
        print(f"{fault}: {len(result.records)} requests, "
              f"{sum(result.failed(r) for r in result.records)} failed; during the outage "
              f"{len(during)} requests, statuses {result.summary(during)['statuses']}")  # fmt: skip
        for label, (count, failed, kinds, times, recovered) in recovery(result, back_at).items():
            recovered_text = (
                "no failure" if recovered is None else f"recovered {recovered:.1f} s after"
            )
            print(f"  {label:36} {count:5} requests, {failed:4} failed, {kinds}, median "
                  f"{times[0]:.0f} ms, longest {times[1]:.1f} s, {recovered_text}")  # fmt: skip
        print()
    stored = {
        row["your_name"]: sent
        for row, sent in (
            (submission.form_data, submission.email_sent)
            for submission in ContactSubmission.objects.all()
        )
    }
    accepted = [name for name, status, _ in contact.sent if status == 200]
    refused = [name for name, status, says in contact.sent if status == 503 and says]
    other = [(name, status) for name, status, says in contact.sent
             if status not in (200,) and not (status == 503 and says)]  # fmt: skip
    lost = [name for name in accepted if name not in stored]
    print(f"Contact messages posted: {len(contact.sent)}")
    print(
        f"  accepted (thank-you page): {len(accepted)}, stored: "
        f"{sum(name in stored for name in accepted)}, mailed: "
        f"{sum(bool(stored.get(name)) for name in accepted)} (the mail server is down)"
    )
    print(
        f"  refused with 503 'not received, send it again': {len(refused)} "
        f"(of which stored all the same: {sum(name in stored for name in refused)})"
    )
    print(f"  other answers: {other or 'none'}")
    print(f"  accepted but lost: {len(lost)}  (must be 0)")


if __name__ == "__main__":
    try:
        main()
    finally:
        ensure_services_running()
        if _storage.poll() is None:
            _storage.terminate()
