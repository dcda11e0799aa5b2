"""A film's credits and cast: edited as ordered rows in the admin, shown grouped on the sheet,
and written into the Movie's structured data; previous and next film at the foot."""

import datetime
import json
import re

from django.test import TestCase
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from filmsheets.models import CreditRole, FilmRole, FilmSheetPage
from tests.factories import FilmSheetPageFactory, build_site, make_private

LD_JSON = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def graph(html):
    data = json.loads(LD_JSON.search(html).group(1))
    assert data["@context"] == "https://schema.org"
    return {node["@type"]: node for node in data["@graph"]}


class CreditsThroughTheAdminTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.dop = CreditRole.objects.get(name="Director of photography")
        cls.editor = CreditRole.objects.get(name="Editor")
        cls.sound = CreditRole.objects.get(name="Sound")

    def setUp(self):
        self.login()

    def post_sheet(self, credits, cast):
        data = nested_form_data(
            {
                "title": "Night Harbour",
                "slug": "night-harbour",
                "year": "2019",
                "director": "Ada Rossi",
                "composer": "Marta Bianchi",
                "on_set_from": "2019-10-07",
                "on_set_until": "2019-11-29",
                "synopsis": rich_text("<p>One last crossing.</p>"),
                "body": streamfield([]),
                "credits": inline_formset(credits),
                "cast": inline_formset(cast),
                "action-publish": "action-publish",
            }
        )
        data["roles"] = [FilmRole.objects.get(slug="bts-video-unit").pk]
        url = f"/admin/pages/add/filmsheets/filmsheetpage/{self.tree['films'].pk}/"
        return self.client.post(url, data)

    def test_credits_keep_the_order_the_owner_dragged_them_into(self):
        credits = [
            {"role": self.sound.pk, "name": "Davide Scarpa", "ORDER": "3"},
            {"role": self.dop.pk, "name": "Tommaso Rinaldi", "ORDER": "1"},
            {"role": self.editor.pk, "name": "Chiara Bassani", "ORDER": "2"},
            {"role": self.dop.pk, "name": "Second Unit DoP", "ORDER": "4"},
        ]
        cast = [
            {"name": "Bruno Salvi", "character": "Oreste", "ORDER": "2"},
            {"name": "Irene Vescovi", "character": "Marta", "ORDER": "1"},
        ]
        response = self.post_sheet(credits, cast)
        self.assertEqual(response.status_code, 302, response.content[:2000])
        sheet = FilmSheetPage.objects.get(slug="night-harbour")
        self.assertEqual(
            [(c.role.name, c.name) for c in sheet.credits.all()],
            [
                ("Director of photography", "Tommaso Rinaldi"),
                ("Editor", "Chiara Bassani"),
                ("Sound", "Davide Scarpa"),
                ("Director of photography", "Second Unit DoP"),
            ],
        )
        self.assertEqual([m.name for m in sheet.cast.all()], ["Irene Vescovi", "Bruno Salvi"])
        self.assertEqual(sheet.on_set_from, datetime.date(2019, 10, 7))

        html = self.client.get(sheet.url).content.decode()
        # Grouped by role, in the order of each role's first credit.
        rows = re.findall(
            r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", html.split('id="credits-heading"')[1]
        )
        self.assertEqual(
            rows[:3],
            [
                ("Director of photography", "Tommaso Rinaldi, Second Unit DoP"),
                ("Editor", "Chiara Bassani"),
                ("Sound", "Davide Scarpa"),
            ],
        )
        cast_section = html.split('id="cast-heading"')[1]
        self.assertLess(cast_section.index("Irene Vescovi"), cast_section.index("Bruno Salvi"))
        self.assertIn("On set 7 Oct – 29 Nov 2019", html)

        movie = graph(html)["Movie"]
        self.assertEqual(movie["director"], {"@type": "Person", "name": "Ada Rossi"})
        self.assertEqual(movie["musicBy"], {"@type": "Person", "name": "Marta Bianchi"})
        self.assertEqual(
            movie["actor"],
            [
                {"@type": "Person", "name": "Irene Vescovi"},
                {"@type": "Person", "name": "Bruno Salvi"},
            ],
        )
        roles = [c for c in movie["contributor"] if c["roleName"] != "BTS video unit"]
        self.assertEqual(
            [(c["@type"], c["roleName"], [p["name"] for p in c["contributor"]]) for c in roles],
            [
                ("Role", "Director of photography", ["Tommaso Rinaldi", "Second Unit DoP"]),
                ("Role", "Editor", ["Chiara Bassani"]),
                ("Role", "Sound", ["Davide Scarpa"]),
            ],
        )

    def test_a_credit_without_a_name_is_refused_with_a_message(self):
        response = self.post_sheet([{"role": self.dop.pk, "name": "", "ORDER": "1"}], [])
        self.assertEqual(response.status_code, 200)
        self.assertFalse(FilmSheetPage.objects.filter(slug="night-harbour").exists())
        self.assertContains(response, "This field is required")

    def test_the_owner_can_add_a_crew_role(self):
        response = self.client.post(
            "/admin/snippets/filmsheets/creditrole/add/", {"name": "Steadicam", "sort_order": 35}
        )
        self.assertEqual(response.status_code, 302)
        self.assertTrue(CreditRole.objects.filter(name="Steadicam").exists())


class NextAndPreviousFilmTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        tree = build_site()
        films = tree["films"]
        cls.newest = FilmSheetPageFactory(parent=films, title="Newest", year=2022)
        cls.hidden = FilmSheetPageFactory(parent=films, title="Kept private", year=2021)
        make_private(cls.hidden)
        cls.middle = FilmSheetPageFactory(parent=films, title="Middle", year=2020)
        cls.oldest = FilmSheetPageFactory(parent=films, title="Oldest", year=2015)

    def pager(self, page):
        html = self.client.get(page.url).content.decode()
        nav = re.search(r'<nav class="[^"]*film-pager".*?</nav>', html, re.S)
        return nav.group(0) if nav else ""

    def test_each_sheet_links_its_neighbours_in_the_index_order(self):
        middle = self.pager(self.middle)
        self.assertIn(f'href="{self.newest.url}" rel="prev"', middle)
        self.assertIn(f'href="{self.oldest.url}" rel="next"', middle)
        self.assertNotIn("Kept private", middle)
        self.assertNotIn('rel="prev"', self.pager(self.newest))
        self.assertNotIn('rel="next"', self.pager(self.oldest))
