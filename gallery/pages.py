"""What a page shows of the media library: its lead image and the renditions to make for it."""

from django.db.models import prefetch_related_objects

from gallery.renditions import prefetch_renditions
from gallery.streams import first_image, images_in, videos_in


class LibraryImagesMixin:
    """For page models that show library images.

    `lead_image_field` names the page's own image (a key image, a hero, a portrait) and
    `lead_image_presets` the presets it is shown in; without one, the first image of the
    body leads. The lead image is what a shared link shows (the "social" preset).
    """

    lead_image_field = None
    lead_image_presets = ()
    body_field = "body"

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
        """Video posters, then the renditions of every image shown, in a few queries."""
        body = self.body_value()
        images = [self.own_lead_image(), *extra_images]
        if body is not None:
            # Posters of all videos in one query, before images_in reads them.
            prefetch_related_objects(videos_in(body), "poster")
            images += [image for image, _presets in images_in(body)]
        prefetch_renditions(images)
