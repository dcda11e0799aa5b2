"""Limits on guessing access passes, checked before any password is.

Failed unlocks count per protected section (the restriction's page, whichever page below it
the request names) and per client network (an IPv4 address, an IPv6 /64), and across all
clients of a section: a ceiling for guessing spread over many networks, which alerts the
owner once by email and in the admin. An attempt refused by a limit is not checked and not
logged on its own: it adds one to a counter row per section, network and window, so a
flood costs no hashing and leaves a bounded number of rows.
"""

import logging
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from showreels.clients import client_network, network_key
from showreels.models import UnlockAttempt, UnlockRefusal

logger = logging.getLogger("showreels.unlock")

FAILED = [UnlockAttempt.WRONG, UnlockAttempt.EXPIRED, UnlockAttempt.REVOKED]


def window_start(now, window):
    return datetime.fromtimestamp(now.timestamp() // window * window, tz=UTC)


def _wait(oldest, window, now):
    """Seconds until a failure logged at `oldest` leaves the window."""
    return max(int((oldest + timedelta(seconds=window) - now).total_seconds()) + 1, 1)


def retry_after(request, section):
    """0 when this request may try a password on the section, else seconds to wait."""
    limit, window = settings.SHOWREEL_UNLOCK_ATTEMPTS, settings.SHOWREEL_UNLOCK_WINDOW
    ceiling = settings.SHOWREEL_SECTION_ATTEMPTS
    now = timezone.now()
    failures = UnlockAttempt.objects.filter(
        section=section, outcome__in=FAILED, created_at__gte=now - timedelta(seconds=window)
    )
    network = network_key(request)
    latest = list(
        failures.filter(client=network)
        .order_by("-created_at")
        .values_list("created_at", flat=True)[:limit]
    )
    if len(latest) >= limit:
        _count_refusal(section, network, now, window)
        return _wait(latest[-1], window, now)
    oldest = (
        failures.order_by("-created_at").values_list("created_at", flat=True)[ceiling - 1 : ceiling]
        if ceiling
        else []
    )
    if oldest:
        if _count_refusal(section, UnlockRefusal.ALL_CLIENTS, now, window):
            _alert_owner(section, request, ceiling, window)
        return _wait(oldest[0], window, now)
    return 0


def _count_refusal(section, client, now, window):
    """Add one refused attempt to its counter; True when this opened the counter."""
    key = {"section": section, "client": client, "window_start": window_start(now, window)}
    if UnlockRefusal.objects.filter(**key).update(refused=F("refused") + 1, last_at=now):
        return False
    try:
        with transaction.atomic():
            UnlockRefusal.objects.create(**key, refused=1, first_at=now, last_at=now)
    except IntegrityError:  # another request opened it first
        UnlockRefusal.objects.filter(**key).update(refused=F("refused") + 1, last_at=now)
        return False
    return True


def _alert_owner(section, request, ceiling, window):
    """Once per window and section: guessing from many networks reached the ceiling."""
    logger.warning(
        "unlock ceiling reached on section %s (last from %s)",
        section.pk,
        client_network(request),
    )
    if not settings.SHOWREEL_NOTIFY_EMAIL:
        return
    minutes = window // 60
    try:
        send_mail(
            f"Many wrong passes tried on “{section.title}”",
            f"More than {ceiling} wrong passes were tried on “{section.title}” in "
            f"{minutes} minutes, from several networks. The site refuses further tries on "
            "it for now; passes already in use keep working. The admin's Access passes "
            "screen shows the attempts.",
            None,
            [settings.SHOWREEL_NOTIFY_EMAIL],
        )
    except Exception:
        logger.exception("Could not send the unlock ceiling alert for page %s", section.pk)


def active_alerts():
    """Sections whose ceiling tripped in the current or last window, newest first."""
    window = settings.SHOWREEL_UNLOCK_WINDOW
    since = timezone.now() - timedelta(seconds=2 * window)
    return UnlockRefusal.objects.filter(
        client=UnlockRefusal.ALL_CLIENTS, last_at__gte=since
    ).select_related("section")
