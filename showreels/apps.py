from django.apps import AppConfig


class ShowreelsConfig(AppConfig):
    name = "showreels"
    verbose_name = "Private showreels"
