"""Every kind of page at phone, tablet and desktop widths: screenshots, no sideways scroll,
no layout shift while it loads or while the reader scrolls."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import (
    BIG_GALLERY_TITLE,
    PAGE_TYPES,
    horizontal_overflow,
    layout_shift,
    scroll_through,
    wait_for_images,
)

pytestmark = pytest.mark.browser

WIDTHS = [360, 768, 1440]
MAX_LAYOUT_SHIFT = 0.02
MAX_FULL_PAGE_HEIGHT = 8000
# Where to take a second screenshot: a gallery of the page, scrolled into view.
GALLERY_SCREENSHOTS = {
    "film-sheet-60-photos": f'[data-gallery][aria-label="{BIG_GALLERY_TITLE}"] li:nth-child(7)'
}


def context_options(width):
    # Not is_mobile: Chromium's mobile emulation reports no layout-shift entries at all
    # (test_checks_catch_sideways_scroll_and_layout_shift fails with it).
    return {"viewport": {"width": width, "height": 800}, "has_touch": width < 600}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("case", list(PAGE_TYPES))
def test_page_fits_width_and_does_not_shift(open_page_type, screenshots_dir, case, width):
    page = open_page_type(case, **context_options(width))
    wait_for_images(page, lazy=False)
    after_load = layout_shift(page)
    scroll_through(page)
    after_scroll = layout_shift(page)
    page.evaluate("window.scrollTo(0, 0)")
    # Short pages whole; a long one as its first screen, and its gallery where it has one.
    long_page = page.evaluate("document.documentElement.scrollHeight") > MAX_FULL_PAGE_HEIGHT
    page.screenshot(
        path=screenshots_dir / f"{case}-{width}.png", full_page=not long_page, animations="disabled"
    )
    if case in GALLERY_SCREENSHOTS:
        page.locator(GALLERY_SCREENSHOTS[case]).scroll_into_view_if_needed()
        # A gallery off screen is not laid out (content-visibility: auto) until a frame
        # after it comes into view; only then do its photos take space and start loading.
        page.evaluate("() => new Promise((r) => requestAnimationFrame(() => setTimeout(r)))")
        wait_for_images(page)
        page.screenshot(path=screenshots_dir / f"{case}-{width}-gallery.png", animations="disabled")

    overflow = horizontal_overflow(page)
    assert overflow["scrollWidth"] <= overflow["clientWidth"], (
        f"{case} scrolls sideways at {width} px: {overflow}"
    )
    assert after_load["total"] < MAX_LAYOUT_SHIFT, f"after load: {after_load}"
    assert after_scroll["total"] < MAX_LAYOUT_SHIFT, f"after scrolling: {after_scroll}"


@pytest.mark.parametrize("width", [360, 1440])
def test_open_lightbox_fits_the_screen(open_page_type, screenshots_dir, width):
    page = open_page_type("film-sheet", **context_options(width))
    opener = page.locator("a[href][data-photo]").nth(1)
    opener.scroll_into_view_if_needed()
    opener.click()
    viewer = page.get_by_role("dialog", name="Photo viewer")
    expect(viewer).to_be_visible()
    image = viewer.locator("img")
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    page.screenshot(path=screenshots_dir / f"lightbox-{width}.png", animations="disabled")

    screen = page.viewport_size
    for part in [image, *viewer.get_by_role("button").all()]:
        box = part.bounding_box()
        assert box, f"{part} takes no space"
        assert box["x"] >= 0 and box["y"] >= 0, box
        assert box["x"] + box["width"] <= screen["width"], box
        assert box["y"] + box["height"] <= screen["height"], box
    expect(viewer.locator(".lightbox__caption")).to_be_in_viewport()


def test_checks_catch_sideways_scroll_and_layout_shift(open_page_type):
    """The measurements themselves: content pushed down and a too-wide box must show."""
    page = open_page_type("about", **context_options(360))
    page.evaluate(
        """() => {
            const main = document.querySelector('main');
            const wide = document.createElement('div');
            wide.style.cssText = 'width: 520px; height: 10px;';
            main.append(wide);
            const push = document.createElement('div');
            push.style.height = '300px';
            main.prepend(push);
        }"""
    )
    overflow = horizontal_overflow(page)
    assert overflow["scrollWidth"] > overflow["clientWidth"], overflow
    assert layout_shift(page)["total"] >= MAX_LAYOUT_SHIFT


def test_a_poster_of_another_shape_does_not_resize_the_player(open_page_type):
    """A video's poster is often a still of another shape (the demo's is 3:2, its video
    16:9): the player keeps the video's shape when the poster arrives, so nothing below it
    moves, and again when the video starts."""
    page = open_page_type(
        "showreel-unlocked", viewport={"width": 412, "height": 823}, has_touch=True
    )
    video = page.locator("video.player__video")
    poster = video.get_attribute("poster")
    page.wait_for_function(
        "url => performance.getEntriesByName(new URL(url, location.href).href)"
        ".some((entry) => entry.responseEnd > 0)",
        arg=poster,
    )
    page.evaluate("() => new Promise((r) => requestAnimationFrame(() => setTimeout(r)))")
    shape = int(video.get_attribute("width")) / int(video.get_attribute("height"))
    box = video.bounding_box()
    assert abs(box["width"] / box["height"] - shape) < 0.01, (box, shape)
