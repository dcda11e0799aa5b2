from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


class SiteConfig(AppConfig):
    name = "bts_site"
    label = "bts_site"
    verbose_name = "Site"

    def ready(self):
        # Whatever a public page may show changes: the page cache empties (bts_site.page_cache).
        from wagtail.signals import page_unpublished, post_page_move

        from bts_site import page_cache
        from gallery.events import library_changed

        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(page_cache.model_changed, dispatch_uid=f"page-cache-{id(signal)}")
        for signal in (page_unpublished, post_page_move, library_changed):
            signal.connect(page_cache.something_changed, dispatch_uid=f"page-cache-{id(signal)}")
