"""The media library: photos with their credits, their renditions, and videos."""

from django.conf import settings
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.images.models import AbstractImage, AbstractRendition, Image
from wagtail.search import index

from gallery.validators import VIDEO_EXTENSIONS, validate_video_file


class BackstageImage(AbstractImage):
    """A photo in the library, with what the owner needs to credit and license it."""

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

    admin_form_fields = (*Image.admin_form_fields, "caption", "credit", "licence")

    search_fields = [
        *AbstractImage.search_fields,
        index.SearchField("caption"),
        index.SearchField("credit"),
    ]

    class Meta(AbstractImage.Meta):
        verbose_name = "image"
        verbose_name_plural = "images"


class BackstageRendition(AbstractRendition):
    image = models.ForeignKey(BackstageImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


class Video(index.Indexed, models.Model):
    """An uploaded video file with its poster still."""

    title = models.CharField(max_length=200)
    file = models.FileField(
        upload_to="videos/",
        validators=[validate_video_file],
        help_text="MP4 (H.264) or WebM.",
    )
    poster = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [FieldPanel("title"), FieldPanel("file"), FieldPanel("poster")]
    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    @property
    def mime_type(self):
        extension = self.file.name.rsplit(".", 1)[-1].lower()
        return VIDEO_EXTENSIONS.get(extension, "video/mp4")
