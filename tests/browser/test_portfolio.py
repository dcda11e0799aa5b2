"""The visitor's portfolio: a photo found by search opens on its sheet, credits and cast,
the film pager, the film filters folded on phones, a sheet with a sixty-photo gallery."""

import re
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from bts_site.demo import content
from tests.browser.helpers import (
    BIG_GALLERY_PATH,
    BIG_GALLERY_PHOTOS,
    BIG_GALLERY_TITLE,
    DESKTOP,
    FILM,
    FILM_INDEX_PATH,
    FILM_PATH,
    PHONE,
    SEARCH_PATH,
    scroll_through,
)

pytestmark = pytest.mark.browser

DEVICES = {"phone": PHONE, "desktop": DESKTOP}
# A library photo whose caption has a word no other photo's title, caption or alt text has.
FOUND_PHOTO = content.LIBRARY["photos"]["candles"]
CAPTION_WORD = "candles"
PHOTO_LINK = re.compile(r"#photo-(\d+)$")
IMAGE_LOADED = "img => img.complete && img.naturalWidth > 0"


@pytest.fixture(params=list(DEVICES))
def visitor(request, new_context):
    """A page on the given device that records every uncaught script error."""
    page = new_context(**DEVICES[request.param]).new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield SimpleNamespace(page=page, touch=request.param == "phone")
    assert not errors, f"script errors on {request.param}: {errors}"


def activate(target, touch):
    if touch:
        target.tap()
    else:
        target.click()


def test_photo_found_by_search_opens_on_its_sheet_in_the_viewer(visitor):
    page, touch = visitor.page, visitor.touch
    assert CAPTION_WORD in FOUND_PHOTO["caption"].lower()
    page.goto("/search/")
    field = page.get_by_role("searchbox", name="Search films, photos and pages")
    field.fill(CAPTION_WORD)
    field.press("Enter")
    photos = page.get_by_role("region", name="Photos", exact=True)
    result = photos.locator(".photo-result__link", has_text=FOUND_PHOTO["caption"])
    expect(result).to_have_count(1)
    expect(result.locator("img")).to_be_visible()
    photo_id = PHOTO_LINK.search(result.get_attribute("href")).group(1)
    sheet_title = result.locator(".photo-result__where").inner_text()

    activate(result, touch)
    expect(page).to_have_url(
        re.compile(rf"/{FILM_INDEX_PATH.strip('/')}/[\w-]+/#photo-{photo_id}$")
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(sheet_title)
    viewer = page.get_by_role("dialog", name="Photo viewer")
    expect(viewer).to_be_visible()

    # The first place the sheet shows that photo, and its position in its own gallery.
    item = page.locator(f'[data-gallery] [data-photo="{photo_id}"]').first
    gallery_items = item.locator("xpath=ancestor::*[@data-gallery][1]").locator(
        "a[href][data-photo]"
    )
    position = gallery_items.evaluate_all(
        "(items, id) => items.findIndex((el) => el.dataset.photo === id) + 1", photo_id
    )
    image = viewer.locator("img")
    expect(image).to_have_attribute("src", item.get_attribute("href"))
    alt = item.locator("img").get_attribute("alt")
    assert alt, "the gallery photo has no alt text"
    expect(image).to_have_attribute("alt", alt)
    # The caption is the figcaption's own text (the credit is its .gallery__credit).
    caption = item.locator("xpath=ancestor::figure[1]/figcaption")
    if caption.count():
        own_text = caption.evaluate(
            "el => [...el.childNodes].filter((n) => n.nodeType === 3)"
            ".map((n) => n.textContent).join('').trim()"
        )
        expect(viewer.locator(".lightbox__caption-text")).to_have_text(own_text)
    expect(viewer.locator(".lightbox__counter")).to_have_text(
        f"{position} / {gallery_items.count()}"
    )
    page.wait_for_function(IMAGE_LOADED, arg=image.element_handle())
    expect(viewer.get_by_role("button", name="Close photo viewer")).to_be_focused()

    page.keyboard.press("Escape")
    expect(viewer).to_be_hidden()
    expect(item).to_be_focused()
    expect(item).to_be_in_viewport()


def test_search_groups_films_and_photos_each_with_a_thumbnail(new_context):
    page = new_context().new_page()
    page.goto(SEARCH_PATH)
    films = page.get_by_role("region", name="Films", exact=True)
    photos = page.get_by_role("region", name="Photos", exact=True)
    expect(films.locator(".result")).not_to_have_count(0)
    expect(photos.locator(".photo-result")).not_to_have_count(0)
    for link in photos.locator(".photo-result__link").all():
        assert PHOTO_LINK.search(link.get_attribute("href")), link.get_attribute("href")
    thumbnails = page.locator(".results-group img")
    assert (
        thumbnails.count()
        == films.locator(".result").count() + photos.locator(".photo-result").count()
    ), "every film and photo result has one thumbnail"
    for thumbnail in thumbnails.all():
        thumbnail.scroll_into_view_if_needed()
        page.wait_for_function(IMAGE_LOADED, arg=thumbnail.element_handle())


def test_film_sheet_lists_credits_by_role_and_cast_and_links_to_the_next_film(new_context):
    page = new_context().new_page()
    page.goto(FILM_PATH)
    roles = {}
    for credit in FILM["credits"]:
        roles.setdefault(credit["role"], []).append(credit["name"])
    credits = page.get_by_role("region", name="Credits", exact=True)
    expect(credits.locator("dt")).to_have_text(list(roles))
    expect(credits.locator("dd")).to_have_text([", ".join(names) for names in roles.values()])
    cast = page.get_by_role("region", name="Cast", exact=True)
    expect(cast.locator(".cast-list__name")).to_have_text([m["name"] for m in FILM["cast"]])

    pager = page.get_by_role("navigation", name="More films")
    expect(pager.get_by_role("link")).not_to_have_count(0)
    neighbour = pager.get_by_role("link").first
    rel = neighbour.get_attribute("rel")
    title = neighbour.locator(".film-pager__title").inner_text()
    neighbour.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    back = page.get_by_role("navigation", name="More films").locator(
        f'a[rel="{"next" if rel == "prev" else "prev"}"]'
    )
    expect(back.locator(".film-pager__title")).to_have_text(FILM["title"])


@pytest.mark.parametrize("width", [360, 1440])
def test_film_filters_fold_behind_one_control_on_phones_only(new_context, width):
    page = new_context(viewport={"width": width, "height": 800}).new_page()
    page.goto(FILM_INDEX_PATH)
    toggle = page.locator(".filters-panel__toggle")
    role = page.get_by_label("Role")
    if width < 900:
        expect(role).to_be_hidden()
        toggle.click()
        expect(role).to_be_visible()
    else:
        expect(toggle).to_be_hidden()
        expect(role).to_be_visible()


def test_sixty_photo_gallery_shows_every_photo_ready_to_open(new_context):
    page = new_context().new_page()
    page.goto(BIG_GALLERY_PATH)
    gallery = page.get_by_role("region", name=BIG_GALLERY_TITLE, exact=True)
    expect(gallery.locator("img")).to_have_count(BIG_GALLERY_PHOTOS)
    # A photo opens only once its large rendition exists.
    expect(gallery.locator("a[href][data-photo]")).to_have_count(BIG_GALLERY_PHOTOS)
    scroll_through(page)
    broken = gallery.locator("img").evaluate_all(
        "images => images.filter((img) => !img.naturalWidth).map((img) => img.currentSrc)"
    )
    assert not broken, f"photos that did not load: {broken}"
    last = gallery.locator("a[href][data-photo]").last
    last.click()
    viewer = page.get_by_role("dialog", name="Photo viewer")
    expect(viewer.locator(".lightbox__counter")).to_have_text(
        f"{BIG_GALLERY_PHOTOS} / {BIG_GALLERY_PHOTOS}"
    )
