from django.apps import AppConfig


class ShowreelsConfig(AppConfig):
    name = "showreels"
    verbose_name = "Private showreels"

    def ready(self):
        from showreels import signals  # noqa: F401
