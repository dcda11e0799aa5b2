"""The site, its settings and its menu pages are kept between requests (bts_site.site_cache):
a warm request does not look them up again, and any change to them shows on the very next
request, with or without the page cache; the privacy check still decides per request."""

import uuid

from django.core.cache import caches
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Site

from home.models import PortfolioSettings
from tests import factories


class SiteCacheTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = factories.build_site()
        cls.home = cls.tree["home"]
        cls.site = Site.objects.get(is_default_site=True)
        PortfolioSettings.objects.get_or_create(site=cls.site)
        cls.reel = factories.ShowreelPageFactory(
            parent=cls.home, title="Harbour reel", show_in_menus=True
        )
        cls.reel.save_revision().publish()

    def setUp(self):
        for each in caches.all():
            each.clear()

    def body(self, url="/"):
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def tables_queried(self, url="/"):
        with CaptureQueriesContext(connection) as queries:
            self.body(url)
        sql = " ".join(q["sql"] for q in queries.captured_queries)
        return {t for t in ("wagtailcore_site", "home_portfoliosettings") if f'"{t}"' in sql}

    def test_a_warm_request_looks_up_neither_the_site_nor_its_settings(self):
        self.assertEqual(self.tables_queried(), {"wagtailcore_site", "home_portfoliosettings"})
        self.assertEqual(self.tables_queried(), set())
        self.assertEqual(self.tables_queried(self.tree["films"].url), set())

    @override_settings(SITE_CACHE_SECONDS=0)
    def test_turned_off_every_request_looks_them_up(self):
        self.body()
        self.assertEqual(self.tables_queried(), {"wagtailcore_site", "home_portfoliosettings"})

    def test_a_settings_change_shows_on_the_next_request(self):
        self.body()
        settings = PortfolioSettings.objects.get(site=self.site)
        settings.owner_name = f"Lorenzo {uuid.uuid4().hex[:6]}"
        settings.save()
        self.assertIn(settings.owner_name, self.body())

    def test_a_menu_change_shows_on_the_next_request(self):
        about = self.tree["about"].specific
        in_menu = 'class="site-nav__link" href="/about/"'
        self.assertNotIn(in_menu, self.body())
        about.show_in_menus = True
        about.save_revision().publish()
        self.assertIn(in_menu, self.body())
        about.show_in_menus = False
        about.save_revision().publish()
        self.assertNotIn(in_menu, self.body())

    def test_a_site_change_shows_on_the_next_request(self):
        self.body()
        self.site.site_name = f"Backstage {uuid.uuid4().hex[:6]}"
        self.site.save()
        self.assertIn(self.site.site_name, self.body())

    def test_the_menu_is_filtered_by_the_privacy_check_on_every_request(self):
        # The showreel is in the menu list kept for the site; visitors never see it there.
        self.assertNotIn("Harbour reel", self.body())
        self.client.force_login(factories.superuser())
        self.assertIn("Harbour reel", self.body())
        self.client.logout()
        self.assertNotIn("Harbour reel", self.body())


class FreshSiteSettingsTests(TestCase):
    """A brand-new site has no settings row: visitors' pages show the defaults and write
    nothing; the owner's first save in the admin creates it."""

    def test_visitors_write_nothing_and_the_owners_first_save_creates_the_row(self):
        factories.build_site()
        site = Site.objects.get(is_default_site=True)
        PortfolioSettings.objects.filter(site=site).delete()
        self.client.get("/")
        self.assertFalse(PortfolioSettings.objects.filter(site=site).exists())

        self.client.force_login(factories.superuser())
        url = reverse("wagtailsettings:edit", args=["home", "portfoliosettings", site.pk])
        self.assertEqual(self.client.get(url).status_code, 200)
        response = self.client.post(url, {"owner_name": "Lorenzo Nuovo"})
        self.assertEqual(response.status_code, 302, response.content[:2000])
        self.assertEqual(PortfolioSettings.objects.get(site=site).owner_name, "Lorenzo Nuovo")
        self.client.logout()
        self.assertIn("Lorenzo Nuovo", self.client.get("/").content.decode())
