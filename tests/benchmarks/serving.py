"""What the benchmark scripts share: a gunicorn server with the production settings on a
loopback port, on the script's throwaway database, and a load generator."""

import contextlib
import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

from django.conf import settings

PROJECT_DIR = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
INHERITED_ENV = {"PATH", "HOME", "USER", "LOGNAME", "LANG", "TZ", "TMPDIR"}
HAMMER_SECONDS = float(os.environ.get("BENCH_HAMMER_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_env(workdir, base_url, **extra):
    """The production settings with what plain HTTP on 127.0.0.1 needs (as the browser
    tests' server), on this script's database and media folder and with its secret key."""
    inherited = {
        key: value
        for key, value in os.environ.items()
        if key in INHERITED_ENV or key.startswith("LC_")
    }
    database = os.environ.get("BENCH_DATABASE_URL") or (
        f"sqlite:///{workdir / 'bench.sqlite3'}?timeout=30&transaction_mode=IMMEDIATE"
        "&init_command=PRAGMA%20journal_mode%3DWAL"
    )
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "bts_site.settings",
        "DEBUG": "false",
        "SECRET_KEY": os.environ["SECRET_KEY"],
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": database,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "CACHE_DIR": os.environ["CACHE_DIR"],
        "STATIC_ROOT": str(settings.STATIC_ROOT),
        "WAGTAILADMIN_BASE_URL": base_url,
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


def start_server(workdir, port, **extra):
    base_url = f"http://127.0.0.1:{port}"
    env = server_env(workdir, base_url, **extra)
    # Migrations again, as the server's code sees them (the tree may have moved on since
    # this process set the database up), and the hashed static files WhiteNoise serves.
    for command in (("migrate", "--noinput"), ("collectstatic", "--noinput")):
        subprocess.run(
            [str(VENV_BIN / "python"), "manage.py", *command, "-v", "0"],
            cwd=PROJECT_DIR,
            env=env,
            check=True,
        )
    log_path = workdir / "gunicorn.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "bts_site.wsgi:application",
                *("--bind", f"127.0.0.1:{port}", "--workers", "2", "--timeout", "120"),
                "--no-control-socket",
            ],
            cwd=PROJECT_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited with {server.returncode}:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(f"{base_url}/healthz/", timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return server, base_url
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    stop_server(server)
    sys.exit(f"gunicorn did not answer /healthz/:\n{log_path.read_text()}")


def stop_server(server):
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def hammer(port, paths, headers):
    """CONNECTIONS threads GETting `paths` in turn for HAMMER_SECONDS, keep-alive where the
    server allows it (gunicorn's sync workers close after each response: reconnects).
    Returns (requests per second, median latency in ms, statuses, errors)."""
    deadline = time.perf_counter() + HAMMER_SECONDS
    latencies = [[] for _ in range(CONNECTIONS)]
    statuses = [Counter() for _ in range(CONNECTIONS)]
    errors = [0] * CONNECTIONS

    def client(index):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        turn = index
        while time.perf_counter() < deadline:
            path = paths[turn % len(paths)]
            turn += 1
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                connection.close()
                errors[index] += 1
                continue
            latencies[index].append(time.perf_counter() - started)
            statuses[index][response.status] += 1
        connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    every = [latency for own in latencies for latency in own]
    total_statuses = sum(statuses, Counter())
    median_ms = statistics.median(every) * 1000 if every else float("nan")
    return len(every) / elapsed, median_ms, dict(total_statuses), sum(errors)


def percentile(values, share):
    """The value below which `share` (0..1) of the sorted values fall (nearest rank)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


# The whole stack (Procfile.stack): each process started with `sh -c` as honcho does, but in
# a process group of its own, so that a script can stop one and start it again.
PROCFILE_STACK = PROJECT_DIR / "Procfile.stack"


def procfile_commands(path=PROCFILE_STACK):
    commands = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.startswith("#") and ":" in line:
            name, command = line.split(":", 1)
            commands[name.strip()] = command.strip()
    return commands


def stack_env(workdir, varnish_port, web_ports, **extra):
    """server_env for the stack: two app servers behind Varnish on loopback, purged by
    them, each writing an access log (to count the requests that reach the app)."""
    base_url = f"http://127.0.0.1:{varnish_port}"
    env = server_env(workdir, base_url)
    env.update(
        {
            "PATH": f"{VENV_BIN}:{env.get('PATH', '')}",
            "PAGE_CACHE_SECONDS": "600",
            "BACKGROUND_TASKS": "database",
            "FRONTEND_CACHE_PURGE_URL": base_url,
            "FORWARDED_FOR_DEPTH": "1",
            "CSRF_TRUSTED_ORIGINS": base_url,
            "VARNISH_LISTEN": f"127.0.0.1:{varnish_port}",
            "VARNISH_BACKENDS": ",".join(f"127.0.0.1:{port}" for port in web_ports),
            "VARNISH_PROBE_HOST": "127.0.0.1",
            "VARNISH_WORKDIR": str(workdir / "varnish"),
            "WEB1_ADDRESS": f"127.0.0.1:{web_ports[0]}",
            "WEB2_ADDRESS": f"127.0.0.1:{web_ports[1]}",
            "STACK_ACCESS_LOG_1": str(workdir / "web1.access.log"),
            "STACK_ACCESS_LOG_2": str(workdir / "web2.access.log"),
        }
    )
    env.update(extra)
    return env


class StackProcesses:
    """The processes of Procfile.stack on this machine, each with its log in `workdir`."""

    def __init__(self, workdir, env):
        self.workdir, self.env = workdir, env
        self.commands = procfile_commands()
        self.running = {}

    def start(self, name):
        log = (self.workdir / f"{name}.log").open("a")
        self.running[name] = subprocess.Popen(
            ["/bin/sh", "-c", self.commands[name]],
            cwd=PROJECT_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()

    def stop(self, name):
        """Stops the process and everything it started (its process group): SeaweedFS's
        `weed` takes a few seconds after its parent to let go of its ports."""
        process = self.running.pop(name, None)
        if process is None:
            return
        stop_server(process)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                os.killpg(process.pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)

    def stop_all(self):
        for name in list(self.running):
            self.stop(name)

    def access_log_lines(self):
        """Per app server, the requests it answered (Varnish's health probes left out)."""
        lines = []
        for key in ("STACK_ACCESS_LOG_1", "STACK_ACCESS_LOG_2"):
            path = Path(self.env[key])
            text = path.read_text() if path.exists() else ""
            lines.append([line for line in text.splitlines() if "GET /healthz/ " not in line])
        return lines

    def wait_until_serving(self, port, seconds=90):
        """Varnish answers and both app servers are healthy behind it."""
        web = [self.env["WEB1_ADDRESS"], self.env["WEB2_ADDRESS"]]
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for name, process in self.running.items():
                if process.poll() is not None:
                    log = (self.workdir / f"{name}.log").read_text()
                    sys.exit(f"{name} exited with {process.returncode}:\n{log[-3000:]}")
            try:
                ready = (
                    all(http_status(f"http://{address}/healthz/") == 200 for address in web)
                    and http_status(f"http://127.0.0.1:{port}/healthz/") == 200
                )
            except OSError:
                ready = False
            if ready:
                time.sleep(2.5)  # the probes' window: both marked healthy
                return
            time.sleep(0.3)
        sys.exit(f"the stack did not answer within {seconds} s; logs in {self.workdir}")


def http_status(url, timeout=5):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


class LoadClient:
    """Keep-alive connections (one per port, `port` by default); every request is recorded
    as (start, seconds, status or None for a failure to get an answer, label)."""

    def __init__(self, port, records, timeout):
        self.port, self.records, self.timeout = port, records, timeout
        self.connections = {}

    def request(self, method, path, label, body=None, headers=None, port=None):
        port = port or self.port
        started = time.perf_counter()
        connection = self.connections.get(port)
        if connection is None:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=self.timeout)
            self.connections[port] = connection
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            connection.close()
            del self.connections[port]
            self.records.append((started, time.perf_counter() - started, None, label))
            return None, None, b""
        self.records.append((started, time.perf_counter() - started, response.status, label))
        if response.will_close:
            connection.close()
            del self.connections[port]
        return response.status, response.headers, data


class LoadResult:
    def __init__(self, records, started, elapsed):
        self.records = sorted(records)
        self.started, self.elapsed = started, elapsed

    @staticmethod
    def failed(record):
        return record[2] is None or record[2] >= 500

    def summary(self, records=None):
        records = self.records if records is None else records
        latencies = [record[1] * 1000 for record in records]
        statuses = Counter("no answer" if record[2] is None else record[2] for record in records)
        return {
            "requests": len(records),
            "per_second": len(records) / self.elapsed if self.elapsed else 0.0,
            "errors": sum(1 for record in records if self.failed(record)),
            "statuses": dict(sorted(statuses.items(), key=str)),
            "p50_ms": percentile(latencies, 0.50),
            "p99_ms": percentile(latencies, 0.99),
            "max_ms": max(latencies, default=float("nan")),
        }

    def by_label(self):
        labels = sorted({record[3] for record in self.records})
        return {label: self.summary([r for r in self.records if r[3] == label]) for label in labels}


def run_load(port, scenarios, seconds, connections, timeout=10, stop=None):
    """`connections` clients, each running the scenarios in turn (starting at its own
    index) for `seconds` or until `stop` (a threading.Event) is set. A scenario is a
    callable taking a LoadClient; it makes one or more requests."""
    records = []
    deadline = time.perf_counter() + seconds
    stop = stop or threading.Event()

    def client(index):
        load_client = LoadClient(port, records, timeout)
        turn = index
        while time.perf_counter() < deadline and not stop.is_set():
            scenarios[turn % len(scenarios)](load_client)
            turn += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return LoadResult(records, started, time.perf_counter() - started)
