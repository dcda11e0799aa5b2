"""Template tags used across the site: menus, forms."""

from django import template
from django.utils.safestring import mark_safe

from home.models import HONEYPOT_FIELD, ContactPage

register = template.Library()


@register.simple_tag
def aria_current(current_page, item):
    """`aria-current` for a menu item: "page" on the page itself, "true" inside its section."""
    if current_page is None or item is None or not getattr(current_page, "path", None):
        return ""
    if current_page.pk == item.pk:
        return mark_safe(' aria-current="page"')
    if current_page.path.startswith(item.path):
        return mark_safe(' aria-current="true"')
    return ""


@register.simple_tag
def contact_page_in(navigation):
    """The contact page among the menu pages the request may see (or None)."""
    menu = (navigation or {}).get("menu") or []
    return next((page for page in menu if isinstance(page, ContactPage)), None)


@register.simple_tag
def split_honeypot(form):
    """The fields people fill in, and the honeypot field kept apart to be hidden."""
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


@register.filter
def in_minutes(duration):
    """A timedelta as whole minutes, for people: "15 minutes"."""
    if duration is None:
        return ""
    minutes = max(round(duration.total_seconds() / 60), 1)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


@register.filter
def lead_image(page):
    """The image a page leads with (its key image, hero or portrait, else its first photo),
    or None for pages without one."""
    find = getattr(page, "lead_image", None)
    return find() if callable(find) else None
