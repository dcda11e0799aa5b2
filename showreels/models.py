"""Private work: showreels, the sections that hold them, access passes and unlock attempts."""

import secrets

from django import forms
from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from gallery.blocks import BackstageStreamBlock
from gallery.pages import LibraryImagesMixin
from showreels.privacy import visible_pages


class ShowreelPage(LibraryImagesMixin, Page):
    """A showreel or one specific work, shown only to producers who hold a pass."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])
    body = StreamField(BackstageStreamBlock(), blank=True, use_json_field=True)
    related_films = ParentalManyToManyField(
        "filmsheets.FilmSheetPage", blank=True, related_name="showreels"
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("related_films", widget=forms.CheckboxSelectMultiple),
    ]

    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["home.HomePage", "showreels.ShowreelIndexPage"]
    subpage_types = []
    template = "showreels/showreel_page.html"

    class Meta:
        verbose_name = "showreel"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        self.prefetch_library()
        context["related_films"] = visible_pages(
            request, self.related_films.live().order_by("-year")
        )
        return context


class ShowreelIndexPage(Page):
    """A section holding several showreels; a pass for it opens every showreel inside."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["showreels.ShowreelPage"]
    template = "showreels/showreel_index_page.html"

    class Meta:
        verbose_name = "private work section"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["showreels"] = visible_pages(
            request, ShowreelPage.objects.child_of(self).live().specific()
        )
        return context


def generate_pass_password():
    """A strong password that reads aloud: five groups of five letters and digits."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(5)) for _ in range(5))


class AccessPassQuerySet(models.QuerySet):
    def usable(self):
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class AccessPass(models.Model):
    """A password the owner gives one producer or production for one private page or section."""

    label = models.CharField(
        max_length=200, help_text="Who this pass is for, e.g. “Line producer, Northlight Films”."
    )
    page = models.ForeignKey(
        Page,
        on_delete=models.CASCADE,
        related_name="access_passes",
        help_text="The private page or section this pass opens (with everything below it).",
    )
    lookup_key = models.CharField(max_length=5, unique=True, editable=False)
    password_hash = models.CharField(max_length=256, editable=False)
    expires_at = models.DateTimeField(
        "expires", null=True, blank=True, help_text="Leave empty for a pass that does not expire."
    )
    revoked_at = models.DateTimeField("revoked", null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, editable=False
    )
    first_used_at = models.DateTimeField("first used", null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField("last used", null=True, blank=True, editable=False)
    use_count = models.PositiveIntegerField("times used", default=0, editable=False)
    last_ip_prefix = models.CharField("last seen from", max_length=64, blank=True, editable=False)
    last_user_agent = models.CharField(max_length=300, blank=True, editable=False)

    objects = AccessPassQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "access pass"
        verbose_name_plural = "access passes"

    def __str__(self):
        return self.label

    @classmethod
    def issue(cls, *, label, page, expires_at=None, created_by=None):
        """Create a pass; returns it with its password, which is stored only hashed."""
        while True:
            password = generate_pass_password()
            if not cls.objects.filter(lookup_key=password[:5]).exists():
                break
        access_pass = cls(
            label=label,
            page=page,
            expires_at=expires_at,
            created_by=created_by,
            lookup_key=password[:5],
        )
        access_pass.set_password(password)
        access_pass.save()
        return access_pass, password

    def revoke(self):
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])

    def set_password(self, raw_password):
        self.password_hash = make_password(raw_password)

    def check_password(self, raw_password):
        return check_password(raw_password, self.password_hash)

    @property
    def is_revoked(self):
        return self.revoked_at is not None

    @property
    def is_expired(self):
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def status(self):
        if self.is_revoked:
            return "revoked"
        if self.is_expired:
            return "expired"
        return "active"


class UnlockAttempt(models.Model):
    """Every password tried on a private page: the rate limit counts these, the owner reads them."""

    SUCCESS = "success"
    WRONG = "wrong"
    EXPIRED = "expired"
    REVOKED = "revoked"
    LIMITED = "limited"
    OUTCOMES = [
        (SUCCESS, "Unlocked"),
        (WRONG, "Wrong password"),
        (EXPIRED, "Expired pass"),
        (REVOKED, "Revoked pass"),
        (LIMITED, "Refused: too many attempts"),
    ]

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="+")
    access_pass = models.ForeignKey(
        AccessPass, null=True, blank=True, on_delete=models.SET_NULL, related_name="attempts"
    )
    outcome = models.CharField(max_length=16, choices=OUTCOMES)
    client = models.CharField(max_length=64, help_text="Network prefix of the client.")
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["client", "page", "created_at"])]

    def __str__(self):
        return f"{self.get_outcome_display()} on page {self.page_id} from {self.client}"
