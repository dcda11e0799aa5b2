from django.apps import AppConfig


class GalleryConfig(AppConfig):
    name = "gallery"
    verbose_name = "Media library"

    def ready(self):
        from gallery import signals  # noqa: F401
