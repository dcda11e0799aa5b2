"""A film sheet with a long backstage gallery, for the browser suite's live site.

Run in the server's own environment after the demo is loaded (conftest.live_site):

    manage.py shell -c "from tests.browser.big_gallery import append_gallery; append_gallery(...)"

The demo library has a dozen photos; the gallery repeats the ones already public on the
demo film sheets, each with the image's own description as its alt text, as a gallery
filled from a collection gets it. Publishing makes its renditions like any other publish.
"""

import uuid

from bts_site.demo import content
from filmsheets.models import FilmSheetPage
from gallery.models import BackstageImage


def public_demo_photo_titles():
    """The titles of the library photos that the demo film sheets show, in a stable order."""
    keys = sorted(
        {
            photo["photo"]["library"]
            for film in content.FILMS
            for block in film.get("body", [])
            if block["type"] == "gallery"
            for photo in block["value"]["photos"]
        }
    )
    return [content.LIBRARY["photos"][key]["title"] for key in keys]


def append_gallery(slug, count, title, layout="masonry"):
    titles = public_demo_photo_titles()
    by_title = {image.title: image for image in BackstageImage.objects.filter(title__in=titles)}
    missing = sorted(set(titles) - set(by_title))
    if missing:
        raise SystemExit(f"demo photos not in the library: {missing}")
    images = [by_title[titles[n % len(titles)]] for n in range(count)]
    photos = [
        {
            "type": "item",
            "id": str(uuid.uuid4()),
            "value": {
                "photo": {"image": image.pk, "decorative": False, "alt_text": image.description},
                "caption": "",
                "credit": "",
            },
        }
        for image in images
    ]
    sheet = FilmSheetPage.objects.get(slug=slug)
    gallery = {"title": title, "layout": layout, "photos": photos, "collection": ""}
    sheet.body = [
        *sheet.body.raw_data,
        {"type": "gallery", "id": str(uuid.uuid4()), "value": gallery},
    ]
    sheet.save_revision().publish()
    print(f"{sheet.title}: a gallery of {len(photos)} photos published")
