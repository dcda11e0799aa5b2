"""Settings for the portfolio site, read from the environment.

Defaults are safe for production; `make run` sets DEBUG for local work.
See README.md for every variable.
"""

import os
from datetime import timedelta
from pathlib import Path

from bts_site.config import (
    ConfigurationError,
    database_from_url,
    env_bool,
    env_int,
    env_list,
)

PROJECT_DIR = Path(__file__).resolve().parent
BASE_DIR = PROJECT_DIR.parent

DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ConfigurationError(
            "SECRET_KEY is not set: set the SECRET_KEY environment variable "
            "(or DEBUG=true for local development)."
        )
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105 - DEBUG only

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "bts_site",
    "home",
    "filmsheets",
    "showreels",
    "gallery",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "csp",
    "axes",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    # HTML pages leave gzipped (static files are precompressed, media go out as stored).
    "bts_site.compression.HtmlGZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # The database down or restarting: the site's 503 page ("try again"), not a traceback.
    "bts_site.unavailable.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous visitors' pages from the cache, before sessions, users or templates load.
    "bts_site.page_cache.PageCacheMiddleware",
    # The request's site, its settings and menu pages from the cache (bts_site.site_cache).
    "bts_site.site_cache.SiteCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "showreels.privacy.PrivateResponseMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its lockout page.
    "axes.middleware.AxesMiddleware",
]

# Admin login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords, from one
# client address or for one username, logins are refused for AXES_COOLOFF_MINUTES.
AUTHENTICATION_BACKENDS = [
    "bts_site.auth.SignInThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "login_locked.html"
# The same client address as every other limit (FORWARDED_FOR_DEPTH behind proxies).
AXES_CLIENT_IP_CALLABLE = "showreels.clients.axes_client_ip"
AXES_VERBOSE = False

ROOT_URLCONF = "bts_site.urls"
WSGI_APPLICATION = "bts_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "csp.context_processors.nonce",
                "bts_site.context_processors.site_navigation",
                "bts_site.context_processors.photo_credit",
            ],
        },
    },
]

# Database: an SQLite file in the project folder unless DATABASE_URL says otherwise.
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
DATABASES = {"default": database_from_url(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is given, otherwise the database, so that every app server
# process sees the same cache (never a per-process memory cache).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # django-redis: a Redis that is down or slow answers as an empty cache within a second
    # (IGNORE_EXCEPTIONS, socket timeouts), so pages are still served, from the database.
    # Nothing that limits visitors lives in the cache (unlock attempts, contact messages and
    # sign-ins are counted in the database). The page cache (bts_site.page_cache) sees
    # Redis's errors itself, to know when a change could not empty it.
    _redis_options = {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1}
    CACHES = {
        name: {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
            "OPTIONS": {**_redis_options, "IGNORE_EXCEPTIONS": name != "pages"},
        }
        for name, prefix in (
            ("default", "bts"),
            ("pages", "bts-pages"),
            ("renditions", "bts-renditions"),
        )
    }
else:
    # Without Redis: files in CACHE_DIR that every process on this machine shares, so that
    # a visitor's request never writes to the database (the database cache would).
    CACHE_DIR = Path(os.environ.get("CACHE_DIR") or BASE_DIR / ".cache" / "django")
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(CACHE_DIR / "default"),
        },
        # Pages for anonymous visitors (bts_site.page_cache).
        "pages": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(CACHE_DIR / "pages"),
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
        # Wagtail keeps the renditions it looked up here: in each process's memory rather
        # than in the database cache, so a visitor's page view writes nothing.
        "renditions": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "renditions",
            "OPTIONS": {"MAX_ENTRIES": 20000},
        },
    }

# How long a CDN, Varnish or the page cache may keep an anonymous visitor's page (seconds;
# 0 turns the page cache off). Changes empty it at once, so this only bounds how long a
# cache that missed a purge can lag.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)
# How long the request's site, its settings and menu pages are kept (bts_site.site_cache;
# changes replace them at once; 0 looks them up on every request).
SITE_CACHE_SECONDS = env_int("SITE_CACHE_SECONDS", 600)
PAGE_CACHE_SKIP_PREFIXES = (
    "/admin/", "/private/", "/media/", "/documents/", "/search/", "/_util/", "/healthz/",
)  # fmt: skip
# A CDN or Varnish in front, purged when content changes (wagtail.contrib.frontend_cache's
# HTTP backend: a PURGE request for each page URL to FRONTEND_CACHE_PURGE_URL).
if os.environ.get("FRONTEND_CACHE_PURGE_URL"):
    WAGTAILFRONTENDCACHE = {
        "front": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": os.environ["FRONTEND_CACHE_PURGE_URL"],
        }
    }

# Sessions live in the database, so an unlocked showreel stays unlocked whichever
# process answers the next request.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# Day/month/year input in every form (see site/formats/en/formats.py).
FORMAT_MODULE_PATH = ["bts_site.formats"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Rome")
USE_I18N = True
USE_TZ = True

# Static files: hashed and compressed names served by WhiteNoise.
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [PROJECT_DIR / "static"]
STORAGES = {
    # Django's FileSystemStorage with faster URLs (gallery/storage.py).
    "default": {"BACKEND": "gallery.storage.MediaFolderStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# `make run` serves static files from the source folders (no collectstatic, an edited
# stylesheet shows on the next reload) while DEBUG stays off, so that a developer sees the
# site's own error pages as visitors do.
STATIC_FROM_SOURCE = env_bool("STATIC_FROM_SOURCE", default=False)
if STATIC_FROM_SOURCE:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    WHITENOISE_USE_FINDERS = True
    WHITENOISE_AUTOREFRESH = True

# Media is never published by the web server directly: every file goes through
# showreels.views.serve_media, which asks the privacy check (see showreels/privacy.py).
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
# "django" streams the file from Python; "nginx" answers with X-Accel-Redirect under
# MEDIA_ACCEL_PREFIX; "sendfile" answers with X-Sendfile (Apache, lighttpd).
MEDIA_SERVE_METHOD = os.environ.get("MEDIA_SERVE_METHOD", "django")
MEDIA_ACCEL_PREFIX = os.environ.get("MEDIA_ACCEL_PREFIX", "/protected-media/")
if MEDIA_SERVE_METHOD not in {"django", "nginx", "sendfile"}:
    raise ConfigurationError(
        f"MEDIA_SERVE_METHOD must be django, nginx or sendfile, not {MEDIA_SERVE_METHOD!r}."
    )

# Media on S3-compatible object storage (gallery/object_storage.py) when MEDIA_S3_BUCKET is
# set: every file in that private bucket, presigned URLs (MEDIA_S3_PRESIGN_SECONDS) issued
# after the privacy check; copies of public photos' renditions and public videos' outputs in
# MEDIA_S3_PUBLIC_BUCKET, a public-read bucket that browsers reach at MEDIA_PUBLIC_URL (the
# bucket's own URL or a CDN in front of it). Credentials: AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY from the environment, read by boto3. Without MEDIA_S3_BUCKET, media
# stays on the local disk under MEDIA_ROOT, served by the app.
MEDIA_S3_BUCKET = os.environ.get("MEDIA_S3_BUCKET", "")
MEDIA_S3_PUBLIC_BUCKET = os.environ.get("MEDIA_S3_PUBLIC_BUCKET", "")
MEDIA_S3_ENDPOINT_URL = os.environ.get("MEDIA_S3_ENDPOINT_URL", "").rstrip("/")
MEDIA_S3_REGION = os.environ.get("MEDIA_S3_REGION", "") or "us-east-1"
MEDIA_S3_PRESIGN_SECONDS = env_int("MEDIA_S3_PRESIGN_SECONDS", 15 * 60)
# A private player's segments: short, since a presigned URL cannot be revoked (the player
# fetches its playlist again when they expire; see showreels/streaming.py).
MEDIA_S3_STREAM_SECONDS = env_int("MEDIA_S3_STREAM_SECONDS", 60)
MEDIA_PUBLIC_URL = os.environ.get("MEDIA_PUBLIC_URL", "").rstrip("/")
# A CDN or cache in front of MEDIA_PUBLIC_URL, purged (HTTP PURGE) of a photo's or video's
# public copies when they are withdrawn; when unset, FRONTEND_CACHE_PURGE_URL is asked.
MEDIA_CDN_PURGE_URL = os.environ.get("MEDIA_CDN_PURGE_URL", "")
if MEDIA_S3_BUCKET:
    if not MEDIA_S3_PUBLIC_BUCKET or MEDIA_S3_PUBLIC_BUCKET == MEDIA_S3_BUCKET:
        raise ConfigurationError(
            "MEDIA_S3_PUBLIC_BUCKET must name a public-read bucket other than MEDIA_S3_BUCKET."
        )
    if MEDIA_S3_PRESIGN_SECONDS < 1 or MEDIA_S3_STREAM_SECONDS < 1:
        raise ConfigurationError(
            "MEDIA_S3_PRESIGN_SECONDS and MEDIA_S3_STREAM_SECONDS must be positive."
        )
    if not MEDIA_PUBLIC_URL:
        MEDIA_PUBLIC_URL = (
            f"{MEDIA_S3_ENDPOINT_URL}/{MEDIA_S3_PUBLIC_BUCKET}"
            if MEDIA_S3_ENDPOINT_URL
            else f"https://{MEDIA_S3_PUBLIC_BUCKET}.s3.{MEDIA_S3_REGION}.amazonaws.com"
        )
    STORAGES["default"] = {"BACKEND": "gallery.object_storage.PrivateMediaStorage"}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_PERMISSIONS = 0o640
# Uploads are streamed to a temporary file (in FILE_UPLOAD_TEMP_DIR, else the system's),
# never held in memory: a video master can weigh gigabytes, and it is probed on that file.
# DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) counts form fields only, not files, so it does not
# stop a large upload; VIDEO_MAX_UPLOAD_SIZE does (and the web server's own body limit,
# e.g. nginx's client_max_body_size, must allow as much).
FILE_UPLOAD_MAX_MEMORY_SIZE = 0
FILE_UPLOAD_TEMP_DIR = os.environ.get("FILE_UPLOAD_TEMP_DIR") or None

# Videos (gallery/validators.py, gallery/videos.py): the largest master accepted (bytes,
# default 4 GiB), the length of HLS segments (seconds), the FFmpeg to run (default: the one
# imageio-ffmpeg installs) and where it works (default: the system's temporary folder).
VIDEO_MAX_UPLOAD_SIZE = env_int("VIDEO_MAX_UPLOAD_SIZE", 4 * 1024**3)
# Two-second segments: the first frame comes after one small segment (tests/benchmarks/video.py
# measured 1.3 s against 2.1 s with four-second ones on a 1.6 Mbit/s link), seeking fetches
# little, and a pass's watched time is counted to within two seconds.
VIDEO_HLS_SEGMENT_SECONDS = env_int("VIDEO_HLS_SEGMENT_SECONDS", 2)
FFMPEG_BINARY = os.environ.get("FFMPEG_BINARY", "")
VIDEO_WORK_DIR = os.environ.get("VIDEO_WORK_DIR") or None
if VIDEO_MAX_UPLOAD_SIZE < 1 or VIDEO_HLS_SEGMENT_SECONDS < 1:
    raise ConfigurationError(
        "VIDEO_MAX_UPLOAD_SIZE and VIDEO_HLS_SEGMENT_SECONDS must be positive."
    )

# Email
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "portfolio@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security. Behind a TLS-terminating proxy set SECURE_PROXY_SSL_HEADER_NAME
# (e.g. HTTP_X_FORWARDED_PROTO) so Django knows the request was HTTPS.
_proxy_header = os.environ.get("SECURE_PROXY_SSL_HEADER_NAME", "")
if _proxy_header:
    SECURE_PROXY_SSL_HEADER = (_proxy_header, "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
# Wagtail's preview panel frames the site from the admin, so same-origin framing stays
# allowed (https://docs.wagtail.org/en/stable/reference/settings.html), and the deploy
# check's advice to use DENY is silenced on purpose.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]
LOGIN_URL = "wagtailadmin_login"
LOGIN_REDIRECT_URL = "/"

# Content-Security-Policy for the public site. The admin is left to Wagtail, which
# needs inline scripts and styles of its own.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # Wagtail's userbar (editors only) and embed players set inline styles.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "https://i.ytimg.com", "https://i.vimeocdn.com"],
        # hls.js plays through Media Source Extensions: the <video> reads a blob: URL, and
        # hls.js builds its transmuxing worker from one (its `enableWorker` option):
        # https://github.com/video-dev/hls.js/blob/master/docs/API.md#enableworker
        "media-src": ["'self'", "blob:"],
        "worker-src": ["'self'", "blob:"],
        "font-src": ["'self'"],
        "frame-src": [
            "https://www.youtube-nocookie.com",
            "https://www.youtube.com",
            "https://player.vimeo.com",
        ],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    },
}

# Object storage (see MEDIA_S3_BUCKET above): pages load photos, video and playlists from the
# public bucket's URL and from presigned URLs of the private bucket; a response that named a
# presigned URL is never cached.
MIDDLEWARE.insert(
    MIDDLEWARE.index("showreels.privacy.PrivateResponseMiddleware") + 1,
    "gallery.object_storage.SignedUrlMiddleware",
)
if MEDIA_S3_BUCKET:
    from urllib.parse import urlsplit as _urlsplit

    _media_origins = sorted(
        {
            "{0.scheme}://{0.netloc}".format(_urlsplit(url))
            for url in (
                MEDIA_PUBLIC_URL,
                MEDIA_S3_ENDPOINT_URL
                or f"https://{MEDIA_S3_BUCKET}.s3.{MEDIA_S3_REGION}.amazonaws.com",
            )
        }
    )
    for _directive in ("img-src", "media-src", "connect-src"):
        CONTENT_SECURITY_POLICY["DIRECTIVES"][_directive] += _media_origins
    # Documents: the app checks who may have one, then redirects to a presigned URL.
    WAGTAILDOCS_SERVE_METHOD = "redirect"
# Withdrawn public copies are purged (HTTP PURGE, wagtail.contrib.frontend_cache) from the
# CDN or cache at MEDIA_CDN_PURGE_URL, else from the one pages are purged from.
MEDIA_FRONTEND_CACHE = (
    {
        "media": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": MEDIA_CDN_PURGE_URL,
        }
    }
    if MEDIA_CDN_PURGE_URL
    else None
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# Wagtail
WAGTAIL_SITE_NAME = os.environ.get("WAGTAIL_SITE_NAME", "Behind the Scenes")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILIMAGES_IMAGE_MODEL = "gallery.BackstageImage"
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"avif": "avif", "webp": "webp", "bmp": "jpeg"}
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp", "heic", "tif", "tiff"]
# Every uploaded photo is decoded whole and stored web-ready (8-bit sRGB, upright) by the
# image forms' base (gallery/forms.py, gallery/uploads.py); a damaged file is refused.
WAGTAILIMAGES_IMAGE_FORM_BASE = "gallery.forms.BackstageImageForm"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 40 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 128_000_000
WAGTAILDOCS_EXTENSIONS = ["pdf", "txt", "zip"]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_PASSWORD_REQUIRED_TEMPLATE = "showreels/password_required.html"  # noqa: S105
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ALLOW_UNICODE_SLUGS = False
# Dates in the admin's date pickers: day/month/year, as the owner writes them.
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"

# Background tasks (django-tasks). Wagtail's own tasks (reference index, focal points) run
# immediately, in the request; making renditions at publish time goes to the "background"
# backend: by default a database queue worked by `manage.py db_worker` (which `make run`
# starts beside the web server), so publishing a gallery of hundreds of photos never waits
# for them; BACKGROUND_TASKS=immediate does the work inside the request instead.
BACKGROUND_TASKS = os.environ.get("BACKGROUND_TASKS", "database")
if BACKGROUND_TASKS not in {"immediate", "database"}:
    raise ConfigurationError(
        f"BACKGROUND_TASKS must be immediate or database, not {BACKGROUND_TASKS!r}."
    )
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "background": {
        "BACKEND": "django_tasks_db.backend.DatabaseBackend"
        if BACKGROUND_TASKS == "database"
        else "django_tasks.backends.immediate.ImmediateBackend"
    },
}
INSTALLED_APPS += ["django_tasks", "django_tasks_db"]

# Private showreels (showreels/privacy.py, showreels/limits.py)
# Wagtail's shared page password beside access passes: off unless the owner wants it.
SHOWREEL_ALLOW_SHARED_PASSWORD = env_bool("SHOWREEL_ALLOW_SHARED_PASSWORD", default=False)
# Failed passes allowed per client network and protected section within the window (s),
SHOWREEL_UNLOCK_ATTEMPTS = env_int("SHOWREEL_UNLOCK_ATTEMPTS", 5)
SHOWREEL_UNLOCK_WINDOW = env_int("SHOWREEL_UNLOCK_WINDOW", 15 * 60)
# and across all clients of one section (guessing spread over many networks; 0: no ceiling).
SHOWREEL_SECTION_ATTEMPTS = env_int("SHOWREEL_SECTION_ATTEMPTS", 50)
# Email the owner when a pass is used for the first time, and when the ceiling is reached.
SHOWREEL_NOTIFY_EMAIL = os.environ.get("SHOWREEL_NOTIFY_EMAIL", "")

# Private video (showreels/streaming.py): a player's signed URLs last this long (seconds, never
# past the pass's expiry), and each process checks again whether a pass may still watch a
# video at most this often, so a revoked pass or a page made inaccessible stops the next
# segment within that time. The media library asks the private-work app for its players.
SHOWREEL_STREAM_TOKEN_SECONDS = env_int("SHOWREEL_STREAM_TOKEN_SECONDS", 4 * 60 * 60)
SHOWREEL_STREAM_RECHECK_SECONDS = env_int("SHOWREEL_STREAM_RECHECK_SECONDS", 30)
GALLERY_VIDEO_STREAMS = "showreels.streaming.stream_for_page"
# What passes watched (showreels/watching.py) is written at most this often per process.
SHOWREEL_WATCH_FLUSH_SECONDS = env_int("SHOWREEL_WATCH_FLUSH_SECONDS", 5)
SHOWREEL_WATCH_BACKGROUND_FLUSH = env_bool("SHOWREEL_WATCH_BACKGROUND_FLUSH", default=True)

# Contact form: submissions allowed per client within the window (seconds).
CONTACT_SUBMISSIONS_PER_WINDOW = env_int("CONTACT_SUBMISSIONS_PER_WINDOW", 5)
CONTACT_WINDOW = env_int("CONTACT_WINDOW", 60 * 60)

# How many proxies in front of the app append to X-Forwarded-For (0: use REMOTE_ADDR).
FORWARDED_FOR_DEPTH = env_int("FORWARDED_FOR_DEPTH", 0)

# How long browsers and CDNs may keep a public image. Short enough that a photo moved to a
# private page stops being served from caches soon (purge the CDN for immediate effect).
PUBLIC_MEDIA_MAX_AGE = env_int("PUBLIC_MEDIA_MAX_AGE", 3600)
# A processed video's outputs never change under their name (a new master gets a new
# folder), so public playlists, segments, sprites and posters are kept for a year.
PUBLIC_VIDEO_MAX_AGE = env_int("PUBLIC_VIDEO_MAX_AGE", 365 * 24 * 60 * 60)
