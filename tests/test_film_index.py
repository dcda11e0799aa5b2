"""The film index: newest first, twelve a page, filtered by role and year; any query string
answers with a page of films, never an error."""

from urllib.parse import parse_qs

from bs4 import BeautifulSoup
from django.test import TestCase

from filmsheets.models import FilmIndexPage, FilmRole
from tests.factories import FilmSheetPageFactory, build_site

PER_PAGE = 12


class FilmIndexTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.index = cls.tree["films"]
        cls.url = cls.index.url
        roles = {role.slug: role for role in FilmRole.objects.all()}
        cls.bts = roles["bts-video-unit"]
        cls.backstage = roles["backstage-photographer"]
        cls.scene = roles["scene-photographer"]
        # 27 films from 2000 to 2024; 2010 and 2020 hold two films each (ordered by title).
        cls.sheets = []
        for i in range(25):
            year = 2000 + i
            if i % 3 == 0:
                film_roles = [cls.bts]
            elif i % 3 == 1:
                film_roles = [cls.scene]
            else:
                film_roles = [cls.bts, cls.backstage]
            cls.sheets.append(
                FilmSheetPageFactory(
                    parent=cls.index, title=f"Film {year}", year=year, roles=film_roles
                )
            )
        for year in (2010, 2020):
            cls.sheets.append(
                FilmSheetPageFactory(
                    parent=cls.index, title=f"Another film {year}", year=year, roles=[cls.scene]
                )
            )
        draft = FilmSheetPageFactory(parent=cls.index, title="Unreleased draft", year=2025)
        draft.unpublish()
        cls.newest_first = sorted(cls.sheets, key=lambda s: (-s.year, s.title))

    def get(self, **query):
        response = self.client.get(self.url, query)
        self.assertEqual(response.status_code, 200, query)
        self.assertTemplateUsed(response, FilmIndexPage.template)
        return response

    def listed(self, response):
        return [sheet.pk for sheet in response.context["sheets"]]

    def pks(self, sheets):
        return [sheet.pk for sheet in sheets]

    def assertTitlesInOrder(self, response, sheets):
        content = response.content.decode()
        positions = [content.find(f">{sheet.title}<") for sheet in sheets]
        self.assertNotIn(-1, positions, [s.title for s in sheets])
        self.assertEqual(positions, sorted(positions))

    # Listing and pagination

    def test_first_page_lists_twelve_newest_films_first(self):
        response = self.get()
        self.assertEqual(self.listed(response), self.pks(self.newest_first[:PER_PAGE]))
        self.assertEqual(response.context["paginator"].count, 27)
        self.assertEqual(response.context["paginator"].num_pages, 3)
        self.assertTitlesInOrder(response, self.newest_first[:PER_PAGE])
        self.assertNotContains(response, ">Film 2012<")

    def test_same_year_films_are_listed_by_title(self):
        listed = self.listed(self.get())
        another, film = self.sheets[-1], self.sheets[20]  # both from 2020
        self.assertEqual((another.year, film.year), (2020, 2020))
        self.assertLess(listed.index(another.pk), listed.index(film.pk))

    def test_later_pages_continue_the_order(self):
        self.assertEqual(
            self.listed(self.get(page=2)), self.pks(self.newest_first[PER_PAGE : 2 * PER_PAGE])
        )
        self.assertEqual(self.listed(self.get(page=3)), self.pks(self.newest_first[2 * PER_PAGE :]))

    def test_unpublished_film_is_not_listed(self):
        for page in (1, 2, 3):
            self.assertNotContains(self.get(page=page), "Unreleased draft")

    def pagination_links(self, response):
        """(rel, query) of every link in the pagination, its query string parsed."""
        nav = BeautifulSoup(response.content, "html.parser").select_one("nav.pagination")
        self.assertIsNotNone(nav)
        links = []
        for link in nav.select("a"):
            self.assertTrue(link["href"].startswith("?"), link["href"])
            links.append((link.get("rel", [""])[0], parse_qs(link["href"][1:])))
        return links

    def test_pagination_links_keep_the_filters(self):
        bts_films = [s for s in self.newest_first if self.bts in s.roles.all()]
        self.assertEqual(len(bts_films), 17)  # i % 3 == 0 (9 films) and i % 3 == 2 (8 films)
        response = self.get(role=self.bts.slug, page=2)
        self.assertEqual(response.context["filters"]["role"], self.bts)
        self.assertEqual(response.context["sheets"].number, 2)
        self.assertEqual(response.context["paginator"].num_pages, 2)
        # Page 2 holds the rest of the role's films, and nothing else.
        self.assertEqual(self.listed(response), self.pks(bts_films[PER_PAGE:]))
        for sheet in response.context["sheets"]:
            self.assertIn(self.bts, sheet.roles.all())
        # On page 2 of the unfiltered listing, not of this one.
        self.assertNotContains(response, ">Another film 2010<")
        links = self.pagination_links(response)
        self.assertEqual(
            links,
            [
                ("prev", {"role": [self.bts.slug], "page": ["1"]}),
                ("", {"role": [self.bts.slug], "page": ["1"]}),
                ("", {"role": [self.bts.slug], "page": ["2"]}),
            ],
        )
        # Following the link back to page 1 stays in the role.
        first = self.client.get(self.url, {k: v[0] for k, v in links[0][1].items()})
        self.assertEqual(self.listed(first), self.pks(bts_films[:PER_PAGE]))

    def test_listing_of_one_page_shows_no_pagination(self):
        response = self.get(role=self.scene.slug)
        self.assertEqual(response.context["paginator"].num_pages, 1)
        self.assertNotContains(response, 'class="pagination"')

    def test_unfiltered_pagination_links_carry_only_the_page(self):
        response = self.get(page=2)
        self.assertEqual(
            [query for _, query in self.pagination_links(response)],
            [{"page": ["1"]}, {"page": ["1"]}, {"page": ["2"]}, {"page": ["3"]}, {"page": ["3"]}],
        )

    # Filters

    def test_role_filter_lists_only_films_of_that_role(self):
        for role in (self.bts, self.backstage, self.scene):
            with self.subTest(role=role.slug):
                expected = [s for s in self.newest_first if role in s.roles.all()]
                response = self.get(role=role.slug)
                self.assertEqual(response.context["filters"]["role"], role)
                self.assertEqual(response.context["paginator"].count, len(expected))
                self.assertEqual(self.listed(response), self.pks(expected[:PER_PAGE]))

    def test_year_filter_lists_only_films_of_that_year(self):
        response = self.get(year="2020")
        self.assertEqual(response.context["filters"]["year"], 2020)
        self.assertEqual(self.listed(response), [self.sheets[-1].pk, self.sheets[20].pk])
        self.assertTitlesInOrder(response, [self.sheets[-1], self.sheets[20]])
        self.assertNotContains(response, ">Film 2019<")

    def test_role_and_year_filters_combine(self):
        response = self.get(role=self.scene.slug, year="2010")
        # 2010: "Film 2010" (i=10, scene) and "Another film 2010" (scene).
        self.assertEqual(self.listed(response), [self.sheets[-2].pk, self.sheets[10].pk])
        response = self.get(role=self.bts.slug, year="2010")
        self.assertEqual(self.listed(response), [])
        self.assertEqual(response.context["paginator"].count, 0)

    def test_filters_offer_every_role_in_the_owners_order_and_the_years_of_listed_films(self):
        drone = FilmRole.objects.create(name="Drone unit", slug="drone-unit", sort_order=0)
        filters = self.get().context["filters"]
        # A role with no film yet is offered too, in the owner's sort order.
        self.assertEqual(filters["roles"], [drone, self.bts, self.backstage, self.scene])
        # Every year of a published film, newest first; not the draft's 2025.
        self.assertEqual(filters["years"], list(range(2024, 1999, -1)))

    # Nonsense never errors

    def test_nonsense_filters_answer_the_unfiltered_first_page(self):
        first_page = self.pks(self.newest_first[:PER_PAGE])
        cases = [
            {"role": "nope"},
            {"role": ""},
            {"role": "<script>alert(1)</script>"},
            {"year": "abc"},
            {"year": "1700"},
            {"year": "1999"},
            {"year": "-2010"},
            {"year": "20 10"},
            {"year": "2010.0"},
            {"year": "²"},
            {"year": "9" * 5000},
            {"year": "٢٠١٠x"},
            {"page": "999"},
            {"page": "-1"},
            {"page": "0"},
            {"page": "x"},
            {"page": "1.5"},
            {"page": "9" * 5000},
            {"role": "nope", "year": "abc", "page": "x"},
        ]
        for query in cases:
            with self.subTest(query={k: v[:20] for k, v in query.items()}):
                response = self.get(**query)
                self.assertEqual(self.listed(response), first_page)
                self.assertEqual(response.context["sheets"].number, 1)
                self.assertIsNone(response.context["filters"]["role"])
                self.assertIsNone(response.context["filters"]["year"])

    def test_nonsense_page_with_a_valid_filter_answers_the_filtered_first_page(self):
        expected = [s for s in self.newest_first if self.bts in s.roles.all()][:PER_PAGE]
        for page in ("999", "-1", "x"):
            with self.subTest(page=page):
                response = self.get(role=self.bts.slug, page=page)
                self.assertEqual(self.listed(response), self.pks(expected))
                self.assertEqual(response.context["filters"]["role"], self.bts)

    def test_repeated_parameters_use_the_last_value(self):
        response = self.client.get(f"{self.url}?year=abc&year=2020&role=nope")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["filters"]["year"], 2020)
        self.assertEqual(response.context["paginator"].count, 2)
