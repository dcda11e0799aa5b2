"""Each page type shows what the owner wrote in it."""

import html
import uuid

from wagtail.test.utils import WagtailPageTestCase

from filmsheets.models import FilmRole
from gallery.blocks import BackstagePhotoBlock
from home.blocks import CaptionedImageBlock
from home.models import FeaturedFilm
from showreels.models import AccessPass, ShowreelIndexPage
from tests.factories import (
    FilmSheetPageFactory,
    ImageFactory,
    LocalOEmbedProvider,
    ShowreelPageFactory,
    VideoFactory,
    build_site,
    make_private,
    text_block,
)


def photo_item(image, alt_text, caption="", credit="", decorative=False):
    return {
        "type": "item",
        "id": str(uuid.uuid4()),
        "value": {
            "photo": {"image": image.pk, "decorative": decorative, "alt_text": alt_text},
            "caption": caption,
            "credit": credit,
        },
    }


class RenderTestCase(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.owner_user = cls.create_superuser("owner")

    def get(self, page, **query):
        response = self.client.get(page.url, query)
        self.assertEqual(response.status_code, 200)
        return response

    def assertInOrder(self, response, texts):
        content = html.unescape(response.content.decode())
        positions = [content.find(text) for text in texts]
        self.assertNotIn(-1, positions, dict(zip(texts, positions, strict=True)))
        self.assertEqual(positions, sorted(positions), texts)


class FilmSheetRenderTests(RenderTestCase):
    def assertPairsInOrder(self, response, pairs):
        """The labels come in this order, each followed by its value before the next label."""
        content = html.unescape(response.content.decode())
        cursor = 0
        for i, (label, value) in enumerate(pairs):
            label_at = content.find(f">{label}<", cursor)
            value_at = content.find(f">{value}<", label_at)
            following = pairs[i + 1][0] if i + 1 < len(pairs) else None
            next_at = content.find(f">{following}<", label_at) if following else len(content)
            self.assertNotEqual(label_at, -1, label)
            self.assertTrue(label_at < value_at < next_at, f"{label}: {value}")
            cursor = value_at

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.own = ImageFactory(caption="Crane rehearsal at dusk", credit="Anna Costa")
        cls.overridden = ImageFactory(caption="Library caption", credit="Library credit")
        cls.decorative = ImageFactory(caption="", credit="")
        cls.key = ImageFactory(title="Harbour at night")
        cls.sheet = FilmSheetPageFactory(
            parent=cls.tree["films"],
            title="Night Harbour",
            slug="night-harbour",
            original_title="Porto di notte",
            year=2019,
            director="Ada Rossi",
            production_company="Northlight Films",
            distributor="Harbour Pictures",
            country="Italy",
            genre="Drama",
            runtime_minutes=104,
            crew_size=85,
            shooting_period="October to December 2018",
            locations="Genoa, Camogli",
            composer="Marta Bianchi",
            official_site_url="https://nightharbour.example.com/",
            trailer_url="https://vimeo.example.com/123456",
            imdb_url="https://www.imdb.com/title/tt0000001/",
            watch_url="",
            key_image=cls.key,
            synopsis="<p>A ferry crew and one last night crossing.</p>",
            roles=FilmRole.objects.filter(slug__in=["bts-video-unit", "scene-photographer"]),
            body=[
                {
                    "type": "gallery",
                    "value": {
                        "title": "Night shoots",
                        "layout": "grid",
                        "photos": [
                            photo_item(cls.own, "Grips laying dolly track"),
                            photo_item(
                                cls.overridden,
                                "The director at the monitor",
                                caption="Block caption wins",
                                credit="Block credit wins",
                            ),
                            photo_item(cls.decorative, "", decorative=True),
                        ],
                    },
                },
                {
                    "type": "quote",
                    "value": {
                        "quote": "Nobody sleeps on a night shoot.",
                        "attribution": "Set diary",
                    },
                },
                text_block("<p>Three weeks in the harbour with forty extras.</p>"),
            ],
        )

    def test_film_sheet_shows_its_technical_data(self):
        response = self.get(self.sheet)
        self.assertTemplateUsed(response, "filmsheets/film_sheet_page.html")
        for text in [
            "Night Harbour",
            "Porto di notte",
            "2019",
            "Ada Rossi",
            "Northlight Films",
            "Harbour Pictures",
            "Italy",
            "Drama",
            "104 min",
            "85 people",
            "October to December 2018",
            "Genoa, Camogli",
            "Marta Bianchi",
            "A ferry crew and one last night crossing.",
        ]:
            self.assertContains(response, text)

    def test_technical_data_lists_filled_facts_in_reading_order(self):
        facts = self.sheet.technical_data()
        self.assertEqual(
            [label for label, _ in facts],
            [
                "Original title",
                "Year",
                "Director",
                "Production",
                "Distribution",
                "Country",
                "Genre",
                "Runtime",
                "Music",
                "Crew",
                "Shooting",
                "Locations",
            ],
        )
        self.assertPairsInOrder(self.get(self.sheet), facts)
        bare = FilmSheetPageFactory(
            parent=self.tree["films"],
            year=2001,
            director="Solo",
            production_company="",
            country="",
            runtime_minutes=None,
            crew_size=None,
            composer="",
        )
        self.assertEqual(bare.technical_data(), [("Year", 2001), ("Director", "Solo")])

    def test_film_sheet_shows_the_owners_roles_only(self):
        response = self.get(self.sheet)
        self.assertContains(response, "BTS video unit")
        self.assertContains(response, "Scene photographer")
        self.assertNotContains(response, "Backstage photographer")

    def test_film_sheet_links_to_its_filled_links_only(self):
        response = self.get(self.sheet)
        for url in [
            "https://nightharbour.example.com/",
            "https://vimeo.example.com/123456",
            "https://www.imdb.com/title/tt0000001/",
        ]:
            self.assertContains(response, f'href="{url}"')
        self.assertEqual(
            [link["label"] for link in self.sheet.external_links()],
            ["Official site", "Trailer", "IMDb"],
        )
        self.assertNotContains(response, "Where to watch")

    def test_gallery_shows_captions_and_credits_falling_back_to_the_images_own(self):
        response = self.get(self.sheet)
        self.assertInOrder(
            response,
            [
                "Night shoots",
                "Crane rehearsal at dusk",
                "Anna Costa",
                "Block caption wins",
                "Block credit wins",
            ],
        )
        self.assertNotContains(response, "Library caption")
        self.assertNotContains(response, "Library credit")

    def test_gallery_photos_carry_their_alt_text_and_decorative_ones_none(self):
        response = self.get(self.sheet)
        self.assertContains(response, 'alt="Grips laying dolly track"')
        self.assertContains(response, 'alt="The director at the monitor"')
        soup = self.get_soup(response.content)
        images = soup.select(".gallery img")
        self.assertEqual(
            [img["alt"] for img in images],
            ["Grips laying dolly track", "The director at the monitor", ""],
        )

    def test_film_sheet_shows_quotes_and_text(self):
        response = self.get(self.sheet)
        self.assertContains(response, "Nobody sleeps on a night shoot.")
        self.assertContains(response, "Set diary")
        self.assertContains(response, "Three weeks in the harbour with forty extras.")

    def test_film_sheet_shows_an_uploaded_video_and_an_embedded_one(self):
        clip = VideoFactory(title="Rigging the crane")
        with LocalOEmbedProvider() as provider:
            sheet = FilmSheetPageFactory(
                parent=self.tree["films"],
                body=[
                    {
                        "type": "video",
                        "value": {
                            "video": clip.pk,
                            "embed": None,
                            "poster": None,
                            "caption": "Crane day",
                        },
                    },
                    {
                        "type": "video",
                        "value": {
                            "video": None,
                            "embed": provider.url("harbour-7"),
                            "poster": None,
                            "caption": "Trailer cut",
                        },
                    },
                ],
            )
            response = self.get(sheet)
        # Not processed yet: its poster and a word, never the master file.
        self.assertNotContains(response, clip.file.url)
        self.assertContains(response, "This video is being prepared.")
        self.assertContains(response, "Crane day")
        self.assertContains(response, "https://player.example.test/harbour-7")
        self.assertContains(response, "Trailer cut")

    def test_photo_value_falls_back_to_the_images_caption_credit_and_alt(self):
        block = BackstagePhotoBlock()
        image = ImageFactory(caption="Own caption", credit="Own credit")
        own = block.to_python(
            {
                "photo": {"image": image.pk, "alt_text": "Alt here", "decorative": False},
                "caption": "",
                "credit": "",
            }
        )
        self.assertEqual((own.caption_text(), own.credit_text()), ("Own caption", "Own credit"))
        self.assertEqual(own.alt_text(), "Alt here")
        mine = block.to_python(
            {
                "photo": {"image": image.pk, "alt_text": "", "decorative": True},
                "caption": "Mine",
                "credit": "Me",
            }
        )
        self.assertEqual((mine.caption_text(), mine.credit_text()), ("Mine", "Me"))
        self.assertEqual(mine.alt_text(), "")
        captioned = CaptionedImageBlock().to_python(
            {"image": {"image": image.pk, "alt_text": "A", "decorative": False}, "caption": ""}
        )
        self.assertEqual(captioned.caption_text(), "Own caption")

    def test_showreels_linked_to_the_film_are_listed_when_visible(self):
        reel = ShowreelPageFactory(parent=self.tree["home"], title="Linked reel")
        reel.related_films.add(self.sheet)
        reel.save_revision().publish()
        self.assertNotContains(self.get(self.sheet), "Linked reel")  # showreels are private
        _pass, password = AccessPass.issue(label="Producer", page=reel)
        self.client.post(f"/private/unlock/{reel.pk}/", {"password": password})
        self.assertContains(self.get(self.sheet), "Linked reel")

    def test_film_sheet_is_renderable_and_routable(self):
        self.assertPageIsRoutable(self.sheet)
        self.assertPageIsRenderable(self.sheet)
        self.assertPageIsRenderable(self.sheet, user=self.owner_user)

    def test_film_sheet_is_previewable(self):
        self.assertPageIsPreviewable(
            self.sheet,
            post_data={
                "title": "Night Harbour (preview)",
                "slug": "night-harbour",
                "year": "2019",
                "director": "Ada Rossi",
                "roles": [FilmRole.objects.first().pk],
                "body-count": "0",
                **empty_formset("credits"),
                **empty_formset("cast"),
            },
        )


class AboutRenderTests(RenderTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        about = cls.tree["about"]
        cls.portrait = ImageFactory(title="Portrait")
        cls.photo = ImageFactory(caption="Loading the dolly before dawn")
        about.portrait = cls.portrait
        about.body = [
            {"type": "heading", "value": "How I work"},
            text_block("<p>Close to the crew, far from the lens.</p>"),
            {
                "type": "image",
                "value": {
                    "image": {
                        "image": cls.photo.pk,
                        "alt_text": "Dolly at dawn",
                        "decorative": False,
                    },
                    "caption": "",
                },
            },
            {
                "type": "collaborators",
                "value": {
                    "heading": "Working together",
                    "people": [
                        {
                            "type": "item",
                            "id": "m1",
                            "value": {
                                "name": "Marta Bianchi",
                                "role": "Composer",
                                "url": "https://marta.example.com/",
                                "note": "Scores every backstage film.",
                            },
                        },
                        {
                            "type": "item",
                            "id": "p1",
                            "value": {
                                "name": "Paolo Neri",
                                "role": "Colourist",
                                "url": "",
                                "note": "",
                            },
                        },
                    ],
                },
            },
        ]
        about.save_revision().publish()
        cls.about = about

    def test_about_page_shows_the_statement_and_collaborators(self):
        response = self.get(self.about)
        self.assertTemplateUsed(response, "home/about_page.html")
        self.assertInOrder(
            response,
            [
                "How I work",
                "Close to the crew, far from the lens.",
                "Loading the dolly before dawn",
                "Working together",
                "Marta Bianchi",
                "Composer",
                "Scores every backstage film.",
                "Paolo Neri",
                "Colourist",
            ],
        )
        self.assertContains(response, 'href="https://marta.example.com/"')
        self.assertContains(response, 'alt="Dolly at dawn"')

    def test_about_page_is_renderable(self):
        self.assertPageIsRenderable(self.about)


class HomeRenderTests(RenderTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        films = cls.tree["films"]
        cls.oldest = FilmSheetPageFactory(parent=films, title="Oldest film", year=2005)
        cls.newest = FilmSheetPageFactory(parent=films, title="Newest film", year=2023)
        cls.middle = FilmSheetPageFactory(parent=films, title="Middle film", year=2014)
        cls.withdrawn = FilmSheetPageFactory(parent=films, title="Withdrawn film", year=2016)
        cls.home = cls.tree["home"]
        cls.home.intro = "<p>Backstage films and set photography.</p>"
        for order, sheet in enumerate([cls.middle, cls.withdrawn, cls.oldest, cls.newest]):
            FeaturedFilm.objects.create(page=cls.home, film_sheet=sheet, sort_order=order)
        cls.home.save_revision().publish()
        cls.withdrawn.unpublish()

    def test_home_shows_featured_films_in_the_owners_order(self):
        response = self.get(self.home)
        self.assertTemplateUsed(response, "home/home_page.html")
        self.assertEqual(
            [s.pk for s in response.context["featured_sheets"]],
            [self.middle.pk, self.oldest.pk, self.newest.pk],
        )
        self.assertInOrder(response, ["Middle film", "Oldest film", "Newest film"])
        self.assertNotContains(response, "Withdrawn film")

    def test_home_shows_its_intro_and_links_to_about_and_contact(self):
        response = self.get(self.home)
        self.assertContains(response, "Backstage films and set photography.")
        self.assertContains(response, f'href="{self.tree["about"].url}"')
        self.assertContains(response, f'href="{self.tree["contact"].url}"')

    def test_home_leaves_out_a_featured_film_made_private(self):
        make_private(self.oldest)
        response = self.get(self.home)
        self.assertEqual(
            [s.pk for s in response.context["featured_sheets"]], [self.middle.pk, self.newest.pk]
        )
        self.assertNotContains(response, "Oldest film")

    def test_home_featured_films_follow_a_reordering(self):
        for order, sheet in enumerate([self.newest, self.oldest, self.middle]):
            FeaturedFilm.objects.filter(page=self.home, film_sheet=sheet).update(sort_order=order)
        self.assertInOrder(self.get(self.home), ["Newest film", "Oldest film", "Middle film"])

    def test_home_is_renderable_and_previewable(self):
        self.assertPageIsRenderable(self.home)
        self.assertPageIsPreviewable(self.home)


def empty_formset(prefix):
    """The management form of an inline panel with no rows."""
    return {f"{prefix}-{key}": value for key, value in EMPTY_FORMSET.items()}


EMPTY_FORMSET = {
    "TOTAL_FORMS": "0",
    "INITIAL_FORMS": "0",
    "MIN_NUM_FORMS": "0",
    "MAX_NUM_FORMS": "1000",
}


class OtherPagesRenderTests(RenderTestCase):
    def test_contact_and_film_index_are_renderable(self):
        self.assertPageIsRenderable(self.tree["contact"])
        self.assertPageIsRenderable(self.tree["films"])

    def test_private_showreel_pages_render_for_the_logged_in_owner(self):
        section = ShowreelIndexPage(title="Private work", slug="private-work")
        self.tree["home"].add_child(instance=section)
        make_private(section)
        reel = ShowreelPageFactory(
            parent=section, title="Reel 2024", intro="<p>Cut for producers.</p>"
        )
        reel.save_revision().publish()
        # Private indeed: a visitor gets the password form, without the page.
        response = self.client.get(reel.url)
        self.assertEqual(response.status_code, 403)
        self.assertNotContains(response, "Cut for producers.", status_code=403)

        self.client.force_login(self.owner_user)
        response = self.client.get(reel.url)
        self.assertEqual(response.status_code, 200)
        self.assertTemplateUsed(response, "showreels/showreel_page.html")
        self.assertContains(response, "Reel 2024")
        self.assertContains(response, "Cut for producers.")
        section_page = self.client.get(section.url)
        self.assertEqual(section_page.status_code, 200)
        self.assertContains(section_page, "Reel 2024")
