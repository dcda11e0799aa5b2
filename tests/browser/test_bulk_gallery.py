"""The owner builds a 40-photo gallery in the admin: real uploads into a new collection,
captions and credit set on all of them at once, a film sheet whose gallery takes the whole
collection, two photos swapped by dragging, published; then the page serves every photo.

How actions are counted: one action is one thing the owner decides and does on a page:
filling and sending a form (however many fields), choosing in a list, following a link
that does the work, dragging, publishing. Choosing the 40 files in the file dialog is not
counted, nor opening a page through the menus (counted apart as navigation). Every click,
fill or drag the test makes is counted too, and printed.
"""

import re
import time

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import jpeg_file, scroll_through

pytestmark = pytest.mark.browser

PHOTO_COUNT = 40
MAX_ACTIONS = 10
MAX_PUBLISH_SECONDS = 3.0
RENDITIONS_SECONDS = 420
COLLECTION = "Harbour night shoot"
FILM_TITLE = "Nights at the Salt Pans"
CAPTION = "Night unit at the salt pans."
CREDIT = "Giorgio Sala"
ALT = "Crew members working at night on the salt pans, lamps reflected in the water"


class Journey:
    """The owner's actions, the UI operations they take, and navigation, as counted."""

    def __init__(self):
        self.actions = []
        self.operations = 0
        self.navigation = 0
        self.started = time.monotonic()
        self.timings = []

    def act(self, name, *operations):
        self.actions.append(name)
        for operation in operations:
            operation()
        self.operations += len(operations)

    def navigate(self, *operations):
        for operation in operations:
            operation()
        self.navigation += len(operations)

    def lap(self, name):
        self.timings.append((name, time.monotonic() - self.started))

    def report(self, publish_seconds):
        print(f"\nThe owner's {PHOTO_COUNT}-photo gallery: {len(self.actions)} actions")
        for number, name in enumerate(self.actions, 1):
            print(f"  {number}. {name}")
        print(
            f"UI operations (clicks, fills, choices, drags) in those actions: {self.operations}; "
            f"navigation clicks besides: {self.navigation}"
        )
        for name, seconds in self.timings:
            print(f"  {seconds:6.1f} s  {name}")
        print(f"Publish answered in {publish_seconds:.2f} s")


def explore(page, title):
    page.get_by_role("link", name=f"Explore child pages of '{title}'").click()


def photo_rows(page):
    """The photos of the gallery in the page editor (collapsed: one line each)."""
    return page.locator("[data-contentpath=photos] [data-streamfield-child]")


def choose_option(select, text):
    """Choose the option whose label contains `text` (collections are listed indented)."""
    select.select_option(select.locator("option", has_text=text).first.get_attribute("value"))


def drag_above(page, handle, target):
    """Drag a block by its handle to the top of another, in small steps as a hand does
    (the block list's drag and drop follows the pointer, SortableJS)."""
    target.scroll_into_view_if_needed()
    start, end = handle.bounding_box(), target.bounding_box()
    x, y = start["x"] + start["width"] / 2, start["y"] + start["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    steps = 15
    for step in range(1, steps + 1):
        page.mouse.move(x, y + (end["y"] + 5 - y) * step / steps)
    page.mouse.up()


def test_owner_builds_a_40_photo_gallery_from_a_collection_in_ten_actions(
    new_context, owner_state, rendition_worker, tmp_path
):
    files = [
        jpeg_file(tmp_path, f"bts-{number:02}.jpg", seed=f"salt-pans-{number}")
        for number in range(1, PHOTO_COUNT + 1)
    ]
    page = new_context(storage_state=owner_state).new_page()
    journey = Journey()

    # The collection the shoot goes into.
    page.goto("/admin/collections/add/")
    journey.act(
        "Create the collection (its name and parent, Create)",
        lambda: page.get_by_label("Name").fill(COLLECTION),
        lambda: page.get_by_label("Parent").select_option(label="Root"),
        lambda: page.get_by_role("button", name="Create").click(),
    )
    expect(page.get_by_text(f"Collection '{COLLECTION}' created.")).to_be_visible()

    # The 40 files, uploaded into it in one go.
    page.goto("/admin/images/multiple/add/")
    journey.act(
        "Upload: choose the collection, then the files",
        lambda: choose_option(page.locator("#id_addimage_collection"), COLLECTION),
    )
    page.locator("#fileupload").set_input_files(files)
    expect(page.locator("#upload-list > li.upload-success")).to_have_count(
        PHOTO_COUNT, timeout=240_000
    )
    journey.lap(f"{PHOTO_COUNT} photos uploaded")

    # Captions, credit and alt text, once for all of them.
    batch = page.get_by_role("link", name=f"Edit captions and credits of the {PHOTO_COUNT} photos")
    journey.act("Follow “Edit captions and credits of the 40 photos just uploaded”", batch.click)
    expect(page.get_by_text(f"set on the {PHOTO_COUNT} selected images")).to_be_visible()
    journey.act(
        "Fill caption, credit and alt text, apply",
        lambda: page.get_by_label("Caption").fill(CAPTION),
        lambda: page.get_by_label("Credit").fill(CREDIT),
        lambda: page.get_by_label("Alt text (description)").fill(ALT),
        lambda: page.get_by_role("button", name="Apply to the selected images").click(),
    )
    expect(page.get_by_text(f"Captions and credits: {PHOTO_COUNT} images changed.")).to_be_visible()
    journey.lap("captions, credit and alt text set")

    # A new film sheet whose gallery starts from the collection.
    page.goto("/admin/pages/")
    journey.navigate(
        lambda: explore(page, "Home"),
        lambda: explore(page, "Films"),
        lambda: page.get_by_role("link", name="Add child page").click(),
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text("Film sheet")
    journey.act(
        "Fill the film sheet's required fields (title, year, director, role)",
        lambda: page.locator("#id_title").fill(FILM_TITLE),
        lambda: page.locator("#id_year").fill("2024"),
        lambda: page.locator("#id_director").fill("Marta Ceccarelli"),
        lambda: page.get_by_label("Backstage photographer").check(),
    )
    body = page.locator("#panel-child-content-child-body-wrapper")
    journey.act(
        "Add a backstage gallery block",
        lambda: body.get_by_role("button", name="Insert a block").first.click(),
        lambda: page.get_by_role("option", name="Backstage gallery").click(),
    )
    collection_choice = page.locator("#body-0-value-collection")
    journey.act(
        "Choose the collection in “Add all photos of a collection”",
        lambda: choose_option(collection_choice, f"{COLLECTION} ({PHOTO_COUNT} photos)"),
    )
    journey.act("Save draft", lambda: page.get_by_role("button", name="Save draft").click())
    expect(photo_rows(page)).to_have_count(PHOTO_COUNT, timeout=60_000)
    expect(page.locator("#body-0-value-collection")).to_have_value("")
    journey.lap("film sheet saved with the collection's photos")

    # Photos 1 and 2 swapped by dragging the second one's handle above the first.
    rows = photo_rows(page)
    expect(rows.nth(0)).to_contain_text("bts-01")
    expect(rows.nth(1)).to_contain_text("bts-02")
    handle = rows.nth(1).locator('[data-streamfield-action="DRAG"]')
    journey.act(
        "Drag the second photo above the first", lambda: drag_above(page, handle, rows.nth(0))
    )
    expect(rows.nth(0)).to_contain_text("bts-02")
    expect(rows.nth(1)).to_contain_text("bts-01")

    # Publish, timed from the click on "Publish" to the admin's answer.
    edit_url = page.url
    clicked = []

    def publish():
        clicked.append(time.monotonic())
        page.get_by_role("button", name="Publish", exact=True).click()

    journey.act(
        "Publish (More actions, Publish)",
        lambda: page.get_by_role("button", name="More actions").click(),
        publish,
    )
    expect(page.get_by_text(f"Page '{FILM_TITLE}' has been published.")).to_be_visible()
    publish_seconds = time.monotonic() - clicked[0]
    journey.lap("published")
    live_url = page.get_by_role("link", name="View live").get_attribute("href")

    journey.report(publish_seconds)
    assert len(journey.actions) <= MAX_ACTIONS, journey.actions
    assert publish_seconds < MAX_PUBLISH_SECONDS, f"publish took {publish_seconds:.2f} s"

    # Before the worker runs, the editor says how many photos are ready.
    page.goto(edit_url)
    expect(page.get_by_text(re.compile(rf"Photos ready: \d+ of {PHOTO_COUNT}"))).to_be_visible()

    # The renditions are the worker's: the page shows every photo once they are made.
    rendition_worker()
    visitor = new_context().new_page()
    gallery = visitor.locator(".gallery").first
    images = gallery.locator("img")
    deadline = time.monotonic() + RENDITIONS_SECONDS
    while True:
        response = visitor.goto(live_url)
        assert response.status == 200
        pending = gallery.locator("img[data-pending]").count()
        if images.count() == PHOTO_COUNT and pending == 0:
            break
        assert time.monotonic() < deadline, f"{pending} photos still pending"
        time.sleep(3)
    journey.lap("every rendition made by the worker")
    print(f"  {journey.timings[-1][1]:6.1f} s  every rendition made by the worker")
    page.goto(edit_url)
    expect(page.get_by_text(f"Photos ready: {PHOTO_COUNT} of {PHOTO_COUNT}")).to_be_visible()

    scroll_through(visitor)
    # Renditions are named by photo id: the batch uploaded bts-01, bts-02, ... in turn, so
    # bts-02 (dragged above bts-01) has the next id after it.
    photo_ids = [
        int(value)
        for value in gallery.locator("[data-photo]").evaluate_all(
            "(links) => links.map((link) => link.dataset.photo)"
        )
    ]
    assert photo_ids[0] == photo_ids[1] + 1, photo_ids[:2]
    assert visitor.evaluate(
        """(gallery) => Array.from(gallery.querySelectorAll('img'))
            .every((img) => img.complete && img.naturalWidth > 0)""",
        gallery.element_handle(),
    )
    expect(images.first).to_have_attribute("alt", ALT)
    expect(gallery.locator("figcaption").first).to_contain_text(CAPTION)
    # One credit for the whole gallery, not 40.
    expect(gallery.get_by_text(f"Photos: {CREDIT}")).to_have_count(1)
    expect(gallery.locator("figcaption .gallery__credit")).to_have_count(0)
