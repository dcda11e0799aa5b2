"""Builds the demo portfolio: pages, settings, generated images and clip, a private showreel.

Idempotent: what exists (identified by slug under its parent, by title for library items)
is left exactly as it is, so edits made in the admin survive a second run.
"""

import secrets
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import slugify
from wagtail.models import Collection, Page, PageViewRestriction, Site

from bts_site.demo import content
from bts_site.demo.images import jpeg_bytes, render
from bts_site.demo.video import VideoUnavailable, encode_webm, poster_frame
from filmsheets.models import FilmIndexPage, FilmRole, FilmSheetPage
from gallery.models import BackstageImage, Video
from home.models import (
    AboutPage,
    ContactFormField,
    ContactPage,
    FeaturedFilm,
    HomePage,
    PortfolioSettings,
)
from showreels.models import AccessPass, ShowreelPage

COLLECTION_NAME = "Demo backstage photos"
IMAGE_SCALES = {"full": 1.0, "small": 0.2}
VIDEO_SIZE = (960, 540)
VIDEO_SECONDS = 4
RENDER_WORKERS = 2


@dataclass
class Report:
    created: list = field(default_factory=list)
    existing: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    images_created: int = 0
    images_reused: int = 0
    video_created: bool = False
    # (page url, password) of passes issued in this run: shown once, stored only hashed.
    passes: list = field(default_factory=list)

    def summary(self):
        created = list(self.created)
        if self.images_created:
            created.append(f"{self.images_created} images")
        if self.video_created:
            created.append("1 video")
        lines = [f"Created: {', '.join(created) if created else 'nothing'}."]
        if self.existing:
            lines.append(f"Already there: {', '.join(self.existing)}.")
        if self.images_reused:
            lines.append(f"Reused {self.images_reused} images already in the library.")
        return lines


def _block(block_type, value):
    return {"type": block_type, "value": value, "id": str(uuid.uuid4())}


def _image_value(image, alt_text):
    return {"image": image.pk, "decorative": False, "alt_text": alt_text}


class DemoBuilder:
    def __init__(self, image_size="full"):
        self.scale = IMAGE_SCALES[image_size]
        self.report = Report()
        self._collection = None
        self._settings_created = False

    # Library ---------------------------------------------------------------------------

    def collection(self):
        if self._collection is None:
            root = Collection.get_first_root_node()
            self._collection = root.get_children().filter(
                name=COLLECTION_NAME
            ).first() or root.add_child(name=COLLECTION_NAME)
        return self._collection

    def images(self, specs):
        """The library images with these titles in the demo collection, drawing the missing.

        Each spec holds kind, frame, title, caption, palette and licence. Pictures are drawn
        in worker threads (Pillow releases the GIL) and saved in this one, in order.
        """
        titles = [spec["title"] for spec in specs]
        found = {
            image.title: image
            for image in BackstageImage.objects.filter(
                collection=self.collection(), title__in=titles
            )
        }
        self.report.images_reused += len(found)
        missing = [spec for spec in specs if spec["title"] not in found]

        def draw(spec):
            picture = render(
                spec["kind"], spec["frame"], spec["palette"], spec["title"], self.scale
            )
            return jpeg_bytes(picture)

        with ThreadPoolExecutor(max_workers=RENDER_WORKERS) as pool:
            for spec, data in zip(missing, pool.map(draw, missing), strict=True):
                found[spec["title"]] = self._save_image(
                    data,
                    spec["title"],
                    spec["caption"],
                    content.ALT_TEXT[spec["kind"]],
                    spec["licence"],
                )
        return [found[title] for title in titles]

    def _save_image(self, data, title, caption, alt_text, licence):
        image = BackstageImage(
            title=title,
            description=alt_text,
            caption=caption,
            credit=content.CREDIT,
            licence=licence,
            collection=self.collection(),
            file=ContentFile(data, name=f"{slugify(title)[:80]}.jpg"),
        )
        image.save()
        self.report.images_created += 1
        return image

    def gallery(self, title, layout, photos):
        """A backstage gallery block of (image, alt text) pairs."""
        return _block(
            "gallery",
            {
                "title": title,
                "layout": layout,
                "photos": [
                    _block("item", {"photo": _image_value(image, alt), "caption": "", "credit": ""})
                    for image, alt in photos
                ],
            },
        )

    # Pages -----------------------------------------------------------------------------

    def child(self, parent, slug):
        page = Page.objects.child_of(parent).filter(slug=slug).first()
        return page.specific if page else None

    def add_and_publish(self, parent, page):
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page

    # The site --------------------------------------------------------------------------

    def run(self):
        with transaction.atomic():
            home, home_created = self.home()
            site = self.site(home, home_created)
            if site is not None:
                self.settings(site)
            self.about(home)
            films = self.films(home)
            contact = self.contact(home)
            self.showreel(home, films)
            if home_created:
                self.finish_home(home, films, contact, site)
        return self.report

    def home(self):
        home = HomePage.objects.first()
        if home is not None:
            self.report.existing.append("home page")
            return home, False
        root = Page.get_first_root_node()
        plain_page = ContentType.objects.get_for_model(Page)
        # Wagtail's "Welcome to your new Wagtail site!" page: replaced, never anything else.
        for welcome in root.get_children().filter(content_type=plain_page, numchild=0):
            welcome.delete()
        slug = content.HOME["slug"]
        if Page.objects.child_of(root).filter(slug=slug).exists():
            slug = "portfolio"
        home = HomePage(
            title=content.HOME["title"],
            slug=slug,
            seo_title=content.HOME["seo_title"],
            search_description=content.HOME["search_description"],
        )
        root.add_child(instance=home)
        self.report.created.append("home page")
        return home, True

    def site(self, home, home_created):
        site = Site.objects.filter(root_page=home).first()
        if site is not None and not home_created:
            return site
        if home_created or not Site.objects.exists():
            site, _ = Site.objects.update_or_create(
                is_default_site=True,
                defaults={
                    "hostname": "localhost",
                    "port": 80,
                    "root_page": home,
                    "site_name": content.SITE_NAME,
                },
            )
            self.report.created.append("default site")
            return site
        return Site.objects.filter(is_default_site=True).first()

    def settings(self, site):
        portfolio = PortfolioSettings.objects.filter(site=site).first()
        text_fields = ["owner_name", "owner_role", "contact_email", *content.OWNER]
        if portfolio is not None and any(getattr(portfolio, name) for name in set(text_fields)):
            self.report.existing.append("site settings")
            return portfolio
        portfolio = portfolio or PortfolioSettings(site=site)
        for name, value in content.OWNER.items():
            setattr(portfolio, name, value)
        portfolio.save()
        self._settings_created = True
        self.report.created.append("site settings")
        return portfolio

    def about(self, home):
        spec = content.ABOUT
        if self.child(home, spec["slug"]) is not None:
            self.report.existing.append("about page")
            return None
        licence = "© 2019 Lorenzo Valsecchi. All rights reserved."
        names = ("portrait", "edit_image")
        specs = [{**spec[name], "licence": licence} for name in names]
        pictures = dict(zip(names, self.images(specs), strict=True))
        body = []
        for block_type, value in content.ABOUT_BODY:
            if block_type == "image":
                image = pictures[value]
                kind = spec[value]["kind"]
                value = {"image": _image_value(image, content.ALT_TEXT[kind]), "caption": ""}
            body.append(_block(block_type, value))
        page = AboutPage(
            title=spec["title"],
            slug=spec["slug"],
            search_description=spec["search_description"],
            show_in_menus=True,
            portrait=pictures["portrait"],
            body=body,
        )
        self.add_and_publish(home, page)
        self.report.created.append("about page")
        return page

    def films(self, home):
        """The film index and its sheets; returns the sheets by slug (new and old alike)."""
        spec = content.FILM_INDEX
        index = self.child(home, spec["slug"])
        if index is None:
            index = FilmIndexPage(
                title=spec["title"],
                slug=spec["slug"],
                search_description=spec["search_description"],
                show_in_menus=True,
                intro=spec["intro"],
            )
            self.add_and_publish(home, index)
            self.report.created.append("film index")
        else:
            self.report.existing.append("film index")
            if not isinstance(index, FilmIndexPage):
                return {}
        sheets, created = {}, 0
        for film in content.FILMS:
            sheet = self.child(index, film["slug"])
            if sheet is None:
                sheet = self.film_sheet(index, film)
                created += 1
            if isinstance(sheet, FilmSheetPage):
                sheets[film["slug"]] = sheet
        if created:
            self.report.created.append(f"{created} film sheets")
        if len(content.FILMS) - created:
            self.report.existing.append(f"{len(content.FILMS) - created} film sheets")
        return sheets

    def film_sheet(self, index, film):
        licence = f"© {film['year']} {film['production_company']}. All rights reserved."
        specs = [
            {
                "kind": kind,
                "frame": frame,
                "title": f"{film['title']}: {title}",
                "caption": caption,
                "palette": film["palette"],
                "licence": licence,
            }
            for kind, frame, title, caption in film["photos"]
        ]
        images = self.images(specs)
        photos = [
            (image, content.ALT_TEXT[spec["kind"]])
            for image, spec in zip(images, specs, strict=True)
        ]
        body = [
            self.gallery(film["gallery_title"], film["layout"], photos),
            _block("quote", film["quote"]),
            _block("text", film["text"]),
        ]
        sheet = FilmSheetPage(
            title=film["title"],
            slug=film["slug"],
            search_description=film["synopsis"].removeprefix("<p>").removesuffix("</p>"),
            key_image=photos[0][0],
            body=body,
            **{
                name: film[name]
                for name in (
                    "original_title",
                    "year",
                    "director",
                    "production_company",
                    "distributor",
                    "country",
                    "genre",
                    "runtime_minutes",
                    "crew_size",
                    "shooting_period",
                    "locations",
                    "composer",
                    "synopsis",
                )
            },
            **content._links(film["slug"]),
        )
        sheet.roles = list(FilmRole.objects.filter(slug__in=film["roles"]))
        return self.add_and_publish(index, sheet)

    def contact(self, home):
        spec = content.CONTACT
        existing = self.child(home, spec["slug"])
        if existing is not None:
            self.report.existing.append("contact page")
            return existing
        page = ContactPage(
            title=spec["title"],
            slug=spec["slug"],
            search_description=spec["search_description"],
            show_in_menus=True,
            intro=spec["intro"],
            thank_you_text=spec["thank_you_text"],
            to_address=content.OWNER["contact_email"],
            from_address=spec["from_address"],
            subject=spec["subject"],
        )
        page.form_fields = [
            ContactFormField(sort_order=order, **field_spec)
            for order, field_spec in enumerate(spec["fields"])
        ]
        self.add_and_publish(home, page)
        self.report.created.append("contact page")
        return page

    def showreel(self, home, films):
        spec = content.SHOWREEL
        if self.child(home, spec["slug"]) is not None:
            self.report.existing.append("showreel")
            return None
        licence = "© 2019 Lorenzo Valsecchi. Shown with the productions' agreement."
        body = []
        video = self.video(spec["video"], licence)
        if video is not None:
            body.append(
                _block(
                    "video",
                    {
                        "video": video.pk,
                        "embed": None,
                        "poster": None,
                        "caption": spec["video"]["caption"],
                    },
                )
            )
        specs = [
            {
                "kind": kind,
                "frame": frame,
                "title": title,
                "caption": caption,
                "palette": spec["palette"],
                "licence": licence,
            }
            for kind, frame, title, caption in spec["photos"]
        ]
        photos = [
            (image, content.ALT_TEXT[photo["kind"]])
            for image, photo in zip(self.images(specs), specs, strict=True)
        ]
        body.append(self.gallery(spec["gallery_title"], "grid", photos))
        body.append(_block("text", spec["text"]))
        page = ShowreelPage(
            title=spec["title"], slug=spec["slug"], intro=spec["intro"], body=body, live=False
        )
        page.related_films = [films[slug] for slug in spec["related"] if slug in films]
        home.add_child(instance=page)
        # The restriction exists before the page first goes live.
        PageViewRestriction.objects.create(
            page=page,
            restriction_type=PageViewRestriction.PASSWORD,
            password=secrets.token_urlsafe(12),
        )
        page.save_revision().publish()
        _access_pass, password = AccessPass.issue(label=spec["pass_label"], page=page)
        self.report.created.append("showreel (private)")
        self.report.created.append("1 access pass")
        self.report.passes.append((page.get_url() or page.url_path, password))
        return page

    def video(self, spec, licence):
        existing = Video.objects.filter(title=spec["title"]).first()
        if existing is not None:
            self.report.existing.append("video")
            return existing
        size = tuple(max(2, round(side * self.scale / 2) * 2) for side in VIDEO_SIZE)
        try:
            data = encode_webm(spec["kind"], spec["palette"], spec["title"], size, VIDEO_SECONDS)
        except VideoUnavailable as error:
            self.report.notes.append(f"Video skipped: {error}. The showreel has no clip.")
            return None
        poster = BackstageImage.objects.filter(
            collection=self.collection(), title=spec["poster_title"]
        ).first() or self._save_image(
            jpeg_bytes(poster_frame(spec["kind"], spec["palette"], spec["title"], size)),
            spec["poster_title"],
            spec["caption"],
            content.ALT_TEXT[spec["kind"]],
            licence,
        )
        video = Video(
            title=spec["title"],
            poster=poster,
            file=ContentFile(data, name=f"{slugify(spec['title'])}.webm"),
        )
        video.full_clean()
        video.save()
        self.report.video_created = True
        return video

    def finish_home(self, home, films, contact, site):
        """Hero, intro and featured films, once the pages they point to exist."""
        home.hero_image = BackstageImage.objects.filter(
            collection=self.collection(), title=content.HERO_IMAGE_TITLE
        ).first() or next((sheet.key_image for sheet in films.values() if sheet.key_image), None)
        link = (
            f'<a linktype="page" id="{contact.pk}">contact page</a>'
            if contact is not None
            else "contact page"
        )
        home.intro = content.HOME["intro"].format(contact=link)
        home.featured_films = [
            FeaturedFilm(film_sheet=films[slug], sort_order=order)
            for order, slug in enumerate(content.FEATURED)
            if slug in films
        ]
        home.save_revision().publish()
        if self._settings_created and home.hero_image and site is not None:
            # save(), not update(): the settings' post_save makes the social renditions.
            portfolio = PortfolioSettings.objects.get(site=site)
            portfolio.default_social_image = home.hero_image
            portfolio.save(update_fields=["default_social_image"])
