"""`manage.py load_demo_content`: a small, coherent demo portfolio, safe to run again."""

import logging
import time
from contextlib import contextmanager

from django.core.management.base import BaseCommand

from bts_site.demo.builder import IMAGE_SCALES, DemoBuilder

# Each publish and background task logs a line at INFO: dozens of them for one demo site.
CHATTY_LOGGERS = ("django_tasks", "wagtail")


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
        "Create a demo portfolio: home, about, films with backstage galleries, contact and a "
        "private showreel with one access pass. Existing pages and settings are left untouched."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--image-size",
            choices=sorted(IMAGE_SCALES),
            default="full",
            help="Size of the generated pictures and clip: full (about 1600 px) or small (fast).",
        )
        parser.add_argument(
            "--quiet",
            action="store_true",
            help="Print only what cannot be seen again: the password of a new access pass.",
        )

    def handle(self, *args, image_size, quiet, verbosity, **options):
        started = time.monotonic()
        with loggers_at_warning(CHATTY_LOGGERS if verbosity < 2 else ()):
            report = DemoBuilder(image_size=image_size).run()
        # Printed after the commit, and always: the pass is stored only as a hash.
        for url, password in report.passes:
            self.stdout.write(f"Demo access pass for {url}: {password}")
        if quiet:
            return
        for note in report.notes:
            self.stdout.write(self.style.WARNING(note))
        for line in report.summary():
            self.stdout.write(line)
        self.stdout.write(f"Demo content ready in {time.monotonic() - started:.1f} s.")
