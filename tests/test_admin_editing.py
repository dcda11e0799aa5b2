"""The owner writes every page in the admin: valid data is saved and published, each kind of
invalid data is refused with an error on the field (or block) at fault.

Posts go through Wagtail's real add and edit views, with form data built by
wagtail.test.utils.form_data as the page editor would send it.
"""

import uuid

from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from filmsheets.models import FilmRole, FilmSheetPage
from home.models import AboutPage, ContactPage, HomePage
from tests.factories import (
    FilmSheetPageFactory,
    ImageFactory,
    LocalOEmbedProvider,
    VideoFactory,
    build_site,
)

NEXT_YEAR = timezone.now().year + 1
MALFORMED_URLS = [
    "not a url",
    "http//example.com",
    "https://",
    "javascript:alert(1)",
    "http://a b.com",
]


def list_block(values):
    """ListBlock form data: each child with its order, an id and no deletion."""
    data = {
        str(i): {"value": value, "deleted": "", "order": str(i), "id": str(uuid.uuid4())}
        for i, value in enumerate(values)
    }
    data["count"] = str(len(values))
    return data


def image_block(image, alt_text="", decorative=False):
    """ImageBlock form data: the chosen image, its alt text here and the decorative flag."""
    return {
        "image": str(image.pk) if image else "",
        "alt_text": alt_text,
        "decorative": "on" if decorative else "",
    }


def photo(image, alt_text="A grip pushing the dolly", decorative=False, caption="", credit=""):
    return {
        "photo": image_block(image, alt_text, decorative),
        "caption": caption,
        "credit": credit,
    }


def gallery(photos, layout="grid", title="First week"):
    return ("gallery", {"title": title, "layout": layout, "photos": list_block(photos)})


def video(video_id="", embed="", poster="", caption="Night shoot"):
    return ("video", {"video": video_id, "embed": embed, "poster": poster, "caption": caption})


def block_error(error, *path):
    """Walk a StreamField error down to one block: indexes of streams and lists, struct names."""
    for key in path:
        error = error.block_errors[key]
    return error


class AdminTestCase(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.owner = cls.create_superuser("owner")
        cls.images = ImageFactory.create_batch(3)
        cls.video_file = VideoFactory()
        cls.bts_unit = FilmRole.objects.get(slug="bts-video-unit")
        cls.scene_photographer = FilmRole.objects.get(slug="scene-photographer")

    def setUp(self):
        self.client.force_login(self.owner)

    def add_url(self, model, parent):
        return reverse(
            "wagtailadmin_pages:add",
            args=[model._meta.app_label, model._meta.model_name, parent.pk],
        )

    def edit_url(self, page):
        return reverse("wagtailadmin_pages:edit", args=[page.pk])

    def assertPublishedRedirect(self, response, parent):
        """Publishing from the admin ends on the explorer of the parent page."""
        form = response.context.get("form") if response.context else None
        errors = None
        if form is not None:
            errors = (form.errors.as_data(), {n: f.errors for n, f in form.formsets.items()})
        self.assertEqual(response.status_code, 302, errors)
        self.assertEqual(response["Location"], reverse("wagtailadmin_explore", args=[parent.pk]))

    def assertFieldErrors(self, response, fields):
        """The form came back with errors on exactly these fields."""
        self.assertEqual(response.status_code, 200)
        errors = response.context["form"].errors
        self.assertEqual(set(errors), set(fields), errors.as_data())
        return errors

    def body_error(self, response, field="body"):
        errors = self.assertFieldErrors(response, {field})
        return errors[field].as_data()[0]


class FilmSheetAdminTests(AdminTestCase):
    def film_sheet_data(self, body=(), roles=None, **fields):
        data = {
            "title": "Night Harbour",
            "slug": "night-harbour",
            "original_title": "Porto di notte",
            "year": "2019",
            "director": "Ada Rossi",
            "production_company": "Northlight Films",
            "distributor": "Harbour Pictures",
            "country": "Italy",
            "genre": "Drama",
            "runtime_minutes": "104",
            "crew_size": "85",
            "shooting_period": "October to December 2018",
            "locations": "Genoa, Camogli",
            "composer": "Marta Bianchi",
            "official_site_url": "https://nightharbour.example.com/",
            "trailer_url": "https://vimeo.com/123456",
            "imdb_url": "https://www.imdb.com/title/tt0000001/",
            "watch_url": "https://watch.example.com/night-harbour",
            "key_image": str(self.images[0].pk),
            "synopsis": rich_text("<p>A ferry crew and one last night crossing.</p>"),
            "body": streamfield(list(body)),
            "credits": inline_formset([]),
            "cast": inline_formset([]),
            "action-publish": "action-publish",
        }
        data.update(fields)
        data = nested_form_data(data)
        data["roles"] = [r.pk for r in (roles if roles is not None else [self.bts_unit])]
        return data

    def create(self, **kwargs):
        return self.client.post(
            self.add_url(FilmSheetPage, self.tree["films"]), self.film_sheet_data(**kwargs)
        )

    def assertNotCreated(self):
        self.assertFalse(FilmSheetPage.objects.filter(slug="night-harbour").exists())

    # Accepted

    def test_complete_film_sheet_is_saved_and_published(self):
        response = self.create(roles=[self.bts_unit, self.scene_photographer])
        self.assertPublishedRedirect(response, self.tree["films"])
        sheet = FilmSheetPage.objects.get(slug="night-harbour")
        self.assertTrue(sheet.live)
        self.assertEqual(sheet.get_parent().pk, self.tree["films"].pk)
        self.assertEqual(
            (sheet.year, sheet.director, sheet.runtime_minutes, sheet.crew_size, sheet.composer),
            (2019, "Ada Rossi", 104, 85, "Marta Bianchi"),
        )
        self.assertEqual(sheet.trailer_url, "https://vimeo.com/123456")
        self.assertEqual(sheet.key_image_id, self.images[0].pk)
        self.assertEqual(set(sheet.roles.all()), {self.bts_unit, self.scene_photographer})
        self.assertIn("one last night crossing", sheet.synopsis)

    def test_minimal_film_sheet_needs_only_title_year_director_and_role(self):
        blanks = dict.fromkeys(
            [
                "original_title",
                "production_company",
                "distributor",
                "country",
                "genre",
                "runtime_minutes",
                "crew_size",
                "shooting_period",
                "locations",
                "composer",
                "official_site_url",
                "trailer_url",
                "imdb_url",
                "watch_url",
                "key_image",
            ],
            "",
        )
        response = self.create(**blanks)
        self.assertPublishedRedirect(response, self.tree["films"])
        sheet = FilmSheetPage.objects.get(slug="night-harbour")
        self.assertIsNone(sheet.runtime_minutes)
        self.assertIsNone(sheet.crew_size)
        self.assertEqual(sheet.external_links(), [])

    def test_film_of_next_year_is_accepted(self):
        response = self.create(year=str(NEXT_YEAR))
        self.assertPublishedRedirect(response, self.tree["films"])
        self.assertEqual(FilmSheetPage.objects.get(slug="night-harbour").year, NEXT_YEAR)

    def test_first_year_of_cinema_is_accepted(self):
        response = self.create(year="1895")
        self.assertPublishedRedirect(response, self.tree["films"])

    # Refused, with the error on the field

    def test_year_before_cinema_is_refused_on_year(self):
        response = self.create(year="1894")
        errors = self.assertFieldErrors(response, {"year"})
        self.assertIn("between 1895", errors["year"][0])
        self.assertNotCreated()

    def test_year_after_next_year_is_refused_on_year(self):
        response = self.create(year=str(NEXT_YEAR + 1))
        self.assertFieldErrors(response, {"year"})
        self.assertNotCreated()

    def test_missing_or_non_numeric_year_is_refused_on_year(self):
        for value in ["", "abc", "-2019", "20.19"]:
            with self.subTest(year=value):
                self.assertFieldErrors(self.create(year=value), {"year"})
        self.assertNotCreated()

    def test_crew_of_zero_or_negative_size_is_refused_on_crew_size(self):
        for value in ["0", "-3"]:
            with self.subTest(crew_size=value):
                self.assertFieldErrors(self.create(crew_size=value), {"crew_size"})
        self.assertNotCreated()

    def test_runtime_of_zero_minutes_is_refused_on_runtime(self):
        for value in ["0", "-90"]:
            with self.subTest(runtime=value):
                self.assertFieldErrors(self.create(runtime_minutes=value), {"runtime_minutes"})
        self.assertNotCreated()

    def test_malformed_link_is_refused_on_its_field(self):
        for field in ["official_site_url", "trailer_url", "imdb_url", "watch_url"]:
            for value in MALFORMED_URLS:
                with self.subTest(field=field, value=value):
                    self.assertFieldErrors(self.create(**{field: value}), {field})
        self.assertNotCreated()

    def test_missing_director_is_refused_on_director(self):
        self.assertFieldErrors(self.create(director=""), {"director"})
        self.assertNotCreated()

    def test_film_sheet_without_a_role_is_refused_on_roles(self):
        self.assertFieldErrors(self.create(roles=[]), {"roles"})
        self.assertNotCreated()

    # The gallery

    def test_gallery_posted_as_streamfield_data_is_saved_and_published(self):
        first, second, third = self.images
        response = self.create(
            body=[
                gallery(
                    [
                        photo(first, alt_text="Grips laying track at dawn"),
                        photo(second, decorative=True, caption="Rain towers", credit="M. Neri"),
                        photo(third, alt_text="The director watching the monitor"),
                    ],
                    layout="masonry",
                    title="Night shoots",
                )
            ]
        )
        self.assertPublishedRedirect(response, self.tree["films"])
        sheet = FilmSheetPage.objects.get(slug="night-harbour")
        self.assertTrue(sheet.live)
        self.assertFalse(sheet.has_unpublished_changes)
        [block] = sheet.body
        self.assertEqual(block.block_type, "gallery")
        self.assertEqual((block.value["title"], block.value["layout"]), ("Night shoots", "masonry"))
        photos = list(block.value["photos"])
        self.assertEqual([p["photo"].pk for p in photos], [first.pk, second.pk, third.pk])
        self.assertEqual(
            [(p["photo"].contextual_alt_text, p["photo"].decorative) for p in photos],
            [
                ("Grips laying track at dawn", False),
                ("", True),
                ("The director watching the monitor", False),
            ],
        )
        self.assertEqual((photos[1]["caption"], photos[1]["credit"]), ("Rain towers", "M. Neri"))
        # The published revision holds the same gallery.
        live = sheet.live_revision.as_object()
        self.assertEqual(
            [p["photo"].pk for p in live.body[0].value["photos"]], [first.pk, second.pk, third.pk]
        )

    def test_photo_without_alt_text_that_is_not_decorative_is_refused_on_the_photo(self):
        response = self.create(
            body=[gallery([photo(self.images[0]), photo(self.images[1], alt_text="")])]
        )
        error = block_error(self.body_error(response), 0, "photos", 1, "photo")
        self.assertIn("alt_text", error.block_errors)
        self.assertNotCreated()

    def test_gallery_without_photos_is_refused_on_the_gallery(self):
        response = self.create(body=[gallery([])])
        error = block_error(self.body_error(response), 0, "photos")
        self.assertTrue(error.non_block_errors)
        self.assertNotCreated()

    def test_gallery_photo_without_an_image_is_refused_on_the_photo(self):
        response = self.create(body=[gallery([photo(None)])])
        error = block_error(self.body_error(response), 0, "photos", 0, "photo")
        self.assertIn("image", error.block_errors)
        self.assertNotCreated()

    def test_gallery_with_an_unknown_layout_is_refused_on_the_layout(self):
        response = self.create(body=[gallery([photo(self.images[0])], layout="carousel")])
        error = block_error(self.body_error(response), 0)
        self.assertEqual(set(error.block_errors), {"layout"})
        self.assertNotCreated()

    # The video block: a file or an embed, exactly one

    def test_video_block_with_a_file_is_saved(self):
        response = self.create(body=[video(video_id=str(self.video_file.pk))])
        self.assertPublishedRedirect(response, self.tree["films"])
        block = FilmSheetPage.objects.get(slug="night-harbour").body[0]
        self.assertEqual(block.value["video"], self.video_file)
        self.assertIsNone(block.value["embed"])

    def test_video_block_with_an_embed_link_is_saved(self):
        with LocalOEmbedProvider() as provider:
            response = self.create(body=[video(embed=provider.url("night-1"))])
        self.assertPublishedRedirect(response, self.tree["films"])
        block = FilmSheetPage.objects.get(slug="night-harbour").body[0]
        self.assertEqual(block.value["embed"].url, provider.url("night-1"))
        self.assertIsNone(block.value["video"])

    def test_video_block_with_both_file_and_embed_is_refused_on_the_video(self):
        with LocalOEmbedProvider() as provider:
            response = self.create(
                body=[video(video_id=str(self.video_file.pk), embed=provider.url("night-2"))]
            )
        error = block_error(self.body_error(response), 0)
        self.assertEqual(set(error.block_errors), {"video"})
        self.assertIn("not both", error.block_errors["video"].messages[0])
        self.assertNotCreated()

    def test_video_block_with_neither_file_nor_embed_is_refused_on_the_video(self):
        response = self.create(body=[video()])
        error = block_error(self.body_error(response), 0)
        self.assertEqual(set(error.block_errors), {"video"})
        self.assertIn("Choose an uploaded video or give an embed link", str(error.block_errors))
        self.assertNotCreated()

    def test_video_embed_link_nobody_can_play_is_refused_on_the_embed(self):
        with LocalOEmbedProvider():
            response = self.create(body=[video(embed="https://unknown.example.test/v/1")])
        error = block_error(self.body_error(response), 0)
        self.assertIn("embed", error.block_errors)
        self.assertNotCreated()

    # Editing

    def test_edit_saves_and_publishes_valid_changes(self):
        sheet = FilmSheetPageFactory(parent=self.tree["films"], slug="night-harbour", year=2017)
        response = self.client.post(
            self.edit_url(sheet),
            self.film_sheet_data(
                year="2020", director="Luca Verdi", body=[gallery([photo(self.images[2])])]
            ),
        )
        self.assertPublishedRedirect(response, self.tree["films"])
        sheet.refresh_from_db()
        self.assertEqual((sheet.year, sheet.director), (2020, "Luca Verdi"))
        self.assertEqual(sheet.body[0].value["photos"][0]["photo"].pk, self.images[2].pk)
        self.assertFalse(sheet.has_unpublished_changes)

    def test_edit_with_invalid_values_is_refused_and_changes_nothing(self):
        sheet = FilmSheetPageFactory(parent=self.tree["films"], slug="night-harbour", year=2017)
        revisions = sheet.revisions.count()
        cases = {
            "year": "1894",
            "crew_size": "0",
            "runtime_minutes": "0",
            "imdb_url": "imdb title 1",
            "director": "",
        }
        for field, value in cases.items():
            with self.subTest(field=field):
                response = self.client.post(
                    self.edit_url(sheet), self.film_sheet_data(**{field: value})
                )
                self.assertFieldErrors(response, {field})
        sheet.refresh_from_db()
        self.assertEqual((sheet.year, sheet.director), (2017, "A. Director"))
        self.assertEqual(sheet.revisions.count(), revisions)

    def test_edit_refuses_a_video_block_with_both_sources(self):
        sheet = FilmSheetPageFactory(parent=self.tree["films"], slug="night-harbour")
        with LocalOEmbedProvider() as provider:
            response = self.client.post(
                self.edit_url(sheet),
                self.film_sheet_data(
                    body=[video(video_id=str(self.video_file.pk), embed=provider.url("x"))]
                ),
            )
        error = block_error(self.body_error(response), 0)
        self.assertEqual(set(error.block_errors), {"video"})

    def test_film_sheet_edit_view_loads_and_saves(self):
        # A StreamField is drawn by the editor's JavaScript, so its data cannot be read back
        # from the HTML: the post is built here.
        sheet = FilmSheetPageFactory(parent=self.tree["films"])
        self.assertPageIsEditable(
            sheet,
            post_data=self.film_sheet_data(
                slug=sheet.slug, body=[gallery([photo(self.images[0])])]
            ),
        )


class AboutAdminTests(AdminTestCase):
    def about_data(self, body):
        return nested_form_data(
            {
                "title": "About",
                "slug": "about",
                "portrait": str(self.images[0].pk),
                "body": streamfield(body),
                "action-publish": "action-publish",
            }
        )

    def collaborators(self, people, heading="Working together"):
        return ("collaborators", {"heading": heading, "people": list_block(people)})

    def person(
        self, name="Marta Bianchi", role="Composer", url="https://marta.example.com/", note=""
    ):
        return {"name": name, "role": role, "url": url, "note": note}

    def edit(self, body):
        return self.client.post(self.edit_url(self.tree["about"]), self.about_data(body))

    def test_collaborators_are_saved_and_published(self):
        response = self.edit(
            [
                ("heading", "How I work"),
                ("text", rich_text("<p>Close to the crew, far from the lens.</p>")),
                self.collaborators(
                    [
                        self.person(note="Scores every backstage film."),
                        self.person(name="Paolo Neri", role="Colourist", url=""),
                    ]
                ),
            ]
        )
        self.assertPublishedRedirect(response, self.tree["home"])
        about = AboutPage.objects.get(pk=self.tree["about"].pk)
        self.assertTrue(about.live)
        self.assertFalse(about.has_unpublished_changes)
        self.assertEqual([b.block_type for b in about.body], ["heading", "text", "collaborators"])
        people = about.body[2].value["people"]
        self.assertEqual(
            [(p["name"], p["role"], p["url"]) for p in people],
            [
                ("Marta Bianchi", "Composer", "https://marta.example.com/"),
                ("Paolo Neri", "Colourist", ""),
            ],
        )
        self.assertEqual(about.portrait_id, self.images[0].pk)

    def test_collaborator_without_a_name_is_refused_on_the_name(self):
        response = self.edit([self.collaborators([self.person(), self.person(name="")])])
        error = block_error(self.body_error(response), 0, "people", 1)
        self.assertEqual(set(error.block_errors), {"name"})

    def test_collaborator_with_a_malformed_link_is_refused_on_the_link(self):
        response = self.edit([self.collaborators([self.person(url="marta dot com")])])
        error = block_error(self.body_error(response), 0, "people", 0)
        self.assertEqual(set(error.block_errors), {"url"})

    def test_collaborators_block_without_people_is_refused(self):
        response = self.edit([self.collaborators([])])
        error = block_error(self.body_error(response), 0, "people")
        self.assertTrue(error.non_block_errors)

    def test_about_video_with_both_sources_is_refused_on_the_video(self):
        with LocalOEmbedProvider() as provider:
            response = self.edit([video(video_id=str(self.video_file.pk), embed=provider.url())])
        error = block_error(self.body_error(response), 0)
        self.assertEqual(set(error.block_errors), {"video"})

    def test_about_captioned_image_without_alt_text_is_refused(self):
        response = self.edit([("image", {"image": image_block(self.images[1]), "caption": ""})])
        error = block_error(self.body_error(response), 0, "image")
        self.assertIn("alt_text", error.block_errors)

    def test_about_edit_view_loads_and_saves(self):
        self.assertPageIsEditable(
            self.tree["about"], post_data=self.about_data([self.collaborators([self.person()])])
        )


class HomeAdminTests(AdminTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        films = cls.tree["films"]
        cls.sheets = [FilmSheetPageFactory(parent=films, year=2010 + i) for i in range(14)]

    def home_data(self, featured):
        return nested_form_data(
            {
                "title": "Home",
                "slug": self.tree["home"].slug,
                "hero_image": str(self.images[0].pk),
                "hero_video": str(self.video_file.pk),
                "intro": rich_text("<p>Backstage films and set photography.</p>"),
                "featured_films": inline_formset(
                    [{"film_sheet": str(pk)} for pk in featured], max=12
                ),
                "action-publish": "action-publish",
            }
        )

    def edit(self, featured):
        return self.client.post(self.edit_url(self.tree["home"]), self.home_data(featured))

    def test_featured_films_are_saved_in_the_owners_order(self):
        chosen = [self.sheets[3].pk, self.sheets[0].pk, self.sheets[7].pk]
        response = self.edit(chosen)
        self.assertPublishedRedirect(response, self.tree["root"])
        home = HomePage.objects.get(pk=self.tree["home"].pk)
        self.assertTrue(home.live)
        self.assertEqual(
            [f.film_sheet_id for f in home.featured_films.order_by("sort_order")], chosen
        )
        self.assertEqual(home.hero_image_id, self.images[0].pk)
        self.assertEqual(home.hero_video_id, self.video_file.pk)

    def test_featured_film_left_empty_is_refused_on_the_film(self):
        response = self.edit([self.sheets[0].pk, ""])
        self.assertEqual(response.status_code, 200)
        formset = response.context["form"].formsets["featured_films"]
        self.assertEqual(set(formset.errors[1]), {"film_sheet"})
        self.assertFalse(HomePage.objects.get(pk=self.tree["home"].pk).featured_films.exists())

    def test_featuring_a_page_that_is_not_a_film_sheet_is_refused(self):
        response = self.edit([self.tree["about"].pk])
        self.assertEqual(response.status_code, 200)
        formset = response.context["form"].formsets["featured_films"]
        self.assertEqual(set(formset.errors[0]), {"film_sheet"})

    def test_more_than_twelve_featured_films_is_refused(self):
        response = self.edit([s.pk for s in self.sheets[:13]])
        self.assertEqual(response.status_code, 200)
        formset = response.context["form"].formsets["featured_films"]
        self.assertTrue(formset.non_form_errors())
        self.assertFalse(HomePage.objects.get(pk=self.tree["home"].pk).featured_films.exists())

    def test_twelve_featured_films_are_accepted(self):
        response = self.edit([s.pk for s in self.sheets[:12]])
        self.assertPublishedRedirect(response, self.tree["root"])
        self.assertEqual(HomePage.objects.get(pk=self.tree["home"].pk).featured_films.count(), 12)

    def test_home_edit_view_loads_and_saves(self):
        self.assertPageIsEditable(self.tree["home"])
        self.assertPageIsEditable(self.tree["home"], post_data=self.home_data([self.sheets[0].pk]))


class ContactAdminTests(AdminTestCase):
    def contact_data(self, new_fields, keep_existing=True, **overrides):
        """The contact page as saved, plus these new form fields; without keep_existing the
        fields already there are deleted, as the editor's delete button does."""
        existing = list(self.tree["contact"].form_fields.order_by("sort_order"))
        forms = [
            {
                "id": str(field.pk),
                "label": field.label,
                "field_type": field.field_type,
                "required": "on" if field.required else "",
                "DELETE": "" if keep_existing else "on",
            }
            for field in existing
        ]
        for field in new_fields:
            forms.append(
                {
                    "id": "",
                    "label": field.get("label", ""),
                    "field_type": field.get("field_type", "singleline"),
                    "required": "on" if field.get("required", True) else "",
                    "choices": field.get("choices", ""),
                    "default_value": "",
                    "help_text": field.get("help_text", ""),
                }
            )
        data = {
            "title": "Contact",
            "slug": "contact",
            "intro": rich_text("<p>For productions and press.</p>"),
            "thank_you_text": rich_text("<p>Thank you, I will answer soon.</p>"),
            "to_address": "owner@example.com",
            "from_address": "site@example.com",
            "subject": "A message from the site",
            "form_fields": inline_formset(forms, initial=len(existing)),
            "action-publish": "action-publish",
        }
        data.update(overrides)
        return nested_form_data(data)

    def edit(self, fields, **overrides):
        return self.client.post(
            self.edit_url(self.tree["contact"]), self.contact_data(fields, **overrides)
        )

    def formset_errors(self, response):
        self.assertEqual(response.status_code, 200)
        return response.context["form"].formsets["form_fields"].errors

    def saved_labels(self):
        page = ContactPage.objects.get(pk=self.tree["contact"].pk)
        return [f.label for f in page.form_fields.order_by("sort_order")]

    def test_form_fields_are_saved_and_published(self):
        fields = [
            {"label": "Your name"},
            {"label": "Your email", "field_type": "email"},
            {"label": "Production", "required": False},
            {"label": "What for", "field_type": "dropdown", "choices": "Showreel\nCollaboration"},
            {"label": "Message", "field_type": "multiline"},
        ]
        response = self.edit(fields, keep_existing=False)
        self.assertPublishedRedirect(response, self.tree["home"])
        self.assertEqual(
            self.saved_labels(), ["Your name", "Your email", "Production", "What for", "Message"]
        )
        page = ContactPage.objects.get(pk=self.tree["contact"].pk)
        self.assertTrue(page.live)
        self.assertEqual(page.form_fields.get(label="What for").clean_name, "what_for")

    def test_form_field_without_a_label_is_refused_on_the_label(self):
        response = self.edit([{"label": "Production"}, {"label": ""}])
        errors = self.formset_errors(response)
        self.assertEqual([set(e) for e in errors], [set(), set(), set(), set(), {"label"}])
        self.assertEqual(self.saved_labels(), ["Your name", "Your email", "Message"])

    def test_two_form_fields_with_the_same_label_are_refused(self):
        response = self.edit([{"label": "Production"}, {"label": "Production"}])
        errors = self.formset_errors(response)
        self.assertEqual([set(e) for e in errors], [set(), set(), set(), {"label"}, {"label"}])
        self.assertEqual(self.saved_labels(), ["Your name", "Your email", "Message"])

    def test_new_form_field_with_the_label_of_an_existing_one_is_refused(self):
        response = self.edit([{"label": "Your email"}])
        errors = self.formset_errors(response)
        self.assertIn("label", errors[3])

    def test_malformed_recipient_address_is_refused_on_to_address(self):
        response = self.edit([], to_address="owner at example")
        self.assertFieldErrors(response, {"to_address"})

    def test_contact_edit_view_loads_and_saves(self):
        self.assertPageIsEditable(self.tree["contact"])
        self.assertPageIsEditable(
            self.tree["contact"], post_data=self.contact_data([{"label": "Production"}])
        )
