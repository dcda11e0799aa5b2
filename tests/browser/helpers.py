"""What the browser tests share: the pages of the demo site, and measurements made in the page."""

import io
import random
import re
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from bts_site.demo import content

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
DESKTOP = {"viewport": {"width": 1440, "height": 900}}

# The demo portfolio that load_demo_content builds.
FILM_INDEX_PATH = f"/{content.FILM_INDEX['slug']}/"
FILM = content.FILMS[0]
FILM_PATH = f"{FILM_INDEX_PATH}{FILM['slug']}/"
ABOUT_PATH = f"/{content.ABOUT['slug']}/"
CONTACT_PATH = f"/{content.CONTACT['slug']}/"
SHOWREEL_PATH = f"/{content.SHOWREEL['slug']}/"
SHOWREEL_TITLE = content.SHOWREEL["title"]
SEARCH_WORD = FILM["title"].split()[-1].lower()
# A word of a library photo's title that film sheets also use: films and photos both match.
PHOTO_SEARCH_WORD = content.LIBRARY["photos"]["quay-lamps"]["title"].split()[-1].lower()
SEARCH_PATH = f"/search/?q={PHOTO_SEARCH_WORD}"
# The demo sheet that conftest.live_site gives a long masonry gallery (big_gallery.py).
BIG_GALLERY_FILM = content.FILMS[2]
BIG_GALLERY_PATH = f"{FILM_INDEX_PATH}{BIG_GALLERY_FILM['slug']}/"
BIG_GALLERY_TITLE = "Sixty frames from the rehearsals"
BIG_GALLERY_PHOTOS = 60
MISSING_PATH = "/this-page-does-not-exist/"

# Every kind of page a visitor can meet. "unlocked" pages are opened with an access pass.
PAGE_TYPES = {
    "home": {"path": "/"},
    "about": {"path": ABOUT_PATH},
    "film-index": {"path": FILM_INDEX_PATH},
    "film-sheet": {"path": FILM_PATH},
    "film-sheet-60-photos": {"path": BIG_GALLERY_PATH},
    "showreel-unlocked": {"path": SHOWREEL_PATH, "unlocked": True},
    "search-results": {"path": SEARCH_PATH},
    "not-found": {"path": MISSING_PATH, "status": 404},
    "password-form": {"path": SHOWREEL_PATH, "status": 403},
    "contact": {"path": CONTACT_PATH},
}

BLOCKING_IMPACTS = {"serious", "critical"}


def log_in(page, username, password):
    page.goto("/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def unlock(page, password):
    """Type an access pass into the private-page form and send it."""
    page.get_by_label("Access pass").fill(password)
    page.get_by_role("button", name="Watch").click()
    page.wait_for_load_state()


def jpeg_file(folder, name, seed):
    """A small, unique JPEG: unique so that Wagtail does not flag it as a duplicate upload."""
    rng = random.Random(seed)
    picture = Image.new("RGB", (640, 427), tuple(rng.randrange(40, 120) for _ in range(3)))
    draw = ImageDraw.Draw(picture)
    for _ in range(12):
        x, y = rng.randrange(0, 600), rng.randrange(0, 380)
        colour = tuple(rng.randrange(0, 256) for _ in range(3))
        draw.rectangle([x, y, x + rng.randrange(20, 200), y + rng.randrange(20, 150)], fill=colour)
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=85)
    path = Path(folder) / name
    path.write_bytes(buffer.getvalue())
    return path


def swipe(page, target, towards="left"):
    """A one-finger horizontal swipe across target, as real touch events (CDP)."""
    box = target.bounding_box()
    assert box, "the swipe target is not on screen"
    y = box["y"] + box["height"] / 2
    start, end = box["x"] + box["width"] * 0.8, box["x"] + box["width"] * 0.2
    if towards == "right":
        start, end = end, start
    session = page.context.new_cdp_session(page)
    try:
        session.send(
            "Input.dispatchTouchEvent",
            {"type": "touchStart", "touchPoints": [{"x": start, "y": y}]},
        )
        for step in range(1, 9):
            x = start + (end - start) * step / 8
            session.send(
                "Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]}
            )
        session.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    finally:
        session.detach()


# Accessibility ---------------------------------------------------------------------------

_axe = Axe()
# Every page state checked in this run and what axe found there, for the run's summary.
AXE_RUNS = []


def axe_violations(page, label, record=True):
    """Run axe-core on the page as it is now; print every violation, return them all.

    record=False leaves the run out of the summary (for pages broken on purpose).
    """
    violations = _axe.run(page).response["violations"]
    if record:
        AXE_RUNS.append((label, [(v["id"], v["impact"], len(v["nodes"])) for v in violations]))
    for violation in violations:
        targets = [" ".join(node["target"]) for node in violation["nodes"]]
        print(
            f"axe [{label}] {violation['id']} ({violation['impact']}): {violation['help']} "
            f"-- {len(targets)} node(s): {targets[:5]}"
        )
    if not violations:
        print(f"axe [{label}] no violations")
    return violations


def blocking(violations):
    return [v for v in violations if v["impact"] in BLOCKING_IMPACTS]


def describe_violations(violations):
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in violations
    )


# Keyboard --------------------------------------------------------------------------------

_PROBE_FOCUSABLES = """
() => {
    const selector = [
        'a[href]', 'area[href]', 'button', 'input', 'select', 'textarea', 'summary', 'iframe',
        'audio[controls]', 'video[controls]', '[tabindex]', '[contenteditable="true"]',
    ].join(',');
    const describe = (el) => {
        const text = (el.getAttribute('aria-label') || el.textContent || el.value || '')
            .replace(/\\s+/g, ' ').trim().slice(0, 40);
        const id = el.id ? '#' + el.id : '';
        const cls = el.classList.length ? '.' + Array.from(el.classList).join('.') : '';
        return `${el.tagName.toLowerCase()}${id}${cls} "${text}"`;
    };
    const styles = (el) => {
        const style = getComputedStyle(el);
        return {
            outline: [style.outlineStyle, style.outlineWidth, style.outlineColor].join(' '),
            outlineVisible: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
            shadow: style.boxShadow,
        };
    };
    window.__tabProbe = { describe, styles, baseline: {} };
    if (document.activeElement && document.activeElement !== document.body) {
        document.activeElement.blur();
    }
    const radioGroups = new Set();
    const expected = [];
    document.querySelectorAll(selector).forEach((el, index) => {
        el.setAttribute('data-tab-probe', String(index));
        if (el.tabIndex < 0 || el.disabled || el.closest('[inert]')) return;
        if (el.matches('input[type=hidden]') || !el.getClientRects().length) return;
        if (getComputedStyle(el).visibility !== 'visible') return;
        // Not rendered: in a closed <details> (unless CSS shows its content, as the film
        // index does on wide screens) or under content-visibility: hidden.
        if (!el.checkVisibility()) return;
        if (el.matches('input[type=radio]') && el.name) {
            const group = (el.form ? el.form.id || 'form' : 'page') + ':' + el.name;
            if (radioGroups.has(group)) return;
            radioGroups.add(group);
        }
        window.__tabProbe.baseline[String(index)] = styles(el);
        expected.push({ probe: String(index), label: describe(el) });
    });
    return expected;
}
"""

_FOCUSED = """
() => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return null;
    const probe = el.getAttribute('data-tab-probe');
    const now = window.__tabProbe.styles(el);
    const before = window.__tabProbe.baseline[probe] || { outline: '', shadow: 'none' };
    const rect = el.getBoundingClientRect();
    return {
        probe,
        label: window.__tabProbe.describe(el),
        // Native media controls draw their focus ring inside the browser's own shadow root.
        nativeControls: el.matches('video, audio'),
        indicator: (now.outlineVisible && now.outline !== before.outline)
            || (now.shadow !== 'none' && now.shadow !== before.shadow),
        onScreen: rect.width > 0 && rect.height > 0 && rect.bottom > 0 && rect.right > 0
            && rect.top < window.innerHeight && rect.left < window.innerWidth,
        isSkipLink: el.matches('a.skip-link[href="#main"]'),
    };
}
"""


_START_AT_TOP = """
() => {
    // Focus a probe at the very start of the body and remove it: the next Tab starts
    // from the top of the document, as on a fresh page, even where a field has autofocus.
    const probe = document.createElement('span');
    probe.tabIndex = -1;
    document.body.prepend(probe);
    probe.focus();
    probe.remove();
}
"""


def record_focus_baseline(page):
    """Blur whatever has focus and note how every focusable element looks unfocused."""
    return page.evaluate(_PROBE_FOCUSABLES)


def focused_element(page):
    """The element that has focus now, and whether it looks different from unfocused."""
    return page.evaluate(_FOCUSED)


def tab_through(page):
    """From the top of the page, press Tab until focus leaves it; return (expected, focused).

    expected: the focusable elements in document order (where Tab should go);
    focused: what Tab reached, one entry per element (native media controls that take
    several Tabs inside one <video> count once).
    """
    expected = record_focus_baseline(page)
    page.evaluate(_START_AT_TOP)
    focused = []
    for _ in range(len(expected) + 10):
        page.keyboard.press("Tab")
        step = focused_element(page)
        if step is None or (focused and step["probe"] == focused[0]["probe"]):
            break
        if focused and step["probe"] == focused[-1]["probe"]:
            continue
        focused.append(step)
    return expected, focused


# Layout ----------------------------------------------------------------------------------

_LAYOUT_SHIFT = """
() => new Promise((resolve) => {
    let total = 0;
    const shifts = [];
    const observer = new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
            if (entry.hadRecentInput) continue;
            total += entry.value;
            const nodes = (entry.sources || []).map((source) => {
                const node = source.node;
                if (!node || !node.tagName) return '?';
                const cls = node.classList && node.classList.length
                    ? '.' + Array.from(node.classList).join('.') : '';
                return node.tagName.toLowerCase() + cls;
            });
            shifts.push({ value: Number(entry.value.toFixed(4)), nodes });
        }
    });
    observer.observe({ type: 'layout-shift', buffered: true });
    setTimeout(() => { observer.disconnect(); resolve({ total, shifts }); }, 250);
})
"""


def layout_shift(page):
    """The page's cumulative layout shift so far (shifts right after input excluded)."""
    return page.evaluate(_LAYOUT_SHIFT)


def scroll_through(page):
    """Scroll to the bottom a screen at a time, so lazy images load as for a reader."""
    page.evaluate(
        """async () => {
            const pause = () => new Promise((resolve) => setTimeout(resolve, 120));
            const step = Math.max(window.innerHeight * 0.8, 200);
            for (let y = 0; y < document.documentElement.scrollHeight; y += step) {
                window.scrollTo(0, y);
                await pause();
            }
            window.scrollTo(0, document.documentElement.scrollHeight);
            await pause();
        }"""
    )
    wait_for_images(page)


def wait_for_images(page, lazy=True):
    """Wait until the page's images that take space have loaded (or failed).

    With lazy=False, images the browser defers until they near the viewport are left out.
    """
    page.wait_for_function(
        """(lazy) => Array.from(document.images)
            .filter((img) => img.getClientRects().length && (lazy || img.loading !== 'lazy'))
            .every((img) => img.complete)""",
        arg=lazy,
    )


def horizontal_overflow(page):
    return page.evaluate(
        """() => {
            const root = document.documentElement;
            const wide = Array.from(document.querySelectorAll('body *'))
                .filter((el) => el.getBoundingClientRect().right > root.clientWidth + 1)
                .slice(0, 5)
                .map((el) => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''));
            return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, wide };
        }"""
    )


# The owner's admin -----------------------------------------------------------------------


def open_admin_menu(page, group, item):
    """Open an entry of the admin's sidebar menu, as the owner does."""
    page.get_by_role("button", name=group, exact=True).click()
    page.get_by_role("link", name=item, exact=True).click()


def issue_access_pass(page, label, page_title):
    """Issue a pass from the admin's "Access passes" menu; return the password shown once."""
    page.goto("/admin/")
    open_admin_menu(page, "Showreel access", "Access passes")
    page.get_by_role("link", name="Add access pass").click()
    page.get_by_label("Label").fill(label)
    page.get_by_label("Page").select_option(label=page_title)
    page.get_by_role("button", name="Issue pass").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(label)
    password = page.get_by_label("Access pass", exact=True).input_value()
    assert password, "the admin showed no password"
    return password


def revoke_access_pass(page, label):
    page.goto("/admin/")
    open_admin_menu(page, "Showreel access", "Access passes")
    page.get_by_role("button", name=f"More options for '{label}'").click()
    page.get_by_role("link", name="Revoke").click()
    page.get_by_role("button", name="Yes, revoke").click()
    expect(page.get_by_text(f"The pass “{label}” is revoked")).to_be_visible()


# The video player ------------------------------------------------------------------------

# Where a private page's video streams from: signed, session-bound URLs (showreels.streaming).
PRIVATE_STREAM_PREFIX = "/private/stream/"
# How often each server process re-checks who may watch a stream (the server's environment).
STREAM_RECHECK_SECONDS = 3
# Whatever a player may fetch of a video: playlists, segments, the MP4, captions, the sprite.
VIDEO_FILE = re.compile(r"/media/videos/|\.(?:m3u8|ts|mp4|vtt)$|/sprite\.jpg$")
ACCESS_ENDED = (
    "Your access to this screening has ended or changed. Reload the page to enter your pass again."
)

_PLAY = """() => {
    const video = document.querySelector('.player video');
    video.muted = true;
    // Not awaited: play() settles only once frames come, and may never for a refused one.
    video.play().catch(() => {});
}"""

_SEEK_AND_PLAY = """(target) => {
    const video = document.querySelector('.player video');
    video.pause();
    // What the element does from here on, for tests that expect it not to play.
    const after = { maxTime: target, playing: false };
    window.__afterSeek = after;
    video.addEventListener('timeupdate', () => {
        if (!video.seeking) after.maxTime = Math.max(after.maxTime, video.currentTime);
    });
    video.addEventListener('playing', () => { after.playing = true; });
    video.currentTime = target;
    video.play().catch(() => {});
}"""

# The seconds of the timeline that video.played covers, rounded out to whole segments.
_COVERED_SEGMENTS = """() => {
    const player = document.querySelector('.player[data-player]');
    const video = player.querySelector('video');
    const length = parseFloat(player.dataset.segmentSeconds);
    const duration = video.duration;
    const covered = new Set();
    for (let i = 0; i < video.played.length; i++) {
        const start = video.played.start(i);
        const end = video.played.end(i);
        if (end - start < 0.05) continue;  // a seek's zero-length range
        const last = Math.ceil(end / length - 1e-6) - 1;
        for (let n = Math.floor(start / length); n <= last; n++) covered.add(n);
    }
    const seconds = Array.from(covered).reduce(
        (total, n) => total + Math.min(length, duration - n * length), 0);
    return { segments: Array.from(covered).sort((a, b) => a - b), seconds, length, duration };
}"""


def player_ready(page):
    """Point at the page's player (it loads hls.js when a visitor reaches for it), wait until
    it has parsed its manifest and return the player."""
    player = page.locator(".player[data-player]")
    player.hover()
    expect(player).to_have_attribute("data-state", "ready")
    return player


def play(page, past=1.0):
    """Start the player muted and wait until it has played beyond `past` seconds."""
    page.evaluate(_PLAY)
    wait_for_time(page, past)


def wait_for_time(page, past):
    page.wait_for_function(
        "(past) => document.querySelector('.player video').currentTime > past", arg=past
    )


def pause(page):
    page.evaluate("() => document.querySelector('.player video').pause()")


def seek_and_play(page, target):
    """Pause, jump to `target` seconds and play from there (without waiting for frames)."""
    page.evaluate(_SEEK_AND_PLAY, target)


def after_seek(page):
    """How far the video got after the last seek_and_play, and whether it played at all."""
    return page.evaluate("() => window.__afterSeek")


def buffered_until(page):
    """The end in seconds of the last part of the video the browser holds."""
    return page.evaluate(
        """() => {
            const buffered = document.querySelector('.player video').buffered;
            return buffered.length ? buffered.end(buffered.length - 1) : 0;
        }"""
    )


def video_duration(page):
    return page.evaluate("() => document.querySelector('.player video').duration")


def covered_segments(page):
    """The segments the played ranges of the video touch, and their seconds."""
    return page.evaluate(_COVERED_SEGMENTS)
