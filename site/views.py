"""Site-wide views: search, robots.txt, health check, error pages."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from wagtail.models import Page, Site

from showreels.privacy import visible_pages

MAX_QUERY_LENGTH = 200
RESULTS_PER_PAGE = 10


@require_GET
def search(request):
    """Search over the pages this request may see; any query answers, none errors."""
    query = request.GET.get("q", "")
    query = " ".join(query.replace("\x00", " ").split())[:MAX_QUERY_LENGTH]
    results = []
    if query:
        site = Site.find_for_request(request)
        pages = Page.objects.live().specific()
        if site is not None:
            pages = pages.descendant_of(site.root_page, inclusive=True)
        try:
            found = list(pages.search(query, operator="and")[:200])
        except Exception:  # a query the backend cannot parse gets no results, not a 500
            found = []
        results = visible_pages(request, found)
    paginator = Paginator(results, RESULTS_PER_PAGE)
    try:
        page = paginator.page(request.GET.get("page", 1))
    except (PageNotAnInteger, EmptyPage):
        page = paginator.page(1)
    return TemplateResponse(
        request,
        "search.html",
        {"query": query, "results": page, "paginator": paginator, "robots": "noindex"},
    )


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
    """The 500 page in the site's look, without anything that could fail again."""
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)
