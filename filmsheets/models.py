"""The film index and the technical data sheet of each film."""

from django import forms
from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.functional import cached_property
from django.utils.text import slugify
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from filmsheets.validators import validate_film_year
from gallery.blocks import BackstageStreamBlock
from gallery.pages import LibraryImagesMixin
from showreels.privacy import CheckedViewRestrictions, visible_pages


class FilmRole(models.Model):
    """What the owner did on a film: BTS video unit, backstage photographer, scene photographer."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = "role on set"
        verbose_name_plural = "roles on set"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)
        super().save(*args, **kwargs)


register_snippet(FilmRole)


class CreditRole(models.Model):
    """A crew role as credits name it (director of photography, editor, …); the owner adds
    the ones he needs."""

    name = models.CharField(max_length=80, unique=True)
    sort_order = models.PositiveSmallIntegerField(
        default=100, help_text="Where the role comes in a list of roles (smaller first)."
    )

    panels = [FieldPanel("name"), FieldPanel("sort_order")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = "crew role"
        verbose_name_plural = "crew roles"

    def __str__(self):
        return self.name


register_snippet(CreditRole)


class FilmIndexPage(CheckedViewRestrictions, Page):
    """The published film sheets, newest first, filterable by role and year."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])
    sheets_per_page = 12

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["filmsheets.FilmSheetPage"]
    max_count_per_parent = 1
    template = "filmsheets/film_index_page.html"

    class Meta:
        verbose_name = "film index"

    def film_sheets(self, request):
        """The film sheets this request may see, newest first."""
        sheets = (
            FilmSheetPage.objects.child_of(self)
            .live()
            .defer_streamfields()  # a card shows none of a sheet's galleries
            .select_related("key_image")
            .prefetch_related("roles", "key_image__renditions")
            .order_by("-year", "title")
        )
        return visible_pages(request, sheets)

    def get_filters(self, request, sheets):
        """The role and year asked for, ignoring values that make no sense."""
        roles = {role.slug: role for role in FilmRole.objects.all()}
        role = roles.get(request.GET.get("role", ""))
        years = sorted({sheet.year for sheet in sheets if sheet.year}, reverse=True)
        # Matched as text against the years on offer: no int() of untrusted input, which
        # fails on digits such as "²" or on thousands of them.
        asked = request.GET.get("year", "")
        year = next((y for y in years if str(y) == asked), None)
        return {"roles": list(roles.values()), "role": role, "years": years, "year": year}

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        sheets = self.film_sheets(request)
        filters = self.get_filters(request, sheets)
        if filters["role"]:
            sheets = [s for s in sheets if filters["role"] in s.roles.all()]
        if filters["year"]:
            sheets = [s for s in sheets if s.year == filters["year"]]
        paginator = Paginator(sheets, self.sheets_per_page)
        try:
            page = paginator.page(request.GET.get("page", 1))
        except (PageNotAnInteger, EmptyPage):
            page = paginator.page(1)
        context.update(filters=filters, sheets=page, paginator=paginator)
        return context


class FilmSheetPage(CheckedViewRestrictions, LibraryImagesMixin, Page):
    """The technical data sheet of one film the owner worked on."""

    original_title = models.CharField(max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(validators=[validate_film_year])
    director = models.CharField(max_length=200)
    production_company = models.CharField(max_length=200, blank=True)
    distributor = models.CharField(max_length=200, blank=True)
    country = models.CharField(max_length=120, blank=True)
    genre = models.CharField(max_length=120, blank=True)
    runtime_minutes = models.PositiveSmallIntegerField(
        "runtime (minutes)", null=True, blank=True, validators=[MinValueValidator(1)]
    )
    crew_size = models.PositiveIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)], help_text="People on the crew."
    )
    shooting_period = models.CharField(
        max_length=120, blank=True, help_text="E.g. “October to December 2018”."
    )
    locations = models.CharField(max_length=300, blank=True)
    composer = models.CharField(max_length=200, blank=True)
    roles = ParentalManyToManyField(
        FilmRole, related_name="film_sheets", help_text="What you did on this film."
    )
    official_site_url = models.URLField("official site", blank=True)
    trailer_url = models.URLField("trailer", blank=True)
    imdb_url = models.URLField("IMDb", blank=True)
    watch_url = models.URLField("where to watch", blank=True)
    key_image = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    on_set_from = models.DateField("on set from", null=True, blank=True)
    on_set_until = models.DateField(
        "on set until", null=True, blank=True, help_text="Your own days on this film."
    )
    synopsis = RichTextField(blank=True, features=["bold", "italic", "link"])
    body = StreamField(BackstageStreamBlock(), blank=True, use_json_field=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("original_title"),
                FieldRowPanel([FieldPanel("year"), FieldPanel("runtime_minutes")]),
                FieldPanel("director"),
                FieldRowPanel([FieldPanel("production_company"), FieldPanel("distributor")]),
                FieldRowPanel([FieldPanel("country"), FieldPanel("genre")]),
                FieldPanel("composer"),
            ],
            heading="The film",
        ),
        MultiFieldPanel(
            [
                FieldPanel("roles", widget=forms.CheckboxSelectMultiple),
                FieldRowPanel([FieldPanel("on_set_from"), FieldPanel("on_set_until")]),
                FieldRowPanel([FieldPanel("crew_size"), FieldPanel("shooting_period")]),
                FieldPanel("locations"),
            ],
            heading="On set",
        ),
        InlinePanel(
            "credits",
            heading="Credits",
            label="Credit",
            help_text="The crew as the credits list them; drag to reorder.",
        ),
        InlinePanel("cast", heading="Cast", label="Cast member", help_text="Principal cast."),
        MultiFieldPanel(
            [
                FieldPanel("official_site_url"),
                FieldPanel("trailer_url"),
                FieldPanel("imdb_url"),
                FieldPanel("watch_url"),
            ],
            heading="Links",
        ),
        FieldPanel("key_image"),
        FieldPanel("synopsis"),
        FieldPanel("body"),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("original_title"),
        index.SearchField("director"),
        index.SearchField("production_company"),
        index.SearchField("distributor"),
        index.SearchField("composer"),
        index.SearchField("locations"),
        index.SearchField("country"),
        index.SearchField("synopsis"),
        index.SearchField("body"),
        index.RelatedFields("credits", [index.SearchField("name")]),
        index.RelatedFields("cast", [index.SearchField("name"), index.SearchField("character")]),
        index.FilterField("year"),
    ]

    parent_page_types = ["filmsheets.FilmIndexPage"]
    subpage_types = []
    template = "filmsheets/film_sheet_page.html"
    lead_image_field = "key_image"
    # Wide: the film's image in its structured data (bts_site.structured_data).
    lead_image_presets = ("hero", "card", "wide")

    class Meta:
        verbose_name = "film sheet"

    def external_links(self):
        """The film's links that are filled in, with the label a visitor reads."""
        links = [
            ("Official site", self.official_site_url),
            ("Trailer", self.trailer_url),
            ("IMDb", self.imdb_url),
            ("Where to watch", self.watch_url),
        ]
        return [{"label": label, "url": url} for label, url in links if url]

    def technical_data(self):
        """The filled-in facts of the sheet as (label, value) pairs, in reading order."""
        facts = [
            ("Original title", self.original_title),
            ("Year", self.year),
            ("Director", self.director),
            ("Production", self.production_company),
            ("Distribution", self.distributor),
            ("Country", self.country),
            ("Genre", self.genre),
            ("Runtime", f"{self.runtime_minutes} min" if self.runtime_minutes else ""),
            ("Music", self.composer),
            ("Crew", f"{self.crew_size} people" if self.crew_size else ""),
            ("Shooting", self.shooting_period),
            ("Locations", self.locations),
        ]
        return [(label, value) for label, value in facts if value]

    @cached_property
    def credit_groups(self):
        """The credits grouped by role, in the order written: [(role, [name, ...])]."""
        groups = {}
        for credit in self.credits.select_related("role"):
            groups.setdefault(credit.role.name, []).append(credit.name)
        return list(groups.items())

    @cached_property
    def cast_list(self):
        return list(self.cast.all())

    @cached_property
    def role_list(self):
        """What the owner did on this film (read once per page view)."""
        return list(self.roles.all())

    @property
    def film_byline(self):
        """ "2018 · Sara Benedetti": the year and director, as lists show them."""
        return " · ".join(str(part) for part in (self.year, self.director) if part)

    @property
    def on_set_dates(self):
        """ "3 Oct – 12 Dec 2018", "From 3 Oct 2018", or ""."""
        start, end = self.on_set_from, self.on_set_until
        if start and end:
            if start.year == end.year:
                return f"{start:%-d %b} – {end:%-d %b %Y}"
            return f"{start:%-d %b %Y} – {end:%-d %b %Y}"
        if start:
            return f"From {start:%-d %b %Y}"
        return f"Until {end:%-d %b %Y}" if end else ""

    def neighbours(self, request):
        """The previous and next film of the index as visitors see it (newest first)."""
        films = visible_pages(
            request,
            # Titles and links only: not every film's galleries, read for each sheet shown.
            FilmSheetPage.objects.live()
            .sibling_of(self)
            .defer_streamfields()
            .order_by("-year", "title", "pk"),
        )
        ids = [film.pk for film in films]
        if self.pk not in ids:
            return None, None
        at = ids.index(self.pk)
        previous = films[at - 1] if at > 0 else None
        following = films[at + 1] if at + 1 < len(films) else None
        return previous, following

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        self.prefetch_library()
        context["showreels"] = visible_pages(request, self.showreels.live().defer_streamfields())
        context["previous_film"], context["next_film"] = self.neighbours(request)
        return context


class FilmCredit(Orderable):
    page = ParentalKey(FilmSheetPage, on_delete=models.CASCADE, related_name="credits")
    role = models.ForeignKey(CreditRole, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200, help_text="A person or a company.")

    panels = [FieldRowPanel([FieldPanel("role"), FieldPanel("name")])]

    class Meta(Orderable.Meta):
        verbose_name = "credit"

    def __str__(self):
        return f"{self.role}: {self.name}"


class FilmCastMember(Orderable):
    page = ParentalKey(FilmSheetPage, on_delete=models.CASCADE, related_name="cast")
    name = models.CharField(max_length=200)
    character = models.CharField(max_length=200, blank=True, help_text="The part played.")

    panels = [FieldRowPanel([FieldPanel("name"), FieldPanel("character")])]

    class Meta(Orderable.Meta):
        verbose_name = "cast member"

    def __str__(self):
        return self.name
