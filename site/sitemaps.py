from wagtail.contrib.sitemaps import Sitemap

from showreels.privacy import visible_pages


class PublicSitemap(Sitemap):
    """Wagtail's sitemap, asking the privacy check for every page it lists."""

    def items(self):
        # Kept a queryset: Wagtail's Sitemap._urls calls .iterator() on each page of items.
        pages = super().items()
        visible = [page.pk for page in visible_pages(self.request, pages)]
        return pages.filter(pk__in=visible)
