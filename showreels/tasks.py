"""Background work of the private-work app (django-tasks): emails the owner asked for."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.urls import NoReverseMatch, reverse
from django_tasks import task

from gallery.models import Video
from showreels.models import AccessPass

logger = logging.getLogger(__name__)


@task(backend="background")
def send_started_watching_email(pass_id, video_id):
    """Tell the owner that a pass started watching a video (once per pass and video)."""
    access_pass = AccessPass.objects.filter(pk=pass_id).select_related("page").first()
    video = Video.objects.filter(pk=video_id).first()
    recipient = settings.SHOWREEL_NOTIFY_EMAIL
    if access_pass is None or video is None or not recipient or not access_pass.notify_on_play:
        return "not sent"
    lines = [
        f"The pass “{access_pass.label}” started watching “{video.title}”.",
        "",
        f"Private page of the pass: {access_pass.page.title}",
    ]
    try:
        details = reverse("access_passes:inspect", args=[access_pass.pk])
    except NoReverseMatch:
        details = ""
    if details:
        base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        lines += ["", f"What it watched so far: {base}{details}"]
    send_mail(
        f"Started watching: {video.title} ({access_pass.label})",
        "\n".join(lines),
        None,
        [recipient],
    )
    return "sent"
