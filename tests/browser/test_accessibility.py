"""axe-core on every kind of page, and every page used with the keyboard alone."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import (
    PAGE_TYPES,
    axe_violations,
    blocking,
    describe_violations,
    focused_element,
    record_focus_baseline,
    tab_through,
    unlock,
)

pytestmark = pytest.mark.browser

# Pages in the state a visitor leaves them in after a mistake.
AFTER_A_MISTAKE = {
    "password-form-with-error": "password-form",
    "contact-with-errors": "contact",
}


def make_the_mistake(page, case):
    if case == "password-form-with-error":
        unlock(page, "not-the-password")
        expect(page.get_by_role("alert")).to_contain_text("does not open this page")
    elif case == "contact-with-errors":
        page.get_by_role("button", name="Send message").click()
        expect(page.locator("#form-errors")).to_be_visible()
        expect(page.locator("#form-errors")).to_be_focused()


@pytest.mark.parametrize("case", [*PAGE_TYPES, *AFTER_A_MISTAKE])
def test_page_has_no_serious_or_critical_axe_violations(open_page_type, case):
    page = open_page_type(AFTER_A_MISTAKE.get(case, case))
    make_the_mistake(page, case)
    violations = axe_violations(page, case)
    assert not blocking(violations), describe_violations(blocking(violations))


@pytest.mark.parametrize("case", [*PAGE_TYPES, "contact-with-errors"])
def test_keyboard_reaches_every_control_in_order_with_visible_focus(open_page_type, case):
    page = open_page_type(AFTER_A_MISTAKE.get(case, case))
    make_the_mistake(page, case)
    expected, focused = tab_through(page)

    assert focused, "Tab reached nothing"
    assert focused[0]["isSkipLink"], (
        f"the first Tab reached {focused[0]['label']}, not the skip link"
    )
    assert [step["probe"] for step in focused] == [item["probe"] for item in expected], (
        "Tab order differs from the document order of the visible controls:\n"
        f"  expected: {[item['label'] for item in expected]}\n"
        f"  reached:  {[step['label'] for step in focused]}"
    )
    no_indicator = [
        step["label"] for step in focused if not step["indicator"] and not step["nativeControls"]
    ]
    assert not no_indicator, f"no visible focus indicator on {no_indicator}"
    off_screen = [step["label"] for step in focused if not step["onScreen"]]
    assert not off_screen, f"focused but not on screen: {off_screen}"


@pytest.mark.parametrize("case", ["home", "film-sheet"])
def test_skip_link_moves_focus_to_main_content(open_page_type, case):
    page = open_page_type(case)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()


def test_checks_catch_a_nameless_control_without_focus_indicator(open_page_type):
    """The checks themselves: a page broken on purpose must fail both of them."""
    page = open_page_type("about")
    page.evaluate(
        """() => {
            const image = document.createElement('img');
            image.src = document.querySelector('link[rel=icon]').href;
            const button = document.createElement('button');
            button.type = 'button';
            button.className = 'broken-on-purpose';
            button.style.cssText = 'width: 3rem; height: 3rem; outline: none !important;';
            document.querySelector('main').prepend(button, image);
        }"""
    )
    found = {
        violation["id"]
        for violation in blocking(axe_violations(page, "broken on purpose", record=False))
    }
    assert {"image-alt", "button-name"} <= found

    _expected, focused = tab_through(page)
    broken = [step for step in focused if "broken-on-purpose" in step["label"]]
    assert broken, "Tab never reached the injected button"
    assert not broken[0]["indicator"]


def test_lightbox_works_with_keyboard_alone(open_page_type):
    page = open_page_type("film-sheet")
    opener = page.locator("a[href][data-photo]").first
    for _ in range(80):
        page.keyboard.press("Tab")
        if opener.evaluate("element => element === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the first photo of the gallery")
    page.keyboard.press("Enter")
    viewer = page.get_by_role("dialog", name="Photo viewer")
    expect(viewer).to_be_visible()
    close = viewer.get_by_role("button", name="Close photo viewer")
    expect(close).to_be_focused()

    record_focus_baseline(page)
    close.focus()  # back where the viewer put it, after the baseline took focus away
    reached = []
    for _ in range(6):
        page.keyboard.press("Tab")
        reached.append(focused_element(page))
    labels = [step["label"] for step in reached]
    assert all("lightbox__button" in label for label in labels), f"focus left the viewer: {labels}"
    assert len(set(labels)) == 3 and labels[:3] == labels[3:], f"Tab does not cycle: {labels}"
    assert all(step["indicator"] for step in reached), f"no visible focus on {labels}"

    page.keyboard.press("Escape")
    expect(viewer).to_be_hidden()
    expect(opener).to_be_focused()
