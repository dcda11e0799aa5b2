"""Nothing of a private page reaches anyone without access, by any route.

A site is built with public film sheets and private showreels whose every field holds a
made-up marker word found nowhere else. An anonymous visitor then walks everything public
(every page reachable from home, the sitemap, search, filters, robots.txt, the 404 page,
the password form itself, guessed media URLs, path traversal) and no marker word, and no
byte of a private file, may come back in any body or header. A visitor with a pass then
sees all of it, and can seek in the video.

Every route tried anonymously is collected in ROUTES_TRIED and printed at the end of the
run (pytest -s), so the list can be reported.
"""

import html.parser
import re
import uuid
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.test import Client, TestCase
from django.urls import reverse
from wagtail.actions.convert_alias import ConvertAliasPageAction
from wagtail.models import GroupPagePermission, Page, PageViewRestriction

from filmsheets.models import FilmRole
from gallery.models import VideoCaption
from gallery.renditions import ensure_renditions, wanted_filter_list
from home.models import FeaturedFilm, PortfolioSettings
from showreels.models import AccessPass, ShowreelPage
from tests import factories

# One made-up word per field of the private pages; none appears anywhere public.
M = {
    "title": "Quillbackmarrow",
    "seo_title": "Vantabluegoth",
    "search_description": "Plinthwisecardamoor",
    "slug": "zephyrkinreel",
    "intro": "Snorkelgritfable",
    "text": "Tumbledrakeorchid",
    "quote": "Brackenmossquibble",
    "quote_by": "Halyardmossgrove",
    "gallery_title": "Copperwicklantern",
    "photo_caption": "Sablethornironquill",
    "photo_credit": "Nightjarwickerbloom",
    "photo_alt": "Featherfallcobalt",
    "image_title": "Gloamhavenstill",
    "image_caption": "Marshglintowlet",
    "image_credit": "Peatbogwhistler",
    "image_file": "ferncastlesecret",
    "video_title": "Driftembersprocket",
    "video_caption": "Gantrymarrowlight",
    "video_file": "thistlebrookclip",
    "poster_title": "Sunderkelpposter",
    "poster_file": "quartzmallowstill",
    "document_title": "Hollowquaycallsheet",
    "document_file": "emberliskpaper",
    "second_title": "Larkspurnelreel",
    "second_intro": "Oxbowglimmerfen",
    "section_title": "Cindervaultsection",
    "section_intro": "Tallowspindrift",
    "child_title": "Peregrinoxcut",
    "sheet_title": "Wolframquayfilm",
    "sheet_director": "Juniperhalloway",
    "sheet_synopsis": "Mirelockquandary",
    "sheet_image_title": "Slatefernkeystill",
    "sheet_image_file": "basaltkeyimage",
    "caption_label": "Wrenfieldmurmur",
    "caption_text": "Gorsewillowthrum",
}
PRIVATE_YEAR = 1977
MARKERS = {key: value.lower() for key, value in M.items()}
PASSWORD = "leak-suite-shared-1"

# Every (method, path, what it probes) the anonymous visitor tried, for the report.
ROUTES_TRIED = []


class LinkParser(html.parser.HTMLParser):
    """Every URL a page points at: links, images, sources, forms, data attributes."""

    def __init__(self):
        super().__init__()
        self.urls = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if not value:
                continue
            if name == "srcset" or name.endswith("-srcset"):  # data-poster-srcset too
                for candidate in value.split(","):
                    if candidate.strip():
                        self.urls.add(candidate.strip().split()[0])
            elif value.startswith(("/", "http://testserver", "http://localhost")):
                self.urls.add(value)


ABSOLUTE_URL = re.compile(r"https?://(?:testserver|localhost)(/[^\s\"'<>\\]*)")


def urls_in(body):
    parser = LinkParser()
    parser.feed(body)
    found = set()
    for url in parser.urls | set(ABSOLUTE_URL.findall(body)):
        parts = urlsplit(urljoin("http://testserver/", url))
        if parts.hostname not in ("testserver", "localhost"):
            continue
        found.add(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def is_media(path):
    return path.startswith(("/media/", "/documents/"))


class PrivateSiteMixin:
    """The site: public film sheets, a public showreel index, three private showreels."""

    @classmethod
    def setUpTestData(cls):
        site = factories.build_site()
        home, films = site["home"], site["films"]
        cls.home = home
        cls.about = site["about"]
        cls.films = films

        # Public pages.
        cls.public_images = [factories.ImageFactory(title=f"Set photo {n}") for n in range(3)]
        cls.sheet_a = factories.FilmSheetPageFactory(
            parent=films,
            title="Harbour Lights",
            year=2019,
            key_image=cls.public_images[0],
            body=[factories.gallery_block(cls.public_images[1:])],
            roles=FilmRole.objects.filter(slug__in=["bts-video-unit", "scene-photographer"]),
        )
        cls.sheet_b = factories.FilmSheetPageFactory(parent=films, title="Desert Road", year=2021)
        for number, sheet in enumerate((cls.sheet_a, cls.sheet_b)):
            FeaturedFilm.objects.create(page=home, film_sheet=sheet, sort_order=number)
        home.hero_image = factories.ImageFactory(title="Hero still")
        home.save_revision().publish()
        PortfolioSettings.objects.update_or_create(
            site=home.get_site(),
            defaults={"owner_name": "Sample Owner", "owner_role": "BTS videomaker"},
        )
        showreels = factories.ShowreelIndexPageFactory(
            parent=home, title="Showreels", slug="showreels", show_in_menus=True
        )
        # Given no restriction: showreels are private by type all the same.
        cls.open_reel = factories.ShowreelPageFactory(
            parent=showreels, title="Open reel", slug="open-reel"
        )
        cls.showreels = showreels

        # The private showreel, holding every marker.
        cls.private_image = factories.ImageFactory(
            title=M["image_title"],
            caption=M["image_caption"],
            credit=M["image_credit"],
            file=ContentFile(
                factories.image_bytes(width=90, height=60, color=(3, 141, 59)),
                name=f"{M['image_file']}.jpg",
            ),
        )
        cls.poster = factories.ImageFactory(
            title=M["poster_title"],
            file=ContentFile(
                factories.image_bytes(width=96, height=54, color=(200, 7, 77)),
                name=f"{M['poster_file']}.jpg",
            ),
        )
        cls.video = factories.processed_video(
            title=M["video_title"], poster=cls.poster, name=M["video_file"], seconds=3
        )
        cls.caption = VideoCaption.objects.create(
            video=cls.video,
            language="en",
            label=M["caption_label"],
            file=ContentFile(
                f"WEBVTT\n\n00:00.000 --> 00:02.000\n{M['caption_text']}\n".encode(), "cc.vtt"
            ),
        )
        cls.document = factories.DocumentFactory(
            title=M["document_title"],
            file=ContentFile(
                b"%PDF-1.4\n" + bytes(range(256)) * 3, name=f"{M['document_file']}.pdf"
            ),
        )
        cls.reel = factories.ShowreelPageFactory(
            parent=home,
            title=f"{M['title']} reel",
            seo_title=M["seo_title"],
            search_description=M["search_description"],
            slug=M["slug"],
            show_in_menus=True,
            intro=(
                f"<p>{M['intro']} notes. "
                f'<a linktype="document" id="{cls.document.pk}">Call sheet</a></p>'
            ),
            body=[
                {"type": "text", "value": f"<p>{M['text']} on the night shoot.</p>"},
                {"type": "quote", "value": {"quote": M["quote"], "attribution": M["quote_by"]}},
                {
                    "type": "gallery",
                    "value": {
                        "title": M["gallery_title"],
                        "layout": "grid",
                        "photos": [
                            {
                                "type": "item",
                                "id": str(uuid.uuid4()),
                                "value": {
                                    "photo": {
                                        "image": cls.private_image.pk,
                                        "decorative": False,
                                        "alt_text": M["photo_alt"],
                                    },
                                    "caption": M["photo_caption"],
                                    "credit": M["photo_credit"],
                                },
                            },
                            {
                                "type": "item",
                                "id": str(uuid.uuid4()),
                                "value": {
                                    "photo": {
                                        "image": cls.private_image.pk,
                                        "decorative": False,
                                        "alt_text": "Second view",
                                    },
                                    "caption": "",
                                    "credit": "",
                                },
                            },
                        ],
                    },
                },
                factories.video_block(cls.video, caption=M["video_caption"]),
            ],
        )
        cls.reel.related_films.set([cls.sheet_a])
        cls.reel.save_revision().publish()
        factories.make_private(cls.reel, password=PASSWORD)

        cls.second = factories.ShowreelPageFactory(
            parent=showreels,
            title=M["second_title"],
            slug="second-private",
            intro=f"<p>{M['second_intro']}</p>",
        )
        cls.second.related_films.set([cls.sheet_b])
        cls.second.save_revision().publish()
        factories.make_private(cls.second, password="second-shared-1")

        cls.section = factories.ShowreelIndexPageFactory(
            parent=home,
            title=M["section_title"],
            slug="vault",
            show_in_menus=True,
            intro=f"<p>{M['section_intro']}</p>",
        )
        factories.make_private(cls.section, password="section-shared-1")
        cls.child = factories.ShowreelPageFactory(
            parent=cls.section, title=M["child_title"], slug="inside"
        )

        # A private film sheet too (a work kept off the public site), featured on home.
        cls.sheet_image = factories.ImageFactory(
            title=M["sheet_image_title"],
            file=ContentFile(
                factories.image_bytes(width=70, height=40, color=(17, 99, 240)),
                name=f"{M['sheet_image_file']}.jpg",
            ),
        )
        cls.private_sheet = factories.FilmSheetPageFactory(
            parent=films,
            title=M["sheet_title"],
            slug="private-sheet",
            year=PRIVATE_YEAR,
            director=M["sheet_director"],
            synopsis=f"<p>{M['sheet_synopsis']}</p>",
            key_image=cls.sheet_image,
        )
        factories.make_private(cls.private_sheet, password="sheet-shared-1")
        FeaturedFilm.objects.create(page=home, film_sheet=cls.private_sheet, sort_order=0)
        home.save_revision().publish()

        # Renditions exist before anyone asks, as after publishing.
        cls.presets_made = {}
        needs = [
            *ShowreelPage.objects.get(pk=cls.reel.pk).rendition_needs(),
            (cls.poster, ("hero", "social")),
            (cls.sheet_image, ("hero", "card", "social")),
        ]
        for image, presets in needs:
            ensure_renditions(image, presets)
            cls.presets_made.setdefault(image.pk, set()).update(presets)
        cls.access_pass, cls.pass_password = AccessPass.issue(label="Producer", page=cls.reel)

    # Helpers

    def collaborator(self):
        """The composer: may sign into the admin and edit the About page, nothing more."""
        group = Group.objects.create(name="About page editors")
        group.permissions.add(Permission.objects.get(codename="access_admin"))
        GroupPagePermission.objects.create(group=group, page=self.about, permission_type="change")
        user = get_user_model().objects.create_user("composer", password="pw-composer-1")
        user.groups.add(group)
        client = Client()
        client.force_login(user)
        return client

    @classmethod
    def private_images(cls):
        return (cls.private_image, cls.poster, cls.sheet_image)

    @classmethod
    def private_files(cls):
        """Storage names of every file of the private showreel, originals and renditions."""
        names = [cls.private_image.file.name, cls.poster.file.name, cls.video.file.name]
        names += [cls.document.file.name, cls.sheet_image.file.name]
        for image in cls.private_images():
            names += [r.file.name for r in image.renditions.all()]
        return names + cls.video_outputs() + [cls.caption.file.name]

    @classmethod
    def video_outputs(cls):
        """Every file processing wrote for the private video: playlists, segments, the
        fallback MP4, poster, sprite and thumbnails."""
        folder = Path(settings.MEDIA_ROOT) / cls.video.output_folder
        names = [path.relative_to(settings.MEDIA_ROOT).as_posix() for path in folder.rglob("*")]
        return sorted(name for name in names if (Path(settings.MEDIA_ROOT) / name).is_file())

    @classmethod
    def private_bytes(cls):
        root = Path(settings.MEDIA_ROOT)
        return {name: (root / name).read_bytes() for name in cls.private_files()}

    def fetch(self, client, method, path, note, data=None, **headers):
        ROUTES_TRIED.append((method.upper(), path, note))
        call = getattr(client, method.lower())
        if data is not None:
            return call(path, data, **headers)
        return call(path, **headers)

    def assert_nothing_private(self, response, path):
        """No marker in body or headers, no private file's bytes in the body.

        A marker the request itself carries (a search query, the slug in a URL the visitor
        typed) may be echoed back; every other marker is a leak.
        """
        body = response.content if not response.streaming else b"".join(response.streaming_content)
        text = body.decode("utf-8", "replace").lower()
        headers = " ".join(f"{k}: {v}" for k, v in response.items()).lower()
        for field, marker in MARKERS.items():
            if marker in path.lower():
                continue
            self.assertNotIn(marker, text, f"{field} marker in the body of {path}")
            self.assertNotIn(marker, headers, f"{field} marker in the headers of {path}")
        for name, data in self.private_bytes().items():
            self.assertNotIn(data, body, f"bytes of {name} in {path}")
        return text

    def crawl(self, client, note="crawl"):
        """GET every page and file reachable from home or the sitemap; check each.

        Returns the paths seen.
        """
        sitemap = client.get("/sitemap.xml").content.decode()
        listed = [urlsplit(url).path for url in re.findall(r"<loc>([^<]+)</loc>", sitemap)]
        seen, queue = set(), ["/", "/sitemap.xml", *listed]
        while queue and len(seen) < 300:
            path = queue.pop(0)
            if path in seen or path.startswith(("/static/", "/admin/")):
                continue
            seen.add(path)
            response = self.fetch(client, "get", path, note)
            self.assert_nothing_private(response, path)
            if is_media(path):
                self.assertEqual(response.status_code, 200, path)
                continue
            if response.status_code in (301, 302):
                queue.append(urlsplit(response["Location"]).path)
                continue
            # Every link of a public page leads somewhere: no broken link to follow.
            self.assertEqual(response.status_code, 200, path)
            if "html" in response.get("Content-Type", ""):
                queue += sorted(urls_in(response.content.decode()) - seen)
        return seen


def teardown_module(module):
    routes = sorted(set(ROUTES_TRIED), key=lambda route: (route[2], route[1], route[0]))
    print(f"\nLeak suite: {len(ROUTES_TRIED)} anonymous requests, {len(routes)} distinct routes")
    for method, path, note in routes:
        print(f"  {method:7} {path}  [{note}]")


class AnonymousLeakTests(PrivateSiteMixin, TestCase):
    def test_crawl_of_every_public_page_shows_nothing_private(self):
        seen = self.crawl(self.client)
        pages = {p for p in seen if not is_media(p)}
        # The crawl really walked the site, media included.
        for page in (self.about, self.films, self.sheet_a, self.sheet_b):
            self.assertIn(page.url, pages)
        self.assertTrue(any(p.startswith("/media/images/") for p in seen))
        for page in (self.reel, self.second, self.section, self.child, self.private_sheet):
            self.assertNotIn(page.url, seen)
        for page in (self.showreels, self.open_reel):  # private by type
            self.assertNotIn(page.url, seen)

    def test_public_pages_that_could_name_the_showreels_name_none(self):
        for page in (self.home, self.sheet_a, self.sheet_b, self.films):
            response = self.fetch(self.client, "get", page.url, "page naming showreels")
            self.assertEqual(response.status_code, 200)
            text = self.assert_nothing_private(response, page.url)
            self.assertNotIn(self.reel.url, text)
        for path in ("/showreels/", "/showreels/open-reel/"):
            response = self.fetch(self.client, "get", path, "showreels given no restriction")
            self.assertEqual(response.status_code, 403, path)
            self.assertNotContains(response, "Open reel", status_code=403)
            self.assert_nothing_private(response, path)

    def test_sitemap_lists_no_private_page(self):
        response = self.fetch(self.client, "get", "/sitemap.xml", "sitemap")
        self.assertEqual(response.status_code, 200)
        text = self.assert_nothing_private(response, "/sitemap.xml")
        locations = re.findall(r"<loc>([^<]+)</loc>", text)
        self.assertIn(self.sheet_a.full_url.lower(), locations)
        for page in (self.reel, self.second, self.section, self.child, self.private_sheet):
            self.assertNotIn(page.full_url.lower(), locations)
        for location in locations:
            path = urlsplit(location).path
            self.assert_nothing_private(self.fetch(self.client, "get", path, "sitemap entry"), path)

    def test_search_never_finds_a_private_page(self):
        control = self.fetch(self.client, "get", "/search/?q=Harbour", "search (control)")
        self.assertContains(control, self.sheet_a.url)  # search works for public pages
        for field, marker in M.items():
            for query in (marker, marker.lower(), f"{marker} reel", marker[:6]):
                path = f"/search/?q={query}"
                response = self.fetch(self.client, "get", path, f"search for the {field} marker")
                self.assertEqual(response.status_code, 200)
                text = response.content.decode().lower()
                # The query is echoed back; no other marker may appear.
                self.assert_nothing_private(response, path)
                for page in (self.reel, self.second, self.section, self.child, self.private_sheet):
                    self.assertNotIn(page.url, text, path)
        paged = self.fetch(self.client, "get", "/search/?q=reel&page=2", "search page 2")
        self.assert_nothing_private(paged, "/search/?q=reel&page=2")

    def test_film_index_filters_show_nothing_private(self):
        for query in (
            "",
            "?role=bts-video-unit",
            "?role=scene-photographer",
            "?role=backstage-photographer",
            "?role=unknown",
            "?year=2019",
            "?year=2021",
            f"?year={PRIVATE_YEAR}",
            "?year=1900",
            "?page=2",
            "?page=999",
            "?role=bts-video-unit&year=2019&page=1",
        ):
            path = self.films.url + query
            response = self.fetch(self.client, "get", path, "film index filters")
            self.assertEqual(response.status_code, 200, path)
            self.assert_nothing_private(response, path)
            self.assertNotContains(response, f'value="{PRIVATE_YEAR}"')
            self.assertNotContains(response, self.private_sheet.url)

    def test_robots_404_and_health_show_nothing_private(self):
        for path in ("/robots.txt", "/healthz/", "/no-such-page/", "/vault/x/", "/showreels/x/"):
            response = self.fetch(self.client, "get", path, "robots, health, 404")
            self.assert_nothing_private(response, path)
        self.assertEqual(self.client.get("/no-such-page/").status_code, 404)

    def test_password_form_shows_nothing_of_the_page_it_guards(self):
        restriction = PageViewRestriction.objects.get(page=self.reel)
        for page in (self.reel, self.second, self.section, self.child, self.private_sheet):
            for method in ("get", "head", "options"):
                response = self.fetch(self.client, method, page.url, "private page, no grant")
                self.assertEqual(response.status_code, 403, page.url)
                self.assert_nothing_private(response, page.url)
            for path in (page.url + "?preview=1", page.url.rstrip("/"), page.url.upper()):
                response = self.fetch(self.client, "get", path, "private page variants")
                self.assert_nothing_private(response, path)
            response = self.fetch(
                self.client, "post", page.url, "POST to private page", {"password": PASSWORD}
            )
            self.assert_nothing_private(response, page.url)
            unlock = reverse("unlock_private_page", args=[page.pk])
            near_miss = self.pass_password[:-1] + ("2" if self.pass_password[-1] != "2" else "3")
            for n, password in enumerate(("wrong", PASSWORD.upper(), near_miss, "")):
                # From different networks: the limits are per network and section.
                response = self.fetch(
                    Client(REMOTE_ADDR=f"198.51.{page.pk % 250}.{n + 1}"),
                    "post",
                    unlock,
                    "unlock with a wrong password",
                    {"password": password},
                )
                # An empty password is a malformed form; the others are wrong.
                self.assertEqual(response.status_code, 400 if password == "" else 403, unlock)
                self.assert_nothing_private(response, unlock)
            response = self.fetch(self.client, "get", unlock, "unlock form")
            self.assert_nothing_private(response, unlock)
        wagtail_endpoint = f"/_util/authenticate_with_password/{restriction.pk}/{self.reel.pk}/"
        for method, data in (("get", None), ("post", {"password": "wrong", "return_url": "/"})):
            response = self.fetch(Client(), method, wagtail_endpoint, "Wagtail's endpoint", data)
            self.assert_nothing_private(response, wagtail_endpoint)

    def test_rate_limited_form_shows_nothing_of_the_page(self):
        client = Client(REMOTE_ADDR="10.20.30.40")
        unlock = reverse("unlock_private_page", args=[self.reel.pk])
        for _ in range(settings.SHOWREEL_UNLOCK_ATTEMPTS + 1):
            response = self.fetch(client, "post", unlock, "unlock until limited", {"password": "x"})
        self.assertEqual(response.status_code, 429)
        self.assert_nothing_private(response, unlock)

    def test_guessed_media_urls_are_not_found(self):
        names = self.private_files()
        # Every rendition made for the private images is guessed: one per distinct filter
        # spec of the presets each image was made for.
        self.assertEqual(set(self.presets_made), {i.pk for i in self.private_images()})
        images = {image.pk: image for image in self.private_images()}
        renditions = sum(
            len({f.spec for f in wanted_filter_list(images[pk], presets)})
            for pk, presets in self.presets_made.items()
        )
        self.assertEqual(len([n for n in names if n.startswith("images/")]), renditions)
        for name in names:
            path = "/media/" + name
            for method in ("get", "head"):
                response = self.fetch(self.client, method, path, "guessed media URL")
                self.assertEqual(response.status_code, 404, path)
                self.assert_nothing_private(response, path)
            response = self.fetch(
                self.client, "get", path, "guessed media URL with Range", HTTP_RANGE="bytes=0-99"
            )
            self.assertEqual(response.status_code, 404, path)
        doc_path = self.document.url
        for method in ("get", "head"):
            response = self.fetch(self.client, method, doc_path, "Wagtail document URL")
            self.assertEqual(response.status_code, 404)
            self.assert_nothing_private(response, doc_path)

    def test_path_traversal_on_media_is_not_found(self):
        image = self.private_image.file.name
        for path in (
            f"/media/original_images/../{image}",
            f"/media/images/../{image}",
            f"/media/images/%2e%2e/{image}",
            f"/media/images/..%2f{image}",
            f"/media/images/%2e%2e%2f{image}",
            f"/media/images/%252e%252e%252f{image}",
            f"/media/./{image}",
            f"/media//{image}",
            f"/media/original_images/..\\{image}",
            "/media/../site/settings.py",
            "/media/%2e%2e/%2e%2e/etc/passwd",
            "/media/..%2f..%2fetc%2fpasswd",
            "/media/original_images/%00.jpg",
            "/media/" + image.upper(),
            "/media/" + image + "%00",
            "/media/" + image + "/",
            "/media/" + image + "?download=1",
        ):
            response = self.fetch(self.client, "get", path, "media path traversal")
            # The answer for a file that does not exist: nothing to learn by guessing.
            self.assertEqual(response.status_code, 404, path)
            self.assert_nothing_private(response, path)
            self.assertNotIn(b"SECRET_KEY", response.content)
            self.assertNotIn(b"root:", response.content)

    def test_admin_urls_send_anonymous_visitors_to_login(self):
        for path in (
            f"/admin/pages/{self.reel.pk}/",
            f"/admin/pages/{self.reel.pk}/edit/",
            f"/admin/pages/{self.reel.pk}/view_draft/",
            f"/admin/pages/{self.reel.pk}/revisions/",
            f"/admin/images/{self.private_image.pk}/",
            f"/admin/documents/edit/{self.document.pk}/",
            "/admin/access-passes/",
            "/admin/unlock-attempts/",
            f"/admin/api/main/pages/{self.reel.pk}/",
        ):
            response = self.fetch(self.client, "get", path, "admin URL")
            self.assertEqual(response.status_code, 302, path)
            self.assertEqual(
                response["Location"],
                f"{reverse('wagtailadmin_login')}?{urlencode({'next': path}, safe='/')}",
            )
            self.assert_nothing_private(response, path)


class AdminRolesAndTreeLeakTests(PrivateSiteMixin, TestCase):
    """What an admin login without rights on the private work, or the page tree's own
    operations (copy, move, alias, alias converted), could open."""

    def assert_closed(self, client, pages, note):
        for page in pages:
            for path in (page.url, f"/private/terms/{page.pk}/", f"/private/more-time/{page.pk}/"):
                method = "get" if path == page.url else "post"
                response = self.fetch(client, method, path, note, {} if method == "post" else None)
                self.assertIn(response.status_code, (403, 404), path)
                self.assert_nothing_private(response, path)

    def test_admin_login_without_rights_on_private_work_opens_nothing(self):
        client = self.collaborator()
        self.crawl(client, note="crawl as an admin user without rights")
        self.assert_closed(
            client,
            (self.reel, self.second, self.section, self.child, self.private_sheet),
            "private page, admin user without rights",
        )
        for name in self.private_bytes():
            response = self.fetch(client, "get", "/media/" + name, "private file, admin user")
            self.assertEqual(response.status_code, 404, name)
        response = self.fetch(client, "get", self.document.url, "private document, admin user")
        self.assertEqual(response.status_code, 404)
        for query in (M["title"], M["intro"], M["text"], M["image_caption"]):
            path = f"/search/?q={query}"
            response = self.fetch(client, "get", path, "search, admin user")
            self.assert_nothing_private(response, path)

    def test_copies_moves_and_aliases_of_showreels_open_nothing(self):
        reel = ShowreelPage.objects.get(pk=self.reel.pk)
        copy = reel.copy(to=self.home, update_attrs={"slug": "reel-copy"}, keep_live=True)
        alias = reel.create_alias(parent=self.home, update_slug="reel-alias")
        converted = ShowreelPage.objects.get(pk=self.child.pk).create_alias(
            parent=self.home, update_slug="converted-alias"
        )
        ConvertAliasPageAction(converted).execute(skip_permission_checks=True)
        moved = ShowreelPage.objects.get(pk=self.second.pk)
        moved.move(self.home, pos="last-child")
        pages = [Page.objects.get(pk=p.pk) for p in (copy, alias, converted, moved)]
        self.assert_closed(Client(), pages, "showreel copied, aliased or moved")
        seen = self.crawl(Client(), note="crawl after tree operations")
        for page in pages:
            self.assertNotIn(page.url, seen)

    def test_originals_of_public_photos_are_not_public(self):
        for image in (*self.public_images, *self.private_images()):
            response = self.fetch(Client(), "get", "/media/" + image.file.name, "original image")
            self.assertEqual(response.status_code, 404, image.file.name)
            self.assert_nothing_private(response, image.file.name)


class GrantedVisitorTests(PrivateSiteMixin, TestCase):
    def unlocked_client(self):
        client = Client()
        response = client.post(
            reverse("unlock_private_page", args=[self.reel.pk]), {"password": self.pass_password}
        )
        self.assertEqual(response.status_code, 302)
        return client

    def test_visitor_with_a_pass_sees_page_images_renditions_and_video(self):
        client = self.unlocked_client()
        response = client.get(self.reel.url)
        self.assertEqual(response.status_code, 200)
        text = response.content.decode().lower()
        for field in (
            "title",
            "seo_title",
            "search_description",
            "intro",
            "text",
            "quote",
            "gallery_title",
            "photo_caption",
            "photo_credit",
            "photo_alt",
            "image_caption",
            "image_credit",
            "video_caption",
        ):
            self.assertIn(MARKERS[field], text, field)
        self.assertIn("private", response["Cache-Control"])
        self.assertIn("no-store", response["Cache-Control"])
        self.assertIn("Cookie", response["Vary"])

        files = [p for p in urls_in(response.content.decode()) if is_media(p)]
        shown = {p.removeprefix("/media/") for p in files}
        self.assertTrue(shown & {r.file.name for r in self.private_image.renditions.all()})
        self.assertTrue(shown & {r.file.name for r in self.poster.renditions.all()})
        self.assertFalse(any(M["video_file"] in p for p in files), "the master is named")
        for path in files:
            media = client.get(path)
            self.assertEqual(media.status_code, 200, path)
        # The video plays from signed URLs for this session: playlists, segments, captions.
        streams = [p for p in urls_in(response.content.decode()) if "/private/stream/" in p]
        self.assertTrue(any(p.endswith("/master.m3u8") for p in streams))
        self.assertTrue(any("/captions/" in p for p in streams))
        for path in streams:
            self.assertEqual(client.get(path).status_code, 200, path)
        sheet_files = {self.sheet_image.file.name}
        sheet_files |= {r.file.name for r in self.sheet_image.renditions.all()}
        # Not through /media/: originals and masters are for the owner, the private
        # video's files for its signed stream only.
        closed = {self.video.file.name, *self.video_outputs()}
        for name, data in self.private_bytes().items():
            media = client.get("/media/" + name)
            if name in sheet_files or name in closed or name.startswith("original_images/"):
                self.assertEqual(media.status_code, 404, name)
                continue
            if name == self.caption.file.name:
                self.assertEqual(media.status_code, 404, name)
                continue
            self.assertEqual(media.status_code, 200, name)
            self.assertEqual(b"".join(media.streaming_content), data)
            self.assertIn("no-store", media["Cache-Control"])
        self.assertEqual(client.get(self.document.url).status_code, 200)

    def stream_paths(self, client):
        """The signed URLs of the private video for this session, and every file behind
        them: master and rung playlists, every segment, fallback, sprite, thumbnails,
        captions."""
        html = client.get(self.reel.url).content.decode()
        base = re.search(r"/private/stream/[^\"/]+/", html)[0]
        names = [
            name.removeprefix(self.video.output_folder + "/")
            for name in self.video_outputs()
            if not name.endswith("poster.jpg")
        ]
        return [base + name for name in names] + [f"{base}captions/{self.caption.pk}.vtt"]

    def test_visitor_with_a_pass_can_seek_in_the_video(self):
        client = self.unlocked_client()
        paths = self.stream_paths(client)
        fallback = next(p for p in paths if p.endswith("fallback.mp4"))
        data = (Path(settings.MEDIA_ROOT) / self.video.output_folder / "fallback.mp4").read_bytes()
        response = client.get(fallback, HTTP_RANGE="bytes=100-199")
        self.assertEqual(response.status_code, 206)
        self.assertEqual(response["Content-Range"], f"bytes 100-199/{len(data)}")
        self.assertEqual(b"".join(response.streaming_content), data[100:200])
        response = client.get(fallback, HTTP_RANGE=f"bytes={len(data)}-")
        self.assertEqual(response.status_code, 416)

    def test_the_private_videos_files_reach_nobody_else(self):
        paths = self.stream_paths(self.unlocked_client())
        self.assertGreater(len(paths), 8)
        strangers = [self.client, self.collaborator(), self.unlocked_client()]
        names = ("anonymous", "admin user", "other pass session")
        for who, client in zip(names, strangers, strict=True):
            for path in paths:
                for method in ("get", "head"):
                    response = self.fetch(client, method, path, f"private video stream, {who}")
                    self.assertEqual(response.status_code, 404, (who, path))
                    if who != "other pass session":  # its menus rightly name the showreel
                        self.assert_nothing_private(response, path)

    def test_visitor_with_a_pass_sees_the_showreel_in_menu_and_related_film(self):
        client = self.unlocked_client()
        for page in (self.home, self.sheet_a):
            response = client.get(page.url)
            self.assertIn(self.reel.url, response.content.decode(), page.url)
            self.assertIn("no-store", response["Cache-Control"])
        # The pass opens this showreel only.
        self.assertNotIn(self.second.url, client.get(self.sheet_b.url).content.decode())
        self.assertEqual(client.get(self.second.url).status_code, 403)

    def test_what_a_granted_visitor_or_editor_saw_never_reaches_the_next_visitor(self):
        editor = Client()
        editor.force_login(
            get_user_model().objects.create_superuser("editor", "e@example.com", "x")
        )
        for client in (self.unlocked_client(), editor):
            for path in ("/", self.sheet_a.url, self.sheet_b.url, "/showreels/", self.films.url):
                client.get(path)
            client.get(f"/search/?q={M['title']}")
            client.get("/sitemap.xml")
            client.get(self.reel.url)
        self.crawl(Client(), note="crawl after granted visitors")
        response = self.fetch(Client(), "get", f"/search/?q={M['intro']}", "search after granted")
        self.assertNotIn(MARKERS["title"], response.content.decode().lower())
