"""Hand the videos marked for processing to the background worker.

Videos uploaded before processing existed are marked "queued" by the migration that added
it; new uploads are queued by themselves. Running this again is harmless: a video is
processed by one task only (gallery.videos.process claims it).
"""

from django.core.management.base import BaseCommand

from gallery import videos
from gallery.models import Video
from gallery.tasks import process_video


class Command(BaseCommand):
    help = "Queue the processing of every video marked for it (--failed: retry failed ones too)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--failed", action="store_true", help="Also queue videos whose processing failed."
        )

    def handle(self, *args, failed=False, **options):
        statuses = [Video.Status.QUEUED] + ([Video.Status.FAILED] if failed else [])
        queued = 0
        for video in Video.objects.filter(processing_status__in=statuses).order_by("pk"):
            videos.requeue(video)
            process_video.enqueue(video.pk)
            queued += 1
        self.stdout.write(f"Videos queued for processing: {queued}")
