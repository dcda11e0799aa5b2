"""What each pass watched, from the segments its sessions fetched.

The segment view calls `record()` on its hot path, so nothing here touches the database per
segment: fetches are counted in this process and written in one transaction every
SHOWREEL_WATCH_FLUSH_SECONDS (by the next segment request after that time, or by a
background timer when the viewer has stopped), except the first fetch of a pass and video,
which is written at once so that the owner's "started watching" email goes out promptly.

A segment fetched again within REPLAY_GAP seconds (a quality switch fetches the same
segment in another rendition; a retry after a network error) counts once; fetched again
later it counts as watched again.
"""

import logging
import threading
import time

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone

from showreels.models import WatchRecord
from showreels.tasks import send_started_watching_email

logger = logging.getLogger(__name__)

REPLAY_GAP = 60  # seconds

_lock = threading.Lock()
_pending = {}  # (pass id, video id) -> {"segments": {index: count}, "duration": ..., "at": ...}
_last_fetch = {}  # (pass id, video id, index) -> monotonic time of the last counted fetch
_known = set()  # (pass id, video id) pairs this process has written a record for
_state = {"flushed_at": time.monotonic(), "timer": None}


def record(pass_id, video_id, index, duration, segment_seconds):
    """Count one fetch of segment `index` of a video by a pass."""
    now = time.monotonic()
    key = (pass_id, video_id)
    with _lock:
        last = _last_fetch.get((*key, index))
        if last is not None and now - last < REPLAY_GAP:
            return
        _last_fetch[(*key, index)] = now
        entry = _pending.setdefault(
            key,
            {"segments": {}, "duration": duration, "seconds": segment_seconds, "at": None},
        )
        entry["segments"][index] = entry["segments"].get(index, 0) + 1
        entry["at"] = timezone.now()
        first = key not in _known
        due = first or now - _state["flushed_at"] >= settings.SHOWREEL_WATCH_FLUSH_SECONDS
    if due:
        flush()
    else:
        _arm_timer()


def _arm_timer():
    """Flush what is left once the viewer stops (no further segment would)."""
    if not settings.SHOWREEL_WATCH_BACKGROUND_FLUSH:
        return
    with _lock:
        if _state["timer"] is not None:
            return
        timer = threading.Timer(settings.SHOWREEL_WATCH_FLUSH_SECONDS, _flush_from_timer)
        timer.daemon = True
        _state["timer"] = timer
    timer.start()


def _flush_from_timer():
    with _lock:
        _state["timer"] = None
    try:
        flush()
    except Exception:
        logger.exception("Could not write what passes watched")
    finally:
        # A thread of its own: it must not keep a database connection open.
        connections.close_all()


def flush():
    """Write the counted fetches to the database; returns how many records changed."""
    with _lock:
        pending = dict(_pending)
        _pending.clear()
        _state["flushed_at"] = time.monotonic()
        _forget_old_fetches()
    changed = 0
    for (pass_id, video_id), entry in pending.items():
        try:
            started = _write(pass_id, video_id, entry)
        except Exception:
            logger.exception("Could not record what pass %s watched", pass_id)
            continue
        with _lock:
            _known.add((pass_id, video_id))
        changed += 1
        if started:
            transaction.on_commit(
                lambda p=pass_id, v=video_id: send_started_watching_email.enqueue(p, v)
            )
    return changed


def _forget_old_fetches():
    cutoff = time.monotonic() - REPLAY_GAP
    for key in [key for key, moment in _last_fetch.items() if moment < cutoff]:
        del _last_fetch[key]


def _write(pass_id, video_id, entry):
    """Add one batch of fetches to the pass's record; True if it is its first."""
    with transaction.atomic():
        record, created = WatchRecord.objects.select_for_update().get_or_create(
            access_pass_id=pass_id,
            video_id=video_id,
            defaults={
                "segment_seconds": entry["seconds"],
                "duration": entry["duration"],
                "first_played_at": entry["at"],
                "last_played_at": entry["at"],
            },
        )
        if record.segment_seconds != entry["seconds"] or record.duration != entry["duration"]:
            # The video was processed again with another timeline: start afresh.
            record.segments = []
            record.segment_seconds = entry["seconds"]
            record.duration = entry["duration"]
        counts = list(record.segments)
        for index, count in entry["segments"].items():
            if index >= len(counts):
                counts += [0] * (index + 1 - len(counts))
            counts[index] += count
        record.segments = counts
        record.last_played_at = max(record.last_played_at, entry["at"])
        record.save()
    return created


def forget():
    """Drop what this process counted and remembers (tests)."""
    with _lock:
        _pending.clear()
        _last_fetch.clear()
        _known.clear()
