"""Private video streams only to the session that unlocked it, and the owner sees what each
pass watched.

A processed clip (real FFmpeg, 1 s segments) sits on a private showreel and another on a
public film sheet. A producer unlocks the showreel with a pass: the page's player points at
signed, session-bound URLs; the segment view answers them without the database; revoking the
pass, taking the video off the page or waiting past the token's end stops the next segment.
Nobody but the owner reaches a master.
"""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client, TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from gallery.models import VideoCaption
from showreels import streaming, watching
from showreels.models import AccessPass, WatchRecord
from tests import factories
from tests.conftest import require

pytestmark = pytest.mark.processes

STREAM_URL = re.compile(r'/private/stream/[^"\s/]+/master\.m3u8')
SEGMENT_SECONDS = 1
CLIP_SECONDS = 4


def stream_base(html):
    match = STREAM_URL.search(html)
    assert match, "the page has no private stream URL"
    return match.group(0).removesuffix("master.m3u8")


def started_watching():
    return [message for message in mail.outbox if message.subject.startswith("Started watching")]


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


class PrivateVideoStreamingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        require(factories.imageio_ffmpeg.get_ffmpeg_exe(), "FFmpeg is not installed")
        site = factories.build_site()
        cls.home = site["home"]
        cls.video = factories.processed_video(
            "Night unit", seconds=CLIP_SECONDS, segment_seconds=SEGMENT_SECONDS, name="nightunit"
        )
        VideoCaption.objects.create(
            video=cls.video,
            language="en",
            label="English",
            file=factories.ContentFile(b"WEBVTT\n\n00:00.000 --> 00:01.000\nAction\n", "en.vtt"),
        )
        cls.reel = factories.ShowreelPageFactory(
            parent=cls.home,
            title="Harbour reel",
            slug="harbour-reel",
            body=[factories.video_block(cls.video, caption="Night unit")],
        )
        cls.reel.save_revision().publish()
        cls.public_video = factories.processed_video(
            "Public clip", seconds=2, segment_seconds=SEGMENT_SECONDS, name="publicclip"
        )
        cls.sheet = factories.FilmSheetPageFactory(
            parent=site["films"],
            title="Open sheet",
            body=[factories.video_block(cls.public_video, caption="On the pier")],
        )
        cls.sheet.save_revision().publish()
        cls.access_pass, cls.password = AccessPass.issue(
            label="Line producer, Northlight Films", page=cls.reel
        )

    def setUp(self):
        streaming.forget_verdicts()
        watching.forget()
        self.video.refresh_from_db()

    def unlocked(self):
        client = Client()
        response = client.post(
            reverse("unlock_private_page", args=[self.reel.pk]), {"password": self.password}
        )
        self.assertEqual(response.status_code, 302)
        return client

    def player_page(self, client):
        response = client.get(self.reel.url)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    # The page and its player

    def test_unlocked_page_plays_signed_urls_with_the_screening_mark_and_no_master(self):
        html = self.player_page(self.unlocked())
        base = stream_base(html)
        self.assertIn(f'{base}fallback.mp4"', html)
        self.assertIn(f"{base}captions/", html)
        self.assertIn("Screening copy for Line producer, Northlight Films", html)
        self.assertNotIn(self.video.file.name, html)
        self.assertNotIn(self.video.output_folder, html)
        self.assertNotIn("Download", html)

    def test_the_owner_can_turn_the_screening_mark_off(self):
        reel = self.reel.specific
        reel.screening_mark = False
        reel.save_revision().publish()
        html = self.player_page(self.unlocked())
        stream_base(html)
        self.assertNotIn("Screening copy", html)

    def test_a_public_page_plays_the_public_files(self):
        response = Client().get(self.sheet.url)
        html = response.content.decode()
        self.assertIsNone(STREAM_URL.search(html))
        self.assertIn(f"/media/{self.public_video.output_folder}/master.m3u8", html)
        self.assertNotIn("Screening copy", html)

    # The stream

    def test_every_file_of_the_stream_reaches_the_session_that_unlocked(self):
        client = self.unlocked()
        base = stream_base(self.player_page(client))
        master = client.get(base + "master.m3u8")
        self.assertEqual(master.status_code, 200)
        self.assertEqual(master["Content-Type"], "application/vnd.apple.mpegurl")
        playlists = re.findall(r"^(\d+p/index\.m3u8)$", body(master).decode(), re.M)
        self.assertTrue(playlists)
        rung = client.get(base + playlists[0])
        segments = re.findall(r"^(segment-\d+\.ts)$", body(rung).decode(), re.M)
        self.assertEqual(len(segments), CLIP_SECONDS // SEGMENT_SECONDS)
        prefix = playlists[0].rsplit("/", 1)[0]
        for name in [f"{prefix}/{segments[0]}", "fallback.mp4", "sprite.jpg", "thumbnails.vtt"]:
            response = client.get(base + name)
            self.assertEqual(response.status_code, 200, name)
            self.assertEqual(response["Cache-Control"], "private, no-store", name)
            self.assertIn("Cookie", response["Vary"])
            body(response)
        caption_url = re.search(r'src="([^"]+captions/\d+\.vtt)"', self.player_page(client))[1]
        caption = client.get(caption_url)
        self.assertEqual(caption.status_code, 200)
        self.assertIn(b"Action", body(caption))

    def test_the_fallback_seeks_with_a_range(self):
        client = self.unlocked()
        base = stream_base(self.player_page(client))
        response = client.get(base + "fallback.mp4", HTTP_RANGE="bytes=100-199")
        self.assertEqual(response.status_code, 206)
        self.assertEqual(len(body(response)), 100)

    def test_segments_are_checked_without_the_database(self):
        client = self.unlocked()
        base = stream_base(self.player_page(client))
        body(client.get(base + "360p/segment-00000.ts"))  # the first check reads the database
        # Sessions and users load lazily: the segment view must not touch either.
        with self.assertNumQueries(0):
            for index in range(1, CLIP_SECONDS):
                response = client.get(f"{base}360p/segment-{index:05d}.ts")
                self.assertEqual(response.status_code, 200)
                body(response)

    def test_another_session_a_forged_token_or_an_unknown_file_get_404(self):
        client = self.unlocked()
        base = stream_base(self.player_page(client))
        segment = base + "360p/segment-00000.ts"
        self.assertEqual(Client().get(segment).status_code, 404)
        other = self.unlocked()  # another producer, same pass, own session
        self.assertEqual(other.get(segment).status_code, 404)
        forged = base.replace(f".{self.video.pk}.", f".{self.public_video.pk}.")
        self.assertEqual(client.get(forged + "master.m3u8").status_code, 404)
        token = base.split("/")[3]
        tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
        self.assertEqual(client.get(base.replace(token, tampered) + "master.m3u8").status_code, 404)
        for name in ["../../media/x", "poster.jpg", "360p/../master.m3u8", "captions/999.vtt"]:
            self.assertEqual(client.get(base + name).status_code, 404, name)

    def test_revoking_the_pass_stops_the_next_segment(self):
        client = self.unlocked()
        base = stream_base(self.player_page(client))
        self.assertEqual(client.get(base + "360p/segment-00000.ts").status_code, 200)
        AccessPass.objects.get(pk=self.access_pass.pk).revoke()
        self.assertEqual(client.get(base + "360p/segment-00001.ts").status_code, 404)
        page = client.get(self.reel.url)
        self.assertEqual(page.status_code, 403)  # the page asks for a pass again
        self.assertIn('name="password"', page.content.decode())
        self.assertNotIn("/private/stream/", page.content.decode())

    def test_a_revocation_made_in_another_process_counts_within_the_recheck_time(self):
        client = self.unlocked()
        base = stream_base(self.player_page(client))
        self.assertEqual(client.get(base + "360p/segment-00000.ts").status_code, 200)
        # Another process revoked the pass: this one's signals did not run.
        AccessPass.objects.filter(pk=self.access_pass.pk).update(revoked_at=timezone.now())
        self.assertEqual(client.get(base + "360p/segment-00001.ts").status_code, 200)
        later = streaming.time.monotonic() + 31
        with mock.patch.object(streaming.time, "monotonic", return_value=later):
            self.assertEqual(client.get(base + "360p/segment-00002.ts").status_code, 404)

    def test_taking_the_video_off_the_page_stops_the_stream(self):
        client = self.unlocked()
        base = stream_base(self.player_page(client))
        self.assertEqual(client.get(base + "360p/segment-00000.ts").status_code, 200)
        reel = self.reel.specific
        reel.body = [factories.text_block("<p>Cut.</p>")]
        reel.save_revision().publish()
        self.assertEqual(client.get(base + "360p/segment-00001.ts").status_code, 404)

    def test_the_token_ends_with_the_pass(self):
        AccessPass.objects.filter(pk=self.access_pass.pk).update(
            expires_at=timezone.now() + timedelta(minutes=10)
        )
        client = self.unlocked()
        base = stream_base(self.player_page(client))
        expires = int(base.split("/")[3].split(".")[3])
        self.assertLessEqual(expires, (timezone.now() + timedelta(minutes=10)).timestamp() + 1)
        with mock.patch.object(streaming.time, "time", return_value=expires + 1):
            self.assertEqual(client.get(base + "master.m3u8").status_code, 404)

    # Masters and the media route

    def test_nobody_but_the_owner_reaches_the_master(self):
        master = "/media/" + self.video.file.name
        self.assertEqual(Client().get(master).status_code, 404)
        self.assertEqual(self.unlocked().get(master).status_code, 404)
        public_master = "/media/" + self.public_video.file.name
        self.assertEqual(Client().get(public_master).status_code, 404)
        owner = Client()
        owner.force_login(factories_superuser())
        response = owner.get(master)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Cache-Control"], "private, no-store")
        body(response)

    def test_private_outputs_are_not_served_by_the_media_route(self):
        client = self.unlocked()
        for name in ["master.m3u8", "360p/index.m3u8", "360p/segment-00000.ts", "sprite.jpg"]:
            path = f"/media/{self.video.output_folder}/{name}"
            self.assertEqual(client.get(path).status_code, 404, name)
            self.assertEqual(Client().get(path).status_code, 404, name)

    def test_public_outputs_are_cached_for_a_year(self):
        for name in ["master.m3u8", "360p/index.m3u8", "360p/segment-00000.ts", "sprite.jpg"]:
            response = Client().get(f"/media/{self.public_video.output_folder}/{name}")
            self.assertEqual(response.status_code, 200, name)
            self.assertEqual(response["Cache-Control"], "public, max-age=31536000, immutable", name)
            body(response)

    # What each pass watched

    def fetch_segments(self, client, base, indexes):
        for index in indexes:
            response = client.get(f"{base}360p/segment-{index:05d}.ts")
            self.assertEqual(response.status_code, 200)
            body(response)

    @override_settings(SHOWREEL_NOTIFY_EMAIL="owner@example.com")
    def test_fetched_segments_become_what_the_pass_watched(self):
        client = self.unlocked()
        base = stream_base(self.player_page(client))
        with self.captureOnCommitCallbacks(execute=True):
            self.fetch_segments(client, base, [0, 1])
            # A quality switch fetches segment 1 again at once: it counts once.
            response = client.get(f"{base}540p/segment-00001.ts")
            if response.status_code == 200:
                body(response)
            watching.flush()
        record = WatchRecord.objects.get(access_pass=self.access_pass, video=self.video)
        self.assertEqual(record.counts(), [1, 1, 0, 0])
        self.assertEqual(record.watched_seconds, 2)
        self.assertEqual(record.watched_percent, 50)
        self.assertEqual(len(started_watching()), 1)
        self.assertIn("Line producer, Northlight Films", started_watching()[0].subject)
        # Later the producer comes back and watches the second half and segment 1 again.
        later = watching.time.monotonic() + watching.REPLAY_GAP + 1
        with (
            mock.patch.object(watching.time, "monotonic", return_value=later),
            self.captureOnCommitCallbacks(execute=True),
        ):
            self.fetch_segments(client, base, [1, 2, 3])
            watching.flush()
        record.refresh_from_db()
        self.assertEqual(record.counts(), [1, 2, 1, 1])
        self.assertEqual(record.watched_percent, 100)
        self.assertEqual(record.replayed_runs(), [(1, 2)])
        self.assertEqual(len(started_watching()), 1, "the email goes out the first time only")

        owner = Client()
        owner.force_login(factories_superuser())
        page = owner.get(reverse("access_passes:inspect", args=[self.access_pass.pk]))
        html = page.content.decode()
        self.assertIn("What this pass watched", html)
        self.assertIn("Night unit", html)
        self.assertIn('data-watched-seconds="4.0"', html)
        self.assertIn("Watched again: 0:01–0:02", html)
        self.assertIn("watched__run--replayed", html)

    @override_settings(SHOWREEL_NOTIFY_EMAIL="owner@example.com")
    def test_no_email_when_the_owner_turned_it_off_for_the_pass(self):
        AccessPass.objects.filter(pk=self.access_pass.pk).update(notify_on_play=False)
        client = self.unlocked()
        base = stream_base(self.player_page(client))
        with self.captureOnCommitCallbacks(execute=True):
            self.fetch_segments(client, base, [0])
            watching.flush()
        self.assertTrue(WatchRecord.objects.filter(access_pass=self.access_pass).exists())
        self.assertEqual(started_watching(), [])

    def test_the_owner_watching_is_not_counted(self):
        owner = Client()
        owner.force_login(factories_superuser())
        base = stream_base(self.player_page(owner))
        self.fetch_segments(owner, base, [0, 1])
        watching.flush()
        self.assertFalse(WatchRecord.objects.exists())


def factories_superuser():
    return get_user_model().objects.filter(
        username="owner"
    ).first() or get_user_model().objects.create_superuser("owner", "owner@example.com", "x")
