"""The home page, the about statement, the contact form and the site-wide settings."""

import logging

from django import forms
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.template.response import TemplateResponse
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.forms import FormBuilder
from wagtail.contrib.forms.models import (
    AbstractEmailForm,
    AbstractFormField,
    AbstractFormSubmission,
)
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from gallery.models import Video
from gallery.pages import LibraryImagesMixin
from gallery.players import stream_for
from home.blocks import AboutStreamBlock
from showreels.clients import client_key
from showreels.privacy import CheckedViewRestrictions, pages_showing, visible_pages

logger = logging.getLogger(__name__)

# How many of the newest videos the home page looks through for one a visitor may see.
LATEST_VIDEOS_LOOKED_AT = 10


@register_setting(icon="site")
class PortfolioSettings(BaseSiteSetting):
    """Who the site belongs to, how to reach him, and where else he is."""

    @classmethod
    def for_site(cls, site):
        """The site's settings; until the owner first saves them, their defaults, unsaved
        (Wagtail creates the row on first read: a visitor's page view would write)."""
        if site is None:
            raise cls.DoesNotExist(f"{cls.__name__} does not exist for site None.")
        return cls.base_queryset().filter(site=site).first() or cls(site=site)

    owner_name = models.CharField(max_length=120, default="")
    owner_role = models.CharField(
        max_length=200,
        blank=True,
        help_text="E.g. “Behind-the-scenes videomaker and set photographer”.",
    )
    default_photo_credit = models.CharField(
        max_length=120,
        blank=True,
        help_text=(
            "Shown for photos that have no credit of their own. A gallery whose photos all "
            "have the same credit shows it once, below the gallery."
        ),
    )
    contact_email = models.EmailField(blank=True)
    instagram_url = models.URLField("Instagram", blank=True)
    vimeo_url = models.URLField("Vimeo", blank=True)
    youtube_url = models.URLField("YouTube", blank=True)
    imdb_url = models.URLField("IMDb", blank=True)
    linkedin_url = models.URLField("LinkedIn", blank=True)
    default_social_image = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown when a page shared on social media has no image of its own.",
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("owner_name"),
                FieldPanel("owner_role"),
                FieldPanel("default_photo_credit"),
            ],
            heading="Owner",
        ),
        FieldPanel("contact_email"),
        MultiFieldPanel(
            [
                FieldPanel("instagram_url"),
                FieldPanel("vimeo_url"),
                FieldPanel("youtube_url"),
                FieldPanel("imdb_url"),
                FieldPanel("linkedin_url"),
            ],
            heading="Social links",
        ),
        FieldPanel("default_social_image"),
    ]

    class Meta:
        verbose_name = "portfolio settings"

    def social_links(self):
        links = [
            ("Instagram", self.instagram_url),
            ("Vimeo", self.vimeo_url),
            ("YouTube", self.youtube_url),
            ("IMDb", self.imdb_url),
            ("LinkedIn", self.linkedin_url),
        ]
        return [{"label": label, "url": url} for label, url in links if url]

    def same_as(self):
        return [link["url"] for link in self.social_links()]


class HomePage(CheckedViewRestrictions, LibraryImagesMixin, Page):
    """The landing page: who he is, a hero image or clip, and the films he chose to feature."""

    hero_image = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_video = models.ForeignKey(
        "gallery.Video",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A short silent loop shown instead of the hero image where motion is welcome.",
    )
    intro = RichTextField(blank=True, features=["bold", "italic", "link"])
    featured_video = models.ForeignKey(
        "gallery.Video",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=(
            "The video shown first, below the introduction. Leave empty to show your latest "
            "video from a public film sheet."
        ),
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel([FieldPanel("hero_image"), FieldPanel("hero_video")], heading="Hero"),
        FieldPanel("intro"),
        FieldPanel("featured_video"),
        InlinePanel("featured_films", label="Featured film sheets", max_num=12),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "home.AboutPage",
        "home.ContactPage",
        "filmsheets.FilmIndexPage",
        "showreels.ShowreelPage",
        "showreels.ShowreelIndexPage",
    ]
    max_count = 1
    template = "home/home_page.html"
    lead_image_field = "hero_image"
    lead_image_presets = ("hero",)
    body_field = None

    class Meta:
        verbose_name = "home page"

    def featured_sheets(self, request):
        featured = (
            self.featured_films.select_related("film_sheet__key_image")
            .prefetch_related("film_sheet__roles", "film_sheet__key_image__renditions")
            .filter(film_sheet__live=True)
        )
        return visible_pages(request, [item.film_sheet for item in featured])

    def video_first(self, request):
        """{"video", "shown_on", "stream"}: the chosen video, else the newest processed
        video of a page this request may see; None when there is none."""
        chosen = self.featured_video
        candidates = [chosen] if chosen is not None and chosen.is_ready else []
        candidates += list(
            Video.objects.filter(processing_status=Video.Status.READY)
            .exclude(pk=getattr(chosen, "pk", None))
            .select_related("poster")
            .order_by("-created_at")[:LATEST_VIDEOS_LOOKED_AT]
        )
        for video in candidates:
            shown_on = [page for page in pages_showing(request, video) if page.pk != self.pk]
            if video == chosen or shown_on:
                return {
                    "video": video,
                    "caption": video.title,
                    "shown_on": shown_on[0] if shown_on else None,
                    "stream": stream_for(request, self, video),
                }
        return None

    def section(self, model):
        """The first live child page of a type: where “about” and “contact” links go."""
        return model.objects.child_of(self).live().first()

    def hero_poster(self):
        return self.hero_video.poster if self.hero_video else None

    def rendition_needs(self):
        needs = super().rendition_needs()
        if self.hero_poster():
            needs.append((self.hero_poster(), ("hero",)))
        if self.featured_video and self.featured_video.poster:
            needs.append((self.featured_video.poster, ("wide",)))
        return needs

    def route(self, request, path_components):
        """The page a URL names, found by its path in two queries (with its lead image)
        rather than by Wagtail's walk down the tree, two queries a level. The walk still
        answers any URL that names no page itself (a page's own sub-routes, a 404)."""
        if path_components:
            url_path = f"{self.url_path}{'/'.join(path_components)}/"
            found = (
                Page.objects.filter(url_path=url_path).values_list("pk", "content_type_id").first()
            )
            model = ContentType.objects.get_for_id(found[1]).model_class() if found else None
            if model is not None:
                lead_image = getattr(model, "lead_image_field", None)
                pages = model.objects.select_related(lead_image) if lead_image else model.objects
                return pages.get(pk=found[0]).route(request, [])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        self.prefetch_library(extra_images=[self.hero_poster()])
        context["featured_sheets"] = self.featured_sheets(request)
        context["video_first"] = self.video_first(request)
        links = [p for p in (self.section(AboutPage), self.section(ContactPage)) if p]
        context["about_page"], context["contact_page"] = (
            next((p for p in visible_pages(request, links) if isinstance(p, cls)), None)
            for cls in (AboutPage, ContactPage)
        )
        return context


class FeaturedFilm(Orderable):
    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_films")
    film_sheet = models.ForeignKey(
        "filmsheets.FilmSheetPage", on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("film_sheet")]


class AboutPage(CheckedViewRestrictions, LibraryImagesMixin, Page):
    """The statement: his path, his way of editing, the people he works with."""

    portrait = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(AboutStreamBlock(), blank=True, use_json_field=True)

    content_panels = [*Page.content_panels, FieldPanel("portrait"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1
    template = "home/about_page.html"
    lead_image_field = "portrait"
    lead_image_presets = ("portrait",)

    class Meta:
        verbose_name = "about page"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        self.prefetch_library()
        return context


class ContactFormField(AbstractFormField):
    page = ParentalKey("ContactPage", on_delete=models.CASCADE, related_name="form_fields")


class ContactSubmission(AbstractFormSubmission):
    """A stored message; kept even when the email to the owner cannot be sent."""

    client = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    email_sent = models.BooleanField(default=False, editable=False)


# The hyphen keeps the trap apart from the owner's fields: Wagtail names those in snake_case
# from their labels, so a field the owner labels “Website” can never be taken for the trap.
HONEYPOT_FIELD = "website-url"


class ContactFormBuilder(FormBuilder):
    """The owner's fields plus a honeypot that people never see and bots fill in."""

    @property
    def formfields(self):
        fields = super().formfields
        fields[HONEYPOT_FIELD] = forms.CharField(
            required=False,
            label="Leave this field empty",
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )
        return fields


class ContactPage(CheckedViewRestrictions, AbstractEmailForm):
    """A form for productions to get in touch or ask to see a private showreel."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])
    thank_you_text = RichTextField(blank=True, features=["bold", "italic", "link"])
    form_builder = ContactFormBuilder

    content_panels = [
        *AbstractEmailForm.content_panels,
        FormSubmissionsPanel(),
        FieldPanel("intro"),
        InlinePanel("form_fields", label="Form fields"),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
                FieldPanel("subject"),
            ],
            heading="Email",
        ),
    ]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1
    template = "home/contact_page.html"
    landing_page_template = "home/contact_page_landing.html"

    class Meta:
        verbose_name = "contact page"

    def get_submission_class(self):
        return ContactSubmission

    def is_rate_limited(self, client):
        window_start = timezone.now() - timezone.timedelta(seconds=settings.CONTACT_WINDOW)
        recent = ContactSubmission.objects.filter(
            page=self, client=client, submit_time__gte=window_start
        ).count()
        return recent >= settings.CONTACT_SUBMISSIONS_PER_WINDOW

    def process_form_submission(self, form, client=""):
        """Store first, then try the email: a failed email never loses a message."""
        # Out of cleaned_data, the empty trap is neither stored nor listed in the email
        # (render_email skips fields missing from cleaned_data).
        form.cleaned_data.pop(HONEYPOT_FIELD, None)
        submission = ContactSubmission.objects.create(
            form_data=form.cleaned_data, page=self, client=client
        )
        if self.to_address:
            try:
                self.send_mail(form)
            except Exception:
                logger.exception("Contact email for submission %s could not be sent", submission.pk)
            else:
                submission.email_sent = True
                submission.save(update_fields=["email_sent"])
        return submission

    def serve(self, request, *args, **kwargs):
        if request.method != "POST":
            return super().serve(request, *args, **kwargs)
        form = self.get_form(request.POST, request.FILES, page=self, user=request.user)
        client = client_key(request)
        if self.is_rate_limited(client):
            form.add_error(
                None,
                "You have sent several messages in a short time. Please wait an hour "
                "and try again, or write by email.",
            )
            context = self.get_context(request)
            context["form"] = form
            response = TemplateResponse(request, self.get_template(request), context, status=429)
            response["Retry-After"] = str(settings.CONTACT_WINDOW)
            return response
        if form.is_valid():
            if form.cleaned_data.get(HONEYPOT_FIELD):
                logger.info("Contact form honeypot filled; message dropped")
                return self.render_landing_page(request, None, *args, **kwargs)
            submission = self.process_form_submission(form, client=client)
            return self.render_landing_page(request, submission, *args, **kwargs)
        context = self.get_context(request)
        context["form"] = form
        return TemplateResponse(request, self.get_template(request), context)
