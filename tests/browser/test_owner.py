"""The owner in the Wagtail admin: a new film sheet with uploaded photos, privacy, passes."""

import contextlib
import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from tests.browser.helpers import (
    FILM_INDEX_PATH,
    SHOWREEL_PATH,
    SHOWREEL_TITLE,
    jpeg_file,
    log_in,
)

pytestmark = pytest.mark.browser

FILM_TITLE = "Under the Quarry Lights"
PHOTOS = [
    {
        "title": "Quarry night: generator truck",
        "alt": "A generator truck parked at the edge of a marble quarry at night",
        "caption": "Power for the night unit, two hundred metres below the rim.",
    },
    {
        "title": "Quarry night: actors between takes",
        "alt": "Two actors wrapped in blankets sitting on marble blocks between takes",
        "caption": "Between takes on the third night.",
    },
]


def explore(page, title):
    page.get_by_role("link", name=f"Explore child pages of '{title}'").click()


def upload_photo_in_chooser(page, block_prefix, photo, path):
    """Choose a gallery photo by uploading it through the image chooser's Upload tab."""
    chooser_field = page.locator(f"#{block_prefix}-value-photo-image").locator("xpath=..")
    chooser_field.get_by_role("button", name="Choose an image").click()
    modal = page.locator(".modal-dialog")
    modal.get_by_role("tab", name="Upload").click()
    modal.locator("input[type=file]").set_input_files(path)
    modal.get_by_label("Title").fill(photo["title"])
    modal.get_by_label("Description").fill(photo["alt"])
    modal.get_by_label("Caption").fill(photo["caption"])
    modal.get_by_role("button", name="Upload").click()
    expect(modal).to_have_count(0)
    expect(chooser_field).to_contain_text(photo["title"])
    page.locator(f"#{block_prefix}-value-photo-alt_text").fill(photo["alt"])


def test_owner_publishes_film_sheet_with_uploaded_gallery_seen_on_public_site(
    new_context, live_site, tmp_path
):
    context = new_context()
    page = context.new_page()
    log_in(page, live_site.admin_username, live_site.admin_password)

    page.goto("/admin/pages/")
    explore(page, "Home")
    explore(page, "Films")
    page.get_by_role("link", name="Add child page").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Film sheet")

    page.locator("#id_title").fill(FILM_TITLE)
    page.locator("#id_year").fill("2023")
    page.locator("#id_director").fill("Marta Ceccarelli")
    page.get_by_label("Backstage photographer").check()

    body = page.locator("#panel-child-content-child-body-wrapper")
    body.get_by_role("button", name="Insert a block").first.click()
    page.get_by_role("option", name="Backstage gallery").click()
    page.locator("#body-0-value-title").fill("Nights in the quarry")
    for index, photo in enumerate(PHOTOS):
        # A new gallery starts empty (or from a collection): each photo is added.
        body.locator("[data-contentpath=photos] [data-streamfield-list-add]").last.click()
        path = jpeg_file(tmp_path, f"quarry-{index}.jpg", seed=f"{FILM_TITLE}-{index}")
        upload_photo_in_chooser(page, f"body-0-value-photos-{index}", photo, path)

    # Wagtail 8 autosaves a new page as it is filled in (half a second after the last
    # change) and then moves the editor to the page's edit address; a save posted to the
    # "add" address while that autosave is creating the page is refused (its slug is
    # taken). The owner saves the draft once the autosave has had its chance, as he would,
    # and publishes from the page's edit view.
    page.wait_for_load_state("networkidle")
    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/"), timeout=5000)
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="Save draft").first.click()
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/"))
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish", exact=True).click()
    published = re.compile(rf"Page '{re.escape(FILM_TITLE)}' (created and|has been) published\.")
    expect(page.get_by_text(published)).to_be_visible()
    live_url = page.get_by_role("link", name="View live").get_attribute("href")

    visitor = new_context().new_page()
    response = visitor.goto(live_url)
    assert response.status == 200
    expect(visitor.get_by_role("heading", level=1)).to_have_text(FILM_TITLE)
    gallery = visitor.get_by_role("region", name="Nights in the quarry")
    images = gallery.locator("img")
    expect(images).to_have_count(len(PHOTOS))
    for image, photo in zip(images.all(), PHOTOS, strict=True):
        image.scroll_into_view_if_needed()
        expect(image).to_be_visible()
        expect(image).to_have_attribute("alt", photo["alt"])
        visitor.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
        )
        expect(gallery).to_contain_text(photo["caption"])

    visitor.goto(FILM_INDEX_PATH)
    expect(visitor.locator(".card__title", has_text=FILM_TITLE)).to_be_visible()


def test_owner_sees_showreel_private_with_shared_password_in_privacy_dialog(
    new_context, owner_state
):
    page = new_context(storage_state=owner_state).new_page()
    page.goto("/admin/pages/")
    explore(page, "Home")
    page.get_by_role("link", name=SHOWREEL_TITLE).click()

    page.get_by_role("button", name="Toggle status").click()
    page.get_by_role("button", name="Change privacy").first.click()
    dialog = page.locator("#set-privacy")
    shared_password = dialog.get_by_label("Private, accessible with a shared password")
    expect(shared_password).to_be_checked()
    expect(dialog.get_by_label("Public")).not_to_be_checked()
    # Saved as it is: the page stays private and keeps its shared password.
    dialog.get_by_role("button", name="Save").click()
    expect(dialog).to_be_hidden()

    stranger = new_context().new_page()
    response = stranger.goto(SHOWREEL_PATH)
    assert response.status == 403
    expect(stranger.get_by_role("heading", level=1)).to_have_text("Private work")


def test_owner_issues_access_pass_whose_password_is_shown_only_once(
    new_context, owner_state, issued_pass
):
    assert re.fullmatch(r"[a-z0-9]{5}(-[a-z0-9]{5}){4}", issued_pass.password)
    page = new_context(storage_state=owner_state).new_page()
    page.goto("/admin/access-passes/")
    row = page.get_by_role("row", name=re.compile(re.escape(issued_pass.label)))
    expect(row).to_contain_text(SHOWREEL_TITLE)
    row.get_by_role("link", name=issued_pass.label).click()
    expect(page.get_by_label("Label")).to_have_value(issued_pass.label)
    assert issued_pass.password not in page.content()
    assert issued_pass.password.split("-", 1)[1] not in page.content()
