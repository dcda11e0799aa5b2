import json
from datetime import date, datetime, time, timedelta
from functools import reduce
from operator import or_

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateInput
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


# Dates as the owner reads them: the site's time zone (TIME_ZONE), day/month/year, in words.
# The site's zone, not the admin user's own (Wagtail lets each user pick one): a pass ends
# at the end of a day where the work is, and every screen and message says the same time.


def site_time(value):
    return timezone.localtime(value, timezone.get_default_timezone())


def site_today():
    return site_time(timezone.now()).date()


def end_of_day(day):
    """The last moment of a day in the site's time zone."""
    return datetime.combine(day, time.max, tzinfo=timezone.get_default_timezone())


def date_format():
    return getattr(settings, "WAGTAIL_DATE_FORMAT", "%d/%m/%Y")


def format_date(value):
    """13/12/2026: a date, or the site's local date of a moment."""
    if isinstance(value, datetime):
        value = site_time(value).date()
    return value.strftime(date_format())


def format_datetime(value):
    """13/12/2026 23:59, in the site's time zone."""
    return site_time(value).strftime(getattr(settings, "WAGTAIL_DATETIME_FORMAT", "%d/%m/%Y %H:%M"))


def format_long_date(value):
    """Sunday 13 December 2026: no day/month order to misread, whoever reads it."""
    local = site_time(value) if isinstance(value, datetime) else value
    return f"{local:%A} {local.day} {local:%B %Y}"


def site_zone_name():
    """“Rome” for Europe/Rome: how a producer abroad knows which clock the pass follows."""
    return settings.TIME_ZONE.rsplit("/", 1)[-1].replace("_", " ")


def _amount(number, unit):
    return f"{number} {unit}" if number == 1 else f"{number} {unit}s"


def in_words(value, now=None):
    """“in 14 days”, “tomorrow”, “3 hours ago”: counted in calendar days of the site's
    time zone, so a pass that ends tonight reads in hours, one that ends next Sunday in days.

    Wagtail's own date columns say “Just now” for any future moment, hence this.
    """
    now = now or timezone.now()
    days = (site_time(value).date() - site_time(now).date()).days
    future = value > now
    if days == 0:
        seconds = abs((value - now).total_seconds())
        if seconds < 60:
            return "in less than a minute" if future else "just now"
        amount = (
            _amount(int(seconds // 60), "minute")
            if seconds < 3600
            else _amount(int(seconds // 3600), "hour")
        )
    elif days == 1:
        return "tomorrow"
    elif days == -1:
        return "yesterday"
    elif abs(days) < 60:
        amount = _amount(abs(days), "day")
    elif abs(days) < 730:
        amount = _amount(abs(days) // 30, "month")
    else:
        amount = _amount(abs(days) // 365, "year")
    return f"in {amount}" if future else f"{amount} ago"


class DayMonthYearInput(AdminDateInput):
    """Wagtail's date picker, leaving a mistyped date as it was typed.

    The picker (xdsoft datetimepicker) replaces a date it cannot read with today's date
    when the field loses focus: 12/13/2026 would quietly become a pass that ends tonight,
    instead of the form saying what is wrong.
    """

    def get_config(self):
        return {**super().get_config(), "validateOnBlur": False}


class DayMonthYearField(forms.DateField):
    """A date typed or picked as day/month/year (WAGTAIL_DATE_FORMAT), and only so.

    Django's own date fields read dates in the admin language's formats, which for English
    put the month first: 12/13/2026 would pass and 13/12/2026 be refused.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", [date_format(), "%Y-%m-%d"])
        kwargs.setdefault("widget", DayMonthYearInput(format=date_format()))
        super().__init__(**kwargs)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError:
            message = self.invalid_message(str(value).strip())
            raise forms.ValidationError(message, code="invalid") from None

    def invalid_message(self, value):
        example = format_date(date(site_today().year, 12, 31))
        message = f"“{value}” is not a date written day/month/year, such as {example}."
        try:
            month_first = datetime.strptime(value, "%m/%d/%Y").date()
        except ValueError:
            return message
        return (
            f"{message} Did you mean {format_date(month_first)} ({format_long_date(month_first)})?"
        )


class PassExpiryFields(WagtailAdminModelForm):
    """How long a pass works: a few days from today, until a chosen day, or with no end.

    A pass works to the end of its last day in the site's time zone. The choice sets
    `cleaned_data["expires_at"]`.
    """

    QUICK_DAYS = (7, 14, 30)
    UNTIL_DATE, NO_END = "date", "none"

    valid_for = forms.ChoiceField(label="Valid for", widget=forms.RadioSelect)
    expires_on = DayMonthYearField(
        label="Last day",
        required=False,
        help_text="Day/month/year. The pass works until the end of that day (site time).",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        last_day = self.fields["expires_on"]
        # The last day counts only with “Until a date”: the page hides and disables it for
        # any other choice (Wagtail's w-rules controller), and a date left in it then is
        # ignored rather than stopping the form with an error nobody can see.
        rule = json.dumps({self.add_prefix("valid_for"): [self.UNTIL_DATE]})
        last_day.widget.attrs.update({"data-w-rules-target": "enable", "data-w-rules": rule})
        if self.is_bound and self.data.get(self.add_prefix("valid_for")) != self.UNTIL_DATE:
            last_day.disabled = True
        today = site_today()
        self.fields["valid_for"].choices = [
            *self.extra_expiry_choices(),
            *(
                (str(days), f"{days} days, until {format_date(today + timedelta(days=days))}")
                for days in self.QUICK_DAYS
            ),
            (self.UNTIL_DATE, "Until a date"),
            (self.NO_END, "No end date (until you revoke it)"),
        ]

    def extra_expiry_choices(self):
        return []

    def expiry_for(self, choice, last_day):
        if choice.isdigit():
            return end_of_day(site_today() + timedelta(days=int(choice)))
        if choice == self.NO_END:
            return None
        if choice == self.UNTIL_DATE:
            if last_day is None:
                raise forms.ValidationError("Choose the last day the pass works.", code="required")
            if last_day < site_today():
                raise forms.ValidationError(
                    f"{format_date(last_day)} is already over: choose today or a later day.",
                    code="past",
                )
            return end_of_day(last_day)
        raise forms.ValidationError("Choose how long the pass is valid.", code="invalid")

    def clean(self):
        cleaned_data = super().clean()
        choice = cleaned_data.get("valid_for")
        if choice is None or "expires_on" in self.errors:
            return cleaned_data
        try:
            cleaned_data["expires_at"] = self.expiry_for(choice, cleaned_data.get("expires_on"))
        except forms.ValidationError as error:
            self.add_error("expires_on", error)
        return cleaned_data


class AccessPassCreateForm(PassExpiryFields):
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
        fields = ["label", "page", "notify_on_play"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["page"].queryset = password_protected_pages()
        self.fields["valid_for"].initial = "14"

    def clean_page(self):
        page = self.cleaned_data["page"]
        # The list is built when the form is shown; privacy may have changed since.
        if not password_protected_pages().filter(pk=page.pk).exists():
            raise forms.ValidationError(
                f"“{page.title}” is public, so a pass would have nothing to open. Make it private "
                "with a shared password first (the page's ⋯ menu, “Privacy”)."
            )
        return page


class AccessPassEditForm(PassExpiryFields):
    """Only the label and the expiry change; the password and the page never do.

    Days are counted from today. To end a pass at once, revoke it.
    """

    KEEP = "keep"

    class Meta:
        model = AccessPass
        fields = ["label", "notify_on_play"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["valid_for"].initial = self.KEEP
        self.fields[
            "valid_for"
        ].help_text = "Days are counted from today. To end the pass now, use “Revoke”."
        if self.instance.expires_at is not None:
            self.fields["expires_on"].initial = site_time(self.instance.expires_at).date()

    def extra_expiry_choices(self):
        expires_at = self.instance.expires_at
        if expires_at is None:
            current = "no end date"
        elif expires_at <= timezone.now():
            current = f"ended {format_datetime(expires_at)} ({in_words(expires_at)})"
        else:
            current = f"until {format_datetime(expires_at)} ({in_words(expires_at)})"
        return [(self.KEEP, f"Keep as it is: {current}")]

    def expiry_for(self, choice, last_day):
        if choice == self.KEEP:
            return self.instance.expires_at
        return super().expiry_for(choice, last_day)

    def save(self, commit=True):
        self.instance.expires_at = self.cleaned_data["expires_at"]
        return super().save(commit=commit)
