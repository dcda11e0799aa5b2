"""Responsive pictures from the named presets in gallery/renditions.py."""

from django import template
from django.utils.safestring import mark_safe
from wagtail.images.models import Picture
from wagtail.images.shortcuts import get_renditions_or_not_found

from gallery.renditions import largest_jpeg_url, preset_filters, preset_sizes

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
def video_poster(value):
    """The still shown before a video block plays: its own poster, else the video's."""
    poster = value.get("poster")
    if poster is None and value.get("video") is not None:
        poster = value["video"].poster
    return poster


@register.simple_tag
def aria_current(current_page, item):
    """`aria-current` for a menu item: "page" on the page itself, "true" inside its section."""
    if current_page is None or item is None or not getattr(current_page, "path", None):
        return ""
    if current_page.pk == item.pk:
        return mark_safe(' aria-current="page"')  # noqa: S308 - constant markup
    if current_page.path.startswith(item.path):
        return mark_safe(' aria-current="true"')  # noqa: S308 - constant markup
    return ""


@register.simple_tag
def contact_page_in(navigation):
    """The contact page among the menu pages the request may see (or None)."""
    from home.models import ContactPage

    menu = (navigation or {}).get("menu") or []
    return next((page for page in menu if isinstance(page, ContactPage)), None)


@register.simple_tag
def split_honeypot(form):
    """The fields people fill in, and the honeypot field kept apart to be hidden."""
    from home.models import HONEYPOT_FIELD

    visible = [field for field in form if field.name != HONEYPOT_FIELD]
    honeypot = form[HONEYPOT_FIELD] if HONEYPOT_FIELD in form.fields else None
    return {"fields": visible, "honeypot": honeypot}


@register.filter
def described_widget(field, extra_id=""):
    """A form field's widget tied to its help text and errors for assistive technology.

    `extra_id` names one more element describing the field, such as a form-wide error.
    """
    described_by = [extra_id] if extra_id else []
    attrs = {"aria-invalid": "true"} if extra_id else {}
    if field.help_text:
        described_by.append(f"{field.auto_id}-help")
    if field.errors:
        described_by.append(f"{field.auto_id}-errors")
        attrs["aria-invalid"] = "true"
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if field.field.required:
        attrs["required"] = True
    return field.as_widget(attrs=attrs)


@register.simple_tag
def gallery_preset(layout):
    """The preset a gallery layout shows its photos in on the page (not in the lightbox)."""
    from gallery.renditions import GALLERY_LAYOUT_PRESETS

    return GALLERY_LAYOUT_PRESETS.get(layout or "grid", ("tile",))[0]


@register.filter
def aspect_ratio(image):
    """Width over height of an image, for CSS that sizes a photo before it has loaded."""
    if image is None or not image.width or not image.height:
        return ""
    return f"{image.width / image.height:.4f}"
