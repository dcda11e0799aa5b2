"""Every public page type is valid HTML for the W3C Nu Html Checker (vnu.jar, errors only).

The checker runs on Java from the `vnu-jar` npm package, which `.ci/run` installs into
.cache/vnu; locally the test is skipped with the command to install it.
"""

import json
import shutil
import subprocess
from collections import defaultdict
from datetime import date
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.test import Client, override_settings
from django.utils.text import slugify
from wagtail.models import Site

from filmsheets.models import CreditRole, FilmCastMember, FilmCredit
from home.models import FeaturedFilm, PortfolioSettings
from showreels.models import AccessPass, ShowreelIndexPage
from tests.conftest import require
from tests.factories import (
    FilmSheetPageFactory,
    ImageFactory,
    LocalOEmbedProvider,
    ShowreelIndexPageFactory,
    ShowreelPageFactory,
    VideoFactory,
    build_site,
    gallery_block,
    image_bytes,
    make_private,
    text_block,
    video_block,
)

ROOT = Path(__file__).resolve().parents[1]
VNU_VERSION = "26.9.27"  # keep in step with .ci/run
VNU_JAR = ROOT / ".cache/vnu/node_modules/vnu-jar/build/dist/vnu.jar"
INSTALL = f"npm install --no-save --prefix .cache/vnu vnu-jar@{VNU_VERSION}"
# Renditions queued by a visitor's request wait here instead of being made in it.
QUEUE_IN_MEMORY = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "background": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"},
}

pytestmark = [pytest.mark.processes, pytest.mark.django_db]


def photo(width, height, **fields):
    """A photo of a realistic size, so every preset lists several widths."""
    return ImageFactory(
        file=ContentFile(image_bytes(width, height), name=f"photo-{width}x{height}.jpg"),
        description=f"Backstage, {fields.get('title', 'on set')}",
        **fields,
    )


def small_photo(**fields):
    return ImageFactory(description="The crew between takes", **fields)


def rich(html):
    return f"<p>{html}</p>"


def build_content(provider, django_capture_on_commit_callbacks):
    """A small but complete site, with its renditions made as after publishing."""
    tree = build_site()
    home = tree["home"]
    site = Site.objects.get(is_default_site=True)
    PortfolioSettings.objects.update_or_create(
        site=site,
        defaults={
            "owner_name": "Marco Valli",
            "owner_role": "Behind-the-scenes videomaker and set photographer",
            "contact_email": "studio@example.com",
            "vimeo_url": "https://vimeo.com/example",
            "instagram_url": "https://instagram.com/example",
        },
    )
    wide = photo(1600, 1000, title="Crane at dawn", caption="Crane rehearsal at dawn")
    upright = photo(800, 1200, title="Focus puller", caption="The focus puller", credit="")
    square = photo(900, 900, title="Clapper", caption="", credit="")
    photos = [wide, upright, square, *(small_photo() for _ in range(3))]
    clip = VideoFactory(poster=photo(1280, 720, title="Night exterior"))

    with django_capture_on_commit_callbacks(execute=True):
        sheet = FilmSheetPageFactory(
            parent=tree["films"],
            title="Night Harbour",
            slug="night-harbour",
            original_title="Porto di notte",
            year=2019,
            director="Ada Rossi",
            distributor="Harbour Pictures",
            genre="Drama",
            shooting_period="October to December 2018",
            locations="Genoa, Camogli",
            on_set_from=date(2018, 10, 8),
            on_set_until=date(2018, 12, 14),
            official_site_url="https://nightharbour.example.com/",
            trailer_url="https://vimeo.example.com/123456",
            imdb_url="https://www.imdb.com/title/tt0000001/",
            key_image=wide,
            synopsis=rich("A ferry crew & one last night crossing."),
            body=[
                gallery_block(photos, layout="grid", title="Night shoots"),
                {
                    "type": "quote",
                    "value": {"quote": "Nobody sleeps on a night shoot.", "attribution": "Diary"},
                },
                gallery_block(photos[:3], layout="masonry", title="Portraits"),
                video_block(clip, caption="Rigging the crane"),
                {
                    "type": "video",
                    "value": {
                        "video": None,
                        "embed": provider.url("harbour-7"),
                        "poster": None,
                        "caption": "Trailer cut",
                    },
                },
                gallery_block(photos[:2], layout="sequence", title=""),
                text_block(rich("Three weeks in the harbour with <b>forty extras</b>.")),
            ],
        )
        # Credits grouped by role (two names share one) and a cast, with and without a part.
        sheet.credits = [
            FilmCredit(role=CreditRole.objects.get_or_create(name=role)[0], name=name)
            for role, name in [
                ("Screenplay", "Ada Rossi"),
                ("Screenplay", "Piero Neri & Co."),
                ("Director of photography", "Luca Bruni"),
                ("Editor", "Chiara Gallo"),
            ]
        ]
        sheet.cast = [
            FilmCastMember(name="Irene Vescovi", character="Marta, the ferry's captain"),
            FilmCastMember(name="Bruno Salvi"),
        ]
        sheet.save_revision().publish()
        others = [
            FilmSheetPageFactory(parent=tree["films"], year=2000 + n, key_image=small_photo())
            for n in range(13)  # two pages of film cards
        ]
        for order, featured in enumerate([sheet, *others[:2]]):
            FeaturedFilm.objects.create(page=home, film_sheet=featured, sort_order=order)
        home.hero_image = wide
        home.intro = rich("Backstage films and set photography.")
        home.save_revision().publish()

        about = tree["about"]
        about.portrait = upright
        about.body = [
            {"type": "heading", "value": "How I work"},
            text_block(rich("Close to the crew, far from the lens.")),
            {
                "type": "image",
                "value": {
                    "image": {"image": wide.pk, "alt_text": "The crane", "decorative": False},
                    "caption": "",
                },
            },
            {
                "type": "collaborators",
                "value": {
                    "heading": "Working together",
                    "people": [
                        {
                            "type": "item",
                            "value": {
                                "name": "Marta Bianchi",
                                "role": "Composer",
                                "url": "https://example.com/marta",
                                "note": "Scores every backstage film.",
                            },
                        }
                    ],
                },
            },
        ]
        about.save_revision().publish()

        section = ShowreelIndexPageFactory(
            parent=home, title="Private work", intro=rich("By pass.")
        )
        reel = ShowreelPageFactory(
            parent=section,
            title="Reel 2026",
            intro=rich("Selected work under usage rights."),
            screening_terms=rich("Please do not share or record what you see."),
            body=[video_block(clip), gallery_block(photos[:3])],
        )
        reel.save_revision().publish()
    make_private(section)
    _pass, password = AccessPass.issue(label="Producer", page=section)
    return {**tree, "sheet": sheet, "section": section, "reel": reel, "password": password}


def collect_pages(content, folder):
    """Render every public page type as a visitor gets it; {file name: page name}."""
    pages = {}

    def save(name, response, statuses=(200,)):
        assert response.status_code in statuses, (name, response.status_code)
        path = folder / f"{len(pages):02d}-{slugify(name)}.html"
        path.write_bytes(response.content)
        pages[path.name] = name

    visitor = Client()
    save("home", visitor.get(content["home"].url))
    save("about", visitor.get(content["about"].url))
    contact = content["contact"].url
    save("contact", visitor.get(contact))
    save("contact, form with errors", visitor.post(contact, {}))
    save(
        "contact, thank you",
        visitor.post(
            contact,
            {"your_name": "Ada", "your_email": "ada@example.com", "message": "Hello"},
        ),
    )
    save("film index", visitor.get(content["films"].url))
    save("film index, page 2", visitor.get(content["films"].url, {"page": 2}))
    filters = {"role": "bts-video-unit", "year": 2019}
    save("film index, filtered", visitor.get(content["films"].url, filters))
    sheet = visitor.get(content["sheet"].url)
    for part in (b'id="credits-heading"', b'id="cast-heading"', b'aria-label="More films"'):
        assert part in sheet.content, f"the film sheet has no {part.decode()}"
    save("film sheet with credits, cast and film pager", sheet)
    save("search results", visitor.get("/search/", {"q": "Harbour"}))
    found = visitor.get("/search/", {"q": "crane"})
    assert b'class="photo-result"' in found.content, "the search found no photos"
    save("search results with photos", found)
    save("search, nothing found", visitor.get("/search/", {"q": "zzzz"}))
    save("showreel index, locked", visitor.get(content["section"].url), (200, 403))
    save("showreel, pass form", visitor.get(content["reel"].url), (200, 403))
    unlock = f"/private/unlock/{content['reel'].pk}/"
    save("showreel, wrong pass", visitor.post(unlock, {"password": "x"}), (400, 403))
    response = visitor.post(unlock, {"password": content["password"], "accept_terms": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    save("showreel, unlocked", visitor.get(content["reel"].url))
    save("showreel index, unlocked", visitor.get(content["section"].url))
    section = ShowreelIndexPage.objects.get(pk=content["section"].pk)
    section.screening_terms = rich("New terms: no screenshots.")
    section.save_revision().publish()
    reel = content["reel"]
    reel.screening_terms = ""
    reel.save_revision().publish()
    save("showreel, terms changed", visitor.get(content["reel"].url), (200, 403))
    save("404", visitor.get("/no-such-page/"), (404,))

    # The same film sheet while its renditions are being made: placeholders.
    content["sheet"].key_image.renditions.all().delete()
    cache.clear()
    with override_settings(TASKS=QUEUE_IN_MEMORY):
        save("film sheet, renditions being made", Client().get(content["sheet"].url))
    return pages


def vnu(folder):
    """The checker's errors for every file in the folder, by file name."""
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report = json.loads(result.stderr or result.stdout or '{"messages": []}')
    errors = defaultdict(list)
    for message in report["messages"]:
        name = unquote(Path(message.get("url", "")).name)
        line = message.get("lastLine", "?")
        errors[name].append(f"line {line}: {message['message']}  «{message.get('extract', '')}»")
    return errors


def test_every_public_page_type_is_valid_html(tmp_path, django_capture_on_commit_callbacks):
    require(shutil.which("java"), "Java is needed for the Nu Html Checker (vnu.jar)")
    require(VNU_JAR.exists(), f"vnu.jar is missing: {INSTALL}")
    with LocalOEmbedProvider() as provider:
        content = build_content(provider, django_capture_on_commit_callbacks)
        pages = collect_pages(content, tmp_path)
    assert len(pages) == 20
    errors = vnu(tmp_path)
    report = "\n".join(
        f"{pages.get(name, name)}:\n  " + "\n  ".join(messages)
        for name, messages in sorted(errors.items())
    )
    assert not errors, f"The Nu Html Checker reports errors:\n{report}"
