"""The <head> of every page: title, description, canonical URL, social cards, JSON-LD."""

import json

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from wagtail.rich_text import get_text_for_indexing

from bts_site.structured_data import image_url, social_image, structured_data
from home.models import PortfolioSettings

register = template.Library()


def json_script_safe(data):
    """JSON for a <script type="application/ld+json">, with HTML-significant characters escaped."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# Where a page's own words are, for a description the owner did not write.
DESCRIBED_BY = ("intro", "synopsis")
DESCRIPTION_LENGTH = 160


def page_description(page):
    """The owner's search description, else the opening of the page's introduction (or a
    film's synopsis): every page has one for search results and link previews."""
    if page.search_description:
        return page.search_description
    for name in DESCRIBED_BY:
        text = get_text_for_indexing(str(getattr(page, name, "") or ""))
        if text:
            return Truncator(text).chars(DESCRIPTION_LENGTH)
    return ""


@register.simple_tag(takes_context=True)
def seo_head(context):
    """Title, description, canonical, Open Graph, Twitter card and JSON-LD for this page.

    Pages answered by the password form have no `page` in their context, so nothing of
    the private page is described here.
    """
    request = context.get("request")
    page = context.get("page")
    portfolio = None
    site_name = ""
    if request is not None:
        portfolio = PortfolioSettings.for_request(request)
        site_name = portfolio.owner_name
    data = {
        "title": context.get("title") or "",
        "site_name": site_name,
        "robots": context.get("robots", ""),
    }
    if page is not None and getattr(page, "pk", None):
        page = page.specific
        data["title"] = page.seo_title or page.title
        data["description"] = page_description(page)
        data["canonical"] = page.get_full_url(request)
        data["og_type"] = "video.movie" if page._meta.model_name == "filmsheetpage" else "website"
        image = social_image(page) or (portfolio.default_social_image if portfolio else None)
        if image is not None:
            data["image"] = image_url(request, image, "social")
            # Its description only: the title of an upload is its file name.
            data["image_alt"] = getattr(image, "default_alt_text", "")
        graph = structured_data(request, page, portfolio)
        if graph:
            data["json_ld"] = mark_safe(  # noqa: S308 - escaped by json_script_safe
                json_script_safe({"@context": "https://schema.org", "@graph": graph})
            )
    return render_to_string("components/seo_head.html", data)
