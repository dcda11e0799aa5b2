"""The owner's admin for access passes: issue, read how they are used, edit, revoke.

A pass's password is shown once, in the response to the form that issues it, and is
stored only hashed: no page of the admin can show it again.
"""

import django_filters
from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.functional import cached_property
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import Button
from wagtail.log_actions import log
from wagtail.permission_policies import BasePermissionPolicy, ModelPermissionPolicy

from showreels.forms import AccessPassCreateForm, AccessPassEditForm
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


class AccessPassIndexView(generic.IndexView):
    revoke_url_name = None

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("page")

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
        context = {
            "view": self,
            "object": self.object,
            "password": self.password,
            "page_url": self.object.page.specific.get_full_url(self.request),
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
    inspect_url_name = None


class AccessPassInspectView(RevokeButtonMixin, generic.InspectView):
    template_name = "showreels/admin/access_pass_inspect.html"
    recent_attempts = 50

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        if value in (None, ""):
            return "—"
        return value

    def get_status_display_value(self):
        return self.object.status.capitalize()

    def get_page_display_value(self):
        return self.object.page.get_admin_display_title()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["attempts"] = self.object.attempts.select_related("page").order_by("-created_at")[
            : self.recent_attempts
        ]
        return context


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
        return []

    def get_success_url(self):
        return get_valid_next_url_from_request(self.request) or reverse(self.index_url_name)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            object=self.object,
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
        DateColumn("expires_at", label="Expires", sort_key="expires_at"),
        DateColumn("first_used_at", label="First used", sort_key="first_used_at"),
        DateColumn("last_used_at", label="Last used", sort_key="last_used_at"),
        Column("use_count", label="Times used", sort_key="use_count"),
        Column("last_ip_prefix", label="Last seen from"),
        Column("last_user_agent", label="User agent"),
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
        DateColumn("created_at", label="When", sort_key="created_at"),
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


class ShowreelAccessGroup(ModelViewSetGroup):
    menu_label = "Showreel access"
    menu_icon = "key"
    menu_order = 320
    items = (AccessPassViewSet, UnlockAttemptViewSet)
