#!/usr/bin/env python
"""Django's command-line utility, with configuration errors told in one line."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bts_site.settings")
    try:
        from bts_site.cli import run_management_command
    except ImportError as error:
        sys.exit(
            f"Cannot import the project ({error}). Run `make run` or install it with "
            "`pip install -e .` in a virtual environment."
        )
    sys.exit(run_management_command(sys.argv))


if __name__ == "__main__":
    main()
