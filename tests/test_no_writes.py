"""An anonymous visitor's GET writes nothing to the database: on every public page type, the
search, sitemap and robots, the 404 page, the password form, and the media views; with
the page cache on or off."""

import re

import pytest
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from gallery.renditions import ensure_renditions
from home.models import PortfolioSettings
from tests import factories

pytestmark = pytest.mark.processes

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


class NoWritesOnPublicGetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        tree = factories.build_site()
        cls.tree = tree
        photos = factories.ImageFactory.create_batch(3)
        cls.video = factories.processed_video("Crane day", seconds=2, name="craneday")
        cls.sheet = factories.FilmSheetPageFactory(
            parent=tree["films"],
            key_image=photos[0],
            body=[factories.gallery_block(photos), factories.video_block(cls.video)],
        )
        cls.sheet.save_revision().publish()
        cls.reel = factories.ShowreelPageFactory(parent=tree["home"], title="Reel")
        cls.reel.save_revision().publish()
        PortfolioSettings.objects.get_or_create(site=Site.objects.get(is_default_site=True))
        # Renditions are made at publish by the worker, before anyone visits.
        for page in (cls.sheet, tree["home"], tree["about"]):
            for image, presets in page.specific.rendition_needs():
                ensure_renditions(image, presets)
        cls.rendition = photos[1].renditions.filter(file__endswith=".jpg").first()

    def public_urls(self):
        return [
            self.tree["home"].url,
            self.tree["about"].url,
            self.tree["contact"].url,
            self.tree["films"].url,
            self.tree["films"].url + "?year=2018",
            self.sheet.url,
            self.reel.url,  # the password form
            "/search/?q=film",
            "/sitemap.xml",
            "/robots.txt",
            "/no-such-page/",
            "/" + self.rendition.file.url.removeprefix("/"),
            f"/media/{self.video.output_folder}/master.m3u8",
            f"/media/{self.video.output_folder}/360p/index.m3u8",
            f"/media/{self.video.output_folder}/360p/segment-00000.ts",
        ]

    def assert_no_writes(self):
        for url in self.public_urls():
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get(url)
                if response.streaming:
                    b"".join(response.streaming_content)
            self.assertIn(response.status_code, (200, 403, 404), url)
            writes = [q["sql"] for q in queries.captured_queries if WRITE.match(q["sql"])]
            self.assertEqual(writes, [], url)

    def test_no_writes_without_the_page_cache(self):
        self.assert_no_writes()
        self.assert_no_writes()  # warm, too

    @override_settings(PAGE_CACHE_SECONDS=300)
    def test_no_writes_with_the_page_cache(self):
        self.assert_no_writes()
        self.assert_no_writes()
