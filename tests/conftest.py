import os
from contextlib import contextmanager
from unittest import mock

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import transaction


def require(condition, reason):
    """Skip locally when a component (browser, database) is missing; fail under CI=true."""
    if condition:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: missing components fail the run)")
    pytest.skip(reason)


def built_once_per_module(build):
    """A module-scoped fixture holding what `build()` returns, made once for the module.

    `build()` runs inside a transaction that is rolled back when the module ends; every test
    still runs in a savepoint of its own (pytest-django's `db` fixture, nested inside), so
    whatever a test changes is undone before the next one. Objects kept in Python are shared
    between tests: tests that change them should load fresh copies from the database.
    """

    @pytest.fixture(scope="module")
    def fixture(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock():
            atomic = transaction.atomic()
            atomic.__enter__()
            try:
                built = build()
            except BaseException as error:
                atomic.__exit__(type(error), error, error.__traceback__)
                raise
        try:
            yield built
        finally:
            with django_db_blocker.unblock():
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)

    return fixture


@contextmanager
def clock_at(moment):
    """Django's clock (`django.utils.timezone.now`) stands still at `moment`."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield moment


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Each test, and each test class's set-up, starts with empty caches: they live in memory
    in tests (bts_site.test_settings), where nothing rolls them back as the database is."""
    if settings.configured:
        for name in settings.CACHES:
            caches[name].clear()
