"""Responsive pictures from the named presets in gallery/renditions.py."""

from django import template
from django.utils.safestring import mark_safe
from wagtail.images.models import Picture
from wagtail.images.shortcuts import get_renditions_or_not_found

from gallery.renditions import (
    GALLERY_LAYOUT_PRESETS,
    largest_jpeg_url,
    preset_filters,
    preset_sizes,
)

register = template.Library()


@register.simple_tag
def picture_preset(image, preset, alt=None, loading="lazy", css_class="", priority=""):
    """Wagtail's <picture> (AVIF, WebP, JPEG) for a preset, with width, height and sizes.

    `alt` defaults to the alt text chosen where the image is used (ImageBlock), then to the
    image's own default; a decorative image gets an empty alt.
    """
    if image is None:
        return ""
    if alt is None:
        if getattr(image, "decorative", False):
            alt = ""
        else:
            alt = getattr(image, "contextual_alt_text", None) or image.default_alt_text
    renditions = get_renditions_or_not_found(image, preset_filters(preset))
    attrs = {"alt": alt, "sizes": preset_sizes(preset) or None, "decoding": "async"}
    if loading:
        attrs["loading"] = loading
    if css_class:
        attrs["class"] = css_class
    if priority:
        attrs["fetchpriority"] = priority
    return mark_safe(Picture(renditions, attrs).__html__())  # noqa: S308 - Wagtail escapes attrs


@register.simple_tag
def rendition_url(image, preset):
    """The URL of a preset's largest JPEG, e.g. for posters or the lightbox."""
    return largest_jpeg_url(image, preset)


@register.simple_tag
def gallery_preset(layout):
    """The preset a gallery layout shows its photos in on the page (not in the lightbox)."""
    return GALLERY_LAYOUT_PRESETS.get(layout or "grid", ("tile",))[0]


@register.filter
def aspect_ratio(image):
    """Width over height of an image, for CSS that sizes a photo before it has loaded."""
    if image is None or not image.width or not image.height:
        return ""
    return f"{image.width / image.height:.4f}"
