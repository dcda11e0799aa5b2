from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Home, about and contact"

    def ready(self):
        from home import signals  # noqa: F401
