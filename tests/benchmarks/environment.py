"""The throwaway settings every benchmark script runs with (before Django is set up)."""

import logging
import os
import tempfile
from pathlib import Path


def prepare(prefix):
    """Point Django at a new temporary folder and database, set it up and migrate."""
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
