"""The home page shows the owner's chosen video first, else his latest public one; never a
video only a private page shows, and never a master."""

import pytest
from django.test import TestCase

from tests import factories

pytestmark = pytest.mark.processes


class HomeVideoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        tree = factories.build_site()
        cls.home = tree["home"]
        cls.older = factories.processed_video("Crane day", seconds=2, name="craneday")
        cls.sheet = factories.FilmSheetPageFactory(
            parent=tree["films"], title="Salt Roads", body=[factories.video_block(cls.older)]
        )
        cls.sheet.save_revision().publish()
        cls.private = factories.processed_video("Reel cut", seconds=2, name="reelcut")
        reel = factories.ShowreelPageFactory(
            parent=cls.home, title="Reel", body=[factories.video_block(cls.private)]
        )
        reel.save_revision().publish()

    def home_html(self):
        response = self.client.get(self.home.url)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_the_latest_public_video_comes_first_never_a_private_one(self):
        html = self.home_html()
        self.assertIn("Latest from the set", html)
        self.assertIn(f"/media/{self.older.output_folder}/master.m3u8", html)
        self.assertIn(f'From <a href="{self.sheet.url}">Salt Roads</a>', html)
        self.assertNotIn(self.private.output_folder, html)
        self.assertNotIn("Reel cut", html)
        for video in (self.older, self.private):
            self.assertNotIn(video.file.name, html)

    def test_the_owner_can_choose_the_video(self):
        chosen = factories.processed_video("Harbour night", seconds=2, name="harbournight")
        home = self.home.specific
        home.featured_video = chosen
        home.save_revision().publish()
        html = self.home_html()
        self.assertIn("From the set", html)
        self.assertIn(f"/media/{chosen.output_folder}/master.m3u8", html)
        self.assertNotIn(f"/media/{self.older.output_folder}/master.m3u8", html)
