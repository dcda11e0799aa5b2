"""Private work stays private under admin roles, tree operations and guessing.

Each test attacks the served site: what a collaborator with an admin login, a copy or move of
a showreel, or a flood of wrong passes can get out of it.
"""

from datetime import UTC, datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.db import connection
from django.test import Client, RequestFactory, TestCase, override_settings
from wagtail.actions.convert_alias import ConvertAliasPageAction
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    PageViewRestriction,
)
from wagtail.test.utils import WagtailTestUtils

from showreels.models import (
    AccessPass,
    MoreTimeRequest,
    ShowreelPage,
    TermsAcceptance,
    UnlockAttempt,
    UnlockRefusal,
)
from showreels.tree_warnings import confirm_copy_out_of_privacy
from tests import factories

MARKER = "Quillbarrow night exterior"


def build_private_section():
    site = factories.build_site()
    image = factories.ImageFactory(title="Reel still")
    section = factories.ShowreelIndexPageFactory(parent=site["home"], title="Private work")
    reel = factories.ShowreelPageFactory(
        parent=section,
        title="Reel 2026",
        intro=f"<p>{MARKER}</p>",
        body=[factories.gallery_block([image])],
    )
    other = factories.ShowreelPageFactory(parent=section, title="Second reel")
    return {**site, "section": section, "reel": reel, "other": other, "image": image}


def rendition_url(image):
    return image.get_rendition("width-480|format-jpeg").url


class AdminRolesTests(WagtailTestUtils, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_private_section()
        cls.rendition = rendition_url(cls.tree["image"])
        cls.document = factories.DocumentFactory(title="Call sheet, day 12")
        factories.ShowreelPageFactory(
            parent=cls.tree["section"],
            intro=f'<p><a linktype="document" id="{cls.document.pk}">Call sheet</a></p>',
        )
        # The composer: may log into the admin and edit the About page, nothing else.
        composer_group = Group.objects.create(name="About page editors")
        composer_group.permissions.add(Permission.objects.get(codename="access_admin"))
        GroupPagePermission.objects.create(
            group=composer_group, page=cls.tree["about"], permission_type="change"
        )
        cls.composer = cls.create_user("composer", password="pw")
        cls.composer.groups.add(composer_group)
        # An editor of the private section.
        editors = Group.objects.create(name="Private work editors")
        editors.permissions.add(Permission.objects.get(codename="access_admin"))
        GroupPagePermission.objects.create(
            group=editors, page=cls.tree["section"], permission_type="change"
        )
        cls.section_editor = cls.create_user("section-editor", password="pw")
        cls.section_editor.groups.add(editors)
        # A screening room assistant: the explicit permission, no page permissions.
        viewers = Group.objects.create(name="Screening room")
        viewers.permissions.add(Permission.objects.get(codename="view_private_work"))
        cls.viewer = cls.create_user("viewer", password="pw")
        cls.viewer.groups.add(viewers)

    def test_admin_user_without_permission_on_the_section_gets_the_password_form(self):
        self.client.force_login(self.composer)
        response = self.client.get(self.tree["reel"].url)
        self.assertEqual(response.status_code, 403)
        self.assertNotContains(response, MARKER, status_code=403)
        self.assertEqual(self.client.get(self.rendition).status_code, 404)
        search = self.client.get("/search/", {"q": "Quillbarrow"})
        self.assertNotContains(search, "Reel 2026")

    def test_editor_of_the_section_sees_the_page_and_its_media(self):
        self.client.force_login(self.section_editor)
        self.assertContains(self.client.get(self.tree["reel"].url), MARKER)
        response = self.client.get(self.rendition)
        self.assertEqual(response.status_code, 200)
        self.assertIn("no-store", response["Cache-Control"])

    def test_private_document_is_private_no_store_for_its_editors_too(self):
        self.assertEqual(self.client.get(self.document.url).status_code, 404)
        self.client.force_login(self.composer)
        self.assertEqual(self.client.get(self.document.url).status_code, 404)
        for user in (self.section_editor, self.librarian()):
            self.client.force_login(user)
            response = self.client.get(self.document.url)
            self.assertEqual(response.status_code, 200)
            self.assertIn("no-store", response["Cache-Control"])
            self.assertIn("private", response["Cache-Control"])

    def librarian(self):
        """May choose documents in the admin's library, and edits no page."""
        group = Group.objects.create(name="Librarians")
        group.permissions.add(Permission.objects.get(codename="access_admin"))
        GroupCollectionPermission.objects.create(
            group=group,
            collection=Collection.get_first_root_node(),
            permission=Permission.objects.get(codename="choose_document"),
        )
        user = self.create_user("librarian", password="pw")
        user.groups.add(group)
        return user

    def test_holder_of_the_view_private_work_permission_sees_the_page_and_its_media(self):
        self.client.force_login(self.viewer)
        self.assertContains(self.client.get(self.tree["reel"].url), MARKER)
        self.assertEqual(self.client.get(self.rendition).status_code, 200)

    def test_original_image_is_for_its_editors_only(self):
        original = self.tree["image"].file.url
        self.assertEqual(self.client.get(original).status_code, 404)
        self.client.force_login(self.section_editor)  # no image permissions
        self.assertEqual(self.client.get(original).status_code, 404)
        self.client.force_login(self.create_superuser("owner", password="pw"))
        self.assertEqual(self.client.get(original).status_code, 200)

    def test_original_of_a_public_photo_is_not_public(self):
        image = factories.ImageFactory()
        factories.FilmSheetPageFactory(
            parent=self.tree["films"], body=[factories.gallery_block([image])]
        ).save_revision().publish()
        self.assertEqual(self.client.get(rendition_url(image)).status_code, 200)
        self.assertEqual(self.client.get(image.file.url).status_code, 404)


class TreeOperationsTests(WagtailTestUtils, TestCase):
    """However a showreel gets out of its section, it is never served publicly."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_private_section()

    def assert_private(self, page):
        page.refresh_from_db()
        response = self.client.get(page.url)
        self.assertEqual(response.status_code, 403, page.url)
        self.assertNotContains(response, MARKER, status_code=403)
        self.assertIn("no-store", response["Cache-Control"])
        covering = PageViewRestriction.objects.filter(
            page__path__in=[page.path[:end] for end in range(4, len(page.path) + 1, 4)]
        )
        self.assertTrue(covering.exists(), "the admin shows it as private")

    def test_copy_to_a_public_parent_with_publish_copies(self):
        copy = self.tree["reel"].copy(
            to=self.tree["home"], update_attrs={"slug": "reel-copy"}, keep_live=True
        )
        self.assertTrue(copy.live)
        self.assert_private(copy)

    def test_move_out_of_the_private_section(self):
        reel = self.tree["reel"]
        reel.move(self.tree["home"], pos="last-child")
        self.assert_private(ShowreelPage.objects.get(pk=reel.pk))

    def test_alias_and_alias_converted_to_an_ordinary_page(self):
        alias = self.tree["reel"].create_alias(parent=self.tree["home"], update_slug="reel-alias")
        self.assert_private(alias)
        ConvertAliasPageAction(alias).execute(skip_permission_checks=True)
        alias = Page.objects.get(pk=alias.pk)
        self.assertIsNone(alias.alias_of_id)
        self.assert_private(alias)

    def test_section_restriction_removed(self):
        PageViewRestriction.objects.filter(page=self.tree["section"]).delete()
        self.assert_private(self.tree["reel"])
        self.assert_private(self.tree["section"])

    def test_showreel_without_any_restriction_answers_the_form_at_serving_time(self):
        """Even rows written behind the admin's back (no restriction at all) stay private."""
        reel = self.tree["other"]
        with connection.cursor() as cursor:  # no signals: as a raw import would leave it
            cursor.execute(f"DELETE FROM {PageViewRestriction._meta.db_table}")  # noqa: S608 - a model name
        self.assertFalse(PageViewRestriction.objects.exists())
        response = self.client.get(reel.url)
        self.assertEqual(response.status_code, 403)
        self.assertNotIn("Second reel", response.content.decode())


@override_settings(SHOWREEL_UNLOCK_ATTEMPTS=3, SHOWREEL_SECTION_ATTEMPTS=7)
class UnlockLimitsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_private_section()
        cls.access_pass, cls.password = AccessPass.issue(label="Producer", page=cls.tree["section"])

    def unlock(self, page, password="wrong-guess", address="203.0.113.9"):
        return self.client.post(
            f"/private/unlock/{page.pk}/", {"password": password}, REMOTE_ADDR=address
        )

    def test_shared_page_password_is_off_by_default(self):
        self.assertFalse(settings.SHOWREEL_ALLOW_SHARED_PASSWORD)
        restriction = PageViewRestriction.objects.get(page=self.tree["section"])
        self.assertEqual(self.unlock(self.tree["reel"], restriction.password).status_code, 403)

    def test_addresses_of_one_ipv6_64_share_one_limit(self):
        for n in range(3):
            self.assertEqual(
                self.unlock(self.tree["reel"], address=f"2001:db8:1:2::{n}").status_code, 403
            )
        response = self.unlock(self.tree["reel"], address="2001:db8:1:2:ffff::1")
        self.assertEqual(response.status_code, 429)
        self.assertTrue(int(response["Retry-After"]) > 0)
        # Another /64 is another client.
        self.assertEqual(self.unlock(self.tree["reel"], address="2001:db8:1:3::1").status_code, 403)

    def test_limit_holds_per_section_whichever_page_id_carries_the_request(self):
        for page in (self.tree["reel"], self.tree["other"], self.tree["section"]):
            self.assertEqual(self.unlock(page).status_code, 403)
        self.assertEqual(self.unlock(self.tree["other"]).status_code, 429)
        # Wagtail's own password endpoint, with another page id, is the same section.
        restriction = PageViewRestriction.objects.get(page=self.tree["section"])
        response = self.client.post(
            f"/_util/authenticate_with_password/{restriction.pk}/{self.tree['reel'].pk}/",
            {"password": self.password},
            REMOTE_ADDR="203.0.113.9",
        )
        self.assertEqual(response.status_code, 429)

    def test_refused_attempts_write_no_row_and_cost_no_check(self):
        for _ in range(3):
            self.unlock(self.tree["reel"])
        self.assertEqual(UnlockAttempt.objects.count(), 3)
        for _ in range(40):
            self.assertEqual(self.unlock(self.tree["reel"]).status_code, 429)
        self.assertEqual(UnlockAttempt.objects.count(), 3)
        refusal = UnlockRefusal.objects.get()
        self.assertEqual(refusal.refused, 40)
        # Even the right pass is not checked while the limit holds.
        self.assertEqual(self.unlock(self.tree["reel"], self.password).status_code, 429)
        self.assertEqual(AccessPass.objects.get().use_count, 0)

    @override_settings(SHOWREEL_NOTIFY_EMAIL="owner@example.com")
    def test_ceiling_across_networks_refuses_and_alerts_the_owner_once(self):
        for n in range(7):
            self.assertEqual(
                self.unlock(self.tree["reel"], address=f"198.51.100.{n}").status_code, 403
            )
        for n in range(7, 30):
            response = self.unlock(self.tree["reel"], address=f"198.51.100.{n}")
            self.assertEqual(response.status_code, 429)
        self.assertEqual(UnlockAttempt.objects.count(), 7)
        self.assertEqual(UnlockRefusal.objects.get(client=UnlockRefusal.ALL_CLIENTS).refused, 23)
        self.assertEqual(len(mail.outbox), 1)
        self.assertIn("Private work", mail.outbox[0].subject)

    def test_a_right_pass_still_opens_after_a_few_wrong_ones(self):
        self.unlock(self.tree["reel"])
        response = self.unlock(self.tree["reel"], self.password)
        self.assertEqual(response.status_code, 302)
        self.assertContains(self.client.get(self.tree["reel"].url), MARKER)


class PassHashTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_private_section()

    def test_generated_pass_is_stored_as_a_keyed_hash(self):
        access_pass, password = AccessPass.issue(label="P", page=self.tree["section"])
        self.assertTrue(access_pass.password_hash.startswith("hmac-sha256$"))
        self.assertNotIn(password, access_pass.password_hash)
        self.assertTrue(access_pass.check_password(password))
        other_last = "y" if password.endswith("x") else "x"
        self.assertFalse(access_pass.check_password(password[:-1] + other_last))

    def test_pass_hashed_the_old_slow_way_opens_and_is_rehashed(self):
        access_pass, password = AccessPass.issue(label="Old", page=self.tree["section"])
        AccessPass.objects.filter(pk=access_pass.pk).update(password_hash=make_password(password))
        access_pass.refresh_from_db()
        self.assertTrue(access_pass.check_password(password))
        self.assertTrue(
            AccessPass.objects.get(pk=access_pass.pk).password_hash.startswith("hmac-sha256$")
        )

    def test_pass_keeps_opening_when_the_secret_key_rotates_with_a_fallback(self):
        access_pass, password = AccessPass.issue(label="P", page=self.tree["section"])
        old_key = settings.SECRET_KEY
        with override_settings(SECRET_KEY="rotated-" + old_key, SECRET_KEY_FALLBACKS=[old_key]):
            self.assertTrue(access_pass.check_password(password))
        with override_settings(SECRET_KEY="rotated-" + old_key, SECRET_KEY_FALLBACKS=[]):
            self.assertFalse(access_pass.check_password(password))


class AdminLoginThrottleTests(WagtailTestUtils, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.owner = cls.create_superuser("owner", password="the-right-password")

    def sign_in(self, username="owner", password="wrong", address="203.0.113.5"):
        return self.client.post(
            "/admin/login/", {"username": username, "password": password}, REMOTE_ADDR=address
        )

    def assert_paused(self, response):
        self.assertContains(response, "Signing in is paused", status_code=429)
        self.assertContains(response, "15 minutes", status_code=429)

    def test_wrong_passwords_for_one_username_pause_it_from_every_network(self):
        for n in range(4):
            self.assertEqual(self.sign_in(address=f"198.51.100.{n}").status_code, 200)
        self.assert_paused(self.sign_in(address="198.51.100.4"))  # the fifth
        self.assert_paused(self.sign_in(password="the-right-password", address="192.0.2.1"))

    def test_wrong_passwords_from_one_network_pause_it_for_every_username(self):
        for n in range(4):
            self.assertEqual(self.sign_in(username=f"guess{n}").status_code, 200)
        self.assert_paused(self.sign_in(username="guess4"))
        self.assert_paused(self.sign_in(password="the-right-password"))
        # A neighbour in another network signs in.
        response = self.sign_in(password="the-right-password", address="192.0.2.1")
        self.assertEqual(response.status_code, 302)

    def test_the_right_password_before_the_limit_signs_in(self):
        for _ in range(4):
            self.sign_in()
        self.assertEqual(self.sign_in(password="the-right-password").status_code, 302)


TERMS = "<p>Confidential: no copies, no screenshots, no sharing.</p>"


class ProducerTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_private_section()
        cls.access_pass, cls.password = AccessPass.issue(
            label="Line producer, Northlight Films",
            page=cls.tree["section"],
            expires_at=datetime(2031, 3, 14, 22, 59, tzinfo=UTC),
        )

    def unlock(self, **data):
        return self.client.post(
            f"/private/unlock/{self.tree['reel'].pk}/", {"password": self.password, **data}
        )

    def test_the_form_asks_for_an_access_pass_and_says_what_to_do(self):
        response = self.client.get(self.tree["reel"].url)
        self.assertContains(response, "Access pass", status_code=403)
        self.assertContains(response, "Enter the access pass", status_code=403)
        self.assertNotContains(response, "Password", status_code=403)

    def test_unlocked_page_shows_until_when_the_pass_is_valid_in_the_site_time_zone(self):
        self.unlock()
        response = self.client.get(self.tree["reel"].url)
        # 22:59 UTC is 23:59 in Rome (winter time).
        self.assertContains(response, "Valid until 14 March 2031, 23:59")

    @override_settings(SHOWREEL_NOTIFY_EMAIL="owner@example.com")
    def test_asking_for_more_time_reaches_the_owner_and_is_kept(self):
        self.unlock()
        url = f"/private/more-time/{self.tree['reel'].pk}/"
        response = self.client.post(url, {"message": "Two more weeks, please."})
        self.assertRedirects(response, f"{self.tree['reel'].url}?more-time=sent#more-time")
        request = MoreTimeRequest.objects.get()
        self.assertEqual((request.access_pass, request.email_sent), (self.access_pass, True))
        self.assertIn("Two more weeks, please.", mail.outbox[-1].body)
        self.assertContains(self.client.get(response.url), "Your request has been sent")
        for _ in range(2):
            self.client.post(url, {"message": "Again"})
        response = self.client.post(url, {"message": "And again"})
        self.assertTrue(response.url.endswith("more-time=later#more-time"))
        self.assertEqual(MoreTimeRequest.objects.count(), 3)
        owner = Client()
        owner.force_login(get_user_model().objects.create_superuser("owner", password="pw"))
        inspect = owner.get(f"/admin/access-passes/inspect/{self.access_pass.pk}/")
        self.assertContains(inspect, "Requests for more time")
        self.assertContains(inspect, "Two more weeks, please.")

    def test_asking_for_more_time_needs_a_pass_for_the_page(self):
        response = self.client.post(
            f"/private/more-time/{self.tree['reel'].pk}/", {"message": "Let me in"}
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(MoreTimeRequest.objects.exists())


class TermsOfViewingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_private_section()
        section = cls.tree["section"].specific
        section.screening_terms = TERMS
        section.save_revision().publish()
        cls.access_pass, cls.password = AccessPass.issue(label="Producer", page=section)

    def unlock(self, **data):
        return self.client.post(
            f"/private/unlock/{self.tree['reel'].pk}/",
            {"password": self.password, **data},
            REMOTE_ADDR="203.0.113.20",
        )

    def test_the_pass_form_shows_the_terms_and_opens_only_once_they_are_accepted(self):
        self.assertContains(
            self.client.get(self.tree["reel"].url), "no screenshots", status_code=403
        )
        response = self.unlock()
        self.assertContains(response, "tick the box to accept", status_code=400)
        self.assertEqual(UnlockAttempt.objects.count(), 0)  # no password was checked
        self.assertEqual(AccessPass.objects.get().use_count, 0)
        self.assertEqual(self.unlock(accept_terms="on").status_code, 302)
        acceptance = TermsAcceptance.objects.get()
        self.assertEqual(
            (acceptance.access_pass, acceptance.page_id, acceptance.client, acceptance.terms_text),
            (self.access_pass, self.tree["section"].pk, "203.0.113.0/24", TERMS),
        )
        self.assertContains(self.client.get(self.tree["reel"].url), MARKER)
        # The owner reads it on the pass's page.
        owner = Client()
        owner.force_login(get_user_model().objects.create_superuser("owner", password="pw"))
        inspect = owner.get(f"/admin/access-passes/inspect/{self.access_pass.pk}/")
        self.assertContains(inspect, "Terms of viewing accepted with this pass")
        self.assertContains(inspect, "203.0.113.0/24")
        self.assertContains(inspect, "no copies, no screenshots")

    def test_changed_terms_are_asked_again_before_anything_is_shown(self):
        self.unlock(accept_terms="on")
        section = self.tree["section"].specific
        section.screening_terms = "<p>New terms: viewing in the office only.</p>"
        section.save_revision().publish()
        response = self.client.get(self.tree["reel"].url)
        self.assertContains(response, "terms of viewing have changed")
        self.assertContains(response, "viewing in the office only")
        self.assertNotContains(response, MARKER)
        self.assertIn("no-store", response["Cache-Control"])
        accept = f"/private/terms/{self.tree['reel'].pk}/"
        self.assertEqual(self.client.post(accept, {}).status_code, 400)
        self.assertRedirects(
            self.client.post(accept, {"accept_terms": "on"}),
            self.tree["reel"].url,
            fetch_redirect_response=False,
        )
        self.assertEqual(TermsAcceptance.objects.count(), 2)
        self.assertContains(self.client.get(self.tree["reel"].url), MARKER)


class AdminConfirmationTests(WagtailTestUtils, TestCase):
    """The admin names the pages an action would make public, and needs a second click."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_private_section()
        cls.sheets = [
            factories.FilmSheetPageFactory(parent=cls.tree["films"], title=title)
            for title in ("Harbour Lights", "Salt Road")
        ]
        cls.film_restriction = factories.make_private(cls.tree["films"])
        root = cls.tree["root"]
        cls.archive = root.add_child(instance=Page(title="Archive", slug="archive"))
        factories.make_private(cls.archive)
        cls.notes = cls.archive.add_child(instance=Page(title="Set notes", slug="set-notes"))
        cls.public = root.add_child(instance=Page(title="Public corner", slug="public-corner"))

    def setUp(self):
        self.user = self.login()

    def test_removing_a_restriction_names_the_pages_it_makes_public(self):
        url = f"/admin/pages/{self.tree['films'].pk}/privacy/"
        response = self.client.post(url, {"restriction_type": "none"})
        self.assertContains(response, "Harbour Lights")
        self.assertContains(response, "Salt Road")
        self.assertTrue(PageViewRestriction.objects.filter(pk=self.film_restriction.pk).exists())
        self.client.post(url, {"restriction_type": "none", "privacy_confirmed": "1"})
        self.assertFalse(PageViewRestriction.objects.filter(pk=self.film_restriction.pk).exists())

    def test_moving_out_of_a_private_section_names_the_pages_and_waits(self):
        url = f"/admin/pages/{self.notes.pk}/move/{self.public.pk}/confirm/"
        response = self.client.post(url)
        self.assertContains(response, "this page will be public")
        self.assertContains(response, "Set notes")
        self.assertEqual(Page.objects.get(pk=self.notes.pk).get_parent(), self.archive)
        self.client.post(url, {"privacy_confirmed": "1"})
        self.assertEqual(Page.objects.get(pk=self.notes.pk).get_parent(), self.public)

    def test_copying_out_of_a_private_section_names_the_page_and_waits(self):
        """The hook Wagtail's copy view calls first (in this site's page types only
        showreels, which stay private, can be copied out of a private section)."""
        data = {"new_parent_page": str(self.public.pk), "new_title": "Set notes (copy)"}
        request = RequestFactory().post("/admin/pages/copy/", data)
        request.user = self.user
        response = confirm_copy_out_of_privacy(request, self.notes)
        response.render()
        self.assertContains(response, "Copied into “Public corner”")
        self.assertContains(response, "Set notes")
        self.assertContains(response, 'name="new_title" value="Set notes (copy)"')
        confirmed = RequestFactory().post("/admin/pages/copy/", {**data, "privacy_confirmed": "1"})
        self.assertIsNone(confirm_copy_out_of_privacy(confirmed, self.notes))
        inside = RequestFactory().post("/", {"new_parent_page": str(self.archive.pk)})
        self.assertIsNone(confirm_copy_out_of_privacy(inside, self.notes))

    def test_moving_a_showreel_asks_nothing_since_it_stays_private(self):
        reel = self.tree["other"]
        url = f"/admin/pages/{reel.pk}/move/{self.tree['home'].pk}/confirm/"
        self.client.post(url)
        moved = Page.objects.get(pk=reel.pk)
        self.assertEqual(moved.get_parent().pk, self.tree["home"].pk)
        self.assertEqual(Client().get(moved.url).status_code, 403)  # still private


class DeletionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_private_section()

    def test_deleting_a_showreel_section_deletes_it_and_its_restrictions(self):
        section = self.tree["section"]
        section.delete()
        self.assertFalse(Page.objects.filter(pk=section.pk).exists())
        self.assertFalse(ShowreelPage.objects.exists())
        self.assertFalse(PageViewRestriction.objects.exists())
