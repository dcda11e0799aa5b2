"""Visitors never wait for a rendition: a page shows the renditions that exist, a placeholder
for the others, and queues those once for the background worker. Each width is made and
listed once, never larger than the original; the editor says how many photos are ready."""

import re
from unittest import mock

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks import task_backends
from wagtail.test.utils import WagtailTestUtils

from gallery.models import BackstageImage, BackstageRendition, RenditionFailure
from gallery.renditions import ensure_renditions, rendition_progress, wanted_filter_list
from gallery.tasks import make_image_renditions, make_page_renditions
from gallery.templatetags.gallery_tags import video_poster
from home.models import FeaturedFilm
from tests.factories import (
    FilmSheetPageFactory,
    ImageFactory,
    VideoFactory,
    build_site,
    gallery_block,
    image_bytes,
    video_block,
)

# The worker's queue as a list the test can read: nothing runs until the test runs it.
QUEUE_IN_MEMORY = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "background": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"},
}
SRCSET = re.compile(r'srcset="([^"]*)"')
# A gallery photo that opens in the viewer: (the viewer's URL, the photo's id).
LIGHTBOX_LINK = re.compile(r'<a href="([^"]*)" aria-describedby="[^"]+" data-photo="(\d+)"')


def queued():
    """(task path, args) of everything queued for the background worker, in order."""
    return [
        (result.task.module_path, list(result.args))
        for result in task_backends["background"].results
    ]


def run_queue():
    for result in list(task_backends["background"].results):
        result.task.call(*result.args, **result.kwargs)
    task_backends["background"].clear()


class RenditionTestCase(WagtailTestUtils, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        # 1000 x 750: the viewer's 2560 px width is more than it has.
        cls.large = ImageFactory(file=ContentFile(image_bytes(1000, 750), name="large.jpg"))
        cls.small = ImageFactory.create_batch(3)  # 64 x 48: one width of everything
        cls.key = ImageFactory()
        cls.clip = VideoFactory()
        # Publishing queues the renditions on commit; run them as the worker would.
        with cls.captureOnCommitCallbacks(execute=True):
            cls.sheet = FilmSheetPageFactory(
                parent=cls.tree["films"],
                key_image=cls.key,
                body=[gallery_block([cls.large, *cls.small]), video_block(cls.clip)],
            )
        cls.image_ids = [image.pk for image, _presets in cls.sheet.rendition_needs()]

    def setUp(self):
        cache.clear()

    def sheet_renditions(self):
        return BackstageRendition.objects.filter(image_id__in=self.image_ids)

    def visit(self, page):
        response = self.client.get(page.url)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()


class VisitorRequestTests(RenditionTestCase):
    def setUp(self):
        super().setUp()
        # After setUpTestData: publishing made the renditions, as the worker does.
        self.enterContext(override_settings(TASKS=QUEUE_IN_MEMORY))

    def test_published_page_serves_its_renditions_without_placeholders(self):
        html = self.visit(self.sheet)
        self.assertNotIn("data-pending", html)
        self.assertEqual(html.count("<picture>"), 5)  # the key image and four photos
        self.assertEqual(html.count('type="image/avif"'), 5)
        self.assertEqual(html.count('type="image/webp"'), 0)  # AVIF, then JPEG
        poster = self.clip.poster.renditions.get(filter_spec="width-480|format-jpeg")
        self.assertIn(poster.url, html)  # the poster of a video still being prepared
        self.assertEqual(queued(), [])

    def test_visitor_request_makes_no_rendition_and_queues_the_page_once(self):
        made = self.sheet_renditions().count()
        self.sheet_renditions().delete()

        first = self.visit(self.sheet)
        second = self.visit(self.sheet)

        self.assertEqual(self.sheet_renditions().count(), 0)
        for html in (first, second):
            # Every picture is a blank of its proportions; the photos do not open yet.
            self.assertEqual(html.count("data-pending"), 5)
            self.assertNotIn("/media/images/", html)
            self.assertNotIn("poster=", html)
            self.assertEqual(LIGHTBOX_LINK.findall(html), [])
            self.assertGreater(html.count("<a data-photo="), 0)  # links without a target
            self.assertEqual(html.count("<a data-photo="), html.count("data-photo="))
        self.assertIn("viewBox=%220%200%20720%20540%22", first)  # the large photo's 4:3 tile
        self.assertEqual(queued(), [(make_page_renditions.module_path, [self.sheet.pk])])

        run_queue()

        self.assertEqual(self.sheet_renditions().count(), made)
        html = self.visit(self.sheet)
        self.assertNotIn("data-pending", html)
        self.assertEqual(queued(), [])

    def test_page_is_served_without_opening_an_original(self):
        self.sheet_renditions().delete()
        with mock.patch.object(BackstageImage, "open_file", side_effect=AssertionError):
            html = self.visit(self.sheet)
        self.assertIn("data-pending", html)

    def test_a_photo_opens_once_its_viewer_rendition_is_made(self):
        viewer = self.large.renditions.get(filter_spec="width-2560|format-jpeg")
        self.assertEqual((viewer.width, viewer.height), (1000, 750))  # never enlarged
        viewer.delete()
        html = self.visit(self.sheet)
        self.assertNotIn("data-pending", html)  # its tile is there: it shows, but does not open
        opening = [photo for _url, photo in LIGHTBOX_LINK.findall(html)]
        self.assertEqual(len(opening), 3)
        self.assertNotIn(str(self.large.pk), opening)
        self.assertIn(f'<a data-photo="{self.large.pk}">', html)
        self.assertEqual(queued(), [(make_page_renditions.module_path, [self.sheet.pk])])
        run_queue()
        made = self.large.renditions.get(filter_spec="width-2560|format-jpeg")
        self.assertIn((made.url, str(self.large.pk)), LIGHTBOX_LINK.findall(self.visit(self.sheet)))

    def test_cards_of_other_pages_queue_their_own_image_once(self):
        home = self.tree["home"]
        FeaturedFilm.objects.create(page=home, film_sheet=self.sheet, sort_order=0)
        self.key.renditions.filter(filter_spec__startswith="fill-480x300").delete()
        self.key.renditions.filter(filter_spec__startswith="fill-960x600").delete()
        self.visit(home)
        self.visit(home)
        self.assertEqual(queued(), [(make_image_renditions.module_path, [self.key.pk, ["card"]])])
        run_queue()
        self.assertNotIn("data-pending", self.visit(home))


class WidthTests(RenditionTestCase):
    def test_each_srcset_lists_a_width_once(self):
        html = self.visit(self.sheet)
        srcsets = SRCSET.findall(html)
        self.assertTrue(srcsets)
        for srcset in srcsets:
            widths = [candidate.split()[-1] for candidate in srcset.split(", ")]
            self.assertEqual(len(widths), len(set(widths)), srcset)
            self.assertTrue(all(width.endswith("w") for width in widths), srcset)

    def test_no_rendition_is_larger_than_or_a_copy_of_another(self):
        for image in (self.large, *self.small):
            renditions = image.renditions.all()
            self.assertTrue(all(r.width <= image.width for r in renditions))
            by_size = {}
            for r in renditions:
                resize, _, fmt = r.filter_spec.partition("|")
                by_size.setdefault((resize.split("-")[0], fmt, r.width, r.height), []).append(r)
            for key, same in by_size.items():
                self.assertEqual(len(same), 1, (image, key, [r.filter_spec for r in same]))

    def test_large_photo_gets_every_width_it_can_fill_and_one_at_its_own_size(self):
        self.assertTrue(ensure_renditions(self.large, ["wide"]))  # full width, 480 to 2560
        widths = sorted(
            self.large.renditions.filter(
                filter_spec__startswith="width-", filter_spec__endswith="format-avif"
            ).values_list("width", flat=True)
        )
        self.assertEqual(widths, [480, 832, 960, 1000])
        html = self.visit(self.sheet)
        lightbox = self.large.renditions.get(filter_spec="width-2560|format-jpeg")
        self.assertEqual(lightbox.width, 1000)
        self.assertIn(lightbox.url, [url for url, _photo in LIGHTBOX_LINK.findall(html)])

    def test_a_poster_on_the_first_screen_is_a_phones_width_and_one_further_down_the_smallest(
        self,
    ):
        still = ImageFactory(file=ContentFile(image_bytes(2000, 1125), name="still.jpg"))
        self.assertTrue(ensure_renditions(still, ["wide"]))
        jpegs = {r.width: r.url for r in still.renditions.filter(filter_spec__endswith="jpeg")}
        self.assertEqual(sorted(jpegs), [480, 832, 960, 1600, 2000])
        first = video_poster({}, still, first_screen=True)
        self.assertEqual(first["url"], jpegs[832])  # a phone's full width at up to 2x
        self.assertEqual(video_poster({}, still)["url"], jpegs[480])
        # Every width for player.js to sharpen it with, on a laptop or a 3x phone.
        self.assertEqual(first["srcset"], ", ".join(f"{jpegs[w]} {w}w" for w in sorted(jpegs)))


class FailureTests(RenditionTestCase):
    def break_file(self, image, content):
        with image.file.storage.open(image.file.name, "wb") as handle:
            handle.write(content)

    def test_failure_is_recorded_then_cleared_when_the_renditions_are_made(self):
        image = ImageFactory()
        good = image.file.storage.open(image.file.name, "rb").read()
        self.break_file(image, b"not a photo")

        self.assertFalse(ensure_renditions(image, ["tile"]))
        failure = RenditionFailure.objects.get(image=image)
        self.assertEqual(failure.presets, "tile")
        self.assertEqual(failure.error, "Unknown image format")

        self.break_file(image, good)
        self.assertTrue(ensure_renditions(image, ["tile"]))
        self.assertFalse(RenditionFailure.objects.filter(image=image).exists())


class PhotosReadyPanelTests(RenditionTestCase):
    def setUp(self):
        super().setUp()
        self.login()

    def edit(self):
        response = self.client.get(reverse("wagtailadmin_pages:edit", args=[self.sheet.pk]))
        self.assertEqual(response.status_code, 200)
        return response

    def test_progress_counts_photos_in_two_queries(self):
        needs = self.sheet.rendition_needs()
        with self.assertNumQueries(2):
            self.assertEqual(rendition_progress(needs), (6, 6, []))
        self.sheet_renditions().filter(image__in=self.small[:2]).delete()
        self.assertEqual(rendition_progress(needs), (4, 6, []))

    def test_editor_shows_photos_ready_and_why_one_failed(self):
        self.assertContains(self.edit(), "Photos ready: 6 of 6")

        broken = self.small[0]
        broken.renditions.all().delete()
        RenditionFailure.objects.create(
            image=broken,
            presets="tile, wide",
            error="cannot identify image file",
            failed_at=timezone.now(),
        )
        self.large.renditions.filter(filter_spec__startswith="width-2560|").delete()
        response = self.edit()
        self.assertContains(response, "Photos ready: 4 of 6")
        self.assertContains(response, f"{broken.title}</a>: cannot identify image file")

    def test_image_listing_names_the_photos_that_failed_and_why(self):
        listing = reverse("wagtailimages:index")
        self.assertNotContains(self.client.get(listing), "could not be made ready")
        broken = self.small[0]
        RenditionFailure.objects.create(
            image=broken,
            presets="tile, wide",
            error="cannot identify image file",
            failed_at=timezone.now(),
        )
        response = self.client.get(listing)
        self.assertContains(response, "1 photo could not be made ready for visitors")
        self.assertContains(response, f"{broken.title}</a>: cannot identify image file")

    def test_page_without_photos_has_no_panel(self):
        response = self.client.get(
            reverse("wagtailadmin_pages:edit", args=[self.tree["contact"].pk])
        )
        self.assertNotContains(response, "Photos ready")

    def test_wanted_renditions_are_what_publishing_made(self):
        for image, presets in self.sheet.rendition_needs():
            made = set(image.renditions.values_list("filter_spec", flat=True))
            self.assertLessEqual({f.spec for f in wanted_filter_list(image, presets)}, made)
