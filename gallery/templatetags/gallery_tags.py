"""Responsive pictures from the named presets in gallery/renditions.py."""

from django import template
from django.utils.safestring import mark_safe
from wagtail.images.models import Picture
from wagtail.images.shortcuts import get_renditions_or_not_found

from gallery.renditions import preset_filters, preset_sizes

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
    """The URL of a preset's largest JPEG, e.g. for Open Graph or the lightbox."""
    if image is None:
        return ""
    filters = [f for f in preset_filters(preset) if "format-jpeg" in f.spec] or preset_filters(
        preset
    )
    renditions = get_renditions_or_not_found(image, filters)
    return max(renditions.values(), key=lambda r: r.width).url
