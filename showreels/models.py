"""Private work: showreels, the sections that hold them, access passes and unlock attempts."""

import math
import secrets

from django import forms
from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.db import models
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from gallery.blocks import BackstageStreamBlock
from gallery.pages import LibraryImagesMixin
from showreels import privacy
from showreels.privacy import visible_pages
from showreels.screening_forms import MoreTimeForm


def screening_terms_field():
    """What a producer accepts before the first viewing (see showreels.screening)."""
    return RichTextField(
        "terms of viewing",
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
        help_text=(
            "If filled in, a producer must accept these terms (a confidentiality notice, "
            "say) before the first viewing with a pass, and again whenever you change them. "
            "They apply to this page and everything below it."
        ),
    )


class ShowreelPage(privacy.CheckedViewRestrictions, LibraryImagesMixin, Page):
    """A showreel or one specific work, shown only to producers who hold a pass."""

    # Never public, wherever a copy, move or alias puts it (see showreels.privacy).
    private_by_type = True

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])
    body = StreamField(BackstageStreamBlock(), blank=True, use_json_field=True)
    related_films = ParentalManyToManyField(
        "filmsheets.FilmSheetPage", blank=True, related_name="showreels"
    )

    screening_terms = screening_terms_field()
    screening_mark = models.BooleanField(
        "show the screening mark",
        default=True,
        help_text=(
            "Writes “Screening copy for …” with the pass's label over the video while a "
            "producer watches, so a filmed screen names its source."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("related_films", widget=forms.CheckboxSelectMultiple),
        FieldPanel("screening_terms"),
        FieldPanel("screening_mark"),
    ]

    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["home.HomePage", "showreels.ShowreelIndexPage"]
    subpage_types = []
    template = "showreels/showreel_page.html"

    class Meta:
        verbose_name = "showreel"
        permissions = [
            (
                "view_private_work",
                "Can see every private showreel on the site without a pass",
            )
        ]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        self.prefetch_library()
        context["access_pass"] = privacy.pass_for(request, self)
        if context["access_pass"] is not None:
            context["more_time_form"] = MoreTimeForm()
            context["more_time"] = request.GET.get("more-time", "")
        context["related_films"] = visible_pages(
            request, self.related_films.live().order_by("-year")
        )
        return context


class ShowreelIndexPage(privacy.CheckedViewRestrictions, Page):
    """A section holding several showreels; a pass for it opens every showreel inside."""

    private_by_type = True

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    screening_terms = screening_terms_field()

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("screening_terms")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["showreels.ShowreelPage"]
    template = "showreels/showreel_index_page.html"

    class Meta:
        verbose_name = "private work section"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["showreels"] = visible_pages(
            request, ShowreelPage.objects.child_of(self).live().defer_streamfields()
        )
        return context


PASS_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # noqa: S105 - letters, not a password
HMAC_PREFIX = "hmac-sha256$"


def generate_pass_password():
    """A pass that reads aloud: five groups of five letters and digits.

    The first group is the lookup key; the other twenty characters carry
    20 × log2(31) ≈ 99 bits of randomness, far beyond guessing.
    """
    return "-".join("".join(secrets.choice(PASS_ALPHABET) for _ in range(5)) for _ in range(5))


def pass_digest(raw_password, secret=None):
    """A keyed hash of a generated pass: fast to check, useless without the secret key.

    A slow hash (PBKDF2) protects passwords people choose; a generated pass has too much
    randomness to guess, and a slow hash would only make each wrong guess cost the server.
    """
    return salted_hmac(
        "showreels.AccessPass", raw_password, secret=secret, algorithm="sha256"
    ).hexdigest()


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
    notify_on_play = models.BooleanField(
        "email me when it starts watching",
        default=True,
        help_text="An email the first time this pass plays each video.",
    )

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
        self.password_hash = HMAC_PREFIX + pass_digest(raw_password)

    def check_password(self, raw_password):
        """Whether this is the pass's password. Passes issued before keyed hashes (PBKDF2)
        are checked the slow way once, then stored with the keyed hash."""
        if not self.password_hash.startswith(HMAC_PREFIX):
            if not check_password(raw_password, self.password_hash):
                return False
            self.set_password(raw_password)
            type(self).objects.filter(pk=self.pk).update(password_hash=self.password_hash)
            return True
        stored = self.password_hash.removeprefix(HMAC_PREFIX)
        # Keys rotated with SECRET_KEY_FALLBACKS keep their passes working.
        secrets_in_use = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
        return any(
            constant_time_compare(stored, pass_digest(raw_password, secret))
            for secret in secrets_in_use
        )

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
    """Every password checked on a private page: the rate limits count the failures, the owner
    reads them. Attempts refused by a limit are not checked and not logged one by one: they
    are counted in UnlockRefusal."""

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
    section = models.ForeignKey(
        Page,
        null=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The protected page whose restriction the password was tried against.",
    )
    access_pass = models.ForeignKey(
        AccessPass, null=True, blank=True, on_delete=models.SET_NULL, related_name="attempts"
    )
    outcome = models.CharField(max_length=16, choices=OUTCOMES)
    client = models.CharField(
        max_length=64, help_text="Keyed hash of the client's network (IPv4 address, IPv6 /64)."
    )
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["client", "page", "created_at"]),
            models.Index(fields=["section", "outcome", "created_at"]),
        ]

    def __str__(self):
        return f"{self.get_outcome_display()} on page {self.page_id} from {self.client}"


class UnlockRefusal(models.Model):
    """How many attempts a limit refused, per section, client network and window.

    One row per limit that tripped, however long the flood: `client` is the network's key,
    or ALL_CLIENTS when the ceiling across every client of the section tripped.
    """

    ALL_CLIENTS = "*"

    section = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="+")
    client = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    refused = models.PositiveIntegerField(default=0)
    first_at = models.DateTimeField(default=timezone.now)
    last_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "client", "window_start"], name="one_refusal_count_per_window"
            )
        ]

    def __str__(self):
        return f"{self.refused} refused on page {self.section_id}"


class TermsAcceptance(models.Model):
    """A producer accepted the terms of viewing of a section with his pass."""

    access_pass = models.ForeignKey(
        AccessPass, on_delete=models.CASCADE, related_name="terms_acceptances"
    )
    page = models.ForeignKey(
        Page, on_delete=models.CASCADE, related_name="+", help_text="Where the terms are set."
    )
    terms_digest = models.CharField(max_length=64, help_text="SHA-256 of the terms accepted.")
    terms_text = models.TextField(help_text="The terms as they read when accepted.")
    accepted_at = models.DateTimeField(default=timezone.now)
    client = models.CharField("from", max_length=64, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-accepted_at"]
        indexes = [models.Index(fields=["access_pass", "page", "terms_digest"])]

    def __str__(self):
        return f"Terms of page {self.page_id} accepted with {self.access_pass}"


class MoreTimeRequest(models.Model):
    """A producer's request to keep watching after his pass expires."""

    access_pass = models.ForeignKey(
        AccessPass, on_delete=models.CASCADE, related_name="more_time_requests"
    )
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="+")
    message = models.TextField(max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)
    email_sent = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"More time asked for {self.access_pass}"


class WatchRecord(models.Model):
    """What one pass watched of one video, from the segments its sessions fetched.

    `segments` holds, for each segment of the video's timeline (segment_seconds long, the
    last one shorter), how many times it was fetched: 0 never, 1 watched, 2 and more
    watched again in a later viewing (see showreels.watching).
    """

    access_pass = models.ForeignKey(
        AccessPass, on_delete=models.CASCADE, related_name="watch_records"
    )
    video = models.ForeignKey("gallery.Video", on_delete=models.CASCADE, related_name="+")
    segment_seconds = models.PositiveSmallIntegerField()
    duration = models.FloatField(help_text="The video's length in seconds when watched.")
    segments = models.JSONField(default=list)
    first_played_at = models.DateTimeField(default=timezone.now)
    last_played_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_played_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["access_pass", "video"], name="one_watch_record_per_pass_and_video"
            )
        ]

    def __str__(self):
        return f"{self.access_pass} watched video {self.video_id}"

    @property
    def segment_count(self):
        if self.segment_seconds <= 0 or self.duration <= 0:
            return len(self.segments)
        return max(1, math.ceil(self.duration / self.segment_seconds - 1e-6))

    def segment_span(self, index):
        """(start, end) in seconds of one segment."""
        start = index * self.segment_seconds
        return start, min(start + self.segment_seconds, self.duration or start)

    def counts(self):
        """Fetch counts for every segment of the timeline, 0 where never fetched."""
        counts = list(self.segments[: self.segment_count])
        return counts + [0] * (self.segment_count - len(counts))

    @property
    def watched_seconds(self):
        return sum(
            end - start
            for number, count in enumerate(self.counts())
            if count
            for start, end in [self.segment_span(number)]
        )

    @property
    def watched_percent(self):
        if not self.duration:
            return 0
        return round(100 * self.watched_seconds / self.duration)

    def runs(self):
        """The timeline as runs of equal state: [(start, end, state)], state being
        "unwatched", "watched" or "replayed"."""
        runs = []
        for number, count in enumerate(self.counts()):
            state = "unwatched" if not count else ("watched" if count == 1 else "replayed")
            start, end = self.segment_span(number)
            if runs and runs[-1][2] == state:
                runs[-1] = (runs[-1][0], end, state)
            else:
                runs.append((start, end, state))
        return runs

    def replayed_runs(self):
        return [(start, end) for start, end, state in self.runs() if state == "replayed"]
