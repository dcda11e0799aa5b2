"""The owner's admin for access passes: issue, read how they are used, edit, revoke.

A pass's password is shown once, in the response to the form that issues it, and is
stored only hashed: no page of the admin can show it again. Every date is shown in the
site's time zone, day/month/year, and in words (see showreels.forms).
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, time
from urllib.parse import urlsplit

import django_filters
from django.conf import settings
from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.db.models import Count, Max, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem as AdminMenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import (
    ButtonsColumnMixin,
    Column,
    StatusTagColumn,
    Table,
    TitleColumn,
)
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import Button, ListingButton
from wagtail.log_actions import log
from wagtail.models import Page, PageViewRestriction
from wagtail.permission_policies import BasePermissionPolicy, ModelPermissionPolicy

from showreels import watching
from showreels.forms import (
    AccessPassCreateForm,
    AccessPassEditForm,
    format_datetime,
    format_long_date,
    in_words,
    site_time,
    site_zone_name,
)
from showreels.limits import active_alerts
from showreels.models import AccessPass, UnlockAttempt

REVOKE_ACTION = "showreels.revoke_access_pass"
PASS_ACTIONS = ["add", "change", "delete", "view"]


class AccessPassFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label="Status",
        choices=[("active", "Active"), ("expired", "Expired"), ("revoked", "Revoked")],
        method="filter_status",
        empty_label="All",
    )

    class Meta:
        model = AccessPass
        fields = []

    def filter_status(self, queryset, name, value):
        now = timezone.now()
        if value == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        if value == "expired":
            return queryset.filter(revoked_at__isnull=True, expires_at__lte=now)
        if value == "active":
            return queryset.usable()
        return queryset


def status_is_active(access_pass):
    return access_pass.status == "active"


def moment(value):
    """A moment for a template: in words, and the site's local date and time."""
    if value is None:
        return None
    return {"words": in_words(value), "local": format_datetime(value), "iso": value.isoformat()}


def moment_text(value, empty="—"):
    """13/12/2026 23:59 (in 14 days), in the site's time zone."""
    if value is None:
        return empty
    return f"{format_datetime(value)} ({in_words(value)})"


class MomentColumn(Column):
    """A date in words (“in 14 days”, “3 hours ago”), the site's local date and time in its
    tooltip, and in a second line with `show_local`.

    Wagtail's DateColumn says “Just now” for any moment in the future.
    """

    cell_template_name = "showreels/admin/moment_cell.html"

    def __init__(self, name, *, empty_value_display="", show_local=False, **kwargs):
        super().__init__(name, **kwargs)
        self.empty_value_display = empty_value_display
        self.show_local = show_local

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["moment"] = moment(context["raw_value"])
        context["show_local"] = self.show_local
        if context["moment"] is None:
            context["value"] = self.empty_value_display
        return context


class LastUseColumn(MomentColumn):
    """When a pass was last used, and from which network and browser."""

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["detail"] = f"from {instance.last_ip_prefix}" if instance.last_ip_prefix else ""
        context["detail_title"] = instance.last_user_agent
        return context


@dataclass
class GuessingAlert:
    """A section where wrong passes from several networks reached the ceiling."""

    section: Page
    refused: int
    first_at: datetime
    last_at: datetime

    @property
    def heading(self):
        return f"Many wrong passes were tried on “{self.section.title}”"

    @property
    def text(self):
        minutes = settings.SHOWREEL_UNLOCK_WINDOW // 60
        tries = "try" if self.refused == 1 else "tries"
        return (
            f"They came from several networks: {settings.SHOWREEL_SECTION_ATTEMPTS} wrong "
            f"passes within {minutes} minutes. Since {format_datetime(self.first_at)} the "
            f"site has refused {self.refused} more {tries} on this section, the latest "
            f"{in_words(self.last_at)} ({format_datetime(self.last_at)}), and goes on "
            "refusing new tries there for a while. Passes already in use keep working."
        )


def guessing_alerts():
    """One alert per section whose all-clients ceiling tripped recently, newest first."""
    alerts = {}
    for refusal in active_alerts():
        alert = alerts.get(refusal.section_id)
        if alert is None:
            alerts[refusal.section_id] = GuessingAlert(
                refusal.section, refusal.refused, refusal.first_at, refusal.last_at
            )
        else:
            alert.refused += refusal.refused
            alert.first_at = min(alert.first_at, refusal.first_at)
            alert.last_at = max(alert.last_at, refusal.last_at)
    return sorted(alerts.values(), key=lambda alert: alert.last_at, reverse=True)


def failed_attempts_url():
    return reverse("unlock_attempts:index") + "?failed=true"


def manages_passes(user):
    return ModelPermissionPolicy(AccessPass).user_has_any_permission(user, PASS_ACTIONS)


class GuessingAlertPanel(Component):
    """The dashboard's warning that someone is guessing passes on a section."""

    name = "showreel_guessing_alert"
    template_name = "showreels/admin/guessing_alert_panel.html"
    order = 50  # above Wagtail's own panels

    def __init__(self, alerts):
        self.alerts = alerts

    def get_context_data(self, parent_context):
        return {"guessing_alerts": self.alerts, "attempts_url": failed_attempts_url()}


LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}  # noqa: S104 - names, not a bind


def is_loopback(url):
    host = (urlsplit(url).hostname or "").lower()
    return host in LOOPBACK_HOSTS or host.endswith(".localhost")


def public_page_url(page, request):
    """The page's address for a producer, and a note for the owner when it needed fixing.

    The address is Wagtail's, from the Site's hostname and port. A Site still named
    “localhost” (as Wagtail creates it) while the admin runs elsewhere has no usable
    address: the page's path then goes on WAGTAILADMIN_BASE_URL.
    """
    url = page.get_full_url(request)
    base_url = getattr(settings, "WAGTAILADMIN_BASE_URL", "")
    if url is None or not is_loopback(url) or not base_url or is_loopback(base_url):
        return url, ""
    page_path = page.get_url_parts(request)[2]
    site_address = urlsplit(url).netloc
    return base_url.rstrip("/") + page_path, (
        f"Settings → Sites still gives this site the address “{site_address}”, so the link "
        f"uses {base_url} instead. Set the site's real address there to be sure."
    )


def validity_sentence(expires_at):
    if expires_at is None:
        return "It has no end date: it works until I withdraw it."
    local = site_time(expires_at)
    if local.time() >= time(23, 59):
        when = f"the end of {format_long_date(local)}"
    else:
        when = f"{format_long_date(local)} at {local:%H:%M}"
    return f"It is valid until {when} ({site_zone_name()} time)."


def pass_message(*, title, url, password, expires_at):
    """The owner's message to the producer, ready to paste into an email."""
    lines = [
        "Hello,",
        "",
        f"here is your access pass to watch “{title}”:",
        *([url] if url else []),
        "",
        f"Access pass: {password}",
        "",
        validity_sentence(expires_at),
        "Please keep it to yourself: the work is under usage rights.",
    ]
    return "\n".join(lines)


class AccessPassIndexView(generic.IndexView):
    template_name = "showreels/admin/access_pass_index.html"
    table_classname = "listing access-pass-listing"
    revoke_url_name = None

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("page")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not self.results_only:
            context["guessing_alerts"] = guessing_alerts()
            context["attempts_url"] = failed_attempts_url()
        return context

    def get_revoke_url(self, instance):
        if instance.is_revoked or not self.user_has_permission("change"):
            return None
        return reverse(self.revoke_url_name, args=(quote(instance.pk),))

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if revoke_url := self.get_revoke_url(instance):
            buttons.append(MenuItem("Revoke", url=revoke_url, icon_name="lock", priority=25))
        return buttons


class AccessPassCreateView(generic.CreateView):
    """Issues the pass and answers with its password, the only time anyone sees it."""

    template_name = "showreels/admin/access_pass_form.html"
    issued_template_name = "showreels/admin/access_pass_issued.html"
    inspect_url_name = None
    submit_button_label = "Issue pass"
    submit_button_active_label = "Issuing…"

    @cached_property
    def expects_json_response(self):
        # The answer must be the page with the password, never a bare JSON redirect.
        return False

    def save_instance(self):
        data = self.form.cleaned_data
        access_pass, self.password = AccessPass.issue(
            label=data["label"],
            page=data["page"],
            expires_at=data.get("expires_at"),
            created_by=self.request.user,
        )
        log(access_pass, "wagtail.create", user=self.request.user)
        return access_pass

    def save_action(self):
        page = self.object.page.specific
        page_url, page_url_note = public_page_url(page, self.request)
        expires_at = self.object.expires_at
        context = {
            "view": self,
            "object": self.object,
            "password": self.password,
            "page_url": page_url,
            "page_url_note": page_url_note,
            "expires": moment_text(expires_at, empty="No end date (until you revoke it)"),
            "message": pass_message(
                title=page.title, url=page_url, password=self.password, expires_at=expires_at
            ),
            "header_title": f"Access pass issued: {self.object.label}",
            "page_title": "Access pass issued",
            "page_subtitle": self.object.label,
            "header_icon": "key",
            "index_url": reverse(self.index_url_name),
            "inspect_url": reverse(self.inspect_url_name, args=(quote(self.object.pk),)),
            "breadcrumbs_items": [
                *self.breadcrumbs_items,
                {"url": reverse(self.index_url_name), "label": "Access passes"},
                {"url": "", "label": "Issued"},
            ],
        }
        response = TemplateResponse(self.request, self.issued_template_name, context)
        # Neither the browser's cache nor a proxy may keep the one copy of the password.
        add_never_cache_headers(response)
        return response


class RevokeButtonMixin:
    """A “Revoke” button in the header of a view of one pass that is not revoked yet."""

    revoke_url_name = None

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if not self.object.is_revoked and self.user_has_permission("change"):
            buttons.append(
                Button(
                    "Revoke",
                    url=reverse(self.revoke_url_name, args=(quote(self.object.pk),)),
                    icon_name="lock",
                    priority=15,
                )
            )
        return buttons


class AccessPassEditView(RevokeButtonMixin, generic.EditView):
    template_name = "showreels/admin/access_pass_form.html"
    inspect_url_name = None


class AccessPassInspectView(RevokeButtonMixin, generic.InspectView):
    template_name = "showreels/admin/access_pass_inspect.html"
    recent_attempts = 50
    field_labels = {"created_at": "Issued", "use_count": "Times opened"}

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        if isinstance(value, datetime):
            return moment_text(value)
        if value in (None, ""):
            return "—"
        return value

    def get_field_label(self, field_name, field):
        return self.field_labels.get(field_name) or super().get_field_label(field_name, field)

    def get_expires_at_display_value(self):
        return moment_text(self.object.expires_at, empty="No end date (until revoked)")

    def get_first_used_at_display_value(self):
        return moment_text(self.object.first_used_at, empty="Not yet")

    def get_status_display_value(self):
        return self.object.status.capitalize()

    def get_page_display_value(self):
        return self.object.page.get_admin_display_title()

    def get_attempts_table(self):
        attempts = self.object.attempts.select_related("page").order_by("-created_at")
        return Table(
            [
                MomentColumn("created_at", label="When", show_local=True),
                StatusTagColumn(
                    "get_outcome_display",
                    label="Outcome",
                    primary=lambda attempt: attempt.outcome == UnlockAttempt.SUCCESS,
                ),
                Column("page", label="Page", accessor="page.get_admin_display_title"),
                Column("client", label="Client (keyed hash of the address)"),
                Column("user_agent", label="User agent"),
            ],
            list(attempts[: self.recent_attempts]),
            caption="Recent unlock attempts with this pass",
        )

    def get_terms_table(self):
        acceptances = self.object.terms_acceptances.select_related("page")
        return Table(
            [
                MomentColumn("accepted_at", label="Accepted", show_local=True),
                Column("page", label="Terms of", accessor="page.get_admin_display_title"),
                Column("client", label="From"),
                Column("user_agent", label="Browser"),
                Column("terms_text", label="Terms as accepted", accessor=terms_as_text),
            ],
            list(acceptances),
            caption="Terms of viewing accepted with this pass",
        )

    def get_more_time_table(self):
        return Table(
            [
                MomentColumn("created_at", label="Asked", show_local=True),
                Column("page", label="Page", accessor="page.get_admin_display_title"),
                Column("message", label="Message"),
                Column(
                    "email_sent",
                    label="Emailed to you",
                    accessor=lambda request: "Yes" if request.email_sent else "No",
                ),
            ],
            list(self.object.more_time_requests.select_related("page")),
            caption="Requests for more time",
        )

    def get_watched(self):
        """What this pass watched, per video, with its timeline as shaded runs."""
        # What this process counted and has not written yet (other processes write theirs
        # within SHOWREEL_WATCH_FLUSH_SECONDS).
        watching.flush()
        watched = []
        for record in self.object.watch_records.select_related("video"):
            duration = record.duration or 1
            watched.append(
                {
                    "record": record,
                    "watched": clock(record.watched_seconds),
                    "length": clock(record.duration),
                    "runs": [
                        {
                            "state": state,
                            "left": round(100 * start / duration, 3),
                            "width": round(100 * (end - start) / duration, 3),
                            "label": f"{clock(start)}–{clock(end)}",
                        }
                        for start, end, state in record.runs()
                    ],
                    "replayed": ", ".join(
                        f"{clock(start)}–{clock(end)}" for start, end in record.replayed_runs()
                    ),
                }
            )
        return watched

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["watched"] = self.get_watched()
        context["attempts_table"] = self.get_attempts_table()
        context["terms_table"] = self.get_terms_table()
        context["more_time_table"] = self.get_more_time_table()
        return context


def clock(seconds):
    """ "1:05" or "1:02:03" for a number of seconds."""
    minutes, seconds = divmod(round(seconds or 0), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def terms_as_text(acceptance):
    return strip_tags(acceptance.terms_text).strip()


class AccessPassRevokeView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """Ask, then revoke: every session opened with the pass is locked on its next request."""

    model = AccessPass
    permission_required = "change"
    template_name = "showreels/admin/access_pass_revoke.html"
    page_title = "Revoke access pass"
    header_icon = "lock"
    index_url_name = None
    revoke_url_name = None
    inspect_url_name = None

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = get_object_or_404(AccessPass.objects.select_related("page"), pk=kwargs["pk"])

    def get_page_subtitle(self):
        return self.object.label

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": "Access passes"},
            {
                "url": reverse(self.inspect_url_name, args=(quote(self.object.pk),)),
                "label": self.object.label,
            },
            {"url": "", "label": "Revoke"},
        ]

    def get_success_url(self):
        return get_valid_next_url_from_request(self.request) or reverse(self.index_url_name)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            object=self.object,
            expires=moment_text(self.object.expires_at, empty="no end date"),
            revoked=moment_text(self.object.revoked_at),
            revoke_url=reverse(self.revoke_url_name, args=(quote(self.object.pk),)),
            cancel_url=self.get_success_url(),
            next=get_valid_next_url_from_request(self.request),
        )
        return context

    def post(self, request, *args, **kwargs):
        if self.object.is_revoked:
            messages.warning(request, f"The pass “{self.object.label}” was already revoked.")
        else:
            self.object.revoke()
            log(self.object, REVOKE_ACTION, user=request.user)
            messages.success(
                request,
                f"The pass “{self.object.label}” is revoked: it opens nothing from now on.",
            )
        return redirect(self.get_success_url())


class AccessPassViewSet(ModelViewSet):
    model = AccessPass
    name = "access_passes"
    url_prefix = "access-passes"
    icon = "key"
    menu_label = "Access passes"
    menu_order = 100
    add_to_reference_index = False
    copy_view_enabled = False  # a copy would carry no password
    inspect_view_enabled = True
    index_view_class = AccessPassIndexView
    add_view_class = AccessPassCreateView
    edit_view_class = AccessPassEditView
    inspect_view_class = AccessPassInspectView
    filterset_class = AccessPassFilterSet
    search_fields = ["label"]
    list_display = [
        "label",
        Column("page", label="Page", accessor="page"),
        StatusTagColumn(
            "status",
            label="Status",
            accessor=lambda access_pass: access_pass.status.capitalize(),
            primary=status_is_active,
        ),
        MomentColumn(
            "expires_at",
            label="Expires",
            sort_key="expires_at",
            empty_value_display="No end date",
            show_local=True,
        ),
        MomentColumn(
            "first_used_at",
            label="First used",
            sort_key="first_used_at",
            empty_value_display="Not yet",
        ),
        LastUseColumn(
            "last_used_at", label="Last used", sort_key="last_used_at", empty_value_display="—"
        ),
        Column("use_count", label="Times opened", sort_key="use_count"),
    ]
    inspect_view_fields = [
        "label",
        "page",
        "status",
        "created_at",
        "created_by",
        "expires_at",
        "revoked_at",
        "first_used_at",
        "last_used_at",
        "use_count",
        "last_ip_prefix",
        "last_user_agent",
    ]

    def get_form_class(self, for_update=False):
        return AccessPassEditForm if for_update else AccessPassCreateForm

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            revoke_url_name=self.get_url_name("revoke"),
            inspect_url_name=self.get_url_name("inspect"),
            **kwargs,
        )

    @property
    def revoke_view(self):
        return self.construct_view(AccessPassRevokeView)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("revoke/<int:pk>/", self.revoke_view, name="revoke"),
        ]


class UnlockAttemptPermissionPolicy(BasePermissionPolicy):
    """The attempts are a read-only log for whoever manages access passes."""

    def __init__(self):
        super().__init__(UnlockAttempt)
        self.passes = ModelPermissionPolicy(AccessPass)

    def user_has_permission(self, user, action):
        return action == "view" and self.passes.user_has_any_permission(user, PASS_ACTIONS)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        if "view" in actions:
            return self.passes.users_with_any_permission(PASS_ACTIONS)
        return get_user_model().objects.none()

    def users_with_permission(self, action):
        return self.users_with_any_permission([action])


class UnlockAttemptFilterSet(WagtailFilterSet):
    outcome = django_filters.ChoiceFilter(
        label="Outcome", choices=UnlockAttempt.OUTCOMES, empty_label="All"
    )
    failed = django_filters.BooleanFilter(
        label="Failures only", method="filter_failed", widget=django_filters.widgets.BooleanWidget
    )

    class Meta:
        model = UnlockAttempt
        fields = []

    def filter_failed(self, queryset, name, value):
        if value:
            return queryset.filter(~Q(outcome=UnlockAttempt.SUCCESS))
        return queryset


class UnlockAttemptIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("page", "access_pass")


class UnlockAttemptViewSet(ModelViewSet):
    """Every password typed on a private page, newest first. Nothing here can be changed."""

    model = UnlockAttempt
    name = "unlock_attempts"
    url_prefix = "unlock-attempts"
    icon = "list-ul"
    menu_label = "Unlock attempts"
    menu_order = 200
    add_to_reference_index = False
    copy_view_enabled = False
    index_view_class = UnlockAttemptIndexView
    filterset_class = UnlockAttemptFilterSet
    list_per_page = 50
    list_display = [
        MomentColumn("created_at", label="When", sort_key="created_at", show_local=True),
        StatusTagColumn(
            "get_outcome_display",
            label="Outcome",
            primary=lambda attempt: attempt.outcome == UnlockAttempt.SUCCESS,
        ),
        Column("page", label="Page", accessor="page"),
        Column("access_pass", label="Access pass", accessor="access_pass"),
        Column("client", label="Client (keyed hash of the address)"),
        Column("user_agent", label="User agent"),
    ]

    def get_permissions_to_register(self):
        # Reading the log follows the access pass permissions; it has none of its own.
        from django.contrib.auth.models import Permission

        return Permission.objects.none()

    def get_common_view_kwargs(self, **kwargs):
        # Only the listing exists: no links to views that are not there.
        return super().get_common_view_kwargs(
            **{
                "add_url_name": None,
                "edit_url_name": None,
                "delete_url_name": None,
                "history_url_name": None,
                "usage_url_name": None,
                **kwargs,
            }
        )

    def register_admin_url_finder(self):
        pass  # no edit view to point at

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
        ]


# Wagtail's shared page passwords, listed beside the passes when the owner allows them
# (SHOWREEL_ALLOW_SHARED_PASSWORD). The privacy check compares a keyed fingerprint of the
# password on every request, so replacing it locks out every session unlocked with it.


def shared_passwords_allowed():
    return settings.SHOWREEL_ALLOW_SHARED_PASSWORD


@dataclass
class SharedPassword:
    restriction: PageViewRestriction
    unlocks: int
    last_unlock: datetime | None

    @property
    def pk(self):
        return self.restriction.pk

    @property
    def page(self):
        return self.restriction.page


def shared_passwords():
    """Each password restriction with the unlocks its shared password gave (the attempts
    that succeeded without a pass, on its page or below)."""
    rows = []
    restrictions = PageViewRestriction.objects.filter(
        restriction_type=PageViewRestriction.PASSWORD
    ).select_related("page")
    for restriction in restrictions.order_by("page__path"):
        used = UnlockAttempt.objects.filter(
            outcome=UnlockAttempt.SUCCESS,
            access_pass__isnull=True,
            page__path__startswith=restriction.page.path,
        ).aggregate(count=Count("pk"), last=Max("created_at"))
        rows.append(SharedPassword(restriction, used["count"], used["last"]))
    return rows


class SharedPasswordPageColumn(ButtonsColumnMixin, TitleColumn):
    """The page, linked to its editor, with the “Revoke” button under it."""

    def __init__(self, *args, revoke_url_name, **kwargs):
        super().__init__(*args, **kwargs)
        self.revoke_url_name = revoke_url_name

    def get_buttons(self, instance, parent_context):
        return [
            ListingButton(
                "Revoke",
                url=reverse(self.revoke_url_name, args=(instance.pk,)),
                icon_name="lock",
                attrs={"aria-label": f"Revoke the shared password of “{instance.page.title}”"},
            )
        ]


class SharedPasswordMixin(PermissionCheckedMixin, WagtailAdminTemplateMixin):
    permission_policy = ModelPermissionPolicy(AccessPass)
    header_icon = "password"
    index_url_name = None
    revoke_url_name = None

    def dispatch(self, request, *args, **kwargs):
        if not shared_passwords_allowed():
            raise Http404("Shared passwords are turned off.")
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": "Shared passwords"},
        ]


class SharedPasswordIndexView(SharedPasswordMixin, TemplateView):
    any_permission_required = PASS_ACTIONS
    template_name = "showreels/admin/shared_passwords.html"
    page_title = "Shared passwords"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_table(self):
        return Table(
            [
                SharedPasswordPageColumn(
                    "page",
                    label="Page",
                    accessor="page.get_admin_display_title",
                    get_url=lambda row: reverse("wagtailadmin_pages:edit", args=(row.page.pk,)),
                    revoke_url_name=self.revoke_url_name,
                ),
                Column("unlocks", label="Unlocks it gave"),
                MomentColumn("last_unlock", label="Last unlock", empty_value_display="Never"),
            ],
            shared_passwords(),
            caption="Shared page passwords",
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["table"] = self.get_table()
        return context


class SharedPasswordRevokeView(SharedPasswordMixin, TemplateView):
    """Ask, then replace the shared password with a random one that nobody knows."""

    permission_required = "change"
    template_name = "showreels/admin/shared_password_revoke.html"
    page_title = "Revoke shared password"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.restriction = get_object_or_404(
            PageViewRestriction.objects.select_related("page"),
            pk=kwargs["pk"],
            restriction_type=PageViewRestriction.PASSWORD,
        )

    def get_page_subtitle(self):
        return self.restriction.page.get_admin_display_title()

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": "Revoke"}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            page=self.restriction.page,
            revoke_url=reverse(self.revoke_url_name, args=(self.restriction.pk,)),
            cancel_url=reverse(self.index_url_name),
            edit_url=reverse("wagtailadmin_pages:edit", args=(self.restriction.page.pk,)),
        )
        return context

    def post(self, request, *args, **kwargs):
        self.restriction.password = secrets.token_urlsafe(24)
        # Logged in the page's history as a change of its privacy.
        self.restriction.save(user=request.user)
        messages.success(
            request,
            f"The shared password of “{self.restriction.page.title}” is revoked: whoever "
            "unlocked the page with it sees the password form on their next visit. Access "
            "passes keep working.",
        )
        return redirect(self.index_url_name)


class SharedPasswordViewSet(ViewSet):
    name = "shared_passwords"
    url_prefix = "shared-passwords"
    icon = "password"
    menu_label = "Shared passwords"
    menu_order = 150

    @cached_property
    def menu_item_class(self):
        class SharedPasswordsMenuItem(AdminMenuItem):
            def is_shown(self, request):
                return shared_passwords_allowed() and manages_passes(request.user)

        return SharedPasswordsMenuItem

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            index_url_name=self.get_url_name("index"),
            revoke_url_name=self.get_url_name("revoke"),
            header_icon=self.icon,
            **kwargs,
        )

    def get_urlpatterns(self):
        return [
            path("", self.construct_view(SharedPasswordIndexView), name="index"),
            path(
                "revoke/<int:pk>/",
                self.construct_view(SharedPasswordRevokeView),
                name="revoke",
            ),
        ]


class ShowreelAccessGroup(ModelViewSetGroup):
    menu_label = "Showreel access"
    menu_icon = "key"
    menu_order = 320
    items = (AccessPassViewSet, SharedPasswordViewSet, UnlockAttemptViewSet)
