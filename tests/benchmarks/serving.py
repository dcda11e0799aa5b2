"""What the benchmark scripts share: a gunicorn server with the production settings on a
loopback port, on the script's throwaway database, and a load generator."""

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
