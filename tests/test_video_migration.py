"""Videos uploaded before processing existed are marked for it by the migration that adds it."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from gallery.models import Video

# Migrations commit as they go; pytest-django runs transactional tests after the others.
pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_PROCESSING = [("gallery", "0003_rendition_failure")]


def migrate(targets=None):
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return executor.loader.project_state(targets).apps if targets else None


def test_videos_from_before_processing_are_marked_for_it():
    try:
        apps = migrate(BEFORE_PROCESSING)
        old = apps.get_model("gallery", "Video").objects.create(
            title="Old clip", file="videos/old.webm"
        )
        migrate()
        video = Video.objects.get(pk=old.pk)
        assert video.processing_status == Video.Status.QUEUED
        assert video.status_label == "Queued"
        assert (video.output_folder, video.duration, video.renditions) == ("", None, [])
    finally:
        migrate()  # whatever happened, the next test finds the latest schema
