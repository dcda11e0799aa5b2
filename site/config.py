"""Reading configuration from the environment, with errors a person can act on."""

import os

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


class ConfigurationError(ImproperlyConfigured):
    """A setting taken from the environment is missing or cannot be used."""


def env_bool(name, default=False):
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ConfigurationError(f"{name} must be true or false, not {raw!r}.")


def env_int(name, default):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigurationError(f"{name} must be a whole number, not {raw!r}.") from None


def env_list(name, default=()):
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def database_from_url(url):
    """Parse DATABASE_URL with dj-database-url, turning its exceptions into one clear line."""
    import dj_database_url

    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except Exception as error:  # dj-database-url raises ValueError, KeyError, ...
        raise ConfigurationError(
            f"DATABASE_URL cannot be parsed ({error}); expected e.g. "
            "postgres://user:password@host:5432/name or sqlite:///path/to/db.sqlite3"
        ) from None
    if not config.get("ENGINE"):
        raise ConfigurationError(f"DATABASE_URL names no known database engine: {redact(url)}")
    if config["ENGINE"] == "django.db.backends.postgresql":
        # A database that does not answer fails the request within seconds (the site's 503
        # page) instead of holding it; a connection broken by a restart is noticed by the
        # health check at the start of the next request and opened again.
        config.setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # A persistent connection buys nothing for a local file.
        config["CONN_MAX_AGE"] = 0
        config["CONN_HEALTH_CHECKS"] = False
        # Several server processes may write at once: wait for the lock instead of failing
        # with "database is locked", take it at the start of each transaction, and let
        # readers go on while one process writes (WAL).
        # https://docs.djangoproject.com/en/5.2/ref/databases/#sqlite-transaction-behavior
        options = config.setdefault("OPTIONS", {})
        options.setdefault("timeout", 20)
        options.setdefault("transaction_mode", "IMMEDIATE")
        options.setdefault("init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
    return config


def redact(url):
    """The URL with its password hidden, for messages."""
    from urllib.parse import urlsplit, urlunsplit

    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unparseable URL>"
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        parts = parts._replace(netloc=netloc)
    return urlunsplit(parts)
