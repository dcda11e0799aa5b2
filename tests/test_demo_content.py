"""The demo portfolio (site/demo/: data file, media, loader), its command, and ensure_admin.

Expectations are read from the data file the loader reads (`bts_site.demo.content`), never
copied here, so that the tests follow the demo when its words change.
"""

import io
import os
import re
import sqlite3
import stat
import struct
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import SimpleTestCase, TestCase
from PIL import Image
from wagtail.models import Page, PageViewRestriction, Revision, Site

from bts_site.demo import content
from filmsheets.models import FilmIndexPage, FilmSheetPage
from gallery.models import BackstageImage, BackstageRendition, Video
from gallery.renditions import PRESETS, preset_filters
from gallery.validators import validate_video_file
from gallery.videos import poster_collection
from home.models import AboutPage, ContactPage, HomePage, PortfolioSettings
from showreels.models import AccessPass, ShowreelPage

PROJECT_DIR = Path(__file__).resolve().parents[1]
PASS_LINE = re.compile(r"^Demo access pass for (\S+): (\S+)  \(open (\S+)\)$", re.MULTILINE)
PHOTOS = content.LIBRARY["photos"]
VIDEOS = content.LIBRARY["videos"]
# The home page, about, film index, contact and showreel, and one sheet per film.
PAGE_COUNT = 5 + len(content.FILMS)
MEDIA_BUDGET = 4 * 1024 * 1024
CLIP_BUDGET = 1024 * 1024
LOADER_LINE_LIMIT = 300


def load_demo(*args):
    out = io.StringIO()
    call_command("load_demo_content", *args, stdout=out)
    return out.getvalue()


def counts():
    models = (Page, BackstageImage, Video, AccessPass, PageViewRestriction, Revision, Site)
    return {model.__name__: model.objects.count() for model in models}


@contextmanager
def small_renditions():
    """Every preset as one small JPEG: pages render as they do, without a minute of encoding
    AVIF and WebP from 1600-pixel photos (publishing leaves that to the background worker)."""
    small = {name: ("width-160|format-jpeg", sizes) for name, (_spec, sizes) in PRESETS.items()}
    with mock.patch.dict(PRESETS, small):
        preset_filters.cache_clear()
        try:
            yield
        finally:
            preset_filters.cache_clear()


def gallery_block(page):
    return next(block for block in page.body if block.block_type == "gallery")


class DemoContentTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        # Run what the commit runs, with the two rendition tasks replaced by stand-ins that
        # record what publishing queued.
        with (
            mock.patch("gallery.signals.make_page_renditions") as page_task,
            mock.patch("home.signals.make_image_renditions") as image_task,
            cls.captureOnCommitCallbacks(execute=True),
        ):
            cls.output = load_demo()
        cls.queued_pages = sorted(call.args[0] for call in page_task.enqueue.call_args_list)
        cls.queued_images = [call.args for call in image_task.enqueue.call_args_list]

    # What the first run builds --------------------------------------------------------------

    def test_pages_follow_the_data_file_under_the_default_site(self):
        site = Site.objects.get(is_default_site=True)
        self.assertEqual((site.hostname, site.port), ("127.0.0.1", 8000))
        self.assertEqual(site.site_name, content.SITE_NAME)
        home = site.root_page.specific
        self.assertIsInstance(home, HomePage)
        self.assertEqual((home.title, home.slug), (content.HOME["title"], content.HOME["slug"]))
        # Wagtail's welcome page is gone: the home page is the only page under the root.
        root_children = Page.get_first_root_node().get_children()
        self.assertEqual([page.pk for page in root_children], [home.pk])
        sections = (
            (content.ABOUT, AboutPage),
            (content.FILM_INDEX, FilmIndexPage),
            (content.CONTACT, ContactPage),
            (content.SHOWREEL, ShowreelPage),
        )
        self.assertEqual(
            [(page.slug, page.title, type(page.specific)) for page in home.get_children()],
            [(spec["slug"], spec["title"], model) for spec, model in sections],
        )
        index = FilmIndexPage.objects.get()
        self.assertEqual(
            [(page.slug, page.title) for page in index.get_children().specific()],
            [(film["slug"], film["title"]) for film in content.FILMS],
        )
        self.assertEqual(Page.objects.filter(depth__gt=1).count(), PAGE_COUNT)

    def test_every_page_is_published_and_the_menu_holds_about_films_and_contact(self):
        for page in Page.objects.filter(depth__gt=1):
            self.assertTrue(page.live, page.title)
            self.assertIsNotNone(page.live_revision_id, f"{page.title} was never published")
            self.assertFalse(page.has_unpublished_changes, page.title)
        home = HomePage.objects.get()
        self.assertEqual(
            list(home.get_children().filter(show_in_menus=True).values_list("slug", flat=True)),
            [content.ABOUT["slug"], content.FILM_INDEX["slug"], content.CONTACT["slug"]],
        )

    def test_film_sheets_hold_the_facts_roles_links_gallery_and_video_of_the_data_file(self):
        facts = [
            name
            for name in content.FILMS[0]
            if name not in {"title", "slug", "roles", "key_image", "body", "credits", "cast"}
        ]
        self.assertIn("watch_url", facts)
        for film in content.FILMS:
            sheet = FilmSheetPage.objects.get(slug=film["slug"])
            self.assertEqual(
                {name: getattr(sheet, name) for name in facts},
                {name: film[name] for name in facts},
            )
            self.assertEqual(set(sheet.roles.values_list("slug", flat=True)), set(film["roles"]))
            self.assertEqual(
                [{"role": c.role.name, "name": c.name} for c in sheet.credits.all()],
                film["credits"],
            )
            self.assertEqual(
                [{"name": m.name, "character": m.character} for m in sheet.cast.all()],
                film["cast"],
            )
            self.assertEqual(sheet.key_image.title, PHOTOS[film["key_image"]]["title"])
            self.assertEqual(
                [block.block_type for block in sheet.body],
                [block["type"] for block in film["body"]],
            )
            gallery = content.block_value(film, "gallery")
            value = gallery_block(sheet).value
            self.assertEqual(
                (value["title"], value["layout"]), (gallery["title"], gallery["layout"])
            )
            self.assertEqual(
                [
                    (item.image.title, item.alt_text(), item.caption_text(), item.credit_text())
                    for item in value["photos"]
                ],
                [
                    (
                        PHOTOS[photo["photo"]["library"]]["title"],
                        photo["photo"]["alt_text"],
                        photo["caption"],
                        photo["credit"],
                    )
                    for photo in gallery["photos"]
                ],
            )
            video = next(block.value for block in sheet.body if block.block_type == "video")
            expected = content.block_value(film, "video")
            self.assertEqual(
                video["video"].title, VIDEOS[expected["video"]["library_video"]]["title"]
            )
            self.assertEqual(video["caption"], expected["caption"])
        layouts = {content.block_value(film, "gallery")["layout"] for film in content.FILMS}
        self.assertEqual(layouts, {"grid", "masonry", "sequence"})

    def test_about_statement_follows_the_data_file(self):
        about = AboutPage.objects.get()
        self.assertEqual(about.portrait.title, PHOTOS[content.ABOUT["portrait"]]["title"])
        self.assertGreater(about.portrait.height, about.portrait.width)
        self.assertEqual(
            [block.block_type for block in about.body],
            [block["type"] for block in content.ABOUT["body"]],
        )
        image = next(block.value for block in about.body if block.block_type == "image")
        expected = content.block_value(content.ABOUT, "image")["image"]
        self.assertEqual(image["image"].title, PHOTOS[expected["library"]]["title"])
        self.assertEqual(image["image"].contextual_alt_text, expected["alt_text"])
        people = next(block.value for block in about.body if block.block_type == "collaborators")
        self.assertEqual(
            [person["name"] for person in people["people"]],
            [
                person["name"]
                for person in content.block_value(content.ABOUT, "collaborators")["people"]
            ],
        )

    def test_home_opens_on_its_own_photo_and_features_the_films_of_the_data_file(self):
        home = HomePage.objects.get()
        self.assertEqual(home.hero_image.title, PHOTOS[content.HOME["hero_image"]]["title"])
        key_images = FilmSheetPage.objects.values_list("key_image_id", flat=True)
        self.assertNotIn(home.hero_image_id, key_images)
        self.assertEqual(
            [item.film_sheet.slug for item in home.featured_films.order_by("sort_order")],
            content.HOME["featured_films"],
        )
        contact = ContactPage.objects.get()
        self.assertIn(f'<a linktype="page" id="{contact.pk}">', home.intro)
        self.assertNotIn("{contact}", home.intro)

    def test_portfolio_settings_and_contact_form_follow_the_data_file(self):
        settings = PortfolioSettings.objects.get(site__is_default_site=True)
        self.assertEqual({name: getattr(settings, name) for name in content.OWNER}, content.OWNER)
        self.assertEqual(settings.default_social_image, HomePage.objects.get().hero_image)
        contact = ContactPage.objects.get()
        self.assertEqual(
            [
                (field.label, field.field_type, field.required, field.help_text)
                for field in contact.form_fields.all()
            ],
            [
                (field["label"], field["field_type"], field["required"], field.get("help_text", ""))
                for field in content.CONTACT["form_fields"]
            ],
        )
        self.assertEqual(
            (contact.to_address, contact.from_address, contact.subject),
            (
                content.CONTACT["to_address"],
                content.CONTACT["from_address"],
                content.CONTACT["subject"],
            ),
        )

    def test_library_holds_each_photo_and_video_of_the_data_file_once(self):
        library = content.LIBRARY
        # The library's photos; the posters the worker drew from the clips are apart.
        photos = BackstageImage.objects.exclude(collection=poster_collection())
        images = {image.title: image for image in photos}
        self.assertEqual(photos.count(), len(PHOTOS))
        self.assertEqual(
            BackstageImage.objects.filter(collection=poster_collection()).count(),
            len(content.LIBRARY["videos"]),
        )
        for spec in PHOTOS.values():
            image = images[spec["title"]]
            self.assertEqual(
                (image.description, image.caption, image.credit, image.licence),
                (
                    spec["alt"],
                    spec["caption"],
                    spec.get("credit", library["credit"]),
                    spec.get("licence", library["licence"]),
                ),
            )
            self.assertEqual(image.collection.name, library["collection"])
        videos = {video.title: video for video in Video.objects.all()}
        self.assertEqual(sorted(videos), sorted(spec["title"] for spec in VIDEOS.values()))
        for spec in VIDEOS.values():
            video = videos[spec["title"]]
            self.assertEqual(video.poster.title, PHOTOS[spec["poster"]]["title"])
            self.assertEqual(video.mime_type, "video/mp4")
            with video.file.open("rb") as handle:
                validate_video_file(handle)

    def test_publishing_queues_the_renditions_and_the_loader_makes_none(self):
        self.assertEqual(BackstageRendition.objects.count(), 0)
        pages = Page.objects.filter(depth__gt=1).values_list("pk", flat=True)
        self.assertEqual(self.queued_pages, sorted(pages))
        hero = HomePage.objects.get().hero_image_id
        self.assertEqual(self.queued_images, [(hero, ["social"])])

    # What it prints -------------------------------------------------------------------------

    def test_progress_names_every_photo_video_and_page_as_it_is_made(self):
        lines = self.output.splitlines()
        for kind, label, specs in (("photos", "Photo", PHOTOS), ("videos", "Video", VIDEOS)):
            self.assertEqual(
                [line for line in lines if line.startswith(f"{label} ")],
                [
                    f"{label} {number} of {len(specs)}: {spec['title']} (added)"
                    for number, spec in enumerate(specs.values(), 1)
                ],
                kind,
            )
        page_lines = [line for line in lines if line.startswith("Page: ")]
        # One line per page, and one when the home page gets its hero and featured films.
        self.assertEqual(len(page_lines), PAGE_COUNT + 1)
        for page in Page.objects.filter(depth__gt=2):
            self.assertIn(f"Page: {page.title} at {page.url} (created)", page_lines)
        self.assertIn("Site: http://127.0.0.1:8000/ (created)", lines)
        self.assertRegex(
            lines[-1],
            rf"^Demo content ready in \d+\.\d s: added photos {len(PHOTOS)}, videos "
            rf"{len(VIDEOS)}, pages {PAGE_COUNT}, access passes 1\.$",
        )

    def test_access_pass_is_printed_once_and_stored_only_hashed(self):
        found = PASS_LINE.findall(self.output)
        self.assertEqual(len(found), 1)
        path, password, url = found[0]
        showreel = ShowreelPage.objects.get()
        self.assertEqual(path, showreel.url)
        self.assertEqual(url, f"http://127.0.0.1:8000{showreel.url}")
        access_pass = AccessPass.objects.get()
        self.assertEqual(
            (access_pass.page_id, access_pass.label), (showreel.pk, content.SHOWREEL["pass_label"])
        )
        self.assertTrue(access_pass.check_password(password))
        self.assertNotIn(password, access_pass.password_hash)
        restriction = PageViewRestriction.objects.get(page=showreel)
        self.assertEqual(restriction.restriction_type, PageViewRestriction.PASSWORD)

    # What visitors and the owner get --------------------------------------------------------

    def test_every_page_renders_for_the_owner(self):
        owner = get_user_model().objects.create_superuser("owner", "", "owner-passphrase")
        self.client.force_login(owner)
        with small_renditions():
            for page in Page.objects.filter(depth__gt=1):
                response = self.client.get(page.url)
                # The home page's heading is the owner's name; every other page's its title.
                heading = content.OWNER["owner_name"] if page.depth == 2 else page.title
                self.assertContains(response, f">{heading}</h1>", msg_prefix=page.url)

    def test_anonymous_visitor_gets_the_password_form_which_the_printed_pass_opens(self):
        showreel = ShowreelPage.objects.get()
        words = [
            content.block_value(content.SHOWREEL, "gallery")["title"],
            content.block_value(content.SHOWREEL, "video")["caption"],
        ]
        response = self.client.get(showreel.url)
        self.assertContains(response, 'name="password"', status_code=403)
        for text in words:
            self.assertNotContains(response, text, status_code=403)
        action = re.search(r'<form class="form" method="post" action="([^"]+)"', response.text)
        _path, password, _url = PASS_LINE.search(self.output).groups()
        response = self.client.post(action.group(1), {"password": password})
        self.assertRedirects(response, showreel.url, fetch_redirect_response=False)
        with small_renditions():
            response = self.client.get(showreel.url)
        for text in words:
            self.assertContains(response, text)

    def test_showreel_clip_stays_private_while_the_film_sheets_clip_is_public(self):
        public = Video.objects.get(title=VIDEOS["backstage-excerpt"]["title"])
        private = Video.objects.get(title=VIDEOS["showreel-excerpt"]["title"])
        self.assertTrue(public.is_ready and private.is_ready)
        response = self.client.get(public.hls_url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("immutable", response["Cache-Control"])
        # Read to the end: the test client then closes the file without closing the
        # database connection (an explicit close() would, on PostgreSQL).
        self.assertTrue(b"".join(response.streaming_content))
        self.assertEqual(self.client.get(private.hls_url).status_code, 404)
        # Masters are for the owner only, whichever page shows them.
        for video in (public, private):
            self.assertEqual(self.client.get(f"/media/{video.file.name}").status_code, 404)

    # Running it again -----------------------------------------------------------------------

    def test_second_run_creates_nothing_issues_no_pass_and_says_so(self):
        before = counts()
        output = load_demo()
        self.assertEqual(counts(), before)
        self.assertIsNone(PASS_LINE.search(output))
        self.assertNotIn("(added)", output)
        self.assertNotIn("(created)", output)
        already = [
            line for line in output.splitlines() if line.endswith("(already there, left as it is)")
        ]
        self.assertEqual(len(already), PAGE_COUNT)
        self.assertTrue(output.rstrip().endswith("nothing added, everything was there already."))

    def test_owner_edits_survive_and_only_a_deleted_page_comes_back(self):
        about = AboutPage.objects.get()
        about.title = "Who I am"
        about.save_revision().publish()
        settings = PortfolioSettings.objects.get(site__is_default_site=True)
        settings.owner_role = "Set photographer"
        settings.save()
        photo = BackstageImage.objects.get(title=PHOTOS["quay-lamps"]["title"])
        photo.caption = "The owner's own caption"
        photo.save()
        film = content.FILMS[-1]
        FilmSheetPage.objects.get(slug=film["slug"]).delete()
        before = counts()

        output = load_demo()

        about.refresh_from_db()
        self.assertEqual(about.title, "Who I am")
        self.assertEqual(about.get_latest_revision().as_object().title, "Who I am")
        settings.refresh_from_db()
        self.assertEqual(settings.owner_role, "Set photographer")
        photo.refresh_from_db()
        self.assertEqual(photo.caption, "The owner's own caption")
        after = counts()
        self.assertEqual(after["Page"], before["Page"] + 1)
        self.assertEqual(after["BackstageImage"], before["BackstageImage"])
        self.assertEqual(after["AccessPass"], before["AccessPass"])
        self.assertIn(
            f"Page: {film['title']} at /{content.FILM_INDEX['slug']}/{film['slug']}/ (created)",
            output,
        )
        self.assertIn("(already in the library)", output)

    def test_photo_the_owner_deleted_stays_deleted_while_its_pages_exist(self):
        BackstageImage.objects.get(title=PHOTOS["reel-wrap-lights"]["title"]).delete()
        before = counts()
        output = load_demo()
        self.assertEqual(counts(), before)
        self.assertNotIn("Photo ", output)

    def test_hostname_and_port_set_the_default_site_on_every_run(self):
        output = load_demo("--hostname", "bts.example.org", "--port", "8443")
        site = Site.objects.get(is_default_site=True)
        self.assertEqual((site.hostname, site.port), ("bts.example.org", 8443))
        self.assertIn("Site: http://bts.example.org:8443/ (address set)", output)
        self.assertEqual(Site.objects.count(), 1)

        load_demo("--port", "8001")
        site.refresh_from_db()
        self.assertEqual((site.hostname, site.port), ("bts.example.org", 8001))

        output = load_demo()
        site.refresh_from_db()
        self.assertEqual((site.hostname, site.port), ("bts.example.org", 8001))
        self.assertIn("Site: http://bts.example.org:8001/ (kept)", output)
        home = HomePage.objects.get()
        self.assertEqual(home.full_url, "http://bts.example.org:8001/")

    def test_quiet_run_prints_nothing_when_nothing_is_new(self):
        self.assertEqual(load_demo("--quiet"), "")


class QuietFirstRunTests(TestCase):
    """As the browser suite loads the demo: on a fresh database, quietly."""

    @classmethod
    def setUpTestData(cls):
        cls.output = load_demo("--quiet")

    def test_quiet_first_run_prints_only_the_pass_line(self):
        self.assertEqual(len(self.output.splitlines()), 1)
        path, password, _url = PASS_LINE.search(self.output).groups()
        self.assertEqual(path, f"/{content.SHOWREEL['slug']}/")
        self.assertTrue(AccessPass.objects.get().check_password(password))
        self.assertEqual(Page.objects.filter(depth__gt=1).count(), PAGE_COUNT)


class CommittedMediaTests(SimpleTestCase):
    def test_media_folder_holds_exactly_the_files_the_data_file_names_within_budget(self):
        files = sorted(path.name for path in content.MEDIA_DIR.iterdir())
        named = {f"{key}.jpg" for key in PHOTOS} | {spec["file"] for spec in VIDEOS.values()}
        named |= {
            caption["file"] for spec in VIDEOS.values() for caption in spec.get("captions", [])
        }
        self.assertEqual(files, sorted(named))
        total = sum(path.stat().st_size for path in content.MEDIA_DIR.iterdir())
        self.assertLess(total, MEDIA_BUDGET)

    def test_photos_are_jpegs_of_up_to_1600_pixels_in_both_orientations(self):
        self.assertTrue(10 <= len(PHOTOS) <= 14, len(PHOTOS))
        shapes = set()
        for key in PHOTOS:
            with Image.open(content.MEDIA_DIR / f"{key}.jpg") as picture:
                self.assertEqual(picture.format, "JPEG", key)
                self.assertTrue(1000 <= max(picture.size) <= 1600, (key, picture.size))
                shapes.add(picture.width > picture.height)
        self.assertEqual(shapes, {True, False})

    def test_clip_is_a_short_h264_aac_mp4_with_faststart(self):
        for name in {spec["file"] for spec in VIDEOS.values()}:
            data = (content.MEDIA_DIR / name).read_bytes()
            self.assertLess(len(data), CLIP_BUDGET)
            validate_video_file(ContentFile(data, name=name))
            top = [kind for kind, _start, _end in mp4_boxes(data)]
            self.assertEqual(top[0], "ftyp")
            # faststart: the index (moov) comes before the media data, so playback can begin
            # before the whole file has arrived.
            self.assertLess(top.index("moov"), top.index("mdat"))
            moov = mp4_box(data, "moov")
            header = data[moov[0] : moov[1]]
            mvhd = mp4_box(header, "mvhd")
            timescale, duration = struct.unpack(">II", header[mvhd[0] + 12 : mvhd[0] + 20])
            # Long enough to seek in and to switch quality during, short enough to commit.
            self.assertTrue(15 <= duration / timescale <= 25, duration / timescale)
            tracks = [header[start:end] for kind, start, end in mp4_boxes(header) if kind == "trak"]
            self.assertEqual([track_handler(track) for track in tracks], ["vide", "soun"])
            codec, width, height = sample_entry(tracks[0])
            self.assertEqual(codec, "avc1")
            self.assertIn((width, height), {(1280, 720), (960, 540)})

    def test_loader_python_stays_under_300_lines(self):
        files = sorted(content.FOLDER.rglob("*.py"))
        self.assertIn(content.FOLDER / "builder.py", files)
        lines = sum(len(path.read_text().splitlines()) for path in files)
        self.assertLess(lines, LOADER_LINE_LIMIT)


def mp4_boxes(data, start=0, end=None):
    """(type, payload start, payload end) of each box in data[start:end]."""
    end = len(data) if end is None else end
    while start + 8 <= end:
        size, kind = struct.unpack(">I4s", data[start : start + 8])
        header = 8
        if size == 1:
            (size,) = struct.unpack(">Q", data[start + 8 : start + 16])
            header = 16
        elif size == 0:
            size = end - start
        yield kind.decode("latin-1"), start + header, start + size
        start += size


def mp4_box(data, *path):
    """(payload start, payload end) of the box at this path of nested box types."""
    start, end = 0, len(data)
    for kind in path:
        start, end = next((s, e) for k, s, e in mp4_boxes(data, start, end) if k == kind)
    return start, end


def track_handler(track):
    start, _end = mp4_box(track, "mdia", "hdlr")
    return track[start + 8 : start + 12].decode("latin-1")


def sample_entry(track):
    """The codec and frame size of a video track's first sample description."""
    start, end = mp4_box(track, "mdia", "minf", "stbl", "stsd")
    kind, entry, _entry_end = next(mp4_boxes(track, start + 8, end))
    width, height = struct.unpack(">HH", track[entry + 24 : entry + 28])
    return kind, width, height


class CommandOnAFreshDatabaseTests(SimpleTestCase):
    """The command as `make run` runs it: its own process, database and media folder."""

    @pytest.mark.processes
    def test_fresh_database_loads_in_seconds_and_leaves_renditions_to_the_worker(self):
        with tempfile.TemporaryDirectory(prefix="bts-demo-") as folder:
            env = {
                **{
                    key: value
                    for key, value in os.environ.items()
                    if key in {"PATH", "HOME", "LANG"}
                },
                "DJANGO_SETTINGS_MODULE": "bts_site.settings",
                "DEBUG": "true",
                "DATABASE_URL": f"sqlite:///{folder}/site.sqlite3",
                "MEDIA_ROOT": f"{folder}/media",
                "BACKGROUND_TASKS": "database",
            }

            def manage(*args):
                return subprocess.run(
                    [sys.executable, str(PROJECT_DIR / "manage.py"), *args],
                    cwd=PROJECT_DIR,
                    env=env,
                    capture_output=True,
                    text=True,
                    timeout=300,
                    check=True,
                ).stdout

            manage("migrate", "--no-input", "-v", "0")
            manage("createcachetable")
            started = time.monotonic()
            first = manage("load_demo_content", "--hostname", "demo.example", "--port", "8123")
            seconds = time.monotonic() - started
            second = manage("load_demo_content")

            self.assertLess(seconds, 30, first)
            self.assertEqual(len(PASS_LINE.findall(first)), 1)
            self.assertIn(f"Photo {len(PHOTOS)} of {len(PHOTOS)}: ", first)
            self.assertIn("Site: http://demo.example:8123/ (created)", first)
            self.assertIn("Site: http://demo.example:8123/ (kept)", second)
            self.assertIsNone(PASS_LINE.search(second))
            with sqlite3.connect(f"{folder}/site.sqlite3") as db:
                queued = db.execute(
                    "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult"
                    " WHERE task_path = 'gallery.tasks.make_page_renditions'"
                ).fetchone()[0]
            self.assertEqual(queued, PAGE_COUNT)
            # Originals and the clip only: no rendition was made by the command itself.
            self.assertEqual(
                sorted(path.name for path in Path(folder, "media").iterdir()),
                ["original_images", "videos"],
            )


class EnsureAdminTests(TestCase):
    def ensure_admin(self, password_file):
        out = io.StringIO()
        call_command("ensure_admin", "--password-file", str(password_file), stdout=out)
        return out.getvalue()

    def setUp(self):
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.password_file = Path(folder.name) / ".admin-password"
        environ = mock.patch.dict(os.environ)
        environ.start()
        self.addCleanup(environ.stop)
        os.environ.pop("ADMIN_USERNAME", None)
        os.environ.pop("ADMIN_PASSWORD", None)

    def test_creates_one_superuser_and_keeps_its_password_private(self):
        output = self.ensure_admin(self.password_file)

        login = re.search(r"Admin: (\S+)  user: admin  password: (\S+)", output)
        self.assertTrue(login, output)
        self.assertTrue(login.group(1).endswith("/admin/"))
        password = login.group(2)
        self.assertGreaterEqual(len(password), 16)
        user = get_user_model().objects.get(username="admin")
        self.assertTrue(user.is_superuser and user.check_password(password))
        self.assertEqual(self.password_file.read_text().strip(), password)
        self.assertEqual(stat.S_IMODE(self.password_file.stat().st_mode), 0o600)

        again = self.ensure_admin(self.password_file)
        self.assertEqual(get_user_model().objects.count(), 1)
        self.assertIn("user: admin  password: see .admin-password", again)
        self.assertNotIn(password, again)

    def test_uses_the_environment_and_writes_no_password_file(self):
        os.environ.update(ADMIN_USERNAME="owner", ADMIN_PASSWORD="a-long-chosen-passphrase")

        output = self.ensure_admin(self.password_file)

        user = get_user_model().objects.get(username="owner")
        self.assertTrue(user.is_superuser and user.check_password("a-long-chosen-passphrase"))
        self.assertIn("user: owner  password: the value of ADMIN_PASSWORD", output)
        self.assertFalse(self.password_file.exists())

    def test_creates_nothing_when_a_superuser_exists(self):
        get_user_model().objects.create_superuser("editor", "", "another-long-passphrase")

        output = self.ensure_admin(self.password_file)

        self.assertEqual(get_user_model().objects.count(), 1)
        self.assertIn("Admin: ", output)
        self.assertIn("user: editor", output)
        self.assertIn("changepassword editor", output)
        self.assertFalse(self.password_file.exists())
