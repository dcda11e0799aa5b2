"""Responsive pictures from the named presets in gallery/renditions.py.

A visitor's page shows only renditions that exist: those still missing are queued for the
background worker and a placeholder of the photo's proportions stands in. The editor's
preview makes what it shows, as Wagtail does.
"""

from html import escape

from django import template
from django.utils.safestring import mark_safe

from gallery.models import BackstageRendition, RenditionFailure
from gallery.renditions import (
    GALLERY_LAYOUT_PRESETS,
    largest_jpeg_url,
    preset_renditions,
    preset_sizes,
    renditions_or_placeholder,
    wanted_filter_list,
    wanted_filters,
)
from gallery.tasks import queue_image_renditions

register = template.Library()

# <source> types in the order browsers should try them; the <img> takes the most widely
# supported format there is.
SOURCE_TYPES = (("avif", "image/avif"), ("webp", "image/webp"))
FALLBACK_FORMATS = ("jpeg", "png", "gif", "webp", "avif")


def existing_renditions(context, image, preset):
    """{format: [rendition, ...]} of a preset that exist, one per width, smallest first."""
    request = context.get("request")
    if getattr(request, "is_preview", False):
        # The editor's preview makes what it shows, as Wagtail does (drafts are not queued).
        renditions_or_placeholder(image, wanted_filter_list(image, [preset]))
        return preset_renditions(image, preset)[0]
    by_format, missing = preset_renditions(image, preset)
    # Images a page prefetched are queued by the page (LibraryImagesMixin.prefetch_library).
    if missing and getattr(image, "prefetched_renditions", None) is None:
        queue_image_renditions(image, [preset])
    return by_format


def html_attrs(attrs):
    """` name="value"` for each attribute, escaped; True gives the bare name, None or False
    leaves it out (as Django's flatatt, at a fraction of its cost per photo)."""
    return "".join(
        f" {name}"
        if value is True
        else f' {name}="{value}"'
        if type(value) is int  # widths and heights: nothing to escape
        else f' {name}="{escape(str(value))}"'
        for name, value in attrs.items()
        if value is not None and value is not False
    )


def srcset(renditions, urls=None):
    """`url width` of each rendition (width descriptors even for one candidate, so `sizes`
    stays valid); `urls` when the renditions' URLs are known already."""
    if urls is None:
        urls = BackstageRendition.urls(renditions)
    return ", ".join(
        f"{url} {rendition.width}w" for url, rendition in zip(urls, renditions, strict=True)
    )


def placeholder(image, preset, attrs):
    """A blank image of the rendition's proportions, so the layout does not move when the
    photo arrives: no request, no file."""
    width, height = next(iter(wanted_filters(image, preset).values()))[0][1]
    if not width or not height:
        width, height = image.width or 4, image.height or 3
    svg = (
        "data:image/svg+xml,%3Csvg%20xmlns=%22http://www.w3.org/2000/svg%22"
        f"%20viewBox=%220%200%20{width}%20{height}%22/%3E"
    )
    img = {"src": svg, "width": width, "height": height, **attrs, "data-pending": True}
    return mark_safe(f"<picture><img{html_attrs(img)}></picture>")  # noqa: S308 - escaped


@register.simple_tag(takes_context=True)
def picture_preset(context, image, preset, alt=None, loading="lazy", css_class="", priority=""):
    """<picture> with AVIF and WebP sources and a JPEG <img>, widths and sizes of a preset.

    `alt` defaults to the alt text chosen where the image is used (ImageBlock), then to the
    image's own default (its description); a decorative image gets an empty alt. An image
    with neither gets no alt attribute at all, never its title (an upload's file name): the
    userbar's accessibility checker then flags it to the owner.
    """
    if image is None:
        return ""
    if alt is None:
        if getattr(image, "decorative", False):
            alt = ""
        else:
            alt = getattr(image, "contextual_alt_text", None) or image.default_alt_text or None
    by_format = existing_renditions(context, image, preset)
    fallback_format = next((fmt for fmt in FALLBACK_FORMATS if fmt in by_format), None)
    if fallback_format is None:
        return placeholder(image, preset, {"alt": alt, "class": css_class or None})
    sizes = preset_sizes(preset)
    # The markup is written out rather than through html_attrs: it is most of a gallery
    # page, repeated for every photo. Every value is escaped; widths and heights are ints.
    sizes_attr = f' sizes="{escape(sizes)}"' if sizes else ""
    sources = "".join(
        f'<source type="{mime}" srcset="{escape(srcset(by_format[fmt]))}"{sizes_attr}>'
        for fmt, mime in SOURCE_TYPES
        if fmt in by_format and fmt != fallback_format
    )
    fallback = by_format[fallback_format]
    first, urls = fallback[0], BackstageRendition.urls(fallback)
    img = [f'<img src="{escape(urls[0])}"']
    if sizes:
        img.append(f' srcset="{escape(srcset(fallback, urls))}"{sizes_attr}')
    img.append(f' width="{int(first.width)}" height="{int(first.height)}"')
    if alt is not None:
        img.append(f' alt="{escape(str(alt))}"')
    for name, value in (("loading", loading), ("class", css_class), ("fetchpriority", priority)):
        if value:
            img.append(f' {name}="{escape(str(value))}"')
    return mark_safe(f"<picture>{sources}{''.join(img)}></picture>")  # noqa: S308 - escaped


@register.simple_tag(takes_context=True)
def rendition_url(context, image, preset):
    """The URL of a preset's largest JPEG, e.g. for posters or the lightbox; "" while none
    has been made."""
    if image is None:
        return ""
    previewing = getattr(context.get("request"), "is_preview", False)
    if getattr(image, "prefetched_renditions", None) is not None and not previewing:
        return largest_jpeg_url(image, preset)  # the page queued what is missing
    by_format = existing_renditions(context, image, preset)
    renditions = by_format.get("jpeg") or next(iter(by_format.values()), [])
    return renditions[-1].url if renditions else ""


# The `poster` attribute has no srcset. A player on the first screen names the JPEG a
# phone's screen needs (a full-width player at up to 2x: 832 px, a quarter fewer bytes than
# 960 on a slow link, where the poster is what the visitor waits for); one further down
# names the smallest, a stand-in that costs the page's first screen nothing. player.js swaps
# in the JPEG that fills the player's width as it comes into view (a laptop's, a 3x phone's;
# without JavaScript the stand-in stays).
POSTER_WIDTH = 832


@register.simple_tag(takes_context=True)
def video_poster(context, image, preset="wide", first_screen=False):
    """{"url", "srcset"} of a video's poster: the JPEG for the `poster` attribute and every
    width of the preset's JPEGs; empty while none has been made."""
    if image is None:
        return {}
    by_format = existing_renditions(context, image, preset)
    renditions = by_format.get("jpeg") or next(iter(by_format.values()), [])
    if not renditions:
        return {}
    shown = renditions[0]
    if first_screen:
        shown = ([r for r in renditions if r.width <= POSTER_WIDTH] or renditions[:1])[-1]
    return {"url": shown.url, "srcset": srcset(renditions)}


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


@register.simple_tag
def rendition_failures(limit=50):
    """The photos whose renditions failed, newest first, for the admin's image listing."""
    return list(RenditionFailure.objects.select_related("image").order_by("-failed_at")[:limit])
