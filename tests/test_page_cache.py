"""Anonymous visitors get whole pages from the cache; any change shows on the very next
request; nothing private, nothing for an editor or a pass holder is ever stored or served
from it."""

import uuid

from django.core.cache import caches
from django.test import Client, TestCase, override_settings
from django.urls import reverse
from wagtail.models import PageViewRestriction, Site

from gallery.renditions import ensure_renditions
from home.models import PortfolioSettings
from showreels.models import AccessPass
from tests import factories

PAGE_CACHE = override_settings(PAGE_CACHE_SECONDS=300)


@PAGE_CACHE
class PageCacheTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = factories.build_site()
        cls.home = cls.tree["home"]
        cls.photo = factories.ImageFactory(caption="Lamps on the quay", credit="Ada Photo")
        cls.sheet = factories.FilmSheetPageFactory(
            parent=cls.tree["films"],
            title="Salt Roads",
            body=[factories.gallery_block([cls.photo])],
        )
        cls.sheet.save_revision().publish()
        cls.other = factories.FilmSheetPageFactory(parent=cls.tree["films"], title="Iron Coast")
        cls.reel = factories.ShowreelPageFactory(
            parent=cls.home, title="Harbour reel", show_in_menus=True
        )
        cls.reel.save_revision().publish()
        cls.access_pass, cls.password = AccessPass.issue(label="Producer", page=cls.reel)
        cls.site = Site.objects.get(is_default_site=True)
        # As on a running site: settings saved once, renditions made at publish.
        PortfolioSettings.objects.get_or_create(site=cls.site)
        for page in (cls.sheet, cls.home):
            for image, presets in page.specific.rendition_needs():
                ensure_renditions(image, presets)

    def setUp(self):
        caches["pages"].clear()

    def get(self, url, client=None):
        response = (client or self.client).get(url)
        return response, response.content.decode()

    def assert_cached(self, url):
        first, _ = self.get(url)
        self.assertEqual(first["X-Page-Cache"], "miss")
        with self.assertNumQueries(0):
            second, body = self.get(url)
        self.assertEqual(second["X-Page-Cache"], "hit")
        return body

    # Served from the cache

    def test_second_anonymous_visit_is_served_from_the_cache_without_queries(self):
        body = self.assert_cached(self.sheet.url)
        self.assertIn("Salt Roads", body)
        response, _ = self.get(self.sheet.url)
        self.assertIn("s-maxage=300", response["Cache-Control"])
        self.assertIn("public", response["Cache-Control"])

    # Invalidated by every change a page shows

    def test_publishing_a_change_shows_on_the_next_request(self):
        self.assert_cached(self.sheet.url)
        sheet = self.sheet.specific
        sheet.title = "Salt Roads (director's cut)"
        sheet.save_revision().publish()
        self.assertIn("director&#x27;s cut", self.get(self.sheet.url)[1])

    def test_unpublishing_moving_or_deleting_a_page_shows_on_the_next_request(self):
        index = self.tree["films"].url
        self.assertIn("Iron Coast", self.assert_cached(index))
        self.other.specific.unpublish()
        body = self.get(index)[1]
        self.assertNotIn("Iron Coast", body)
        self.assertIn("Salt Roads", body)
        self.assertEqual(self.get(index)[0]["X-Page-Cache"], "hit")

        self.sheet.specific.move(self.home, pos="last-child")
        self.assertNotIn("Salt Roads", self.get(index)[1])
        # Its old address no longer serves the page (Wagtail redirects it to the new one).
        self.assertEqual(self.client.get(f"/films/{self.sheet.slug}/").status_code, 301)

        moved = f"/{self.sheet.slug}/"
        self.assert_cached(moved)
        self.sheet.delete()
        self.assertEqual(self.client.get(moved).status_code, 404)

    def test_privacy_added_or_removed_shows_on_the_next_request(self):
        self.assert_cached(self.sheet.url)
        restriction = factories.make_private(self.sheet)
        response, body = self.get(self.sheet.url)
        self.assertEqual(response.status_code, 403)
        self.assertNotIn("Lamps on the quay", body)
        restriction.delete()
        self.assertIn("Lamps on the quay", self.get(self.sheet.url)[1])

    def test_site_settings_shows_on_the_next_request(self):
        self.assert_cached(self.home.url)
        settings, _ = PortfolioSettings.objects.get_or_create(site=self.site)
        settings.owner_name = "Lorenzo Nuovo"
        settings.save()
        self.assertIn("Lorenzo Nuovo", self.get(self.home.url)[1])

    def test_an_images_caption_or_credit_shows_on_the_next_request(self):
        self.assert_cached(self.sheet.url)
        self.photo.caption = "Sodium lamps on the quay"
        self.photo.credit = "Bea Photo"
        self.photo.save()
        body = self.get(self.sheet.url)[1]
        self.assertIn("Sodium lamps on the quay", body)
        self.assertIn("Bea Photo", body)

    def test_a_menu_change_shows_on_the_next_request(self):
        about = self.tree["about"].specific
        self.assert_cached(self.home.url)
        about.show_in_menus = not about.show_in_menus
        about.title = f"About {uuid.uuid4().hex[:6]}"
        about.save_revision().publish()
        body = self.get(self.home.url)[1]
        self.assertEqual(about.title in body, about.show_in_menus)

    # Never stored, never served to the wrong person

    def test_a_pass_holders_pages_are_never_stored_nor_shown_to_others(self):
        producer = Client()
        producer.post(
            reverse("unlock_private_page", args=[self.reel.pk]), {"password": self.password}
        )
        for url in (self.home.url, self.reel.url, self.sheet.url):
            response, body = self.get(url, producer)
            self.assertFalse(response.has_header("X-Page-Cache"), url)
        self.assertIn("Harbour reel", self.get(self.home.url, producer)[1])
        # The anonymous visitor, before and after, never sees the unlocked menu or page.
        for _ in range(2):
            response, body = self.get(self.home.url)
            self.assertNotIn("Harbour reel", body)
            response, body = self.get(self.reel.url)
            self.assertEqual(response.status_code, 403)
            self.assertNotIn("X-Page-Cache", response)

    def test_an_editors_view_is_never_stored_nor_shown_to_others(self):
        editor = Client()
        editor.force_login(factories.superuser())
        response, body = self.get(self.home.url, editor)
        self.assertFalse(response.has_header("X-Page-Cache"))
        self.assertIn("Harbour reel", body)  # editors see the private work in menus
        response, body = self.get(self.home.url)
        self.assertEqual(response["X-Page-Cache"], "miss")
        self.assertNotIn("Harbour reel", body)
        self.assertNotIn("wagtail-userbar", body)

    def test_a_response_that_sets_a_cookie_or_uses_a_csrf_token_is_not_stored(self):
        contact = self.tree["contact"].url
        for _ in range(2):
            response, _body = self.get(contact)
            self.assertNotEqual(response.get("X-Page-Cache"), "hit")

    def test_a_restriction_on_an_ancestor_closes_cached_children(self):
        self.assert_cached(self.sheet.url)
        PageViewRestriction.objects.create(
            page=self.tree["films"], restriction_type="password", password="films-closed-1"
        )
        self.assertEqual(self.client.get(self.sheet.url).status_code, 403)
