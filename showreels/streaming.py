"""Private video: signed, session-bound URLs for a private page's player.

When a private page is shown to someone who may see it, its player is given URLs under
/private/stream/<token>/ (master playlist, rung playlists, segments, fallback MP4, sprite,
thumbnails, captions). Playlists name their files relatively, so the token carries over to
every segment, native HLS players included. The token says who watches (a pass, a signed-in
user, or Wagtail's shared password), which video (and which processing of it) and until
when; it is signed with the site's secret together with the session's key, so it is useless
to anyone who does not also hold that session's cookie.

On object storage (gallery/object_storage.py) the playlists still come from here, per
session, but a rung playlist names its segments by presigned URLs of the private bucket,
valid MEDIA_S3_STREAM_SECONDS: the bytes come from the bucket. A presigned URL cannot be
revoked, so the player fetches a rung's playlist again before its segments' URLs expire
(gallery/static/gallery/js/player.js), and that fetch is checked: a revoked pass stops
within SHOWREEL_STREAM_RECHECK_SECONDS + MEDIA_S3_STREAM_SECONDS. The player reports each
segment it loaded (`stream_watched`, a beacon), which is what the pass's record counts
then; the fallback MP4 and the sprite are redirects to presigned URLs. A player that plays
HLS itself (the iPhone's) never fetches a playlist again: it is given the same files under
`relay/`, whose playlists name their segments here, each checked, counted and redirected to
a presigned URL, as every segment was before object storage.

The segment view checks the signature, the expiry and the session cookie without the
database. Whether that pass or user may still watch that video (the pass revoked or expired,
the page moved, made public or inaccessible, the video taken off the page) is asked of the
one privacy check (privacy.media_access) at most every SHOWREEL_STREAM_RECHECK_SECONDS per
process, and at once in the process where the owner made the change.
"""

import base64
import hashlib
import hmac
import re
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from gallery import object_storage
from gallery.media import file_response
from gallery.models import Video, VideoCaption
from gallery.players import public_stream, stream_from_base
from showreels import privacy, watching
from showreels.models import AccessPass

TOKEN_RE = re.compile(
    r"^(?P<who>[pu][0-9]{1,18}|r[0-9]{1,18}-[0-9a-f]{16})\."
    r"(?P<video>[0-9]{1,18})\.(?P<folder>[0-9a-f]{6,32})\.(?P<expires>[0-9]{1,12})\."
    r"(?P<signature>[A-Za-z0-9_-]{22})$"
)
# The files of a processed video a player may ask for (gallery/videos.py writes them).
FILE_RE = re.compile(
    r"^(?P<relay>relay/)?(?:master\.m3u8|fallback\.mp4|sprite\.jpg|thumbnails\.vtt"
    r"|(?P<rung>[0-9]{3,4}p)/(?:index\.m3u8|segment-(?P<segment>[0-9]{1,6})\.ts))$"
)
CAPTION_RE = re.compile(r"^captions/(?P<caption>[0-9]{1,18})\.vtt$")


def _signature(payload, session_key):
    digest = hmac.new(
        hashlib.sha256(f"showreels.streaming:{settings.SECRET_KEY}".encode()).digest(),
        f"{payload}|{session_key}".encode(),
        hashlib.sha256,
    ).digest()
    return base64.urlsafe_b64encode(digest[:16]).decode().rstrip("=")


def _session_key(request):
    session = request.session
    if session.session_key is None:
        session.save()
    return session.session_key


def _folder_token(video):
    """The random part of the video's output folder (videos/<id>-<random>)."""
    return video.output_folder.rsplit("-", 1)[-1]


def _viewer(request, page):
    """Who watches, as the token names it, and the screening mark's words; None if nobody."""
    access_pass = privacy.pass_for(request, page)
    if access_pass is not None:
        return f"p{access_pass.pk}", f"Screening copy for {access_pass.label}", access_pass
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        name = user.get_full_name() or user.get_username()
        return f"u{user.pk}", f"Screening copy for {name}", None
    for grant in request.session.get(privacy.SESSION_KEY, []):
        if "password" in grant:
            return f"r{grant['restriction']}-{grant['password'][:16]}", "Screening copy", None
    return None


def issue_token(request, viewer, video):
    """A token for this session and viewer (see _viewer) to watch this video."""
    who, _mark, access_pass = viewer
    expires = timezone.now() + timedelta(seconds=settings.SHOWREEL_STREAM_TOKEN_SECONDS)
    if access_pass is not None and access_pass.expires_at is not None:
        expires = min(expires, access_pass.expires_at)
    payload = f"{who}.{video.pk}.{_folder_token(video)}.{int(expires.timestamp())}"
    return f"{payload}.{_signature(payload, _session_key(request))}"


def stream_for_page(request, page, video):
    """The player's URLs for a video on this page (gallery.players asks here).

    A public page's video streams from its public, cacheable files; a private page's from
    signed URLs for this session only, with the screening mark when the page shows one.
    """
    if page is None or request is None or not privacy.is_private(page, request):
        return public_stream(video)
    if not privacy.can_view_page(request, page):
        return None
    viewer = _viewer(request, page)
    if viewer is None:
        return None
    token = issue_token(request, viewer, video)
    privacy.keep_response_private(request)
    base = reverse("private_stream", args=[token, "master.m3u8"]).removesuffix("master.m3u8")
    stream = stream_from_base(video, base, lambda caption: f"{base}captions/{caption.pk}.vtt")
    stream.private = True
    if object_storage.enabled():
        stream.watched_url = reverse("private_stream_watched", args=[token])
    if getattr(page.specific, "screening_mark", True):
        stream.mark = viewer[1]
    return stream


# What each process knows of who may watch what ------------------------------------------

_verdicts = {}  # (who, video id) -> (may watch, monotonic time of the check)
_timelines = {}  # video id -> (length, segment length) in seconds, read with the check
_verdicts_lock = threading.Lock()


def forget_verdicts(*args, **kwargs):
    """Check every viewer again on its next request (the owner changed something)."""
    with _verdicts_lock:
        _verdicts.clear()


def _check(who, video):
    """The full privacy check for a viewer named by a token (database queries)."""
    kind, ident = who[0], who[1:]
    user = None
    grants = []
    if kind == "p":
        access_pass = AccessPass.objects.usable().filter(pk=int(ident)).first()
        if access_pass is None:
            return False
        # The grants unlocking gives (privacy.grant_access), for every password restriction.
        grants = [
            {"restriction": pk, "pass": access_pass.pk} for pk in privacy.password_restriction_ids()
        ]
    elif kind == "u":
        user = get_user_model().objects.filter(pk=int(ident), is_active=True).first()
        if user is None:
            return False
    else:
        if not settings.SHOWREEL_ALLOW_SHARED_PASSWORD:
            return False
        restriction_pk, fingerprint = ident.split("-")
        restriction = privacy.password_restriction(int(restriction_pk))
        if restriction is None:
            return False
        full = privacy.password_fingerprint(restriction)
        if not hmac.compare_digest(full[:16], fingerprint):
            return False
        grants = [{"restriction": restriction.pk, "password": full}]
    viewer = privacy.viewer_request(user=user, grants=grants)
    return privacy.media_access(viewer, video) != privacy.DENIED


def may_watch(who, video_id):
    """Whether the viewer may still watch the video, checked at most every
    SHOWREEL_STREAM_RECHECK_SECONDS in this process."""
    now = time.monotonic()
    key = (who, video_id)
    with _verdicts_lock:
        known = _verdicts.get(key)
    if known is not None and now - known[1] < settings.SHOWREEL_STREAM_RECHECK_SECONDS:
        return known[0]
    video = Video.objects.filter(pk=video_id).first()
    verdict = video is not None and _check(who, video)
    with _verdicts_lock:
        _verdicts[key] = (verdict, now)
        if video is not None:
            _timelines[video_id] = (video.duration or 0.0, video.segment_seconds)
    return verdict


# The view ----------------------------------------------------------------------------------


def verify(request, token):
    """The token's fields if it is genuine, unexpired and this session's; else None."""
    match = TOKEN_RE.match(token)
    if match is None:
        return None
    fields = match.groupdict()
    if int(fields["expires"]) <= time.time():
        return None
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")
    payload = token.rsplit(".", 1)[0]
    if not session_key or not hmac.compare_digest(
        _signature(payload, session_key), fields["signature"]
    ):
        return None
    return fields


def _not_found():
    # Expired, revoked, forged, another session's: the same answer as no file at all.
    return Http404("No such file.")


def _watching(request, token):
    """(the token's fields, its video id) when the token is this session's and its viewer
    may still watch the video; else the same 404 as for no file at all."""
    fields = verify(request, token)
    if fields is None:
        raise _not_found()
    video_id = int(fields["video"])
    if not may_watch(fields["who"], video_id):
        raise _not_found()
    return fields, video_id


@require_http_methods(["GET", "HEAD"])
def stream_file(request, token, path):
    """A file of a private page's video, for the session its token was issued to."""
    fields, video_id = _watching(request, token)
    caption = CAPTION_RE.match(path)
    if caption:
        stored = VideoCaption.objects.filter(
            pk=int(caption["caption"]), video_id=video_id
        ).values_list("file", flat=True)
        name = stored.first()
        if not name:
            raise _not_found()
    else:
        wanted = FILE_RE.match(path)
        if wanted is None:
            raise _not_found()
        name = f"videos/{video_id}-{fields['folder']}/{path.removeprefix('relay/')}"
        if (
            object_storage.enabled()
            and wanted["rung"]
            and wanted["segment"] is None
            and not wanted["relay"]
        ):
            text = object_storage.playlist_with_signed_segments(
                name, settings.MEDIA_S3_STREAM_SECONDS
            )
            if text is None:
                raise _not_found()
            return object_storage.playlist_response(text)
    if object_storage.enabled() and not caption and wanted["segment"] is not None:
        # A player that fetches its segments here (relay/: the iPhone's own HLS, which
        # never fetches a playlist again) is sent to a presigned URL it uses at once.
        response = object_storage.redirect_to_signed(name, seconds=settings.MEDIA_S3_STREAM_SECONDS)
    else:
        response = file_response(request, name, "private, no-store")
    if response is None:
        raise _not_found()
    patch_vary_headers(response, ["Cookie"])
    if not caption and wanted["segment"] is not None and fields["who"].startswith("p"):
        watching.record(
            int(fields["who"][1:]),
            video_id,
            int(wanted["segment"]),
            *_timelines.get(video_id, (0.0, settings.VIDEO_HLS_SEGMENT_SECONDS)),
        )
    return response


# The highest segment number a beacon may report: 24 hours of one-second segments.
MAX_SEGMENT = 86_400
SEGMENT_RE = re.compile(r"[0-9]{1,6}")


# Checked by its session-bound token; a cross-site request has neither the token nor, with
# SameSite=Lax, the session cookie the token is bound to.
@csrf_exempt
@require_http_methods(["POST"])
def stream_watched(request, token):
    """A private player reports a segment it loaded from the bucket (object storage), so
    that what the pass watched is counted as when segments came through here."""
    fields, video_id = _watching(request, token)
    segment = request.POST.get("segment", "")
    if not SEGMENT_RE.fullmatch(segment) or int(segment) > MAX_SEGMENT:
        return HttpResponseBadRequest("segment: a segment number", content_type="text/plain")
    duration, seconds = _timelines.get(video_id, (0.0, settings.VIDEO_HLS_SEGMENT_SECONDS))
    if duration and int(segment) > duration / seconds:
        return HttpResponseBadRequest(
            "segment: past the end of the video", content_type="text/plain"
        )
    if fields["who"].startswith("p"):
        watching.record(int(fields["who"][1:]), video_id, int(segment), duration, seconds)
    response = HttpResponse(status=204)
    response["Cache-Control"] = "private, no-store"
    return response
