"""A visitor on a phone and on a desktop: films, a backstage gallery, about, search, 404."""

import re
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from bts_site.demo import content
from tests.browser.helpers import (
    DESKTOP,
    FILM_INDEX_PATH,
    MISSING_PATH,
    PHONE,
    SEARCH_WORD,
    swipe,
)

pytestmark = pytest.mark.browser

DEVICES = {"phone": PHONE, "desktop": DESKTOP}
FILTER_ROLE = "scene-photographer"


def activate(target, touch):
    """Tap on a touch screen, click with a mouse."""
    if touch:
        target.tap()
    else:
        target.click()


@pytest.fixture(params=list(DEVICES))
def visitor(request, new_context):
    """A page on the given device that records every uncaught script error."""
    page = new_context(**DEVICES[request.param]).new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield SimpleNamespace(page=page, touch=request.param == "phone")
    assert not errors, f"script errors on {request.param}: {errors}"


def test_visitor_filters_films_by_role_and_opens_a_film_sheet(visitor):
    page, touch = visitor.page, visitor.touch
    response = page.goto("/")
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text(content.OWNER["owner_name"])

    menu = page.get_by_role("navigation", name="Main")
    activate(menu.get_by_role("link", name=content.FILM_INDEX["title"]), touch)
    expect(page).to_have_url(re.compile(re.escape(FILM_INDEX_PATH) + "$"))
    every_film = page.locator(".card__title").all_inner_texts()
    assert len(every_film) >= len(content.FILMS)

    if touch:  # on a phone the filters fold behind one control
        activate(page.locator("summary", has_text="Filter films"), touch)
    page.get_by_label("Role").select_option(FILTER_ROLE)
    activate(page.get_by_role("button", name="Show films"), touch)
    expect(page).to_have_url(re.compile(rf"role={FILTER_ROLE}"))
    expected = sorted(film["title"] for film in content.FILMS if FILTER_ROLE in film["roles"])
    expect(page.locator(".card__title")).to_have_count(len(expected))
    assert sorted(page.locator(".card__title").all_inner_texts()) == expected
    assert len(expected) < len(every_film), "the filter must leave some films out"

    activate(page.locator(".card__link").first, touch)
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("|".join(expected)))
    expect(page.locator(".film__roles")).to_contain_text("Scene photographer")


def test_visitor_moves_through_gallery_lightbox_with_keys_and_swipes(visitor):
    page, touch = visitor.page, visitor.touch
    page.goto(FILM_INDEX_PATH)
    activate(page.get_by_role("link", name=content.FILMS[0]["title"]), touch)
    expect(page.get_by_role("heading", level=1)).to_have_text(content.FILMS[0]["title"])
    gallery = page.locator("[data-gallery]").first
    photos = gallery.locator("a[href][data-photo]")
    count = photos.count()
    assert count >= 3, "the demo galleries hold several photos"
    first_alt = photos.first.locator("img").get_attribute("alt")
    second_alt = photos.nth(1).locator("img").get_attribute("alt")

    opener = photos.first
    opener.scroll_into_view_if_needed()
    activate(opener, touch)
    viewer = page.get_by_role("dialog", name="Photo viewer")
    expect(viewer).to_be_visible()
    counter = viewer.locator(".lightbox__counter")
    image = viewer.locator("img")
    expect(counter).to_have_text(f"1 / {count}")
    expect(image).to_have_attribute("alt", first_alt)
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )

    page.keyboard.press("ArrowRight")
    expect(counter).to_have_text(f"2 / {count}")
    expect(image).to_have_attribute("alt", second_alt)
    page.keyboard.press("ArrowLeft")
    expect(counter).to_have_text(f"1 / {count}")
    page.keyboard.press("ArrowLeft")
    expect(counter).to_have_text(f"{count} / {count}")

    stage = viewer.locator(".lightbox__stage")
    swipe(page, stage, towards="left")
    expect(counter).to_have_text(f"1 / {count}")
    swipe(page, stage, towards="left")
    expect(counter).to_have_text(f"2 / {count}")
    swipe(page, stage, towards="right")
    expect(counter).to_have_text(f"1 / {count}")

    page.keyboard.press("Escape")
    expect(viewer).to_be_hidden()
    expect(opener).to_be_focused()


def test_visitor_reads_about_page_and_searches(visitor):
    page, touch = visitor.page, visitor.touch
    page.goto("/")
    menu = page.get_by_role("navigation", name="Main")
    activate(menu.get_by_role("link", name=content.ABOUT["title"]), touch)
    expect(page.get_by_role("heading", level=1)).to_have_text(content.ABOUT["title"])
    expect(page.locator(".about__portrait img")).to_be_visible()

    activate(menu.get_by_role("link", name="Search"), touch)
    field = page.get_by_role("searchbox", name="Search films, photos and pages")
    field.fill(SEARCH_WORD)
    field.press("Enter")
    expect(page).to_have_url(re.compile(rf"\?q={SEARCH_WORD}"))
    expect(page.get_by_role("status")).to_contain_text(f"for “{SEARCH_WORD}”")
    result = page.locator(".results").get_by_role("link", name=content.FILMS[0]["title"])
    expect(result).to_be_visible()
    activate(result, touch)
    expect(page.get_by_role("heading", level=1)).to_have_text(content.FILMS[0]["title"])


def test_visitor_meets_the_sites_own_not_found_page(visitor):
    page = visitor.page
    response = page.goto(MISSING_PATH)
    assert response.status == 404
    expect(page).to_have_title(re.compile("not found", re.IGNORECASE))
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("main").get_by_role("link", name="Search the site")).to_be_visible()
