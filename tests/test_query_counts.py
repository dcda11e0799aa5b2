"""A page's SQL query count does not grow with the number of photos in its galleries, and
visitors never wait for renditions: they are all made when the page is published."""

from django.core.cache import caches
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from gallery.models import BackstageRendition
from gallery.renditions import GALLERY_LAYOUT_PRESETS, wanted_filter_list
from home.models import FeaturedFilm
from tests.factories import (
    FilmSheetPageFactory,
    ImageFactory,
    VideoFactory,
    build_site,
    gallery_block,
    text_block,
    video_block,
)


def clear_caches():
    """Every cache cold, the site's lookups (bts_site.site_cache) included: each measured
    request starts from the same state whatever ran before it."""
    for each in caches.all():
        each.clear()


class GalleryQueryCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        films = cls.tree["films"]
        cls.images = ImageFactory.create_batch(60)  # 64x48 JPEGs: AVIF encoding stays fast
        keys = ImageFactory.create_batch(3)
        clip = VideoFactory()
        # Publishing runs on commit; the test transaction never commits, so run the
        # callbacks here, as the site does after each publish (gallery/signals.py).
        with cls.captureOnCommitCallbacks(execute=True):
            cls.small = FilmSheetPageFactory(
                parent=films,
                key_image=keys[0],
                body=[gallery_block(cls.images[:5]), text_block("<p>Day one.</p>")],
            )
            cls.large = FilmSheetPageFactory(
                parent=films,
                key_image=keys[1],
                body=[gallery_block(cls.images), text_block("<p>Day one.</p>")],
            )
            cls.layouts = FilmSheetPageFactory(
                parent=films,
                key_image=keys[2],
                body=[
                    gallery_block(cls.images[:3], layout="grid"),
                    gallery_block(cls.images[3:6], layout="masonry"),
                    gallery_block(cls.images[6:9], layout="sequence"),
                    video_block(clip),
                ],
            )

    def setUp(self):
        clear_caches()

    def render(self, page):
        response = self.client.get(page.url)
        self.assertEqual(response.status_code, 200)
        return response

    def count_queries(self, page):
        clear_caches()  # the same cold cache for every measured request
        with CaptureQueriesContext(connection) as queries:
            self.render(page)
        return [q["sql"] for q in queries.captured_queries]

    def test_publishing_made_every_rendition_each_gallery_layout_shows(self):
        for images, layout in (
            (self.images, "grid"),
            (self.images[3:6], "masonry"),
            (self.images[6:9], "sequence"),
        ):
            for image in images:
                specs = {f.spec for f in wanted_filter_list(image, GALLERY_LAYOUT_PRESETS[layout])}
                with self.subTest(layout=layout, image=image.pk):
                    made = BackstageRendition.objects.filter(image=image)
                    self.assertLessEqual(specs, set(made.values_list("filter_spec", flat=True)))

    def test_rendering_published_pages_creates_no_renditions(self):
        before = BackstageRendition.objects.count()
        # Publishing made one rendition per image and distinct filter spec the pages show.
        specs = {}
        for page in (self.small, self.large, self.layouts):
            for image, presets in page.rendition_needs():
                specs.setdefault(image.pk, set()).update(
                    f.spec for f in wanted_filter_list(image, presets)
                )
        self.assertEqual(before, sum(len(image_specs) for image_specs in specs.values()))
        for page in (self.small, self.large, self.layouts):
            response = self.render(page)
            self.assertContains(response, "<picture>")
        self.assertEqual(BackstageRendition.objects.count(), before)

    def test_query_count_is_the_same_with_5_and_60_gallery_photos(self):
        self.render(self.small)  # warm the per-process caches (content types, templates)
        self.render(self.large)
        small = self.count_queries(self.small)
        large = self.count_queries(self.large)
        self.assertEqual(len(small), len(large), "\n".join(q for q in large if q not in small))

    def test_a_sheet_of_sixty_photos_takes_at_most_twelve_queries(self):
        # As on a running site: the site, its settings and menu were looked up by an
        # earlier request (bts_site.site_cache); the page itself is rendered (no page cache).
        self.render(self.large)
        with CaptureQueriesContext(connection) as queries:
            self.render(self.large)
        self.assertLessEqual(len(queries), 12, "\n".join(q["sql"] for q in queries))

    def test_sixty_photo_page_renders_all_photos(self):
        response = self.render(self.large)
        for image in self.images:
            self.assertContains(response, f'alt="Alt {image.pk}"')


class FilmIndexQueryCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        films = cls.tree["films"]
        with cls.captureOnCommitCallbacks(execute=True):
            for year in range(2000, 2014):
                FilmSheetPageFactory(parent=films, year=year, key_image=ImageFactory())

    def count_queries(self, **query):
        clear_caches()
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(self.tree["films"].url, query)
        self.assertEqual(response.status_code, 200)
        return len(queries.captured_queries), len(response.context["sheets"])

    def test_index_query_count_does_not_grow_with_the_films_listed(self):
        self.client.get(self.tree["films"].url)
        full, listed_full = self.count_queries(page=1)
        short, listed_short = self.count_queries(page=2)
        self.assertEqual((listed_full, listed_short), (12, 2))
        self.assertEqual(full, short)

    def test_index_creates_no_renditions(self):
        before = BackstageRendition.objects.count()
        self.client.get(self.tree["films"].url)
        self.client.get(self.tree["films"].url, {"page": 2})
        self.assertEqual(BackstageRendition.objects.count(), before)


class VideoQueryCountTests(TestCase):
    """Video posters are fetched together, so more videos cost no more queries."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        films = cls.tree["films"]
        clips = VideoFactory.create_batch(4)
        with cls.captureOnCommitCallbacks(execute=True):
            cls.one = FilmSheetPageFactory(parent=films, body=[video_block(clips[0])])
            cls.four = FilmSheetPageFactory(
                parent=films, body=[video_block(clip) for clip in clips]
            )

    def count_queries(self, page):
        clear_caches()
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(page.url)
        self.assertEqual(response.status_code, 200)
        return [q["sql"] for q in queries.captured_queries]

    def test_query_count_is_the_same_with_one_and_four_videos(self):
        self.client.get(self.one.url)
        self.client.get(self.four.url)
        one, four = self.count_queries(self.one), self.count_queries(self.four)
        self.assertEqual(len(one), len(four), "\n".join(q for q in four if q not in one))


class HomeQueryCountTests(TestCase):
    """The home page costs the same queries whatever the number of featured films."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        home = cls.tree["home"]
        with cls.captureOnCommitCallbacks(execute=True):
            sheets = [
                FilmSheetPageFactory(parent=cls.tree["films"], key_image=ImageFactory())
                for _ in range(6)
            ]
            home.hero_image = ImageFactory()
            home.save_revision().publish()
        cls.sheets = sheets

    def feature(self, count):
        home = self.tree["home"]
        FeaturedFilm.objects.filter(page=home).delete()
        for order, sheet in enumerate(self.sheets[:count]):
            FeaturedFilm.objects.create(page=home, film_sheet=sheet, sort_order=order)

    def count_queries(self):
        clear_caches()
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(self.tree["home"].url)
        self.assertEqual(response.status_code, 200)
        return [q["sql"] for q in queries.captured_queries]

    def test_query_count_is_the_same_with_two_and_six_featured_films(self):
        self.feature(2)
        self.client.get(self.tree["home"].url)
        two = self.count_queries()
        self.feature(6)
        six = self.count_queries()
        self.assertEqual(len(two), len(six), "\n".join(q for q in six if q not in two))

    def test_home_page_makes_no_renditions(self):
        self.feature(6)
        before = BackstageRendition.objects.count()
        self.client.get(self.tree["home"].url)
        self.assertEqual(BackstageRendition.objects.count(), before)
