"""Media on S3-compatible object storage: a private bucket and a public-read one.

When MEDIA_S3_BUCKET is set (see README, "Deploy: object storage"), every stored file
(originals, renditions, video masters and processing outputs, captions, documents) lives in
the private bucket, which answers nobody without a signature. The public bucket holds copies
of what visitors may fetch straight from it, or from a CDN in front of it (MEDIA_PUBLIC_URL):
the renditions of public photos and the outputs of public videos. The private-work app
decides what is public and has the copies made or removed in the background
(showreels/public_media.py); this module only moves the bytes and names the URLs.

Anything else a page shows gets a short-lived presigned URL of the private bucket, made
while the page is rendered, after the page's privacy check. A response that names one is
kept out of every shared cache (SignedUrlMiddleware): the URL would outlive its signature
there, and it was made for whoever was allowed to see the page.
"""

import contextvars
import hashlib
import hmac
import mimetypes
import re
import threading
from datetime import UTC, datetime
from urllib.parse import quote, urlsplit

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core.files.storage import default_storage
from django.http import HttpResponse, HttpResponseRedirect
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.http import content_disposition_header
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

# Errors of the object store or of the way to it; callers answer 404 or log them.
STORAGE_ERRORS = (BotoCoreError, ClientError, OSError)
# Files read through the app rather than redirected to: playlists are rewritten per session,
# and WebVTT files must come from the page's own origin (a <track> from another origin needs
# CORS and a `crossorigin` attribute on the <video>).
READ_THROUGH_SUFFIXES = (".m3u8", ".vtt")
SEGMENT_LINE_RE = re.compile(r"^(?!#)(\S+\.ts)$", re.MULTILINE)
DELETE_BATCH = 1000  # the most keys S3's DeleteObjects takes at once


def enabled():
    """Whether media lives on object storage (MEDIA_S3_BUCKET set)."""
    return bool(getattr(settings, "MEDIA_S3_BUCKET", ""))


def client_config():
    # Path-style addressing (endpoint/bucket/key) for S3-compatible servers, whose buckets
    # have no DNS names of their own; AWS itself chooses.
    style = "path" if settings.MEDIA_S3_ENDPOINT_URL else "auto"
    return Config(signature_version="s3v4", s3={"addressing_style": style})


class PrivateMediaStorage(S3Storage):
    """Django's default storage on the private bucket: URLs are presigned, short-lived.

    Credentials come from the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) or
    boto3's other usual places (an instance role), never from the settings file.
    """

    def get_default_settings(self):
        return {
            **super().get_default_settings(),
            "bucket_name": settings.MEDIA_S3_BUCKET,
            "endpoint_url": settings.MEDIA_S3_ENDPOINT_URL or None,
            "region_name": settings.MEDIA_S3_REGION,
            "client_config": client_config(),
            "querystring_auth": True,
            # Wagtail and the video processing expect a new name rather than an overwrite.
            "file_overwrite": False,
            "default_acl": None,
        }

    def url(self, name, parameters=None, expire=None, http_method=None):
        note_signed_url()
        if expire is None:
            expire = settings.MEDIA_S3_PRESIGN_SECONDS
        if parameters or http_method not in (None, "GET"):
            return super().url(name, parameters=parameters, expire=expire, http_method=http_method)
        if getattr(self, "_presigner", None) is None:
            self._presigner = QueryPresigner(self)
        return self._presigner.url(self._normalize_name(clean_name(name)), expire)


class QueryPresigner:
    """Presigned GET URLs (AWS Signature Version 4 in the query string) for one bucket.

    The signature is botocore's, as its S3 client computes it
    (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html), without
    the client's work around it on every call (endpoint rules, request serialisation,
    events): about 25 µs a URL instead of 0.6 to 2 ms, where an unlocked gallery names
    hundreds. Where the bucket's URLs live, and the credentials (rotated ones included), are
    asked of boto3 itself.
    """

    ALGORITHM = "AWS4-HMAC-SHA256"

    def __init__(self, storage):
        client = storage.connection.meta.client
        probe = urlsplit(
            client.generate_presigned_url(
                "get_object", Params={"Bucket": storage.bucket_name, "Key": "k"}, ExpiresIn=1
            )
        )
        self.path = probe.path.removesuffix("/k")  # "/<bucket>", or "" for a bucket's host
        self.host = probe.netloc
        self.base = f"{probe.scheme}://{probe.netloc}{self.path}"
        self.region = client.meta.region_name
        self.credentials = boto3.session.Session(
            aws_access_key_id=storage.access_key,
            aws_secret_access_key=storage.secret_key,
            aws_session_token=storage.security_token,
        ).get_credentials()
        self._keys = {}
        self._lock = threading.Lock()

    def _signing_key(self, secret, day):
        with self._lock:
            key = self._keys.get((secret, day))
            if key is None:
                key = f"AWS4{secret}".encode()
                for part in (day, self.region, "s3", "aws4_request"):
                    key = hmac.new(key, part.encode(), hashlib.sha256).digest()
                self._keys = {(secret, day): key}
        return key

    def url(self, name, expires):
        credentials = self.credentials.get_frozen_credentials()
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        scope = f"{stamp[:8]}/{self.region}/s3/aws4_request"
        query = {
            "X-Amz-Algorithm": self.ALGORITHM,
            "X-Amz-Credential": f"{credentials.access_key}/{scope}",
            "X-Amz-Date": stamp,
            "X-Amz-Expires": str(int(expires)),
            "X-Amz-SignedHeaders": "host",
        }
        if credentials.token:
            query["X-Amz-Security-Token"] = credentials.token
        encoded = {key: quote(value, safe="-_.~") for key, value in query.items()}
        canonical_query = "&".join(f"{key}={encoded[key]}" for key in sorted(encoded))
        path = f"{self.path}/{quote(name, safe='/~')}"
        canonical_request = "\n".join(
            ("GET", path, canonical_query, f"host:{self.host}", "", "host", "UNSIGNED-PAYLOAD")
        )
        to_sign = "\n".join(
            (
                self.ALGORITHM,
                stamp,
                scope,
                hashlib.sha256(canonical_request.encode()).hexdigest(),
            )
        )
        key = self._signing_key(credentials.secret_key, stamp[:8])
        signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
        # In the order botocore writes them (the signature covers them sorted).
        in_order = "&".join(f"{key}={value}" for key, value in encoded.items())
        return f"{self.base}{path.removeprefix(self.path)}?{in_order}&X-Amz-Signature={signature}"


def private_storage():
    return default_storage


def _client():
    """The boto3 client of the private storage (one per thread, made by django-storages)."""
    return private_storage().connection.meta.client


# URLs ---------------------------------------------------------------------------------------


def public_url(name):
    """Where browsers fetch the public copy of a stored file: the public bucket or its CDN."""
    return f"{settings.MEDIA_PUBLIC_URL.rstrip('/')}/{quote(name)}"


def signed_url(name, seconds=None, download_name=None):
    """A presigned GET URL of a private file, valid `seconds` (MEDIA_S3_PRESIGN_SECONDS)."""
    parameters = {}
    if download_name:
        content_type = mimetypes.guess_type(download_name)[0] or "application/octet-stream"
        inline = content_type in getattr(
            settings, "WAGTAILDOCS_INLINE_CONTENT_TYPES", ["application/pdf", "text/plain"]
        )
        parameters["ResponseContentDisposition"] = content_disposition_header(
            not inline, download_name
        )
    return private_storage().url(name, parameters=parameters or None, expire=seconds)


def app_url(name):
    """A file served by the app itself (after the privacy check), e.g. captions."""
    return settings.MEDIA_URL + quote(name)


def read_through(name):
    return name.endswith(READ_THROUGH_SUFFIXES)


def redirect_to_signed(name, download_name=None, seconds=None):
    """A redirect to a presigned URL of the file, which no cache may keep."""
    response = HttpResponseRedirect(signed_url(name, seconds, download_name))
    add_never_cache_headers(response)
    patch_vary_headers(response, ["Cookie"])
    return response


# Responses that named a presigned URL stay private ------------------------------------------

_signed_urls = contextvars.ContextVar("signed_urls", default=None)


def note_signed_url():
    counter = _signed_urls.get()
    if counter is not None:
        counter[0] += 1


class SignedUrlMiddleware:
    """Marks `private, no-store` every response whose rendering made a presigned URL.

    A private page is already marked by the privacy check; this catches a public page shown
    while its photos' public copies are still being made, which must not be kept by the page
    cache or a CDN with URLs that expire.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        counter = [0]
        token = _signed_urls.set(counter)
        try:
            response = self.get_response(request)
        finally:
            _signed_urls.reset(token)
        if counter[0]:
            add_never_cache_headers(response)
            patch_vary_headers(response, ["Cookie"])
        return response


# Public copies -------------------------------------------------------------------------------


def copy_to_public(names, cache_control):
    """Copy these files from the private bucket to the public one (server-side copies)."""
    client = _client()
    for name in names:
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        client.copy_object(
            CopySource={"Bucket": settings.MEDIA_S3_BUCKET, "Key": name},
            Bucket=settings.MEDIA_S3_PUBLIC_BUCKET,
            Key=name,
            MetadataDirective="REPLACE",
            ContentType=content_type,
            CacheControl=cache_control,
        )


def delete_from_public(names):
    """Remove these files' public copies (missing ones are no error)."""
    names = list(names)
    client = _client()
    for start in range(0, len(names), DELETE_BATCH):
        batch = names[start : start + DELETE_BATCH]
        client.delete_objects(
            Bucket=settings.MEDIA_S3_PUBLIC_BUCKET,
            Delete={"Objects": [{"Key": name} for name in batch], "Quiet": True},
        )


def names_under(prefix, public=False):
    """Every stored file name starting with `prefix` ("videos/3-ab12/", "images/42."), in
    the private or the public bucket."""
    bucket = settings.MEDIA_S3_PUBLIC_BUCKET if public else settings.MEDIA_S3_BUCKET
    paginator = _client().get_paginator("list_objects_v2")
    names = []
    for page in paginator.paginate(Bucket=bucket, Prefix=prefix):
        names += [entry["Key"] for entry in page.get("Contents", ())]
    return names


# Private HLS ---------------------------------------------------------------------------------


def read_text(name):
    """A small stored text file (a playlist), or None if it is missing."""
    try:
        with private_storage().open(name, "rb") as handle:
            return handle.read().decode("utf-8")
    except (FileNotFoundError, *STORAGE_ERRORS):
        return None


def playlist_with_signed_segments(name, seconds):
    """A rung playlist whose segments are presigned URLs valid for `seconds`.

    The playlist itself is served per session by the app after the privacy check; the
    segments' bytes then come straight from the bucket.
    """
    text = read_text(name)
    if text is None:
        return None
    folder = name.rsplit("/", 1)[0]
    return SEGMENT_LINE_RE.sub(
        lambda match: signed_url(f"{folder}/{match[1]}", seconds=seconds), text
    )


def playlist_response(text):
    response = HttpResponse(text, content_type="application/vnd.apple.mpegurl")
    add_never_cache_headers(response)
    patch_vary_headers(response, ["Cookie"])
    return response
