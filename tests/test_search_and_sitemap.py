"""Search answers any query without an error; the sitemap lists the public pages and
robots.txt points at it."""

import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

from django.db import connection
from django.test import TestCase
from wagtail.models import Page

from tests.factories import (
    FilmSheetPageFactory,
    ShowreelPageFactory,
    build_site,
    make_private,
)

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}

ODD_QUERIES = [
    "",
    " ",
    "a",
    "x" * 5000,
    "Ada " * 1500,
    "Rossì",
    "東京の夜",
    "🎬🎞️",
    "Ω≈ç√∫",
    "' OR 1=1 --",
    '"; DROP TABLE wagtailcore_page; --',
    "%",
    "%%",
    "_",
    "\\",
    "\t\n\r\x0b\x0c",
    "\x01\x02\x1f\x7f",
    '"',
    "'",
    '"unbalanced',
    "''''",
    "AND OR NOT",
    "NOT",
    "AND",
    "OR",
    "*",
    "**",
    "Ada*",
    "-",
    "+",
    "&",
    "|",
    "!",
    "()",
    "(Ada",
    ":",
    "title:Ada",
    "<script>alert(1)</script>",
    "NEAR(a b)",
    "a & b | !c",
    "a:*",
    "{}[]",
    "\u202e\u200b",
]
# Only "Night Harbour" (and the draft and private films kept out) holds these words: an odd
# query without them can find nothing at all.
DIRECTOR_WORDS = re.compile(r"ada|ross", re.IGNORECASE)


class SearchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        films = cls.tree["films"]
        cls.rossi = FilmSheetPageFactory(
            parent=films, title="Night Harbour", director="Ada Rossi", year=2019
        )
        cls.verdi = FilmSheetPageFactory(
            parent=films, title="Salt Roads", director="Luca Verdi", year=2021
        )
        cls.draft = FilmSheetPageFactory(
            parent=films, title="Unfinished Cut", director="Ada Rossi", year=2024
        )
        cls.draft.unpublish()
        cls.private = FilmSheetPageFactory(
            parent=films, title="Closed Set", director="Ada Rossi", year=2022
        )
        make_private(cls.private)

    def search(self, query, **extra):
        response = self.client.get("/search/", {"q": query, **extra})
        self.assertEqual(response.status_code, 200, repr(query[:40]))
        self.assertTemplateUsed(response, "search.html")
        return response

    def found(self, response):
        return [page.pk for page in response.context["results"]]

    def test_film_sheet_is_found_by_its_directors_name(self):
        for query in ("Rossi", "Ada Rossi", "rossi"):
            with self.subTest(query=query):
                response = self.search(query)
                self.assertEqual(self.found(response), [self.rossi.pk])
                self.assertContains(response, "Night Harbour")
                self.assertNotContains(response, "Salt Roads")

    def test_film_sheet_is_found_by_its_title(self):
        self.assertEqual(self.found(self.search("Salt Roads")), [self.verdi.pk])

    def test_unpublished_and_private_films_are_not_found(self):
        response = self.search("Ada Rossi")
        self.assertNotContains(response, "Unfinished Cut")
        self.assertNotContains(response, "Closed Set")

    def test_any_query_answers_200_with_results_or_an_empty_list(self):
        live = set(Page.objects.live().values_list("pk", flat=True))
        for query in ODD_QUERIES:
            with self.subTest(query=query[:30]):
                response = self.search(query)
                found = self.found(response)
                self.assertEqual(response.context["paginator"].count, len(found))
                self.assertLessEqual(set(found), live)
                if DIRECTOR_WORDS.search(query):
                    # Backends read the odd ones ("Ada*", "(Ada") differently; none may
                    # find more than the published, public film of Ada Rossi.
                    self.assertLessEqual(set(found), {self.rossi.pk})
                else:
                    self.assertEqual(found, [])
                self.assertNotContains(response, "Unfinished Cut")
                self.assertNotContains(response, "Closed Set")
                self.assertLessEqual(len(response.context["query"]), 200)
                self.assertNotIn("\x00", response.context["query"])
        # The database connection is still usable after every odd query (on PostgreSQL a
        # failed statement would abort the surrounding transaction).
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            self.assertEqual(cursor.fetchone(), (1,))
        self.assertEqual(self.found(self.search("Rossi")), [self.rossi.pk])

    def test_overlong_query_is_cut_and_still_finds(self):
        query = "Ada " * 1500
        response = self.search(query)
        self.assertEqual(response.context["query"], query[:200])
        self.assertEqual(self.found(response), [self.rossi.pk])

    def test_empty_query_shows_the_form_without_results(self):
        response = self.search("")
        self.assertEqual(self.found(response), [])
        self.assertContains(response, 'name="q"')
        self.assertNotContains(response, "Nothing matches")

    def test_query_is_echoed_escaped(self):
        response = self.search("<script>alert(1)</script>")
        self.assertNotContains(response, "<script>alert(1)</script>")
        self.assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;")

    def test_nonsense_result_page_answers_the_first_page(self):
        for page in ("x", "-1", "999", "9" * 5000):
            with self.subTest(page=page[:10]):
                response = self.search("Rossi", page=page)
                self.assertEqual(self.found(response), [self.rossi.pk])

    def test_search_answers_get_only(self):
        self.assertEqual(self.client.post("/search/", {"q": "Rossi"}).status_code, 405)

    def test_search_page_is_not_indexed(self):
        self.assertContains(self.search("Rossi"), '<meta name="robots" content="noindex">')


class SitemapAndRobotsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        films = cls.tree["films"]
        cls.sheet = FilmSheetPageFactory(parent=films, title="Night Harbour", slug="night-harbour")
        cls.draft = FilmSheetPageFactory(parent=films, slug="unfinished-cut")
        cls.draft.unpublish()
        cls.private_sheet = FilmSheetPageFactory(parent=films, slug="closed-set")
        make_private(cls.private_sheet)
        cls.showreel = ShowreelPageFactory(parent=cls.tree["home"], slug="reel-2024")
        make_private(cls.showreel)

    def sitemap_paths(self):
        response = self.client.get("/sitemap.xml")
        self.assertEqual(response.status_code, 200)
        self.assertIn("xml", response["Content-Type"])
        root = ET.fromstring(response.content)  # noqa: S314 - the site's own output
        return [urlsplit(loc.text).path for loc in root.findall("sm:url/sm:loc", SITEMAP_NS)]

    def test_sitemap_lists_every_public_page(self):
        paths = self.sitemap_paths()
        expected = [
            self.tree["home"].url,
            self.tree["about"].url,
            self.tree["contact"].url,
            self.tree["films"].url,
            self.sheet.url,
        ]
        self.assertEqual(sorted(paths), sorted(expected))

    def test_sitemap_urls_are_absolute_on_the_sites_host(self):
        response = self.client.get("/sitemap.xml")
        root = ET.fromstring(response.content)  # noqa: S314 - the site's own output
        for loc in root.findall("sm:url/sm:loc", SITEMAP_NS):
            # The default site is localhost on port 80.
            self.assertEqual(urlsplit(loc.text).netloc, "localhost")
            self.assertEqual(urlsplit(loc.text).scheme, "http")

    def test_sitemap_leaves_out_drafts_and_private_pages(self):
        paths = self.sitemap_paths()
        for page in (self.draft, self.private_sheet, self.showreel):
            self.assertNotIn(f"/{page.slug}/", " ".join(paths))

    def test_page_made_public_again_returns_to_the_sitemap(self):
        self.private_sheet.get_view_restrictions().delete()
        self.assertIn(self.private_sheet.url, self.sitemap_paths())

    def test_robots_txt_points_at_the_sitemap(self):
        response = self.client.get("/robots.txt")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Type"].startswith("text/plain"))
        lines = response.content.decode().splitlines()
        self.assertIn("User-agent: *", lines)
        self.assertIn("Disallow: /admin/", lines)
        [sitemap_line] = [line for line in lines if line.startswith("Sitemap: ")]
        sitemap_url = sitemap_line.removeprefix("Sitemap: ")
        self.assertEqual(sitemap_url, "http://testserver/sitemap.xml")
        self.assertEqual(self.client.get(urlsplit(sitemap_url).path).status_code, 200)
