from django.apps import AppConfig


class ShowreelsConfig(AppConfig):
    name = "showreels"
    verbose_name = "Private showreels"

    def ready(self):
        from showreels import public_media, signals  # noqa: F401

        public_media.connect()
