"""Loads the demo portfolio of content.toml, with the photos and the clip in media/.

Idempotent: pages are found by slug under their parent, library items by title; what exists
is left as it is, so admin edits survive a second run, and only what a missing page needs is
added to the library. Publishing queues the renditions (gallery/signals.py): none are made here.
"""

import secrets
import uuid
from collections import Counter

from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.db import transaction
from wagtail.models import Collection, Page, PageViewRestriction, Site

from bts_site.demo import content
from filmsheets import models as films
from gallery.models import BackstageImage, Video, VideoCaption
from home import models as home_app
from showreels.models import AccessPass, ShowreelPage

# Page fields the data file fills with the key of a library photo.
IMAGE_FIELDS = {"portrait", "key_image", "hero_image"}
# Set on the home page once the pages they point to exist.
HOME_FINISH = ("intro", "hero_image", "featured_films")
NEW_SITE = {"hostname": "127.0.0.1", "port": 8000}
ROWS = {
    "form_fields": home_app.ContactFormField,
    "credits": films.FilmCredit,
    "cast": films.FilmCastMember,
}


def library_refs(value):
    """Every ("photos" | "videos", key) of the library that some page data names."""
    if isinstance(value, list):
        for item in value:
            yield from library_refs(item)
    elif isinstance(value, dict):
        if "library" in value:
            yield "photos", value["library"]
        if "library_video" in value:
            yield "videos", value["library_video"]
        for name, item in value.items():
            if name in IMAGE_FIELDS:
                yield "photos", item
            else:
                yield from library_refs(item)


class DemoLoader:
    def __init__(self, say=None, hostname=None, port=None):
        self.say = say or (lambda line: None)
        self.site_address = {"hostname": hostname, "port": port}
        self.photos, self.videos, self.sheets = {}, {}, {}
        self.added = Counter()
        # (path, absolute URL, password) of passes issued in this run: shown once, stored hashed.
        self.passes = []

    def summary(self):
        added = ", ".join(f"{name} {count}" for name, count in self.added.items())
        return f"added {added}" if added else "nothing added, everything was there already"

    def run(self):
        with transaction.atomic():
            home = home_app.HomePage.objects.first()
            self.load_library(self.missing_pages(home))
            home_is_new = home is None
            home = self.create_home() if home_is_new else self.found(home)
            site = self.site(home, home_is_new)
            settings_are_new = self.settings(site)
            self.page(home, home_app.AboutPage, content.ABOUT)
            index, _ = self.page(home, films.FilmIndexPage, content.FILM_INDEX)
            for film in content.FILMS if isinstance(index, films.FilmIndexPage) else ():
                sheet, _ = self.page(index, films.FilmSheetPage, film)
                if isinstance(sheet, films.FilmSheetPage):
                    self.sheets[film["slug"]] = sheet
            contact, _ = self.page(home, home_app.ContactPage, content.CONTACT)
            self.showreel(home)
            if home_is_new:
                self.finish_home(home, contact, site, settings_are_new)
        return self

    def missing_pages(self, home):
        """The page data of every page this run will create."""

        def absent(parent, spec):
            return parent is None or not parent.get_children().filter(slug=spec["slug"]).exists()

        index = home and home.get_children().filter(slug=content.FILM_INDEX["slug"]).first()
        pages = [content.HOME] if home is None else []
        pages += [s for s in (content.ABOUT, content.FILM_INDEX) if absent(home, s)]
        pages += [film for film in content.FILMS if absent(index, film)]
        return pages + [s for s in (content.CONTACT, content.SHOWREEL) if absent(home, s)]

    def load_library(self, pages):
        refs = set(library_refs(pages))
        videos = [key for key in content.LIBRARY["videos"] if ("videos", key) in refs]
        refs |= {("photos", content.LIBRARY["videos"][key]["poster"]) for key in videos}
        photos = [key for key in content.LIBRARY["photos"] if ("photos", key) in refs]
        if photos:
            root = Collection.get_first_root_node()
            name = content.LIBRARY["collection"]
            collection = root.get_children().filter(name=name).first()
            self.collection = collection or root.add_child(name=name)
        for kind, keys in (("photos", photos), ("videos", videos)):
            for number, key in enumerate(keys, 1):
                progress = f"{number} of {len(keys)}"
                getattr(self, kind)[key] = self.library_item(kind, key, progress)

    def library_item(self, kind, key, progress):
        """The library photo or video with this title, added from media/ when missing."""
        spec, library = content.LIBRARY[kind][key], content.LIBRARY
        model = Video if kind == "videos" else BackstageImage
        item, state = model.objects.filter(title=spec["title"]).first(), "already in the library"
        if item is None:
            if kind == "videos":
                fields = {"poster": self.photos[spec["poster"]]}
            else:
                fields = {"description": spec["alt"], "caption": spec["caption"]}
                fields["credit"] = spec.get("credit", library["credit"])
                fields["licence"] = spec.get("licence", library["licence"])
                fields["collection"] = self.collection
            name = spec.get("file", f"{key}.jpg")
            with (content.MEDIA_DIR / name).open("rb") as handle:
                upload = File(handle, name=f"{key}.{name.rsplit('.', 1)[-1]}")
                item = model(title=spec["title"], file=upload, **fields)
                if kind == "videos":
                    item.full_clean()  # runs the upload's validator on the file
                item.save()
            for caption in spec.get("captions", []):  # saved as WebVTT named after the file
                fields = {key: caption[key] for key in ("language", "label")}
                with (content.MEDIA_DIR / caption["file"]).open("rb") as handle:
                    VideoCaption.objects.create(video=item, file=File(handle), **fields)
            self.added[kind] += 1
            state = "added"
        self.say(f"{kind[:-1].title()} {progress}: {spec['title']} ({state})")
        return item

    def resolve(self, value):
        """Raw StreamField JSON from the data file, its library keys made primary keys."""
        if isinstance(value, list):
            return [self.resolve(item) for item in value]
        if not isinstance(value, dict):
            return value
        if "library" in value:
            image = self.photos[value["library"]]
            alt_text = value.get("alt_text") or image.description
            return {"image": image.pk, "decorative": False, "alt_text": alt_text}
        if "library_video" in value:
            return self.videos[value["library_video"]].pk
        return {name: self.resolve(item) for name, item in value.items()}

    def fields(self, spec, skip=()):
        """The model field values of a page's data."""
        values = {}
        for name, value in spec.items():
            if name == "body":
                value = [{**block, "value": self.resolve(block["value"])} for block in value]
                value = [{**block, "id": str(uuid.uuid4())} for block in value]
            elif name in IMAGE_FIELDS:
                value = self.photos[value]
            elif name == "roles":
                value = list(films.FilmRole.objects.filter(slug__in=value))
            elif name in ROWS:  # inline rows in order: contact form fields, credits, cast
                value = [ROWS[name](sort_order=n, **self.row(row)) for n, row in enumerate(value)]
            elif name == "related_films":
                value = [self.sheets[slug] for slug in value if slug in self.sheets]
            if name not in skip:
                values[name] = value
        return values

    def row(self, row):
        if "role" in row:  # a credit's role, added to the owner's list when new
            return {**row, "role": films.CreditRole.objects.get_or_create(name=row["role"])[0]}
        return row

    def page(self, parent, model, spec, skip=(), before_publish=None, **extra):
        """(page, created): the page with this slug under parent, or a new published one."""
        page = parent.get_children().filter(slug=spec["slug"]).first()
        if page is not None:
            return self.found(page.specific), False
        page = model(**self.fields(spec, skip), **extra)
        parent.add_child(instance=page)
        if before_publish is not None:
            before_publish(page)
        page.save_revision().publish()
        self.added["pages"] += 1
        self.say(f"Page: {page.title} at {page.get_url() or page.url_path} (created)")
        return page, True

    def found(self, page):
        path = page.get_url() or page.url_path
        self.say(f"Page: {page.title} at {path} (already there, left as it is)")
        return page

    def create_home(self):
        root = Page.get_first_root_node()
        # Wagtail's "Welcome to your new Wagtail site!" page: replaced, never anything else.
        plain_page = ContentType.objects.get_for_model(Page)
        for welcome in root.get_children().filter(content_type=plain_page, numchild=0):
            welcome.delete()
        home = home_app.HomePage(**self.fields(content.HOME, skip=HOME_FINISH))
        if root.get_children().filter(slug=home.slug).exists():
            home.slug = "portfolio"
        root.add_child(instance=home)
        self.added["pages"] += 1
        self.say(f"Page: {home.title}, the root of the site (created)")
        return home

    def site(self, home, home_is_new):
        """The default site, pointed at a new home page; its address set when asked for."""
        site = Site.objects.filter(is_default_site=True).first()
        address = {name: value for name, value in self.site_address.items() if value}
        state = "address set" if address else "kept"
        if home_is_new or site is None:
            defaults = {"root_page": home, "site_name": content.SITE_NAME} | NEW_SITE | address
            site, _ = Site.objects.update_or_create(is_default_site=True, defaults=defaults)
            state = "created"
        elif address:
            for name, value in address.items():
                setattr(site, name, value)
            site.save()
        self.say(f"Site: {site.root_url}/ ({state})")
        return site

    def settings(self, site):
        """Fill the portfolio settings unless the owner has written in them already."""
        portfolio = home_app.PortfolioSettings.objects.filter(site=site).first()
        if portfolio is not None and any(getattr(portfolio, name) for name in content.OWNER):
            self.say("Settings: portfolio settings (already there, left as they are)")
            return False
        portfolio = portfolio or home_app.PortfolioSettings(site=site)
        for name, value in content.OWNER.items():
            setattr(portfolio, name, value)
        portfolio.save()
        self.say("Settings: portfolio settings (filled in)")
        return True

    def showreel(self, home):
        spec = content.SHOWREEL

        def restrict(page):  # before it first goes live, unless a restriction is there already
            password = {"restriction_type": "password", "password": secrets.token_urlsafe(24)}
            PageViewRestriction.objects.get_or_create(page=page, defaults=password)

        page, created = self.page(
            home, ShowreelPage, spec, skip={"pass_label"}, before_publish=restrict, live=False
        )
        if created:
            _access_pass, password = AccessPass.issue(label=spec["pass_label"], page=page)
            self.added["access passes"] += 1
            self.passes.append((page.get_url() or page.url_path, page.full_url, password))

    def finish_home(self, home, contact, site, settings_are_new):
        spec = content.HOME
        link = f'<a linktype="page" id="{contact.pk}">contact page</a>'
        home.intro = spec["intro"].format(contact=link)
        home.hero_image = self.photos[spec["hero_image"]]
        home.featured_films = [
            home_app.FeaturedFilm(film_sheet=self.sheets[slug], sort_order=order)
            for order, slug in enumerate(spec["featured_films"])
            if slug in self.sheets
        ]
        home.save_revision().publish()
        self.say(f"Page: {home.title}: hero photo, introduction and featured films (published)")
        if settings_are_new:
            # save(), not update(): the settings' post_save queues the social renditions.
            portfolio = home_app.PortfolioSettings.objects.get(site=site)
            portfolio.default_social_image = home.hero_image
            portfolio.save(update_fields=["default_social_image"])
