"""`manage.py load_demo_content`: the demo portfolio of site/demo/, safe to run again."""

import logging
import time
from contextlib import contextmanager

from django.core.management.base import BaseCommand

from bts_site.demo.builder import DemoLoader

# Each publish and queued task logs a line at INFO: dozens of them for one demo site.
CHATTY_LOGGERS = ("django_tasks", "django_tasks_db", "wagtail")


@contextmanager
def loggers_at_warning(names):
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


class Command(BaseCommand):
    help = (
        "Load the demo portfolio described in site/demo/content.toml: home, about, films with "
        "backstage galleries, contact and a private showreel with one access pass. Pages, "
        "library items and settings that exist are left untouched."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--hostname",
            help="Host name of the default site, as the server is reached (e.g. 127.0.0.1); "
            "kept as it is when not given.",
        )
        parser.add_argument(
            "--port",
            type=int,
            help="Port of the default site, as the server is reached (e.g. 8000); kept as it "
            "is when not given.",
        )
        parser.add_argument(
            "--quiet",
            action="store_true",
            help="Print only what cannot be seen again: the password of a new access pass.",
        )

    def say(self, line):
        self.stdout.write(line)
        self.stdout.flush()

    def handle(self, *args, hostname, port, quiet, verbosity, **options):
        started = time.monotonic()
        say = None if quiet else self.say
        with loggers_at_warning(CHATTY_LOGGERS if verbosity < 2 else ()):
            loader = DemoLoader(say=say, hostname=hostname, port=port).run()
        # Printed after the commit, and always: the pass is stored only as a hash.
        for path, url, password in loader.passes:
            self.stdout.write(f"Demo access pass for {path}: {password}  (open {url})")
        if not quiet:
            seconds = time.monotonic() - started
            self.stdout.write(f"Demo content ready in {seconds:.1f} s: {loader.summary()}.")
