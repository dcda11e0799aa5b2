from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "bts_site"
    label = "bts_site"
    verbose_name = "Site"
