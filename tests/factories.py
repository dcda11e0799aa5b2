"""Factories for the page tree, images and blocks used across the suite."""

import io
import json
import re
import subprocess
import tempfile
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import factory
import imageio_ffmpeg
import wagtail_factories
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.test import override_settings
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.embeds.finders import get_finders
from wagtail.models import Collection, Page, PageViewRestriction, Site

from filmsheets.models import FilmIndexPage, FilmRole, FilmSheetPage
from gallery import videos
from gallery.models import BackstageImage, Video
from home.models import AboutPage, ContactFormField, ContactPage, HomePage
from showreels.models import ShowreelIndexPage, ShowreelPage


def image_bytes(width=64, height=48, color=(90, 80, 70), fmt="JPEG"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), color).save(buffer, fmt)
    return buffer.getvalue()


class ImageFactory(wagtail_factories.ImageFactory):
    class Meta:
        model = BackstageImage

    title = factory.Sequence(lambda n: f"Backstage photo {n}")
    collection = factory.LazyFunction(lambda: Collection.get_first_root_node())
    file = factory.LazyAttributeSequence(
        lambda o, n: ContentFile(image_bytes(color=(n % 255, 60, 90)), name=f"photo-{n}.jpg")
    )
    caption = "On set"
    credit = "Unit photographer"
    licence = "© Production. All rights reserved."


def webm_bytes():
    """The first bytes of a WebM file: enough for the upload check and for Range tests."""
    return b"\x1a\x45\xdf\xa3" + bytes(range(256)) * 64


def clip_bytes(seconds=4, size="960x540", rate=25, audio=True):
    """A real H.264/AAC MP4 made with FFmpeg's test sources: a moving pattern and a tone."""
    ffmpeg = imageio_ffmpeg.get_ffmpeg_exe()
    with tempfile.TemporaryDirectory(prefix="bts-clip-") as folder:
        path = Path(folder) / "clip.mp4"
        command = [ffmpeg, "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi"]
        command += ["-i", f"testsrc2=size={size}:rate={rate}:duration={seconds}"]
        if audio:
            command += ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}"]
        command += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
        if audio:
            command += ["-c:a", "aac"]
        subprocess.run([*command, str(path)], check=True, timeout=120)
        return path.read_bytes()


def processed_video(title="Backstage clip", seconds=4, segment_seconds=1, name="clip", **fields):
    """A library video from a generated clip, processed by the real pipeline (FFmpeg)."""
    video = Video(title=title, file=ContentFile(clip_bytes(seconds), name=f"{name}.mp4"), **fields)
    video.save()
    with override_settings(VIDEO_HLS_SEGMENT_SECONDS=segment_seconds):
        outcome = videos.process(video.pk)
    video.refresh_from_db()
    assert outcome == "ready", video.processing_error
    return video


class VideoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Video

    title = factory.Sequence(lambda n: f"Backstage clip {n}")
    file = factory.LazyAttributeSequence(
        lambda o, n: ContentFile(webm_bytes(), name=f"clip-{n}.webm")
    )
    poster = factory.SubFactory(ImageFactory)


class HomePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = HomePage

    title = "Home"
    slug = factory.Sequence(lambda n: f"home-{n}")


class AboutPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = AboutPage

    title = "About"
    slug = "about"


class ContactPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ContactPage

    title = "Contact"
    slug = "contact"
    to_address = "owner@example.com"
    from_address = "site@example.com"
    subject = "A message from the site"


class FilmIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = FilmIndexPage

    title = "Films"
    slug = "films"


class FilmSheetPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Film {n}")
    slug = factory.Sequence(lambda n: f"film-{n}")
    year = 2018
    director = "A. Director"
    production_company = "Northlight Films"
    country = "Italy"
    runtime_minutes = 104
    crew_size = 120
    composer = "Elena Marchetti"

    class Meta:
        model = FilmSheetPage
        skip_postgeneration_save = True

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create:
            roles = (
                extracted
                if extracted is not None
                else FilmRole.objects.filter(slug="bts-video-unit")
            )
            self.roles.set(roles)
            self.save_revision().publish()


class ShowreelPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ShowreelPage

    title = factory.Sequence(lambda n: f"Showreel {n}")
    slug = factory.Sequence(lambda n: f"showreel-{n}")


def gallery_block(images, layout="grid", title="Backstage"):
    """The raw StreamField value of a backstage gallery holding these images."""
    return {
        "type": "gallery",
        "value": {
            "title": title,
            "layout": layout,
            "photos": [
                {
                    "type": "item",
                    "id": str(uuid.uuid4()),
                    "value": {
                        "photo": {
                            "image": image.pk,
                            "decorative": False,
                            "alt_text": f"Alt {image.pk}",
                        },
                        "caption": "",
                        "credit": "",
                    },
                }
                for image in images
            ],
        },
    }


def video_block(video, caption="Backstage clip"):
    return {
        "type": "video",
        "value": {"video": video.pk, "embed": None, "poster": None, "caption": caption},
    }


def text_block(html):
    return {"type": "text", "value": html}


def make_private(page, password="shared-password-1"):
    """A shared-password restriction on the page, as the admin's Privacy dialog sets it
    (which edits the restriction a showreel is given when it is created)."""
    restriction, _ = PageViewRestriction.objects.update_or_create(
        page=page,
        defaults={"restriction_type": PageViewRestriction.PASSWORD, "password": password},
    )
    return restriction


def build_site():
    """A small site: home with about, contact and a film index holding two film sheets."""
    root = Page.get_first_root_node()
    home = HomePageFactory(parent=root)
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Test"},
    )
    about = AboutPageFactory(parent=home)
    contact = ContactPageFactory(parent=home)
    ContactFormField.objects.create(
        page=contact, label="Your name", field_type="singleline", required=True
    )
    ContactFormField.objects.create(
        page=contact, label="Your email", field_type="email", required=True
    )
    ContactFormField.objects.create(
        page=contact, label="Message", field_type="multiline", required=True
    )
    films = FilmIndexPageFactory(parent=home)
    return {"root": root, "home": home, "about": about, "contact": contact, "films": films}


class LocalOEmbedProvider:
    """A real oEmbed provider on 127.0.0.1 for the video links of VideoBlock, so embeds are
    fetched over HTTP by Wagtail's own oEmbed finder without reaching the internet.

    Use as a context manager; `url(name)` gives a video link the provider answers for.
    """

    host = "video.example.test"

    def __init__(self):
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                query = parse_qs(urlparse(self.path).query)
                video = query.get("url", [""])[0].rsplit("/", 1)[-1]
                body = json.dumps(
                    {
                        "type": "video",
                        "version": "1.0",
                        "title": f"Clip {video}",
                        "provider_name": "Local video",
                        "width": 640,
                        "height": 360,
                        "html": f'<iframe src="https://player.example.test/{video}" '
                        'width="640" height="360" title="Clip"></iframe>',
                    }
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._settings = None

    def url(self, name="clip"):
        return f"https://{self.host}/watch/{name}"

    def __enter__(self):
        self._thread.start()
        port = self._server.server_address[1]
        pattern = "^https://" + re.escape(self.host) + "/watch/.+$"
        self._settings = override_settings(
            WAGTAILEMBEDS_FINDERS=[
                {
                    "class": "wagtail.embeds.finders.oembed",
                    "providers": [
                        {
                            "endpoint": f"http://127.0.0.1:{port}/oembed",
                            "urls": [pattern],
                        }
                    ],
                }
            ]
        )
        self._settings.enable()
        get_finders.cache_clear()
        return self

    def __exit__(self, *exc):
        self._settings.disable()
        get_finders.cache_clear()
        self._server.shutdown()
        self._server.server_close()


class ShowreelIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ShowreelIndexPage

    title = "Private work"
    slug = factory.Sequence(lambda n: f"private-work-{n}")


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_document_model()

    title = factory.Sequence(lambda n: f"Call sheet {n}")
    collection = factory.LazyFunction(lambda: Collection.get_first_root_node())
    file = factory.LazyAttributeSequence(
        lambda o, n: ContentFile(
            b"%PDF-1.4\n% call sheet\n" + bytes(range(256)), name=f"sheet-{n}.pdf"
        )
    )


def superuser():
    """A new superuser with a unique name (the owner in the admin)."""
    return get_user_model().objects.create_superuser(
        f"owner-{uuid.uuid4().hex[:6]}", "owner@example.com", "a-long-password-for-tests"
    )
