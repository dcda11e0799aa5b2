"""The throwaway settings every benchmark script runs with (before Django is set up)."""

import logging
import os
import tempfile
from pathlib import Path


def prepare(prefix):
    """Point Django at a new temporary folder and database, set it up and migrate.

    BENCH_DATABASE_URL: PostgreSQL instead of SQLite (an empty database). BENCH_REDIS_URL:
    the caches in Redis (a database the benchmark empties, e.g. redis://127.0.0.1:6379/9).
    """
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "bts_site.settings",
            "SECRET_KEY": "benchmark-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            "DEBUG": "false",
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "MEDIA_ROOT": str(workdir / "media"),
            "CACHE_DIR": str(workdir / "cache"),
            "STATIC_ROOT": str(workdir / "static"),
            "DATABASE_URL": os.environ.get(
                "BENCH_DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}"
            ),
            "BACKGROUND_TASKS": os.environ.get("BACKGROUND_TASKS", "immediate"),
            "STATIC_FROM_SOURCE": "true",
            "LOG_LEVEL": "WARNING",
            # Renders are measured, not the page cache (it answers its hits without them).
            "PAGE_CACHE_SECONDS": os.environ.get("BENCH_PAGE_CACHE_SECONDS", "0"),
        }
    )
    redis_url = os.environ.get("BENCH_REDIS_URL")
    if redis_url:
        # The caches in Redis, in a database of the benchmark's own that it empties first:
        # a page id of an earlier run's database must not find that run's cache entries.
        os.environ["REDIS_URL"] = redis_url
        import redis

        redis.Redis.from_url(redis_url).flushdb()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    logging.disable(logging.WARNING)  # the 403s and 429s are expected here
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    setup_test_environment()
    return workdir
