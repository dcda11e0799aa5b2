"""What a page shows of the media library: its lead image and the renditions to make for it."""

from django.db.models import prefetch_related_objects

from gallery.panels import PhotosReadyPanel
from gallery.renditions import missing_renditions, prefetch_renditions
from gallery.streams import first_image, images_in, videos_in
from gallery.tasks import queue_page_renditions


class LibraryImagesMixin:
    """For page models that show library images.

    `lead_image_field` names the page's own image (a key image, a hero, a portrait) and
    `lead_image_presets` the presets it is shown in; without one, the first image of the
    body leads. The lead image is what a shared link shows (the "social" preset).
    """

    lead_image_field = None
    lead_image_presets = ()
    body_field = "body"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # Below the title, the editor says how many of the page's photos are ready.
        panels = cls.__dict__.get("content_panels")
        if panels is not None and not any(isinstance(p, PhotosReadyPanel) for p in panels):
            cls.content_panels = [*panels[:1], PhotosReadyPanel(), *panels[1:]]

    def body_value(self):
        return getattr(self, self.body_field, None) if self.body_field else None

    def own_lead_image(self):
        return getattr(self, self.lead_image_field) if self.lead_image_field else None

    def lead_image(self):
        """The page's own image, else the first photo of its body (or None)."""
        body = self.body_value()
        return self.own_lead_image() or (first_image(body) if body is not None else None)

    def rendition_needs(self):
        """Every (image, presets) this page shows: made at publish, before anyone asks."""
        body = self.body_value()
        needs = images_in(body) if body is not None else []
        own = self.own_lead_image()
        if own is not None:
            needs.append((own, (*self.lead_image_presets, "social")))
        elif needs:
            needs.append((needs[0][0], ("social",)))
        return needs

    def prefetch_library(self, extra_images=()):
        """Video posters, then the renditions of every image shown, in a few queries
        (`extra_images` must be among `rendition_needs()`: only its presets are read).

        Renditions still missing (the page shows placeholders for them) are queued for the
        background worker, once: never made here, in a visitor's request."""
        body = self.body_value()
        if body is not None:
            # Posters of all videos in one query, before rendition_needs reads them.
            prefetch_related_objects(videos_in(body), "poster")
        needs = self.rendition_needs()
        presets = {name for _image, image_presets in needs for name in image_presets}
        prefetch_renditions([*extra_images, *(image for image, _ in needs)], presets)
        if self.pk and missing_renditions(needs):
            queue_page_renditions(self.pk)
