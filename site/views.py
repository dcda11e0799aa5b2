"""Site-wide views: search, robots.txt, health check, error pages."""

import sys

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import HttpResponse
from django.template import loader
from django.template.response import TemplateResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from bts_site.unavailable import is_database_outage, unavailable_response
from filmsheets.models import FilmSheetPage
from gallery.models import Video
from showreels.privacy import pages_showing, visible_pages

MAX_QUERY_LENGTH = 200
RESULTS_PER_PAGE = 10


MAX_PHOTOS = 24


@require_GET
def search(request):
    """Search over the pages and photos this request may see; any query answers, none errors.

    Results come in groups: films, photos (each linked to the sheet that shows it, opened at
    that photo), and other pages. Films and pages are paginated together; photos are shown on
    the first page.
    """
    query = request.GET.get("q", "")
    query = " ".join(query.replace("\x00", " ").split())[:MAX_QUERY_LENGTH]
    results = []
    if query:
        site = Site.find_for_request(request)
        pages = Page.objects.live().specific()
        if site is not None:
            pages = pages.descendant_of(site.root_page, inclusive=True)
        results = visible_pages(request, backend_search(pages, query))
    paginator = Paginator(results, RESULTS_PER_PAGE)
    try:
        page = paginator.page(request.GET.get("page", 1))
    except (PageNotAnInteger, EmptyPage):
        page = paginator.page(1)
    photos = found_photos(request, query) if query and page.number == 1 else []
    films = [result for result in page if isinstance(result, FilmSheetPage)]
    return TemplateResponse(
        request,
        "search.html",
        {
            "query": query,
            "results": page,
            "paginator": paginator,
            "films": films,
            "other_pages": [result for result in page if not isinstance(result, FilmSheetPage)],
            "photos": photos,
            "total": paginator.count + len(photos),
            "robots": "noindex",
        },
    )


def backend_search(queryset, query, limit=200):
    try:
        return list(queryset.search(query, operator="and")[:limit])
    except Exception:  # a query the backend cannot parse gets no results, not a 500
        return []


def found_photos(request, query):
    """[(image, page)]: photos whose title, caption, description or credit match, each with
    the page (a film sheet when there is one) that shows it to this request."""
    photos = []
    # Stills the site made from videos are posters, not photos of his.
    images = get_image_model().objects.exclude(
        pk__in=Video.objects.filter(generated_poster__isnull=False).values("generated_poster")
    )
    for image in backend_search(images, query, limit=MAX_PHOTOS * 4):
        shown_on = pages_showing(request, image)
        if not shown_on:
            continue  # in the library only, or only on pages this request may not see
        films = [page for page in shown_on if isinstance(page, FilmSheetPage)]
        photos.append((image, (films or shown_on)[0]))
        if len(photos) == MAX_PHOTOS:
            break
    return photos


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        "Disallow: /private/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@require_GET
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


def server_error(request):
    """The 500 page in the site's look, without anything that could fail again; the 503
    page when what failed is the database (raised outside a view, e.g. saving the session)."""
    if is_database_outage(sys.exception()):
        return unavailable_response(request)
    return HttpResponse(loader.get_template("500.html").render(), status=500)
