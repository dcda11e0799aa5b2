"""The demo portfolio command and the admin bootstrap command."""

import io
import re
import stat
import subprocess

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase
from wagtail.models import Page, PageViewRestriction, Revision, Site

from filmsheets.models import FilmIndexPage, FilmSheetPage
from gallery.models import BackstageImage, BackstageRendition, Video
from gallery.validators import validate_video_file
from home.models import AboutPage, ContactPage, HomePage, PortfolioSettings
from showreels.models import AccessPass, ShowreelPage

PASS_LINE = re.compile(r"Demo access pass for (\S+): ([a-z0-9-]+)")


def load_demo(*args):
    """Run the command as `make run` does, with small pictures so the suite stays fast."""
    out = io.StringIO()
    call_command("load_demo_content", "--image-size", "small", *args, stdout=out)
    return out.getvalue()


def ffmpeg_runs():
    try:
        import imageio_ffmpeg

        executable = imageio_ffmpeg.get_ffmpeg_exe()
        subprocess.run([executable, "-version"], check=True, capture_output=True, timeout=30)
    except Exception:
        return False
    return True


def counts():
    return {
        "pages": Page.objects.count(),
        "images": BackstageImage.objects.count(),
        "videos": Video.objects.count(),
        "passes": AccessPass.objects.count(),
        "restrictions": PageViewRestriction.objects.count(),
        "revisions": Revision.objects.count(),
        "sites": Site.objects.count(),
        "settings": PortfolioSettings.objects.count(),
    }


class LoadDemoContentTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.output = load_demo()

    def test_home_page_replaces_the_welcome_page_as_default_site_root(self):
        site = Site.objects.get(is_default_site=True)
        self.assertIsInstance(site.root_page.specific, HomePage)
        self.assertEqual((site.hostname, site.port), ("localhost", 80))
        root = Page.get_first_root_node()
        self.assertEqual([type(page.specific) for page in root.get_children()], [HomePage])

    def test_every_page_type_is_created_and_published(self):
        for model in (HomePage, AboutPage, ContactPage, FilmIndexPage, ShowreelPage):
            self.assertEqual(model.objects.live().count(), 1, model.__name__)
        self.assertTrue(5 <= FilmSheetPage.objects.live().count() <= 7)
        for page in Page.objects.filter(depth__gt=1):
            self.assertTrue(page.live, page.title)
            self.assertIsNotNone(page.live_revision_id, f"{page.title} was never published")
            self.assertFalse(page.has_unpublished_changes, page.title)

    def test_about_films_and_contact_are_in_the_menu_in_that_order(self):
        home = HomePage.objects.get()
        in_menu = [type(p.specific) for p in home.get_children().filter(show_in_menus=True)]
        self.assertEqual(in_menu, [AboutPage, FilmIndexPage, ContactPage])

    def test_portfolio_settings_name_the_owner_and_his_links(self):
        settings = PortfolioSettings.objects.get(site__is_default_site=True)
        self.assertTrue(settings.owner_name)
        self.assertTrue(settings.owner_role)
        self.assertIn("@", settings.contact_email)
        self.assertGreaterEqual(len(settings.social_links()), 2)
        self.assertEqual(settings.default_social_image, HomePage.objects.get().hero_image)

    def test_film_sheets_have_full_technical_data_roles_and_a_backstage_gallery(self):
        roles = set()
        for sheet in FilmSheetPage.objects.all():
            labels = {label for label, _value in sheet.technical_data()}
            self.assertTrue(
                {"Year", "Director", "Production", "Runtime", "Crew", "Locations"} <= labels
            )
            self.assertEqual(len(sheet.external_links()), 4)
            self.assertTrue(sheet.synopsis)
            self.assertIsNotNone(sheet.key_image)
            roles |= set(sheet.roles.values_list("slug", flat=True))
            block_types = [block.block_type for block in sheet.body]
            self.assertEqual(block_types, ["gallery", "quote", "text"])
            photos = sheet.body[0].value["photos"]
            self.assertTrue(6 <= len(photos) <= 12, sheet.title)
        self.assertEqual(roles, {"bts-video-unit", "backstage-photographer", "scene-photographer"})
        layouts = {sheet.body[0].value["layout"] for sheet in FilmSheetPage.objects.all()}
        self.assertEqual(layouts, {"grid", "masonry", "sequence"})

    def test_home_features_three_film_sheets_and_has_a_hero_image(self):
        home = HomePage.objects.get()
        featured = [item.film_sheet for item in home.featured_films.all()]
        self.assertEqual(len(featured), 3)
        self.assertTrue(all(isinstance(sheet, FilmSheetPage) for sheet in featured))
        self.assertIsNotNone(home.hero_image)
        key_images = FilmSheetPage.objects.values_list("key_image_id", flat=True)
        self.assertNotIn(home.hero_image_id, key_images, "the home opens on its own photo")

    def test_about_statement_has_portrait_collaborators_and_text(self):
        about = AboutPage.objects.get()
        self.assertIsNotNone(about.portrait)
        self.assertGreater(about.portrait.height, about.portrait.width)
        block_types = {block.block_type for block in about.body}
        self.assertTrue({"heading", "text", "quote", "image", "collaborators"} <= block_types)

    def test_contact_page_asks_for_name_email_production_and_message(self):
        contact = ContactPage.objects.get()
        labels = [field.label for field in contact.form_fields.all()]
        self.assertEqual(labels, ["Your name", "Email", "Production", "Message"])
        self.assertTrue(contact.to_address and contact.from_address and contact.thank_you_text)

    def test_generated_images_carry_caption_credit_licence_and_differ(self):
        images = BackstageImage.objects.all()
        self.assertGreaterEqual(images.count(), 30)
        hashes = set()
        for image in images:
            self.assertTrue(image.caption and image.credit and image.licence, image.title)
            self.assertTrue(image.description, image.title)
            with image.open_file() as handle:
                hashes.add(hash(handle.read()))
        self.assertEqual(len(hashes), images.count())
        shapes = {image.width > image.height for image in images}
        self.assertEqual(shapes, {True, False}, "both landscape and portrait pictures")

    def test_showreel_is_password_protected_with_one_pass_printed_once(self):
        showreel = ShowreelPage.objects.get()
        restriction = PageViewRestriction.objects.get(page=showreel)
        self.assertEqual(restriction.restriction_type, PageViewRestriction.PASSWORD)
        self.assertGreaterEqual(len(restriction.password), 12)
        access_pass = AccessPass.objects.get()
        self.assertEqual(access_pass.page_id, showreel.pk)
        url, password = PASS_LINE.search(self.output).groups()
        self.assertEqual(url, "/showreel/")
        self.assertTrue(access_pass.check_password(password))
        self.assertNotIn(password, access_pass.password_hash)
        self.assertEqual(showreel.related_films.count(), 3)

    def test_private_showreel_refuses_visitors_and_opens_with_the_printed_pass(self):
        showreel = ShowreelPage.objects.get()
        self.assertEqual(self.client.get(showreel.url).status_code, 403)
        _url, password = PASS_LINE.search(self.output).groups()
        response = self.client.post(f"/private/unlock/{showreel.pk}/", {"password": password})
        self.assertRedirects(response, showreel.url, fetch_redirect_response=False)
        response = self.client.get(showreel.url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, showreel.title)

    def test_showreel_holds_a_playable_webm_clip_with_poster(self):
        showreel = ShowreelPage.objects.get()
        block_types = [block.block_type for block in showreel.body]
        if not ffmpeg_runs():
            self.assertIn("Video skipped", self.output)
            self.assertNotIn("video", block_types)
            return
        self.assertEqual(block_types, ["video", "gallery", "text"])
        video = Video.objects.get()
        self.assertEqual(showreel.body[0].value["video"], video)
        self.assertEqual(video.mime_type, "video/webm")
        self.assertIsNotNone(video.poster)
        with video.file.open("rb") as handle:
            validate_video_file(handle)
        import imageio_ffmpeg

        probe = subprocess.run(
            [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-i", video.file.path],
            capture_output=True,
            text=True,
            timeout=30,
        ).stderr
        self.assertIn("Video: vp9", probe)
        self.assertIn("yuv420p", probe)
        seconds = re.search(r"Duration: 00:00:(\d+\.\d+)", probe)
        self.assertTrue(seconds and 3 <= float(seconds.group(1)) <= 5, probe)

    def test_every_public_demo_page_renders(self):
        for page in Page.objects.filter(depth__gt=1).exclude(
            pk__in=ShowreelPage.objects.values("pk")
        ):
            response = self.client.get(page.url)
            self.assertEqual(response.status_code, 200, page.url)

    def test_summary_tells_what_was_created(self):
        self.assertIn("Created: home page", self.output)
        self.assertIn("film sheets", self.output)
        self.assertNotIn("Already there", self.output)

    def test_second_run_adds_nothing_and_issues_no_new_pass(self):
        before = counts()
        output = load_demo()
        self.assertEqual(counts(), before)
        self.assertIsNone(PASS_LINE.search(output))
        self.assertIn("Created: nothing.", output)
        self.assertIn("Already there: home page", output)

    def test_edits_made_between_runs_survive_a_second_run(self):
        about = AboutPage.objects.get()
        about.title = "Who I am"
        about.save_revision().publish()
        settings = PortfolioSettings.objects.get(site__is_default_site=True)
        settings.owner_role = "Set photographer"
        settings.save()
        sheet = FilmSheetPage.objects.first()
        sheet.delete()
        before = counts()

        load_demo()

        about.refresh_from_db()
        self.assertEqual(about.title, "Who I am")
        self.assertEqual(about.get_latest_revision().as_object().title, "Who I am")
        settings.refresh_from_db()
        self.assertEqual(settings.owner_role, "Set photographer")
        # Only the missing film sheet comes back, with the pictures it already had.
        after = counts()
        self.assertEqual(after["pages"], before["pages"] + 1)
        self.assertEqual(after["images"], before["images"])
        self.assertEqual(after["passes"], before["passes"])

    def test_quiet_run_prints_nothing_when_nothing_is_new(self):
        self.assertEqual(load_demo("--quiet"), "")

    def test_demo_pictures_make_renditions_when_a_page_is_published(self):
        # TestCase never commits, so run what the commit would have run.
        with self.captureOnCommitCallbacks(execute=True):
            FilmSheetPage.objects.first().save_revision().publish()
        self.assertTrue(BackstageRendition.objects.exists())


@pytest.mark.django_db
def test_video_is_skipped_with_a_note_when_ffmpeg_cannot_run(monkeypatch, tmp_path):
    monkeypatch.setenv("IMAGEIO_FFMPEG_EXE", str(tmp_path / "no-ffmpeg-here"))
    output = load_demo()
    assert "Video skipped" in output
    assert Video.objects.count() == 0
    showreel = ShowreelPage.objects.get()
    assert [block.block_type for block in showreel.body] == ["gallery", "text"]
    assert PASS_LINE.search(output)


def ensure_admin(password_file):
    out = io.StringIO()
    call_command("ensure_admin", "--password-file", str(password_file), stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_ensure_admin_creates_one_superuser_and_keeps_its_password_private(monkeypatch, tmp_path):
    monkeypatch.delenv("ADMIN_USERNAME", raising=False)
    monkeypatch.delenv("ADMIN_PASSWORD", raising=False)
    password_file = tmp_path / ".admin-password"

    output = ensure_admin(password_file)

    login = re.search(r"Admin: (\S+)  user: admin  password: (\S+)", output)
    assert login, output
    assert login.group(1).endswith("/admin/")
    password = login.group(2)
    assert len(password) >= 16
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.check_password(password)
    assert password_file.read_text().strip() == password
    assert stat.S_IMODE(password_file.stat().st_mode) == 0o600

    again = ensure_admin(password_file)
    assert get_user_model().objects.count() == 1
    assert "user: admin  password: see .admin-password" in again
    assert password not in again


@pytest.mark.django_db
def test_ensure_admin_uses_the_environment_and_writes_no_password_file(monkeypatch, tmp_path):
    monkeypatch.setenv("ADMIN_USERNAME", "owner")
    monkeypatch.setenv("ADMIN_PASSWORD", "a-long-chosen-passphrase")
    password_file = tmp_path / ".admin-password"

    output = ensure_admin(password_file)

    user = get_user_model().objects.get(username="owner")
    assert user.is_superuser and user.check_password("a-long-chosen-passphrase")
    assert "user: owner  password: the value of ADMIN_PASSWORD" in output
    assert not password_file.exists()


@pytest.mark.django_db
def test_ensure_admin_creates_nothing_when_a_superuser_exists(monkeypatch, tmp_path):
    monkeypatch.delenv("ADMIN_USERNAME", raising=False)
    get_user_model().objects.create_superuser("editor", "", "another-long-passphrase")

    output = ensure_admin(tmp_path / ".admin-password")

    assert get_user_model().objects.count() == 1
    assert "Admin: " in output and "user: editor" in output
    assert "changepassword editor" in output
    assert not (tmp_path / ".admin-password").exists()
