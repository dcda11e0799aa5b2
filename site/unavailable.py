"""When the database cannot be reached, the site says so: a 503 page, never a traceback.

PostgreSQL restarting, stopped or out of connections raises OperationalError or
InterfaceError wherever the request happens to need it (a view, the session, the user).
The view's own errors are answered by DatabaseUnavailableMiddleware; those raised in other
middleware reach the error handler (bts_site.views.server_error), which asks here too.

Nothing is half done behind a 503: a form (the contact form, unlocking) stores what it was
sent before it answers, so a 503 means nothing was kept, and the page says to try again.
Connections recover by themselves: CONN_HEALTH_CHECKS drops a broken one at the start of
the next request (site/config.py).
"""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 5


def is_database_outage(error):
    """Whether this exception, or one it was raised from, is the database failing."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, DATABASE_ERRORS):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def unavailable_response(request):
    """The site's 503 page: self-contained, as the database cannot help render it."""
    posted = request is not None and request.method not in ("GET", "HEAD")
    body = loader.get_template("503.html").render({"posted": posted})
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


class DatabaseUnavailableMiddleware:
    """Turns a view's database outage into the 503 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_outage(exception):
            return None
        logger.error(
            "Database unavailable, answered 503: %s %s (%s: %s)",
            request.method,
            request.path,
            type(exception).__name__,
            str(exception).strip().splitlines()[0] if str(exception).strip() else "",
        )
        return unavailable_response(request)
