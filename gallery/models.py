"""The media library: photos with their credits, their renditions, and videos."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel, get_all_child_relations
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.images.models import AbstractImage, AbstractRendition, Image
from wagtail.models import Orderable
from wagtail.search import index

from gallery import object_storage
from gallery.captions import to_webvtt
from gallery.dimensions import QuickLoading, stored_file_name
from gallery.metadata import jpeg_without_metadata
from gallery.probe import codec_label
from gallery.validators import VIDEO_EXTENSIONS, validate_caption_file, validate_video_file
from gallery.video_panels import VideoFileInput, VideoProcessingPanel


class BackstageImage(QuickLoading, AbstractImage):
    """A photo in the library, with what the owner needs to credit and license it."""

    # What AbstractImage.__init__ sets besides the fields (gallery/dimensions.py).
    quick_loading_init = AbstractImage.__init__
    quick_loading_extras = {"decorative": False, "contextual_alt_text": None}

    caption = models.CharField(max_length=300, blank=True)
    credit = models.CharField(
        max_length=120, blank=True, help_text="Who took the photo, as it should be credited."
    )
    licence = models.CharField(
        "copyright and licence",
        max_length=300,
        blank=True,
        help_text="E.g. “© 2019 Production company. All rights reserved.”",
    )
    # On object storage: whether its renditions have copies in the public bucket, which
    # pages then name directly (showreels/public_media.py keeps it true to the privacy check).
    public_copies = models.BooleanField(default=False, editable=False)

    admin_form_fields = (*Image.admin_form_fields, "caption", "credit", "licence")

    search_fields = [
        *AbstractImage.search_fields,
        index.SearchField("caption"),
        index.SearchField("description"),
        index.SearchField("credit"),
    ]

    class Meta(AbstractImage.Meta):
        verbose_name = "image"
        verbose_name_plural = "images"

    @property
    def default_alt_text(self):
        """The description, or "": Wagtail falls back to the title, which for an upload is
        its file name ("bts-01"), neither what the photo shows nor a sign that it is missing."""
        return self.description

    def generate_rendition_file(self, filter, *, source=None):
        """Renditions go out without the camera's metadata (GPS, serial numbers): Wagtail
        copies a JPEG's EXIF into its JPEG renditions."""
        file = super().generate_rendition_file(filter, source=source)
        if not file.name.lower().endswith((".jpg", ".jpeg")):
            return file
        file.seek(0)
        return ContentFile(jpeg_without_metadata(file.read()), name=file.name)


def short_spec(filter_spec):
    """ "width-960|format-avif" -> "w960", "fill-480x360-c75|format-jpeg" -> "f480x360c75"."""
    resize = filter_spec.split("|", 1)[0]
    operation, _, rest = resize.partition("-")
    return operation[:1] + rest.replace("-", "")


class BackstageRendition(QuickLoading, AbstractRendition):
    image = models.ForeignKey(BackstageImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)

    def get_upload_to(self, filename):
        """images/<image id>.<size>.<ext>, e.g. images/42.w960.avif: a page lists dozens of
        these in its srcsets, so short names keep the page light, and the name of the
        original (often the photographer's own) is not published."""
        extension = filename.rsplit(".", 1)[-1]
        return f"images/{self.image_id}.{short_spec(self.filter_spec)}.{extension}"

    @property
    def url(self):
        return self.urls([self])[0]

    @classmethod
    def urls(cls, renditions):
        """The URL of each rendition: on object storage, the public copy of a public photo's
        rendition, else a presigned URL of the private bucket (made only while showing a page
        its viewer may see). A gallery page names hundreds: the storage and the setting are
        looked up once for them all."""
        on_object_storage = object_storage.enabled()
        storage_url = cls._meta.get_field("file").storage.url
        found = []
        for rendition in renditions:
            name = stored_file_name(rendition)
            if not name:
                found.append(rendition.file.url)  # Django's error for a rendition without a file
            elif on_object_storage and rendition.image.public_copies:
                found.append(object_storage.public_url(name))
            else:
                found.append(storage_url(name))
        return found


class Video(index.Indexed, ClusterableModel):
    """A video master uploaded by the owner, and what the background worker makes of it:
    its probe (duration, size, codecs), an HLS ladder, a progressive MP4, a poster and
    scrubbing thumbnails, in `output_folder` (see gallery/videos.py)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        PROCESSING = "processing", "Processing"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    title = models.CharField(max_length=200)
    file = models.FileField(
        "video file",
        upload_to="videos/",
        validators=[validate_video_file],
        help_text=(
            "The master: MP4 or MOV (H.264, HEVC or ProRes), WebM or MKV, with or without "
            "sound. It is converted for streaming in the background."
        ),
    )
    poster = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="poster image",
        help_text="Shown before the video plays. Empty: a frame of the video (below).",
    )
    poster_time = models.DecimalField(
        "poster frame",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=(
            "Seconds into the video of the frame to use as the poster, e.g. 12.5. Leave "
            "empty to let the site choose a frame that is not black, about 10 % in."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # What the probe found (gallery/probe.py); sizes as shown, rotation applied.
    duration = models.FloatField(null=True, blank=True, editable=False, help_text="Seconds.")
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    frame_rate = models.FloatField(null=True, blank=True, editable=False)
    video_codec = models.CharField(max_length=32, blank=True, editable=False)
    audio_codec = models.CharField(max_length=32, blank=True, editable=False)
    has_audio = models.BooleanField(default=False, editable=False)
    rotation = models.PositiveSmallIntegerField(
        default=0, editable=False, help_text="Degrees counter-clockwise the master asks for."
    )

    # Processing by the background worker (gallery.tasks.process_video).
    processing_status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.QUEUED, editable=False
    )
    processing_progress = models.PositiveSmallIntegerField(default=0, editable=False)
    processing_error = models.TextField(blank=True, editable=False)
    processed_at = models.DateTimeField(null=True, blank=True, editable=False)
    output_folder = models.CharField(
        max_length=255,
        blank=True,
        editable=False,
        help_text="Where the outputs are stored, e.g. videos/12-3f9a1c/.",
    )
    renditions = models.JSONField(
        default=list, blank=True, editable=False, help_text="The rungs of the HLS ladder."
    )
    public_folder = models.CharField(
        max_length=255,
        blank=True,
        editable=False,
        help_text="On object storage: the output folder copied to the public bucket.",
    )
    poster_frame_at = models.FloatField(
        null=True, blank=True, editable=False, help_text="Seconds in of the poster frame."
    )
    generated_poster = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The poster frame as a library image, made by processing.",
    )

    # Written by the worker only: an admin form saved while the worker runs leaves them be.
    WORKER_FIELDS = frozenset(
        {
            "duration",
            "width",
            "height",
            "frame_rate",
            "video_codec",
            "audio_codec",
            "has_audio",
            "rotation",
            "processing_status",
            "processing_progress",
            "processing_error",
            "processed_at",
            "output_folder",
            "renditions",
            "public_folder",
            "poster_frame_at",
            "generated_poster",
        }
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("file", widget=VideoFileInput),
        VideoProcessingPanel(),
        FieldPanel("poster_time"),
        FieldPanel("poster"),
        InlinePanel("captions", heading="Captions", label="Caption file"),
    ]
    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        loaded = dict(zip(field_names, values, strict=True))
        # What is stored, to tell a new master or a new poster time at save (deferred
        # fields are left out rather than loaded).
        instance._stored = {key: loaded[key] for key in ("file", "poster_time") if key in loaded}
        return instance

    @property
    def file_changed(self):
        stored = getattr(self, "_stored", None)
        if self._state.adding or stored is None or not self.file._committed:
            return True
        return "file" in stored and self.file.name != stored["file"]

    def clean(self):
        super().clean()
        if (
            self.poster_time is not None
            and self.duration
            and not self.file_changed
            and float(self.poster_time) > self.duration
        ):
            raise ValidationError(
                {"poster_time": f"The video is {self.duration:.2f} seconds long."}
            )

    def save(self, *args, **kwargs):
        """A new master is queued for processing (gallery/signals.py queues it once the
        transaction commits); a new poster frame time, for a new poster."""
        stored = getattr(self, "_stored", None)
        new_master = self.file_changed
        if new_master:
            self.processing_status = self.Status.QUEUED
            self.processing_progress = 0
            self.processing_error = ""
        elif kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in self.WORKER_FIELDS
            ] + [relation.get_accessor_name() for relation in get_all_child_relations(self)]
        # Read by the post_save receiver, which super().save() calls.
        if new_master:
            self.queued_work = "process"
        elif stored and "poster_time" in stored and self.poster_time != stored["poster_time"]:
            self.queued_work = "poster"
        else:
            self.queued_work = None
        super().save(*args, **kwargs)
        self._stored = {"file": self.file.name, "poster_time": self.poster_time}

    # What the admin and players show -------------------------------------------------

    @property
    def mime_type(self):
        extension = self.file.name.rsplit(".", 1)[-1].lower()
        return VIDEO_EXTENSIONS.get(extension, "video/mp4")

    @property
    def is_ready(self):
        return self.processing_status == self.Status.READY and bool(self.output_folder)

    def output_url(self, name):
        """The URL of one output (e.g. "master.m3u8"), or None before processing."""
        if not self.output_folder:
            return None
        name = f"{self.output_folder}/{name}"
        if object_storage.enabled() and self.has_public_copies:
            return object_storage.public_url(name)
        return default_storage.url(name)

    @property
    def has_public_copies(self):
        """On object storage: whether its current outputs are in the public bucket."""
        return bool(self.output_folder) and self.public_folder == self.output_folder

    @property
    def segment_seconds(self):
        """The length of its HLS segments (the last one of a rung is shorter)."""
        for rung in self.renditions or []:
            if rung.get("segment_seconds"):
                return int(rung["segment_seconds"])
        return settings.VIDEO_HLS_SEGMENT_SECONDS

    @property
    def hls_url(self):
        return self.output_url("master.m3u8")

    @property
    def fallback_url(self):
        return self.output_url("fallback.mp4")

    @property
    def sprite_url(self):
        return self.output_url("sprite.jpg")

    @property
    def thumbnails_url(self):
        return self.output_url("thumbnails.vtt")

    @property
    def status_label(self):
        """ "Queued", "Processing 42 %", "Ready", "Failed: <reason>"."""
        if self.processing_status == self.Status.PROCESSING:
            return f"Processing {self.processing_progress} %"
        if self.processing_status == self.Status.FAILED:
            reason = self.processing_error.splitlines()[0] if self.processing_error else ""
            reason = reason if len(reason) <= 120 else reason[:119] + "…"
            return f"Failed: {reason}" if reason else "Failed"
        return self.get_processing_status_display()

    @property
    def duration_label(self):
        """ "1:02:03", "4:05", or "" before the probe."""
        if self.duration is None:
            return ""
        minutes, seconds = divmod(round(self.duration), 60)
        hours, minutes = divmod(minutes, 60)
        return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"

    @property
    def codecs_label(self):
        video = codec_label(self.video_codec)
        return f"{video}, {codec_label(self.audio_codec)}" if self.audio_codec else video


LANGUAGE_CODE_VALIDATOR = RegexValidator(
    r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
    "A language code such as en, it or pt-BR.",
)


class VideoCaption(Orderable):
    """A caption file of a video in one language, stored as WebVTT (players' text track)."""

    video = ParentalKey(Video, on_delete=models.CASCADE, related_name="captions")
    language = models.CharField(
        max_length=35,
        validators=[LANGUAGE_CODE_VALIDATOR],
        help_text="Its language's code, e.g. en, it or fr-CA.",
    )
    label = models.CharField(
        max_length=60, help_text="As players list it, e.g. “English” or “Italiano”."
    )
    file = models.FileField(
        "caption file",
        upload_to="videos/captions/",
        validators=[validate_caption_file],
        help_text="WebVTT (.vtt) or SubRip (.srt); SRT files are converted to WebVTT.",
    )

    panels = [FieldPanel("language"), FieldPanel("label"), FieldPanel("file")]

    class Meta(Orderable.Meta):
        verbose_name = "caption file"

    def __str__(self):
        return f"{self.label} ({self.language})"

    def save(self, *args, **kwargs):
        if self.file and not self.file._committed:
            self.file.seek(0)
            text = to_webvtt(self.file.read())
            self.file = ContentFile(text.encode("utf-8"), name=f"{Path(self.file.name).stem}.vtt")
        super().save(*args, **kwargs)


class RenditionFailure(models.Model):
    """An image whose renditions the background worker could not make, and why: shown to
    the owner in the page editor, removed once the image's renditions are made."""

    image = models.OneToOneField(
        BackstageImage, on_delete=models.CASCADE, related_name="rendition_failure"
    )
    presets = models.CharField(max_length=200, help_text="The presets being made.")
    error = models.TextField()
    failed_at = models.DateTimeField()

    class Meta:
        verbose_name = "rendition failure"

    def __str__(self):
        return f"{self.image}: {self.error}"
