from django.apps import AppConfig
from pillow_heif import register_heif_opener


class GalleryConfig(AppConfig):
    name = "gallery"
    verbose_name = "Media library"

    def ready(self):
        from gallery import signals  # noqa: F401

        # Pillow (and so Willow and Wagtail) reads HEIC, the format phones take photos in.
        register_heif_opener()
