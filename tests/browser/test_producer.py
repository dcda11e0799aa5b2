"""A producer with a password from the owner: the locked showreel, a wrong pass, a revoked one.

The private screening itself (the stream, what was watched, revoking mid-film): test_screening.py.
"""

import pytest
from playwright.sync_api import expect

from bts_site.demo import content
from tests.browser.helpers import (
    DESKTOP,
    SHOWREEL_PATH,
    SHOWREEL_TITLE,
    revoke_access_pass,
    unlock,
)

pytestmark = pytest.mark.browser

SHOWREEL_WORDS = [
    SHOWREEL_TITLE,
    content.block_value(content.SHOWREEL, "gallery")["title"],
    content.block_value(content.SHOWREEL, "video")["caption"],
]


@pytest.fixture(scope="module")
def producer(browser, live_site):
    """One producer's browser, with no admin cookies, across the module's steps."""
    context = browser.new_context(base_url=live_site.base_url, viewport=DESKTOP["viewport"])
    yield context
    context.close()


@pytest.fixture(scope="module")
def unlocked_producer(producer, issued_pass):
    """The producer's browser once the owner's pass has opened the showreel."""
    page = producer.new_page()
    page.goto(SHOWREEL_PATH)
    if page.get_by_role("heading", name="Private work").count():
        unlock(page, issued_pass.password)
    page.close()
    return producer


def assert_locked(page):
    expect(page.get_by_role("heading", level=1)).to_have_text("Private work")
    expect(page.get_by_label("Access pass")).to_be_visible()
    expect(page.locator("video")).to_have_count(0)
    expect(page.locator("[data-gallery]")).to_have_count(0)
    html = page.content()
    for words in SHOWREEL_WORDS:
        assert words not in html, f"the locked page gives away {words!r}"


def test_stranger_sees_only_the_password_form_on_the_showreel(producer):
    page = producer.new_page()
    response = page.goto(SHOWREEL_PATH)
    assert response.status == 403
    assert "no-store" in response.headers.get("cache-control", "")
    assert_locked(page)


def test_wrong_password_shows_error_and_keeps_showreel_locked(producer):
    page = producer.new_page()
    page.goto(SHOWREEL_PATH)
    unlock(page, "mistyped-password-from-an-old-email")
    expect(page.get_by_role("alert")).to_contain_text("That access pass does not open this page")
    expect(page.get_by_label("Access pass")).to_have_attribute("aria-invalid", "true")
    assert_locked(page)


def test_revoked_pass_locks_out_on_next_request(
    unlocked_producer, issued_pass, new_context, owner_state
):
    page = unlocked_producer.new_page()
    page.goto(SHOWREEL_PATH)
    expect(page.get_by_role("heading", level=1)).to_have_text(SHOWREEL_TITLE)

    owner = new_context(storage_state=owner_state).new_page()
    revoke_access_pass(owner, issued_pass.label)

    response = page.reload()
    assert response.status == 403
    assert_locked(page)
    unlock(page, issued_pass.password)
    expect(page.get_by_role("alert")).to_contain_text("withdrawn")
    assert_locked(page)
