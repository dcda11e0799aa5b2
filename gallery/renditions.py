"""Named image sizes, and making every rendition a page needs before anyone asks for it.

Templates name a preset (`{% picture_preset image "gallery" %}`); the same presets are
generated when a page is published, so no visitor waits for an image to be resized, and
a page's renditions are fetched in one query whatever the number of images.
"""

import copy
import functools
import logging

from wagtail.images import get_image_model
from wagtail.images.models import Filter
from wagtail.images.shortcuts import get_renditions_or_not_found

logger = logging.getLogger(__name__)

FORMATS = "format-{avif,webp,jpeg}"

# name: (filter spec, the `sizes` attribute that matches the layout in site.css)
PRESETS = {
    "hero": (f"fill-{{960x540,1440x810,1920x1080}}-c75|{FORMATS}", "100vw"),
    "card": (f"fill-{{480x300,960x600}}-c75|{FORMATS}", "(min-width: 900px) 30vw, 100vw"),
    "tile": (
        f"fill-{{480x360,960x720}}-c75|{FORMATS}",
        "(min-width: 1100px) 30vw, (min-width: 640px) 45vw, 100vw",
    ),
    "gallery": (
        f"width-{{480,960,1600}}|{FORMATS}",
        "(min-width: 1100px) 30vw, (min-width: 640px) 45vw, 100vw",
    ),
    "wide": (f"width-{{480,960,1600}}|{FORMATS}", "(min-width: 1200px) 1100px, 100vw"),
    "portrait": (f"fill-{{400x500,800x1000}}-c75|{FORMATS}", "(min-width: 900px) 320px, 80vw"),
    "social": ("fill-1200x630-c75|format-jpeg", ""),
}

# Which presets each gallery layout uses on the page and in the lightbox.
GALLERY_LAYOUT_PRESETS = {
    "grid": ("tile", "wide"),
    "masonry": ("gallery", "wide"),
    "sequence": ("wide",),
}


@functools.cache
def preset_filters(name):
    """The Filter objects of a preset, parsed once per process: Wagtail parses a spec on
    every Filter it builds, which would cost more than the rest of a gallery's rendering."""
    spec, _sizes = PRESETS[name]
    return tuple(Filter(spec=s) for s in Filter.expand_spec(spec))


def preset_sizes(name):
    return PRESETS[name][1]


def largest_jpeg_url(image, preset):
    """The URL of a preset's largest JPEG (lightbox, posters, social cards, JSON-LD)."""
    if image is None:
        return ""
    filters = [f for f in preset_filters(preset) if "format-jpeg" in f.spec] or list(
        preset_filters(preset)
    )
    # All at once: the single-rendition call writes to the cache on every use.
    renditions = get_renditions_or_not_found(image, filters).values()
    return max(renditions, key=lambda r: r.width).url


def prefetch_renditions(images):
    """Load the renditions of all these images in one query and attach them."""
    images = [image for image in images if image is not None]
    if not images:
        return
    Rendition = get_image_model().get_rendition_model()
    by_image = {}
    for rendition in Rendition.objects.filter(image_id__in={i.pk for i in images}):
        by_image.setdefault(rendition.image_id, []).append(rendition)
    for image in images:
        # Each image instance gets renditions pointing back at it: Wagtail reads
        # `rendition.image` (for the alt text chosen where the image is used), which would
        # otherwise cost a query per image, and the same photo may appear twice on a page
        # with different alt texts.
        image.prefetched_renditions = [
            _bound_to(rendition, image) for rendition in by_image.get(image.pk, [])
        ]


def _bound_to(rendition, image):
    rendition = copy.copy(rendition)
    rendition.image = image
    return rendition


def ensure_renditions(image, presets):
    """Create whatever renditions of these presets are missing for one image."""
    filters = [f for name in presets for f in preset_filters(name)]
    try:
        image.get_renditions(*filters)
    except Exception:
        # A broken source file must not stop the others: the page shows its fallback.
        logger.exception("Could not make renditions of image %s", image.pk)
