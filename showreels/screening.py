"""The producer's side of a private screening: terms of viewing, and asking for more time.

Terms are set on a showreel or its section (`screening_terms`) and cover the pages below.
A pass holder accepts them on the pass form before the first viewing; when the owner changes
them, the next page asks for them again before showing anything.
"""

import hashlib
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from showreels import privacy
from showreels.clients import ip_prefix, user_agent
from showreels.models import (
    MoreTimeRequest,
    ShowreelIndexPage,
    ShowreelPage,
    TermsAcceptance,
)
from showreels.screening_forms import AcceptTermsForm

logger = logging.getLogger("showreels.screening")

MORE_TIME_REQUESTS_PER_DAY = 3


def terms_page_for(page):
    """The nearest page at or above this one whose terms of viewing are filled in."""
    candidates = (
        page.get_ancestors(inclusive=True)
        .type(ShowreelPage, ShowreelIndexPage)
        .specific()
        .order_by("-depth")
    )
    return next((p for p in candidates if strip_tags(p.screening_terms).strip()), None)


def digest(terms):
    return hashlib.sha256(terms.encode()).hexdigest()


def record_acceptance(request, access_pass, terms_page):
    TermsAcceptance.objects.create(
        access_pass=access_pass,
        page=terms_page,
        terms_digest=digest(terms_page.screening_terms),
        terms_text=terms_page.screening_terms,
        client=ip_prefix(request),
        user_agent=user_agent(request),
    )


def terms_to_accept(request, page):
    """The page whose terms this pass holder has yet to accept (or accept again), or None.

    Editors and sessions opened with the shared page password hold no pass: no terms.
    """
    access_pass = privacy.pass_for(request, page)
    if access_pass is None:
        return None
    terms_page = terms_page_for(page)
    if terms_page is None:
        return None
    accepted = TermsAcceptance.objects.filter(
        access_pass=access_pass, page=terms_page, terms_digest=digest(terms_page.screening_terms)
    ).exists()
    return None if accepted else terms_page


def terms_response(request, page, terms_page, form=None, status=200):
    context = {
        "terms_page": terms_page,
        "form": form or AcceptTermsForm(),
        "action_url": reverse("accept_screening_terms", args=[page.pk]),
        "changed": TermsAcceptance.objects.filter(
            access_pass=privacy.pass_for(request, page), page=terms_page
        ).exists(),
        "robots": "noindex, nofollow",
    }
    response = TemplateResponse(request, "showreels/terms_of_viewing.html", context, status=status)
    return privacy.mark_private_response(response)


def ask_for_more_time(request, access_pass, page, message):
    """Store the request, then tell the owner; False when this pass asked too often today."""
    since = timezone.now() - timezone.timedelta(days=1)
    if access_pass.more_time_requests.filter(created_at__gte=since).count() >= (
        MORE_TIME_REQUESTS_PER_DAY
    ):
        return False
    more_time = MoreTimeRequest.objects.create(access_pass=access_pass, page=page, message=message)
    if settings.SHOWREEL_NOTIFY_EMAIL:
        expires = (
            f"{timezone.localtime(access_pass.expires_at):%d/%m/%Y %H:%M}"
            if access_pass.expires_at
            else "no end date"
        )
        try:
            send_mail(
                f"More time asked: {access_pass.label}",
                f"“{access_pass.label}” asks for more time on “{page.title}”.\n\n"
                f"{message}\n\nThe pass is valid until: {expires}.",
                None,
                [settings.SHOWREEL_NOTIFY_EMAIL],
            )
        except Exception:
            logger.exception("Could not send the more-time email for pass %s", access_pass.pk)
        else:
            MoreTimeRequest.objects.filter(pk=more_time.pk).update(email_sent=True)
    return True
