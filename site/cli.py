"""Run management commands so that bad configuration ends in one clear line, not a traceback."""

import os
import sys

from django.core.exceptions import ImproperlyConfigured
from django.db.utils import OperationalError

from bts_site.config import redact


def run_management_command(argv):
    from django.conf import settings
    from django.core.management import execute_from_command_line

    try:
        # Read the settings first: some commands (makemigrations) would otherwise put a
        # configuration error aside and fail later with an unrelated traceback.
        if len(argv) > 1 and argv[1] not in ("help", "--help", "-h", "version", "--version"):
            settings.INSTALLED_APPS  # noqa: B018
        execute_from_command_line(argv)
    except ImproperlyConfigured as error:
        sys.stderr.write(f"Configuration error: {error}\n")
        return 2
    except OperationalError as error:
        sys.stderr.write(database_unreachable_message(error) + "\n")
        return 3
    return 0


def database_unreachable_message(error):
    from django.conf import settings

    url = getattr(settings, "DATABASE_URL", os.environ.get("DATABASE_URL", ""))
    reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return f"Database error at {redact(url)}: {reason}"
