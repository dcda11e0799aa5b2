from django.apps import AppConfig
from pillow_heif import register_heif_opener

from gallery.dimensions import check_stored_dimensions_first


class GalleryConfig(AppConfig):
    name = "gallery"
    verbose_name = "Media library"

    def ready(self):
        from gallery import signals  # noqa: F401

        # Pillow (and so Willow and Wagtail) reads HEIC, the format phones take photos in.
        register_heif_opener()
        for model in (self.get_model("BackstageImage"), self.get_model("BackstageRendition")):
            check_stored_dimensions_first(model)
