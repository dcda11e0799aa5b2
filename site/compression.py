"""HTML leaves gzipped when the browser accepts it; nothing else does.

WhiteNoise already serves static files precompressed, and media (photos, video segments, byte
ranges of a master) must go out as stored: Django's GZipMiddleware would compress them too
and break Range requests, so this one looks only at HTML pages.
"""

from django.middleware.gzip import GZipMiddleware


class HtmlGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
            return response
        return super().process_response(request, response)
