"""Bad configuration ends in one clear line and a non-zero exit, never a traceback."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import require

# Every test runs manage.py (or make) in a subprocess.
pytestmark = pytest.mark.processes

PROJECT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "SECRET_KEY": "a-long-random-production-secret-key-for-the-deploy-check-0123456789",
    "ALLOWED_HOSTS": "portfolio.example",
    "CSRF_TRUSTED_ORIGINS": "https://portfolio.example",
    "DEBUG": "false",
}


def manage(*args, env=None, timeout=120):
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "SECRET_KEY", "DEBUG", "DATABASE_URL", "ALLOWED_HOSTS"))
    }
    clean["DJANGO_SETTINGS_MODULE"] = "bts_site.settings"
    clean.update(env or {})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def assert_one_line_error(result, *words):
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0], lines[0]


def test_missing_secret_key_with_debug_off_names_the_variable():
    result = manage("check", env={"DEBUG": "false"})
    assert_one_line_error(result, "SECRET_KEY")


def test_debug_on_runs_without_a_secret_key():
    result = manage("check", env={"DEBUG": "true"})
    assert result.returncode == 0, result.stderr


def test_unparseable_database_url_is_refused_in_one_line():
    result = manage("check", env={"DEBUG": "true", "DATABASE_URL": "nonsense://what"})
    assert_one_line_error(result, "DATABASE_URL")


def test_invalid_boolean_is_named():
    result = manage("check", env={"DEBUG": "perhaps"})
    assert_one_line_error(result, "DEBUG")


def test_database_that_does_not_answer_names_the_url_tried(tmp_path):
    with socket.socket() as probe:  # a port with nothing listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"postgres://postgres:hunter2@127.0.0.1:{port}/nothing"
    result = manage("migrate", env={"DEBUG": "true", "DATABASE_URL": url})
    assert_one_line_error(result, f"postgres://postgres:***@127.0.0.1:{port}/nothing")
    assert "hunter2" not in result.stderr


def test_sqlite_file_in_a_missing_folder_is_reported():
    url = "sqlite:////nonexistent-folder/db.sqlite3"
    result = manage("migrate", env={"DEBUG": "true", "DATABASE_URL": url})
    assert_one_line_error(result, "/nonexistent-folder/db.sqlite3")


def test_port_already_in_use_is_told_in_one_line():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = manage(
            "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks", env={"DEBUG": "true"}
        )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "port is already in use" in result.stderr


def test_make_run_stops_when_the_port_is_taken():
    require(
        (PROJECT / ".venv" / ".installed").exists(), "make run needs the .venv of `make install`"
    )
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            ["make", "-s", "run", f"PORT={port}"],
            cwd=PROJECT,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode != 0
    assert f"Port {port} on 127.0.0.1 is already in use" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_defaults_are_safe():
    code = (
        "from django.conf import settings as s;"
        "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SECURE_HSTS_SECONDS > 0, s.SESSION_ENGINE, s.CACHES['default']['BACKEND'])"
    )
    result = manage("shell", "--no-imports", "-c", code, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "True",
        "True",
        "True",
        "True",
        "django.contrib.sessions.backends.db",
        "django.core.cache.backends.filebased.FileBasedCache",
    ]


def test_redis_url_selects_the_shared_redis_cache():
    code = "from django.conf import settings as s; print(s.CACHES['default']['BACKEND'])"
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        code,
        env={**PRODUCTION_ENV, "REDIS_URL": "redis://127.0.0.1:6379/1"},
    )
    assert result.stdout.strip() == "django_redis.cache.RedisCache"


def test_database_url_configures_postgres_with_health_checks():
    code = (
        "from django.conf import settings as s; d = s.DATABASES['default'];"
        "print(d['ENGINE'], d['HOST'], d['PORT'], d['NAME'], d['CONN_HEALTH_CHECKS'])"
    )
    env = {**PRODUCTION_ENV, "DATABASE_URL": "postgres://u:p@db.internal:6543/portfolio"}
    result = manage("shell", "--no-imports", "-c", code, env=env)
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "db.internal",
        "6543",
        "portfolio",
        "True",
    ]


def test_sqlite_waits_for_locks_so_several_processes_can_write(tmp_path):
    code = (
        "from django.conf import settings as s; o = s.DATABASES['default']['OPTIONS'];"
        "print(o['timeout'], o['transaction_mode'], 'journal_mode=WAL' in o['init_command'])"
    )
    env = {**PRODUCTION_ENV, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    result = manage("shell", "--no-imports", "-c", code, env=env)
    assert result.stdout.split() == ["20", "IMMEDIATE", "True"], result.stderr


def test_object_storage_needs_a_public_bucket_and_opens_the_csp_to_it():
    result = manage("check", env={"DEBUG": "true", "MEDIA_S3_BUCKET": "media"})
    assert_one_line_error(result, "MEDIA_S3_PUBLIC_BUCKET")
    s3_env = {
        **PRODUCTION_ENV,
        "MEDIA_S3_BUCKET": "media",
        "MEDIA_S3_PUBLIC_BUCKET": "media-public",
        "MEDIA_S3_ENDPOINT_URL": "https://s3.example",
        "MEDIA_PUBLIC_URL": "https://media.example/",
    }
    code = (
        "from django.conf import settings as s;"
        "print(s.STORAGES['default']['BACKEND'], s.MEDIA_PUBLIC_URL,"
        " ' '.join(s.CONTENT_SECURITY_POLICY['DIRECTIVES']['media-src']))"
    )
    result = manage("shell", "--no-imports", "-c", code, env=s3_env)
    assert result.stdout.split() == [
        "gallery.object_storage.PrivateMediaStorage",
        "https://media.example",
        "'self'",
        "blob:",
        "https://media.example",
        "https://s3.example",
    ], result.stderr
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=s3_env)
    assert result.returncode == 0, result.stderr
