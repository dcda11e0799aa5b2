"""schema.org JSON-LD and social-card data for each page type.

Built from the page being shown only: no other page's data enters here, so a private
page cannot leak through the structured data of a public one.
"""

import re

from django.utils.encoding import iri_to_uri
from wagtail.models import Site

from filmsheets.models import FilmSheetPage
from gallery.blocks import BackstageGalleryBlock
from gallery.renditions import largest_jpeg_url
from gallery.streams import blocks_where
from home.models import AboutPage, HomePage


def absolute(request, url):
    """The URL made absolute for this request, as `request.build_absolute_uri` makes it; a
    path is joined to the site's origin, worked out once per request (a gallery names one
    URL a photo)."""
    if not url or request is None or url.startswith(("http://", "https://")):
        return url
    if not url.startswith("/") or url.startswith("//"):
        return request.build_absolute_uri(url)
    origin = getattr(request, "_absolute_origin", None)
    if origin is None:
        origin = request._absolute_origin = request.build_absolute_uri("/")[:-1]
    if _ALREADY_A_URI.fullmatch(url):  # most URLs (media paths): iri_to_uri would keep them
        return origin + url
    return origin + iri_to_uri(url)


# What iri_to_uri leaves as it is: unreserved characters and those it treats as safe.
_ALREADY_A_URI = re.compile(r"[A-Za-z0-9\-._~/#%\[\]=:;$&()+,!?*@']*")


def image_url(request, image, preset="wide"):
    """Absolute URL of the largest JPEG of a preset."""
    return absolute(request, largest_jpeg_url(image, preset))


def owner(portfolio_settings):
    if portfolio_settings is None or not portfolio_settings.owner_name:
        return None
    person = {"@type": "Person", "name": portfolio_settings.owner_name}
    if portfolio_settings.owner_role:
        person["jobTitle"] = portfolio_settings.owner_role
    same_as = portfolio_settings.same_as()
    if same_as:
        person["sameAs"] = same_as
    return person


def image_object(request, image, caption="", credit=""):
    data = {"@type": "ImageObject", "contentUrl": image_url(request, image, "lightbox")}
    caption = caption or image.caption
    credit = credit or image.credit
    if caption:
        data["caption"] = caption
    if credit:
        data["creator"] = {"@type": "Person", "name": credit}
        data["creditText"] = credit
    if image.licence:
        data["copyrightNotice"] = image.licence
    return data


def _is_gallery(block):
    return isinstance(block, BackstageGalleryBlock)


def galleries(request, page, stream_value, default_credit=""):
    """One ImageGallery per backstage gallery block of the page; photos without a credit
    take the site's default photo credit."""
    found = []
    for _block, value in blocks_where(stream_value, _is_gallery):
        photos = [p for p in value.get("photos") or [] if p.image]
        if not photos:
            continue
        found.append(
            {
                "@type": "ImageGallery",
                "name": value.get("title") or f"{page.title}: backstage",
                "url": absolute(request, page.url),
                "image": [
                    image_object(
                        request, p.image, p.caption_text(), p.credit_text() or default_credit
                    )
                    for p in photos
                ],
            }
        )
    return found


def iso_duration(minutes):
    hours, mins = divmod(minutes, 60)
    return f"PT{hours}H{mins}M" if hours else f"PT{mins}M"


def movie(request, page, portfolio_settings):
    data = {
        "@type": "Movie",
        "name": page.title,
        "url": absolute(request, page.url),
        "dateCreated": str(page.year),
        "director": {"@type": "Person", "name": page.director},
    }
    if page.original_title:
        data["alternateName"] = page.original_title
    if page.production_company:
        data["productionCompany"] = {"@type": "Organization", "name": page.production_company}
    if page.country:
        data["countryOfOrigin"] = {"@type": "Country", "name": page.country}
    if page.genre:
        data["genre"] = page.genre
    if page.runtime_minutes:
        data["duration"] = iso_duration(page.runtime_minutes)
    if page.composer:
        data["musicBy"] = {"@type": "Person", "name": page.composer}
    if page.trailer_url:
        data["trailer"] = {
            "@type": "VideoObject",
            "name": f"{page.title}: trailer",
            "embedUrl": page.trailer_url,
            "url": page.trailer_url,
        }
        if page.key_image:
            data["trailer"]["thumbnailUrl"] = image_url(request, page.key_image)
    if page.key_image:
        data["image"] = image_url(request, page.key_image)
    same_as = [url for url in (page.imdb_url, page.official_site_url) if url]
    if same_as:
        data["sameAs"] = same_as
    cast = page.cast_list
    if cast:
        data["actor"] = [{"@type": "Person", "name": member.name} for member in cast]
    # Each credit as a Role naming what the person did (schema.org's pattern for roles).
    contributors = [
        {
            "@type": "Role",
            "roleName": role,
            "contributor": [{"@type": "Person", "name": name} for name in names],
        }
        for role, names in page.credit_groups
    ]
    person = owner(portfolio_settings)
    if person:
        roles = ", ".join(role.name for role in page.role_list)
        contributors.append({"@type": "Role", "roleName": roles, "contributor": person})
    if contributors:
        data["contributor"] = contributors if len(contributors) > 1 else contributors[0]
    return data


def structured_data(request, page, portfolio_settings):
    """The JSON-LD graph of a page: a list of schema.org objects."""
    page = page.specific
    graph = []
    if isinstance(page, HomePage):
        graph.append(
            {
                "@type": "WebSite",
                "name": getattr(Site.find_for_request(request), "site_name", "") or page.title,
                "url": absolute(request, page.url),
            }
        )
    if isinstance(page, AboutPage):
        person = owner(portfolio_settings) or {"@type": "Person", "name": page.title}
        person["url"] = absolute(request, page.url)
        if page.portrait:
            person["image"] = image_url(request, page.portrait, "portrait")
        if page.search_description:
            person["description"] = page.search_description
        graph.append(person)
    if isinstance(page, FilmSheetPage):
        graph.append(movie(request, page, portfolio_settings))
    body = getattr(page, "body", None)
    if body is not None:
        default_credit = getattr(portfolio_settings, "default_photo_credit", "")
        graph.extend(galleries(request, page, body, default_credit))
    return graph


def social_image(page):
    """The image a shared link shows: the page's lead image, if its type has one."""
    lead_image = getattr(page.specific, "lead_image", None)
    return lead_image() if lead_image is not None else None
