"""A producer's private screening: the signed stream, what the owner sees was watched, revoking.

Every test issues a pass of its own, so that what one watches or revokes touches no other.
"""

import secrets
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import (
    ACCESS_ENDED,
    PHONE,
    PRIVATE_STREAM_PREFIX,
    SHOWREEL_PATH,
    SHOWREEL_TITLE,
    STREAM_RECHECK_SECONDS,
    VIDEO_FILE,
    after_seek,
    buffered_until,
    covered_segments,
    issue_access_pass,
    pause,
    play,
    player_ready,
    revoke_access_pass,
    seek_and_play,
    unlock,
    video_duration,
    wait_for_time,
)

pytestmark = pytest.mark.browser

# The inspect page reads what was watched from the database, where each server process
# writes its counts every SHOWREEL_WATCH_FLUSH_SECONDS (5 s).
WATCH_RECORD_SECONDS = 20


@dataclass(frozen=True)
class ScreeningPass:
    label: str
    password: str
    inspect_url: str


@pytest.fixture
def screening_pass(new_context, owner_state):
    """A pass for the showreel issued in the admin for this test alone."""
    label = f"Screening check {secrets.token_hex(3)}, Northlight Films"
    page = new_context(storage_state=owner_state).new_page()
    password = issue_access_pass(page, label, SHOWREEL_TITLE)
    inspect_url = page.get_by_role("link", name="See this pass").get_attribute("href")
    return ScreeningPass(label=label, password=password, inspect_url=inspect_url)


def open_screening(context, access_pass):
    """Open the showreel in a producer's browser, enter the pass, wait for the player.

    Returns the page and what it asked of the video files from the start (watch_requests).
    """
    page = context.new_page()
    seen = watch_requests(page)
    response = page.goto(SHOWREEL_PATH)
    assert response.status == 403
    unlock(page, access_pass.password)
    expect(page.get_by_role("heading", level=1)).to_have_text(SHOWREEL_TITLE)
    player_ready(page)
    return page, seen


def watch_requests(page):
    """Every video file the page asks for, and every answer from the private stream."""
    seen = {"requests": [], "responses": []}

    def note_request(request):
        if VIDEO_FILE.search(urlsplit(request.url).path):
            seen["requests"].append(urlsplit(request.url).path)

    def note_response(response):
        path = urlsplit(response.url).path
        if path.startswith(PRIVATE_STREAM_PREFIX):
            seen["responses"].append((path, response.status, response.headers))

    page.on("request", note_request)
    page.on("response", note_response)
    return seen


def test_producer_plays_the_private_screening_like_a_private_screening(
    new_context, screening_pass, screenshots_dir
):
    page, seen = open_screening(new_context(), screening_pass)
    player = page.locator(".player[data-player]")
    expect(player.locator(".player__mark")).to_be_visible()
    expect(player.locator(".player__mark")).to_have_text(
        f"Screening copy for {screening_pass.label}"
    )

    play(page)

    # The other quality, chosen in the player's own menu, is what plays and what is fetched.
    quality = player.locator("select[data-player-quality]")
    playing_level = page.evaluate("() => document.querySelector('.player video')._hls.currentLevel")
    assert playing_level in (0, 1), f"hls.js plays level {playing_level} of the two rungs"
    other = 1 - playing_level
    rung = quality.locator(f"option[value='{other}']").inner_text()
    asked_before = len(seen["requests"])
    quality.select_option(str(other))
    page.wait_for_function(
        "(level) => document.querySelector('.player video')._hls.currentLevel === level",
        arg=other,
    )
    assert any(f"/{rung}/segment-" in path for path in seen["requests"][asked_before:]), (
        f"no {rung} segment fetched after the switch: {seen['requests'][asked_before:]}"
    )

    # Captions from the private stream, shown on the video.
    player.locator("select[data-player-captions]").select_option(label="English")
    page.wait_for_function(
        """() => {
            const tracks = Array.from(document.querySelector('.player video').textTracks);
            const english = tracks.find((track) => track.label === 'English');
            return english && english.mode === 'showing' && english.cues && english.cues.length;
        }"""
    )
    player.screenshot(path=screenshots_dir / "screening-playing-1440.png", animations="disabled")

    # Far ahead, past what was buffered: the player fetches that part and plays on from it.
    target = round(video_duration(page) * 0.8, 2)
    seek_and_play(page, target)
    wait_for_time(page, target + 0.5)

    requested = seen["requests"]
    assert any(path.endswith("/master.m3u8") for path in requested), requested
    assert any("/segment-" in path for path in requested), requested
    assert [path for path in requested if not path.startswith(PRIVATE_STREAM_PREFIX)] == [], (
        "a video file came from outside the signed stream (a master or a public output)"
    )
    assert any("/captions/" in path for path in requested), requested
    for path, status, headers in seen["responses"]:
        assert status in (200, 206), (path, status)
        assert headers.get("cache-control") == "private, no-store", (path, headers)

    # The same pass on a 360 px phone, in a session of its own.
    phone, _ = open_screening(
        new_context(**{**PHONE, "viewport": {"width": 360, "height": 780}}), screening_pass
    )
    play(phone)
    expect(phone.locator(".player__mark")).to_be_visible()
    phone.locator(".player[data-player]").screenshot(
        path=screenshots_dir / "screening-playing-360.png", animations="disabled"
    )


def test_the_pass_admin_page_shows_what_was_watched(
    new_context, screening_pass, owner_state, screenshots_dir
):
    page, _ = open_screening(new_context(), screening_pass)
    play(page, past=6.0)
    pause(page)
    covered = covered_segments(page)
    assert covered["segments"][0] == 0 and covered["seconds"] >= 6, covered

    owner = new_context(storage_state=owner_state).new_page()
    watched = owner.locator("[data-watched-seconds]")
    deadline = time.monotonic() + WATCH_RECORD_SECONDS
    seconds = None
    while True:
        owner.goto(screening_pass.inspect_url)
        expect(owner.get_by_role("heading", name="What this pass watched")).to_be_visible()
        if watched.count():
            seconds = float(watched.get_attribute("data-watched-seconds"))
            if abs(seconds - covered["seconds"]) <= covered["length"]:
                break
        if time.monotonic() > deadline:
            pytest.fail(
                f"the pass's page shows {seconds} s watched; the player played {covered}",
                pytrace=False,
            )
        owner.wait_for_timeout(1000)
    section = owner.locator("section.watched")
    expect(section.get_by_role("heading", level=3)).to_have_text("Showreel 2015–2019 (excerpt)")
    percent = int(section.locator("[data-watched-percent]").inner_text())
    assert abs(percent - 100 * seconds / covered["duration"]) <= 1, (percent, seconds)
    section.screenshot(path=screenshots_dir / "screening-watched-admin.png")


def test_revoking_the_pass_stops_the_next_segment(new_context, screening_pass, owner_state):
    page, seen = open_screening(new_context(), screening_pass)
    play(page)
    pause(page)

    owner = new_context(storage_state=owner_state).new_page()
    revoke_access_pass(owner, screening_pass.label)
    # The server process that did not save the revocation notices it within this time.
    time.sleep(STREAM_RECHECK_SECONDS + 1.5)

    # Inside a segment that was not buffered: 60 % would be a segment's edge (12 of 20 s).
    target = round(video_duration(page) * 0.65, 2)
    assert buffered_until(page) < target
    refused_before = len(seen["responses"])
    seek_and_play(page, target)
    notice = page.get_by_role("status")
    expect(notice).to_contain_text(ACCESS_ENDED)
    expect(page.locator(".player[data-player]")).to_have_attribute("data-state", "error")
    after = after_seek(page)
    assert not after["playing"] and after["maxTime"] <= target + 0.05, after
    answers = [(path, status) for path, status, _ in seen["responses"][refused_before:]]
    assert answers and all(status == 404 for _, status in answers), answers
    assert "/segment-" in answers[0][0], answers

    with page.expect_response(
        lambda response: urlsplit(response.url).path == SHOWREEL_PATH
    ) as reloaded:
        notice.get_by_role("button", name="Reload the page").click()
    assert reloaded.value.status == 403
    expect(page.get_by_label("Access pass")).to_be_visible()
    expect(page.locator("video")).to_have_count(0)
