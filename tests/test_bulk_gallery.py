"""Galleries built from a collection, captions and credits set on many photos at once, a
credit said once, and alt text that never falls back to the file name."""

import datetime
import json
import uuid
from urllib.parse import urlencode

from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Collection, Site
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from filmsheets.models import FilmRole, FilmSheetPage
from gallery.blocks import BackstageGalleryBlock, BackstagePhotoBlock, collection_choices
from gallery.models import BackstageImage
from home.models import PortfolioSettings
from tests.factories import FilmSheetPageFactory, ImageFactory, build_site

OWNER = "Lorenzo Valsecchi"


def list_block(values):
    data = {
        str(i): {"value": value, "deleted": "", "order": str(i), "id": str(uuid.uuid4())}
        for i, value in enumerate(values)
    }
    data["count"] = str(len(values))
    return data


def photo_form(image, alt_text="A grip on the dolly", decorative=False):
    return {
        "photo": {
            "image": str(image.pk),
            "alt_text": alt_text,
            "decorative": "on" if decorative else "",
        },
        "caption": "",
        "credit": "",
    }


def gallery_form(photos=(), collection=None):
    return (
        "gallery",
        {
            "title": "On the quay",
            "layout": "grid",
            "collection": str(collection.pk) if collection else "",
            "photos": list_block(list(photos)),
        },
    )


def photo_json(image, alt_text="", decorative=False, credit=""):
    return {
        "type": "item",
        "id": str(uuid.uuid4()),
        "value": {
            "photo": {"image": image.pk, "decorative": decorative, "alt_text": alt_text},
            "caption": "",
            "credit": credit,
        },
    }


def gallery_json(photos, title="On the quay"):
    return {"type": "gallery", "value": {"title": title, "layout": "grid", "photos": photos}}


class BulkGalleryTestCase(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.owner = cls.create_superuser("owner")
        root = Collection.get_first_root_node()
        cls.shoot = root.add_child(name="Harbour night shoot")
        cls.elsewhere = root.add_child(name="Elsewhere")
        cls.empty = root.add_child(name="Not uploaded yet")
        # Uploaded in the order bts-01 … bts-04, their ids in another order.
        cls.photos = {}
        start = timezone.now() - datetime.timedelta(days=1)
        for minutes, number in [(3, 4), (0, 1), (2, 3), (1, 2)]:
            image = ImageFactory(
                collection=cls.shoot,
                title=f"bts-0{number}",
                description=f"Crew on the quay, frame {number}",
                credit="",
            )
            BackstageImage.objects.filter(pk=image.pk).update(
                created_at=start + datetime.timedelta(minutes=minutes)
            )
            cls.photos[number] = image
        cls.stranger = ImageFactory(collection=cls.elsewhere, description="A boat")
        cls.role = FilmRole.objects.get(slug="bts-video-unit")

    def setUp(self):
        self.client.force_login(self.owner)


class GalleryFromCollectionTests(BulkGalleryTestCase):
    def film_sheet_data(self, body, action="action-publish"):
        data = nested_form_data(
            {
                "title": "The Salt Harbour",
                "slug": "the-salt-harbour",
                "year": "2015",
                "director": "Giulia Ferraris",
                "body": streamfield(list(body)),
                "credits": inline_formset([]),
                "cast": inline_formset([]),
                action: action,
            }
        )
        data["roles"] = [self.role.pk]
        return data

    def create(self, body, action="action-publish"):
        url = reverse(
            "wagtailadmin_pages:add", args=["filmsheets", "filmsheetpage", self.tree["films"].pk]
        )
        return self.client.post(url, self.film_sheet_data(body, action))

    def saved_gallery(self):
        return FilmSheetPage.objects.get(slug="the-salt-harbour").body[0].value

    def gallery_error(self, response):
        self.assertEqual(response.status_code, 200)
        return response.context["form"].errors["body"].as_data()[0].block_errors[0]

    def test_new_film_sheet_gallery_starts_from_a_collection_in_upload_order(self):
        response = self.create([gallery_form(collection=self.shoot)])
        self.assertEqual(response.status_code, 302)
        gallery = self.saved_gallery()
        self.assertEqual(
            [photo.image.title for photo in gallery["photos"]],
            ["bts-01", "bts-02", "bts-03", "bts-04"],
        )
        # Each photo's alt text is its image's description; the choice is cleared.
        self.assertEqual(
            [photo.alt_text() for photo in gallery["photos"]],
            [f"Crew on the quay, frame {n}" for n in (1, 2, 3, 4)],
        )
        self.assertEqual(gallery["collection"], "")
        self.assertTrue(FilmSheetPage.objects.get(slug="the-salt-harbour").live)

    def test_photos_already_in_the_gallery_are_not_added_twice(self):
        response = self.create(
            [gallery_form([photo_form(self.photos[3], "Chosen first")], collection=self.shoot)]
        )
        self.assertEqual(response.status_code, 302)
        gallery = self.saved_gallery()
        self.assertEqual(
            [photo.image.title for photo in gallery["photos"]],
            ["bts-03", "bts-01", "bts-02", "bts-04"],
        )
        self.assertEqual(gallery["photos"][0].alt_text(), "Chosen first")
        self.assertNotIn(self.stranger.pk, [photo.image.pk for photo in gallery["photos"]])

    def test_saving_again_with_the_same_collection_adds_nothing(self):
        block = BackstageGalleryBlock()
        value = block.clean(
            block.to_python({"title": "", "layout": "grid", "collection": str(self.shoot.pk)})
        )
        again = block.clean(block.normalize({**value, "collection": str(self.shoot.pk)}))
        self.assertEqual(len(again["photos"]), 4)
        self.assertEqual(again["collection"], "")

    def test_a_draft_gallery_takes_the_collections_photos_without_alt_text(self):
        BackstageImage.objects.filter(pk=self.photos[2].pk).update(description="")
        response = self.create([gallery_form(collection=self.shoot)], action="action-save")
        self.assertEqual(response.status_code, 302)
        photos = self.saved_gallery()["photos"]
        self.assertEqual(len(photos), 4)
        self.assertIsNone(photos[1].alt_text())

    def test_publishing_a_collection_with_photos_without_alt_text_is_refused_on_the_choice(self):
        BackstageImage.objects.filter(pk=self.photos[2].pk).update(description="")
        response = self.create([gallery_form(collection=self.shoot)])
        error = self.gallery_error(response)
        self.assertIn("collection", error.block_errors)
        self.assertIn("bts-02", str(error.block_errors["collection"]))
        self.assertFalse(FilmSheetPage.objects.filter(slug="the-salt-harbour").exists())

    def test_empty_collection_is_refused_on_the_choice(self):
        response = self.create([gallery_form(collection=self.empty)])
        self.assertIn("collection", self.gallery_error(response).block_errors)

    def test_gallery_without_photos_or_collection_is_refused_on_the_photos(self):
        response = self.create([gallery_form()])
        error = self.gallery_error(response).block_errors["photos"]
        self.assertTrue(error.non_block_errors)

    def test_collection_choices_name_each_collection_with_its_photo_count(self):
        choices = dict(collection_choices())
        self.assertEqual(choices[str(self.shoot.pk)], "Harbour night shoot (4 photos)")
        self.assertEqual(choices[str(self.empty.pk)], "Not uploaded yet (0 photos)")
        self.assertNotIn(str(Collection.get_first_root_node().pk), choices)

    def test_page_editor_offers_the_collection_choice(self):
        url = reverse(
            "wagtailadmin_pages:add", args=["filmsheets", "filmsheetpage", self.tree["films"].pk]
        )
        response = self.client.get(url)
        self.assertContains(response, "Add all photos of a collection")
        self.assertContains(response, "Harbour night shoot (4 photos)")


class BulkEditCaptionsTests(BulkGalleryTestCase):
    def action_url(self, images):
        query = [("next", reverse("wagtailimages:index"))]
        query += [("id", image.pk) for image in images]
        url = reverse(
            "wagtail_bulk_action",
            args=["gallery", "backstageimage", "edit_captions_and_credits"],
        )
        return f"{url}?{urlencode(query)}"

    def edit(self, images, **fields):
        data = dict.fromkeys(["caption", "credit", "licence", "description"], "")
        data.update(fields)
        return self.client.post(self.action_url(images), data)

    def test_image_listing_offers_the_bulk_action(self):
        response = self.client.get(reverse("wagtailimages:index"))
        self.assertContains(response, "Edit captions and credits")

    def test_add_images_page_leads_to_the_bulk_action_once_photos_are_uploaded(self):
        response = self.client.get(reverse("wagtailimages:add_multiple"))
        box = self.get_soup(response.content).select_one("[data-uploaded-batch]")
        self.assertTrue(box.has_attr("hidden"))  # shown by the script after an upload
        self.assertEqual(
            box["data-bulk-edit-url"],
            reverse(
                "wagtail_bulk_action",
                args=["gallery", "backstageimage", "edit_captions_and_credits"],
            ),
        )
        self.assertContains(response, "gallery/js/uploaded-batch.js")

    def test_confirmation_counts_the_images_and_flags_those_without_alt_text(self):
        BackstageImage.objects.filter(pk=self.photos[1].pk).update(description="")
        response = self.client.get(self.action_url(self.photos.values()))
        self.assertContains(response, "set on the 4 selected images")
        self.assertContains(response, "1 of them has no alt text")
        self.assertContains(response, ">No alt text<", count=1)  # beside bts-01

    def test_filled_fields_are_set_on_every_selected_image_and_empty_ones_left_alone(self):
        chosen = [self.photos[1], self.photos[2], self.photos[3]]
        licences = {image.pk: image.licence for image in chosen}
        response = self.edit(
            chosen,
            caption="Night on the quay",
            credit=OWNER,
            description="Crew members on a wet quay at night",
        )
        self.assertRedirects(response, reverse("wagtailimages:index"))
        for image in BackstageImage.objects.filter(pk__in=[i.pk for i in chosen]):
            self.assertEqual(
                (image.caption, image.credit, image.description, image.licence),
                (
                    "Night on the quay",
                    OWNER,
                    "Crew members on a wet quay at night",
                    licences[image.pk],
                ),
            )
        untouched = BackstageImage.objects.get(pk=self.photos[4].pk)
        self.assertEqual(untouched.description, "Crew on the quay, frame 4")
        messages = [str(m).strip() for m in get_messages(response.wsgi_request)]
        self.assertEqual(messages, ["Captions and credits: 3 images changed."])

    def test_images_that_already_have_the_values_are_not_counted_as_changed(self):
        BackstageImage.objects.filter(pk=self.photos[1].pk).update(credit=OWNER)
        response = self.edit([self.photos[1], self.photos[2]], credit=OWNER)
        messages = [str(m).strip() for m in get_messages(response.wsgi_request)]
        self.assertEqual(
            messages, ["Captions and credits: 1 image changed (1 already had these values)."]
        )

    def test_changed_captions_are_found_by_the_image_search(self):
        self.edit([self.photos[1]], caption="Fishermen mending nets")
        found = BackstageImage.objects.search("mending")
        self.assertEqual([image.pk for image in found], [self.photos[1].pk])

    def test_all_fields_empty_is_refused_and_changes_nothing(self):
        response = self.edit([self.photos[1]])
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Fill in at least one field")
        self.assertEqual(BackstageImage.objects.get(pk=self.photos[1].pk).caption, "On set")


class CreditOnceTests(BulkGalleryTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        site = Site.objects.get(is_default_site=True)
        PortfolioSettings.objects.update_or_create(
            site=site, defaults={"owner_name": OWNER, "default_photo_credit": OWNER}
        )
        cls.own_credit = ImageFactory(credit=OWNER, description="Lamps on the quay")
        cls.other_credit = ImageFactory(credit="Giorgio Sala", description="The crane")

    def sheet(self, photos):
        return FilmSheetPageFactory(parent=self.tree["films"], body=[gallery_json(photos)])

    def test_one_credit_shared_by_every_photo_is_shown_once_below_the_gallery(self):
        # Its own credit, the block's credit, and none (the site's default credit).
        page = self.sheet(
            [
                photo_json(self.own_credit, "Lamps"),
                photo_json(self.photos[1], "Quay", credit=OWNER),
                photo_json(self.photos[2], "Crew"),
            ]
        )
        self.client.logout()
        soup = self.get_soup(self.client.get(page.url).content)
        gallery = soup.select_one(".gallery")
        self.assertEqual(gallery.select("figcaption .gallery__credit"), [])
        shown = [p.get_text() for p in gallery.select(":scope > p .gallery__credit")]
        self.assertEqual(shown, [f"Photos: {OWNER}"])

    def test_photos_with_different_credits_each_show_their_own_or_the_default(self):
        page = self.sheet(
            [photo_json(self.other_credit, "Crane"), photo_json(self.photos[1], "Quay")]
        )
        self.client.logout()
        soup = self.get_soup(self.client.get(page.url).content)
        gallery = soup.select_one(".gallery")
        self.assertEqual(
            [c.get_text() for c in gallery.select("figcaption .gallery__credit")],
            ["Giorgio Sala", OWNER],
        )
        self.assertNotIn("Photos:", gallery.get_text())

    def test_structured_data_credits_photos_without_a_credit_to_the_default(self):
        page = self.sheet(
            [photo_json(self.other_credit, "Crane"), photo_json(self.photos[1], "Quay")]
        )
        self.client.logout()
        soup = self.get_soup(self.client.get(page.url).content)
        graph = json.loads(soup.select_one('script[type="application/ld+json"]').string)["@graph"]
        [gallery] = [node for node in graph if node["@type"] == "ImageGallery"]
        self.assertEqual(
            [image["creditText"] for image in gallery["image"]], ["Giorgio Sala", OWNER]
        )

    def test_credited_photos_without_a_default_leave_uncredited_photos_uncredited(self):
        value = BackstageGalleryBlock().to_python(
            gallery_json([photo_json(self.photos[1], "A"), photo_json(self.own_credit, "B")])[
                "value"
            ]
        )
        shared, photos = value.credited_photos()
        self.assertEqual(shared, "")
        self.assertEqual(
            [(credit, own) for _photo, credit, own in photos], [("", ""), (OWNER, OWNER)]
        )
        shared, photos = value.credited_photos(default_credit=OWNER)
        self.assertEqual(shared, OWNER)
        self.assertEqual([credit for _photo, credit, _own in photos], ["", ""])


class AltTextTests(BulkGalleryTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.unwritten = ImageFactory(title="bts-17", description="")

    def test_photo_without_alt_text_has_no_alt_attribute_never_its_file_name(self):
        page = FilmSheetPageFactory(
            parent=self.tree["films"],
            body=[
                gallery_json(
                    [
                        photo_json(self.unwritten),
                        photo_json(self.unwritten, decorative=True),
                        photo_json(self.photos[1]),
                        photo_json(self.photos[2], "Written here"),
                    ]
                )
            ],
        )
        self.client.logout()
        response = self.client.get(page.url)
        images = self.get_soup(response.content).select(".gallery img")
        self.assertEqual(
            [img.get("alt") for img in images],
            [None, "", "Crew on the quay, frame 1", "Written here"],
        )
        self.assertNotContains(response, 'alt="bts-17"')
        self.assertNotContains(response, 'data-alt="None"')

    def test_photo_value_alt_text_is_none_only_when_missing_and_not_decorative(self):
        block = BackstagePhotoBlock()
        missing = block.to_python(photo_json(self.unwritten)["value"])
        decorative = block.to_python(photo_json(self.unwritten, decorative=True)["value"])
        self.assertIsNone(missing.alt_text())
        self.assertEqual(decorative.alt_text(), "")

    def test_image_chooser_suggests_no_alt_text_for_an_image_without_description(self):
        self.assertEqual(self.unwritten.default_alt_text, "")
        response = self.client.get(
            reverse("wagtailimages_chooser:chosen", args=[self.unwritten.pk])
        )
        self.assertEqual(response.json()["result"]["default_alt_text"], "")

    def test_page_editors_checks_flag_images_without_alt_text(self):
        page = FilmSheetPageFactory(parent=self.tree["films"])
        response = self.client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        soup = self.get_soup(response.content)
        configuration = json.loads(soup.select_one("#checker-axe-configuration").string)
        self.assertIn("image-alt", configuration["options"]["runOnly"])
        self.assertIn("alt-text-quality", configuration["options"]["runOnly"])

    def test_image_edit_form_says_no_alt_text_when_the_description_is_empty(self):
        response = self.client.get(reverse("wagtailimages:edit", args=[self.unwritten.pk]))
        self.assertContains(response, 'placeholder="No alt text"')
        self.assertContains(response, "Description (alt text)")
