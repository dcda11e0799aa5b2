"""Make the public bucket hold exactly what the privacy check allows, now.

The background worker does this after every change that matters (showreels/public_media.py);
run it once after moving media to object storage, or with --recopy after the public bucket
was emptied, restored or replaced.
"""

from django.core.management.base import BaseCommand, CommandError

from gallery import object_storage
from showreels import public_media


class Command(BaseCommand):
    help = "Copy public photos' renditions and public videos' outputs to the public bucket, "
    help += "and withdraw those no longer public (media on object storage only)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--recopy",
            action="store_true",
            help="Copy again everything marked public, not only what changed.",
        )

    def handle(self, *args, recopy=False, **options):
        if not object_storage.enabled():
            raise CommandError("Media is not on object storage (MEDIA_S3_BUCKET is not set).")
        counts = public_media.sync(recopy=recopy)
        self.stdout.write(", ".join(f"{what}: {count}" for what, count in counts.items()))
