"""Prepare the whole stack on this machine for `make run-stack` (then Procfile.stack).

Checks that what the stack needs is there (free ports, varnishd, PostgreSQL, Redis), creates
the PostgreSQL database when it is missing, migrates it, collects static files, loads the
demo content for the address Varnish serves, makes sure there is an admin account and queues
unprocessed videos. Each problem ends in one line saying what to do.

With media on object storage (MEDIA_S3_BUCKET), SeaweedFS runs while the demo content is
stored. Reads the stack's environment (set by the Makefile): DATABASE_URL, REDIS_URL,
VARNISH_LISTEN, WEB1_ADDRESS, WEB2_ADDRESS, STATIC_ROOT, MEDIA_S3_* and SEAWEEDFS_DIR.
"""

import os
import shutil
import socket
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import redis

PROJECT_DIR = Path(__file__).resolve().parent.parent


class StackError(Exception):
    """Something the stack needs is missing, with what to do."""


def address(name):
    value = os.environ.get(name, "")
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit():
        raise StackError(f"{name} must be host:port, not {value!r}")
    return host, int(port)


def check_free(name):
    host, port = address(name)
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if probe.connect_ex((host, port)) == 0:
            raise StackError(
                f"Port {port} on {host} ({name}) is already in use: stop what runs there or "
                f"choose another port (make run-stack {name.split('_')[0]}_PORT=...)"
            )


def ensure_database(url):
    """Create the PostgreSQL database named in DATABASE_URL when it does not exist."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise StackError(f"The stack runs on PostgreSQL; DATABASE_URL is {parts.scheme}://")
    name = parts.path.lstrip("/")
    admin_url = parts._replace(path="/postgres").geturl()
    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=3) as connection:
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
            if not exists:
                connection.execute(f'CREATE DATABASE "{name}"')
                say(f"Created the PostgreSQL database {name}")
    except psycopg.OperationalError as error:
        first_line = str(error).strip().splitlines()[0]
        raise StackError(
            f"PostgreSQL does not answer at {parts.hostname}:{parts.port or 5432} "
            f"({first_line}): start it (pg_ctlcluster 15 main start)"
        ) from None


def check_redis(url):
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        raise StackError(
            f"Redis does not answer at {url} ({error}): start it (redis-server)"
        ) from None


def say(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def manage(*args):
    # Varnish is not running yet: nothing to purge while the database is prepared.
    env = {k: v for k, v in os.environ.items() if not k.endswith("_PURGE_URL")}
    command = [sys.executable, "manage.py", *args]
    subprocess.run(command, cwd=PROJECT_DIR, env=env, check=True)  # noqa: S603 - our manage.py


@contextmanager
def object_storage():
    """SeaweedFS (deploy/seaweedfs.py) while the demo content is stored, when media lives
    on object storage; honcho starts it again with the rest."""
    if not os.environ.get("MEDIA_S3_BUCKET"):
        yield
        return
    endpoint = urlsplit(os.environ.get("MEDIA_S3_ENDPOINT_URL", ""))
    with socket.socket() as probe:
        if probe.connect_ex((endpoint.hostname or "127.0.0.1", endpoint.port or 8333)) == 0:
            raise StackError(f"{endpoint.netloc} (MEDIA_S3_ENDPOINT_URL) is already in use")
    command = [sys.executable, "deploy/seaweedfs.py"]
    storage = subprocess.Popen(  # noqa: S603 - our own script
        command, cwd=PROJECT_DIR, stdout=subprocess.PIPE, text=True
    )
    try:
        line = storage.stdout.readline()
        if "ready" not in line:
            raise StackError(f"SeaweedFS did not start: {line.strip() or 'see its log'}")
        say(line.strip())
        yield
    finally:
        storage.terminate()
        storage.wait(timeout=60)


def prepare():
    for name in ("VARNISH_LISTEN", "WEB1_ADDRESS", "WEB2_ADDRESS"):
        check_free(name)
    if not shutil.which("varnishd") and not Path("/usr/sbin/varnishd").exists():
        raise StackError("varnishd is not installed: apt-get install varnish")
    ensure_database(os.environ["DATABASE_URL"])
    check_redis(os.environ["REDIS_URL"])
    host, port = address("VARNISH_LISTEN")
    with object_storage():
        say("Preparing the database (migrations, static files, demo content, admin account)...")
        manage("migrate", "--no-input", "-v", "0")
        manage("createcachetable")
        manage("collectstatic", "--no-input", "-v", "0")
        manage("load_demo_content", "--hostname", host, "--port", str(port))
        manage("ensure_admin")
        manage("queue_videos")
    say(
        f"Serving on http://{host}:{port}/ through Varnish, app servers on "
        f"{os.environ['WEB1_ADDRESS']} and {os.environ['WEB2_ADDRESS']}, with the "
        "background worker  (Ctrl+C stops them all)"
    )


if __name__ == "__main__":
    try:
        prepare()
    except StackError as error:
        sys.exit(str(error))
    except subprocess.CalledProcessError as error:
        sys.exit(f"{' '.join(error.cmd[1:])} failed (exit {error.returncode})")
