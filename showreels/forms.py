from functools import reduce
from operator import or_

from django import forms
from django.db.models import Q
from django.utils import timezone
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.models import Page, PageViewRestriction

from showreels.models import AccessPass


class UnlockForm(forms.Form):
    password = forms.CharField(
        label="Password",
        max_length=200,
        strip=True,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )


def password_protected_pages():
    """Pages a pass can open: those with a shared-password restriction on them or above them."""
    paths = PageViewRestriction.objects.filter(
        restriction_type=PageViewRestriction.PASSWORD
    ).values_list("page__path", flat=True)
    if not paths:
        return Page.objects.none()
    return Page.objects.filter(reduce(or_, (Q(path__startswith=path) for path in paths))).order_by(
        "path"
    )


class PrivatePageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        # Indented by depth, so a section and the showreels inside it read as a tree.
        indent = "\u2003" * max(obj.depth - 3, 0)
        return f"{indent}{obj.title}"


class AccessPassCreateForm(WagtailAdminModelForm):
    page = PrivatePageChoiceField(
        queryset=Page.objects.none(),
        empty_label="Choose a private page…",
        help_text=(
            "The pass opens this page and every page below it. Only pages protected by a "
            "password are listed: to issue a pass for another page, first make it private "
            "(the page's ⋯ menu, “Privacy”, “Private, accessible with a shared password”)."
        ),
    )

    class Meta:
        model = AccessPass
        fields = ["label", "page", "expires_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["page"].queryset = password_protected_pages()

    def clean_page(self):
        page = self.cleaned_data["page"]
        # The list is built when the form is shown; privacy may have changed since.
        if not password_protected_pages().filter(pk=page.pk).exists():
            raise forms.ValidationError(
                f"“{page.title}” is public, so a pass would have nothing to open. Make it private "
                "with a shared password first (the page's ⋯ menu, “Privacy”)."
            )
        return page

    def clean_expires_at(self):
        expires_at = self.cleaned_data.get("expires_at")
        if expires_at and expires_at <= timezone.now():
            raise forms.ValidationError("Choose a time in the future, or leave empty.")
        return expires_at


class AccessPassEditForm(WagtailAdminModelForm):
    """Only the label and the expiry change; the password and the page never do."""

    class Meta:
        model = AccessPass
        fields = ["label", "expires_at"]
        help_texts = {
            "expires_at": (
                "Leave empty for a pass that does not expire. A time in the past ends the "
                "pass now: its holders see the password form on their next visit."
            )
        }
