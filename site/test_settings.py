"""Test settings: the production settings with the slow parts made fast."""

import os
import tempfile

# Plain HTTP on localhost in tests; set only while the settings module reads them, so
# subprocesses started by tests see the environment as it was.
_TEST_ENV = {
    "SECRET_KEY": "test-only-secret-key-not-for-production",
    "ALLOWED_HOSTS": "testserver,localhost,127.0.0.1",
    "SECURE_SSL_REDIRECT": "false",
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
    "SECURE_HSTS_SECONDS": "0",
    # Renditions made at publish are there when a test asks for them.
    "BACKGROUND_TASKS": "immediate",
}
_added = {key: value for key, value in _TEST_ENV.items() if key not in os.environ}
os.environ.update(_added)
try:
    from bts_site.settings import *  # noqa: F403
finally:
    for _key in _added:
        del os.environ[_key]

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="bts-test-media-")
WHITENOISE_AUTOREFRESH = True
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
SHOWREEL_WATCH_BACKGROUND_FLUSH = False  # tests write what passes watched by calling flush()
# Pages render on every request in tests; tests of the page cache turn it on themselves.
PAGE_CACHE_SECONDS = 0
# Caches in memory, emptied before each test (tests/conftest.py).
CACHES = {
    name: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": name}
    for name in ("default", "pages", "renditions")
}
