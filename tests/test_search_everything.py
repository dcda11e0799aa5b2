"""Search finds what visitors type: a word of a photo's caption, a production company, a crew
member, a cast member; each result with a thumbnail, in groups; never a private page or a
photo shown only on one."""

import re

from django.test import TestCase

from filmsheets.models import CreditRole, FilmCastMember, FilmCredit
from gallery.renditions import ensure_renditions
from tests.factories import (
    FilmSheetPageFactory,
    ImageFactory,
    ShowreelPageFactory,
    build_site,
    gallery_block,
    make_private,
)


class SearchEverythingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        tree = build_site()
        cls.key = ImageFactory(title="Harbour key", caption="The quay at dusk")
        cls.sodium = ImageFactory(title="Lamp", caption="Sodium lamps over the wet quay")
        cls.hidden = ImageFactory(title="Reel still", caption="Sodium glare on the showreel set")
        cls.sheet = FilmSheetPageFactory(
            parent=tree["films"],
            title="Night on the Karst",
            production_company="Bora Film",
            key_image=cls.key,
            body=[gallery_block([cls.sodium])],
        )
        dop = CreditRole.objects.get(name="Director of photography")
        FilmCredit.objects.create(page=cls.sheet, role=dop, name="Jure Novak", sort_order=0)
        FilmCastMember.objects.create(
            page=cls.sheet, name="Mila Kovač", character="Vesna", sort_order=0
        )
        cls.sheet.save_revision().publish()
        cls.private_sheet = FilmSheetPageFactory(
            parent=tree["films"],
            title="Closed Karst",
            production_company="Bora Film Secret",
            director="Jure Secret",
        )
        make_private(cls.private_sheet)
        cls.reel = ShowreelPageFactory(
            parent=tree["home"], title="Reel", body=[gallery_block([cls.hidden])]
        )
        cls.reel.save_revision().publish()
        for image, presets in [(cls.key, ("card",)), (cls.sodium, ("tile",))]:
            ensure_renditions(image, presets)

    def search(self, query):
        response = self.client.get("/search/", {"q": query})
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def group(self, html, name):
        match = re.search(
            rf'<section class="results-group" aria-labelledby="{name}-found">'
            r"(.*?)</section>",
            html,
            re.S,
        )
        return match.group(1) if match else ""

    def test_a_caption_word_finds_the_photo_linked_to_its_sheet_at_that_photo(self):
        html = self.search("sodium")
        photos = self.group(html, "photos")
        self.assertIn(f'href="{self.sheet.url}#photo-{self.sodium.pk}"', photos)
        self.assertIn("Sodium lamps over the wet quay", photos)
        self.assertIn("<picture>", photos)  # its thumbnail
        self.assertIn("/media/images/", photos)
        # The photo shown only on the private showreel stays out.
        self.assertNotIn("Sodium glare", html)
        self.assertNotIn(f"#photo-{self.hidden.pk}", html)

    def test_a_company_a_crew_member_and_a_cast_member_find_the_film_with_its_thumbnail(self):
        for query in ("Bora", "Novak", "Kovač"):
            with self.subTest(query=query):
                films = self.group(self.search(query), "films")
                self.assertIn(f'href="{self.sheet.url}"', films)
                self.assertIn("Night on the Karst", films)
                self.assertIn("<picture>", films)
                self.assertNotIn("Closed Karst", films)

    def test_private_films_stay_out_even_by_their_own_words(self):
        for query in ("Secret", "Closed Karst"):
            with self.subTest(query=query):
                html = self.search(query)
                self.assertIn(f"0 results for “{query}”", html)
                self.assertNotIn(self.private_sheet.url, html)
                self.assertNotIn("results-group", html)
