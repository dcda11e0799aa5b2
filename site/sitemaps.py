from wagtail.contrib.sitemaps import Sitemap

from gallery.privacy import visible_pages


class PublicSitemap(Sitemap):
    """Wagtail's sitemap, asking the privacy check for every page it lists."""

    def items(self):
        return visible_pages(self.request, super().items())
