"""Processing a video in the background worker (gallery.tasks): probe, HLS ladder, MP4
fallback, poster and scrubbing thumbnails, stored under `videos/<id>-<token>/`.

FFmpeg works on a local file (the master's own path when the storage has one, otherwise a
temporary copy) and writes into a temporary folder; the outputs then go to Django's
default storage through its API, so that object storage can take over from the disk. Each
run writes a new folder: players keep the previous outputs until the new ones are ready,
and the folder of a run that lost its video (deleted, its master replaced) is removed.

The worker writes only its own fields, with UPDATEs: an owner saving the form meanwhile
changes the title or the poster without undoing the worker's progress, and the worker's
progress writes stop it (ProcessingCancelled) once its run is no longer the current one.
"""

import logging
import os
import secrets
import shutil
import tempfile
import time
from contextlib import contextmanager, suppress
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.images import ImageFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Collection, ReferenceIndex

from gallery.events import library_changed
from gallery.models import Video
from gallery.probe import VideoRefused, probe_video
from gallery.transcode import (
    FFmpegError,
    fallback_rung,
    make_fallback,
    make_ladder,
    make_poster,
)

logger = logging.getLogger(__name__)
Status = Video.Status
POSTER_COLLECTION = "Video posters"
CHUNK = 1024 * 1024
# Share of the progress bar each step takes, ending at: probe, ladder, fallback, poster.
PROBED, LADDER_DONE, FALLBACK_DONE, POSTER_DONE = 2, 88, 91, 94


class ProcessingCancelled(Exception):
    """The video was deleted, its master replaced or its processing restarted meanwhile."""


@contextmanager
def local_copy(field_file):
    """A local path of a stored file: its own path on a disk storage, else a temporary
    copy streamed from the storage."""
    storage, name = field_file.storage, field_file.name
    try:
        path = storage.path(name)
    except NotImplementedError:
        path = None
    if path and os.path.isfile(path):
        yield Path(path)
        return
    with tempfile.TemporaryDirectory(prefix="bts-master-", dir=work_dir()) as folder:
        target = Path(folder) / f"master{Path(name).suffix}"
        with storage.open(name, "rb") as source, target.open("wb") as copy:
            shutil.copyfileobj(source, copy, CHUNK)
        yield target


def work_dir():
    return getattr(settings, "VIDEO_WORK_DIR", None) or None


def store_folder(local_folder, folder):
    """Save every file of a local folder under `folder` in the default storage."""
    for path in sorted(Path(local_folder).rglob("*")):
        if not path.is_file():
            continue
        name = f"{folder}/{path.relative_to(local_folder).as_posix()}"
        with path.open("rb") as handle:
            stored = default_storage.save(name, File(handle))
        if stored != name:
            raise OSError(f"The storage saved {name} as {stored}.")


def delete_folder(folder):
    """Delete a processing folder (and what is in it) from the default storage."""
    if not folder or not folder.startswith("videos/") or ".." in folder:
        return
    try:
        folders, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in files:
        default_storage.delete(f"{folder}/{name}")
    for name in folders:
        delete_folder(f"{folder}/{name}")
    with suppress(NotImplementedError, OSError):
        os.rmdir(default_storage.path(folder))  # a disk storage keeps empty folders


class Progress:
    """Writes the percentage done, at most once a second, while the run is current."""

    def __init__(self, video_id, master):
        self.current = Video.objects.filter(
            pk=video_id, file=master, processing_status=Status.PROCESSING
        )
        self.percent, self.written_at = -1, 0.0

    def __call__(self, percent, force=False):
        percent = max(0, min(99, int(percent)))
        now = time.monotonic()
        if not force and (percent == self.percent or now - self.written_at < 1.0):
            return
        self.percent, self.written_at = percent, now
        if not self.current.update(processing_progress=percent):
            raise ProcessingCancelled

    def step(self, start, end):
        """A callback for a step's own fraction done, mapped between two percentages."""
        return lambda fraction: self(start + (end - start) * fraction)


def probe_fields(probe):
    return {
        "duration": probe.duration,
        "width": probe.width,
        "height": probe.height,
        "frame_rate": probe.frame_rate,
        "video_codec": probe.video_codec,
        "audio_codec": probe.audio_codec,
        "has_audio": probe.has_audio,
        "rotation": probe.rotation,
    }


def poster_collection():
    root = Collection.get_first_root_node()
    return root.get_children().filter(name=POSTER_COLLECTION).first() or root.add_child(
        name=POSTER_COLLECTION
    )


def poster_image(video, path):
    """The poster frame as a library image, so that templates and blocks show it as they
    show any poster."""
    image_model = get_image_model()
    with open(path, "rb") as handle:
        image = image_model(
            title=f"{video.title} (poster frame)"[:255],
            collection=poster_collection(),
            file=ImageFile(handle, name=f"video-{video.pk}-poster.jpg"),
        )
        image.save()
    return image


def delete_unused_image(image_id):
    """Delete a generated poster image once nothing refers to it (the owner may have put
    it in a gallery)."""
    image = get_image_model().objects.filter(pk=image_id).first()
    if image is not None and not ReferenceIndex.get_references_to(image).exists():
        image.delete()


def _publish_poster(video_id, master, poster_path, frame_at, extra):
    """Store the poster image and the worker's fields in one go, if the run is current.
    Returns the video, or None when it was deleted or its master replaced meanwhile."""
    with transaction.atomic():
        video = Video.objects.select_for_update().filter(pk=video_id, file=master).first()
        if video is None:
            return None
        old_generated = video.generated_poster_id
        image = poster_image(video, poster_path)
        owner_chose = video.poster_id is not None and video.poster_id != old_generated
        fields = {
            "generated_poster_id": image.pk,
            "poster_frame_at": frame_at,
            **({} if owner_chose else {"poster_id": image.pk}),
            **extra,
        }
        Video.objects.filter(pk=video_id).update(**fields)
        video.refresh_from_db()
        # The poster is referred to by an UPDATE, which Wagtail's reference index does not
        # see: the privacy check finds the pages showing a poster through that index.
        ReferenceIndex.create_or_update_for_object(video)
        if old_generated and old_generated != image.pk:
            transaction.on_commit(lambda: delete_unused_image(old_generated))
    return video


def process(video_id):
    """Process a queued video; returns what happened, for the task's result."""
    if not Video.objects.filter(pk=video_id, processing_status=Status.QUEUED).update(
        processing_status=Status.PROCESSING, processing_progress=0, processing_error=""
    ):
        return "not queued"
    video = Video.objects.get(pk=video_id)
    master = video.file.name
    folder = f"videos/{video.pk}-{secrets.token_hex(6)}"
    progress = Progress(video_id, master)
    try:
        with (
            local_copy(video.file) as source,
            tempfile.TemporaryDirectory(prefix="bts-video-", dir=work_dir()) as work,
        ):
            probe = probe_video(source)
            Video.objects.filter(pk=video_id, file=master).update(**probe_fields(probe))
            progress(PROBED, force=True)
            out = Path(work) / "out"
            out.mkdir()
            segment = settings.VIDEO_HLS_SEGMENT_SECONDS
            rungs = make_ladder(source, probe, out, segment, progress.step(PROBED, LADDER_DONE))
            progress(LADDER_DONE, force=True)
            make_fallback(out, fallback_rung(rungs))
            progress(FALLBACK_DONE, force=True)
            top = rungs[-1]
            poster_path = out / "poster.jpg"
            frame_at = make_poster(
                source, probe, poster_path, top.width, top.height, at=video.poster_time
            )
            progress(POSTER_DONE, force=True)
            store_folder(out, folder)
            progress(99, force=True)
            old_folder = video.output_folder
            done = _publish_poster(
                video_id,
                master,
                poster_path,
                frame_at,
                {
                    **probe_fields(probe),
                    "output_folder": folder,
                    "renditions": [
                        {**rung.as_dict(), "segment_seconds": segment} for rung in rungs
                    ],
                    "processing_status": Status.READY,
                    "processing_progress": 100,
                    "processing_error": "",
                    "processed_at": timezone.now(),
                },
            )
    except ProcessingCancelled:
        delete_folder(folder)
        return "cancelled"
    except (VideoRefused, FFmpegError, OSError) as error:
        delete_folder(folder)
        fail(video_id, master, str(error))
        return "failed"
    except Exception as error:
        logger.exception("Processing video %s failed", video_id)
        delete_folder(folder)
        fail(video_id, master, f"Unexpected error: {error}")
        return "failed"
    if done is None:
        delete_folder(folder)
        return "cancelled"
    if old_folder and old_folder != folder:
        delete_folder(old_folder)
    library_changed.send(sender=Video, video_id=video_id)
    return "ready"


def fail(video_id, master, reason):
    transaction.on_commit(lambda: library_changed.send(sender=Video, video_id=video_id))
    Video.objects.filter(pk=video_id, file=master).update(
        processing_status=Status.FAILED,
        processing_progress=0,
        processing_error=reason[:2000],
    )


def remake_poster(video_id):
    """A new poster after the owner changed the poster frame time (or cleared it)."""
    video = Video.objects.filter(pk=video_id).first()
    if video is None or not video.is_ready or not video.renditions:
        return "not ready"  # processing, queued or failed: the next run makes the poster
    master, folder = video.file.name, video.output_folder
    top = max(video.renditions, key=lambda rung: rung["width"] * rung["height"])
    try:
        with (
            local_copy(video.file) as source,
            tempfile.TemporaryDirectory(prefix="bts-poster-", dir=work_dir()) as work,
        ):
            probe = probe_video(source)
            poster_path = Path(work) / "poster.jpg"
            frame_at = make_poster(
                source, probe, poster_path, top["width"], top["height"], at=video.poster_time
            )
            name = f"{folder}/poster.jpg"
            default_storage.delete(name)
            with poster_path.open("rb") as handle:
                default_storage.save(name, File(handle))
            _publish_poster(video_id, master, poster_path, frame_at, {})
    except (VideoRefused, FFmpegError, OSError) as error:
        logger.warning("The poster of video %s could not be made: %s", video_id, error)
        return "failed"
    return "ready"


def requeue(video):
    """Mark a video for processing again (the admin's Retry / Process again)."""
    Video.objects.filter(pk=video.pk).update(
        processing_status=Status.QUEUED, processing_progress=0, processing_error=""
    )
