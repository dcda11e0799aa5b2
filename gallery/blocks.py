"""StreamField blocks for backstage galleries, video and quotes."""

from html import escape

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.forms.utils import ErrorList
from django.utils.safestring import mark_safe
from wagtail import blocks
from wagtail.blocks.list_block import ListBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images import get_image_model
from wagtail.images.blocks import ImageBlock, ImageChooserBlock
from wagtail.models import Collection
from wagtail.snippets.blocks import SnippetChooserBlock

from gallery.players import stream_for
from gallery.renditions import GALLERY_LAYOUT_PRESETS
from gallery.templatetags.gallery_tags import (
    aspect_ratio,
    picture_preset,
    rendition_url,
    video_poster,
)

GALLERY_LAYOUTS = [
    ("grid", "Grid"),
    ("masonry", "Masonry (images keep their proportions)"),
    ("sequence", "Full-width sequence"),
]


class BackstagePhotoValue(blocks.StructValue):
    """One photo of a gallery: the overrides fall back to the image's own fields."""

    @property
    def image(self):
        return self.get("photo")

    def caption_text(self):
        image = self.get("photo")
        return self.get("caption") or (image.caption if image else "")

    def credit_text(self):
        image = self.get("photo")
        return self.get("credit") or (image.credit if image else "")

    def alt_text(self):
        """The alt text chosen here, else the image's description; "" for a decorative photo.

        None when the photo has neither: its <img> then has no alt attribute, which the
        userbar's accessibility checker flags to the owner. Never the title (the file name
        of an upload) nor the caption, which the figure shows beside the photo already.
        """
        image = self.get("photo")
        if image is None:
            return None
        if getattr(image, "decorative", False):
            return ""
        return getattr(image, "contextual_alt_text", None) or image.description or None


class BackstagePhotoBlock(blocks.StructBlock):
    photo = ImageBlock()
    caption = blocks.CharBlock(
        required=False, max_length=300, help_text="Leave empty to use the image's own caption."
    )
    credit = blocks.CharBlock(
        required=False,
        max_length=120,
        help_text="Photographer. Leave empty to use the image's own credit.",
    )

    class Meta:
        icon = "image"
        value_class = BackstagePhotoValue
        label = "Photo"

    def clean(self, value):
        image = value.get("photo")
        if (
            image is not None
            and not getattr(image, "decorative", False)
            and not getattr(image, "contextual_alt_text", "")
        ):
            # Alt text left empty here is the image's description, as on the page
            # (alt_text()): only a photo without either is refused (by ImageBlock).
            image.contextual_alt_text = image.description
        return super().clean(value)


NO_PHOTOS = "Add at least one photo, or choose a collection to add all its photos."


def no_alt_text(titles):
    shown = ", ".join(titles[:5]) + (f" and {len(titles) - 5} more" if len(titles) > 5 else "")
    return (
        f"{len(titles)} photo{'s' if len(titles) > 1 else ''} of this collection "
        f"{'have' if len(titles) > 1 else 'has'} no alt text ({shown}). Give them a "
        "description in Images (“Edit captions and credits” on the selected images), or "
        "save a draft and write their alt text, or mark them decorative, in the gallery."
    )


def collection_choices():
    """The library's collections (the root aside), with the number of photos in each."""
    counts = dict(
        get_image_model().objects.order_by().values_list("collection").annotate(photos=Count("pk"))
    )
    return [
        (
            str(collection.pk),
            f"{collection.get_indented_name()} ({counts.get(collection.pk, 0)} photos)",
        )
        for collection in Collection.objects.filter(depth__gt=1).order_by("path")
    ]


class BackstageGalleryValue(blocks.StructValue):
    def credited_photos(self, default_credit=""):
        """(the credit shown once under the gallery, [(photo, credit under it, its own
        credit)]) for the photos that have an image.

        A photo without a credit takes `default_credit` (the site's default photo credit).
        When every photo of the gallery has the same credit, it is shown once under the
        gallery ("Photos: …") and not under each photo; the lightbox still names it.
        """
        photos = [photo for photo in self.get("photos") or [] if photo.image]
        credits = [photo.credit_text() or default_credit for photo in photos]
        shared = credits[0] if len(set(credits)) == 1 and len(photos) > 1 else ""
        return shared, [
            (photo, "" if shared else credit, credit)
            for photo, credit in zip(photos, credits, strict=True)
        ]


class CollectionChoiceBlock(blocks.ChoiceBlock):
    """The collection chooser: its choices (a query) are read by the editor's form only,
    never while a visitor's page renders the gallery."""

    def to_python(self, value):
        return value or ""


class BackstageGalleryBlock(blocks.StructBlock):
    title = blocks.CharBlock(required=False, max_length=120)
    layout = blocks.ChoiceBlock(choices=GALLERY_LAYOUTS, default="grid")
    collection = CollectionChoiceBlock(
        choices=collection_choices,
        required=False,
        label="Add all photos of a collection",
        help_text=(
            "When you save, the photos of this collection that are not in the gallery yet "
            "are added at the end, in upload order. Then drag them into the order you want."
        ),
    )
    # Empty at first and no minimum here: a new gallery may start from a collection (see
    # clean()). Collapsed, a gallery of 40 photos is a list of their titles to drag.
    photos = blocks.ListBlock(BackstagePhotoBlock(), default=[], collapsed=True)

    class Meta:
        icon = "image"
        template = "blocks/backstage_gallery_block.html"
        value_class = BackstageGalleryValue
        label = "Backstage gallery"
        description = (
            "A sequence of backstage photos shown as a grid, a masonry wall or one after "
            "another at full width. Each opens in a full-screen viewer."
        )
        preview_template = "blocks/preview/backstage_gallery_block.html"
        preview_value = {"title": "First week on set", "layout": "grid", "photos": []}

    def clean(self, value):
        value = super().clean(value)
        if value.get("collection"):
            added = self.add_collection_photos(value)
            unwritten = [image.title for image in added if not image.description]
            if unwritten and not self.is_deferred_validation:
                # Publishing never puts a photo without alt text live: ImageBlock refuses it
                # on a photo of the list, and this on a photo the collection brings.
                raise StructBlockValidationError(
                    block_errors={"collection": ValidationError(no_alt_text(unwritten))}
                )
        if not value["photos"] and not self.is_deferred_validation:
            error = ListBlockValidationError(non_block_errors=[ValidationError(NO_PHOTOS)])
            raise StructBlockValidationError(block_errors={"photos": error})
        return value

    def add_collection_photos(self, value):
        """Append the chosen collection's photos that the gallery lacks, oldest upload
        first, and clear the choice; return the images added. Each takes the image's
        description as its alt text."""
        present = {photo.image.pk for photo in value["photos"] if photo.image}
        images = (
            get_image_model()
            .objects.filter(collection_id=value["collection"])
            .order_by("created_at", "pk")
        )
        if not images.exists():
            raise StructBlockValidationError(
                block_errors={
                    "collection": ValidationError(
                        "This collection has no photos yet: upload them into it first."
                    )
                }
            )
        photo_block = self.child_blocks["photos"].child_block
        added = list(images.exclude(pk__in=present))
        for image in added:
            image.contextual_alt_text = image.description
            image.decorative = False
            value["photos"].append(
                photo_block.normalize({"photo": image, "caption": "", "credit": ""})
            )
        value["collection"] = ""
        return added

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        # The site's default photo credit (bts_site.context_processors.photo_credit).
        default_credit = (parent_context or {}).get("default_photo_credit") or ""
        context["gallery_credit"], photos = value.credited_photos(str(default_credit))
        context["gallery_photos"] = photos
        # Each photo's link names the gallery's one "opens larger" hint (aria-describedby);
        # galleries are numbered in the order a page shows them.
        request = context.get("request")
        number = getattr(request, "galleries_shown", 0) + 1
        if request is not None:
            request.galleries_shown = number
        context["gallery_hint_id"] = f"gallery-{number}-hint"
        context["gallery_items"] = self.items(value, photos, context)
        return context

    def items(self, value, photos, context):
        """The <li> of every photo, as one piece of markup made here in one pass rather than
        by a template loop (a gallery's cost per photo is most of a large gallery page's):
        its picture in the layout's preset, a link to the viewer's rendition, caption and
        credit. Every value is escaped; the picture's markup is picture_preset's.

        Each photo's markup is repeated up to hundreds of times, so it carries no class of
        its own (site.css styles `.gallery__list a` and `figcaption`) and names the
        gallery's hint rather than repeating it."""
        layout = value.get("layout") or "grid"
        preset, viewer = GALLERY_LAYOUT_PRESETS.get(layout, GALLERY_LAYOUT_PRESETS["grid"])
        eager_first = context.get("eager_first")
        hint = f' aria-describedby="{context["gallery_hint_id"]}"'
        # All the tags below read of the template's context (a lookup through its layers).
        tag_context = {"request": context.get("request")}
        items = []
        for index, (photo, credit, _own_credit) in enumerate(photos):
            image = photo.image
            picture = picture_preset(
                tag_context,
                image,
                preset,
                alt=photo.alt_text(),
                loading="" if eager_first and index == 0 else "lazy",
            )
            large = rendition_url(tag_context, image, viewer)
            style = f' style="--ratio: {aspect_ratio(image)}"' if layout == "sequence" else ""
            # Until its large rendition is made, a photo does not open.
            link = f' href="{escape(large)}"{hint}' if large else ""
            caption = escape(str(photo.caption_text() or ""))
            if credit:
                caption += f'<span class="gallery__credit">{escape(str(credit))}</span>'
            figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
            items.append(
                f'<li><figure{style}><a{link} data-photo="{image.pk}">{picture}</a>'
                f"{figcaption}</figure></li>"
            )
        return mark_safe("".join(items))  # noqa: S308 - every value above is escaped

    def rendition_needs(self, value):
        """Each photo in the presets of the gallery's layout and of the lightbox."""
        presets = GALLERY_LAYOUT_PRESETS[value.get("layout") or "grid"]
        return [(photo.image, presets) for photo in value.get("photos") or [] if photo.image]


class VideoValue(blocks.StructValue):
    def poster_image(self):
        """The still shown before the video plays: the block's own, else the video's."""
        if self.get("poster") is not None:
            return self["poster"]
        video = self.get("video")
        return video.poster if video is not None else None


class VideoBlock(blocks.StructBlock):
    """A video: a file from the video library (with its poster) or an embed URL."""

    video = SnippetChooserBlock(
        "gallery.Video", required=False, help_text="An uploaded video file."
    )
    embed = EmbedBlock(
        required=False, help_text="Or a link to the video on YouTube or Vimeo.", max_width=1600
    )
    poster = ImageChooserBlock(
        required=False, help_text="Still shown before playback; defaults to the video's poster."
    )
    caption = blocks.CharBlock(required=False, max_length=300)

    def rendition_needs(self, value):
        poster = value.poster_image()
        return [(poster, ("wide",))] if poster is not None else []

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        parent_context = parent_context or {}
        # The player's URLs: public files, or a private page's signed ones (gallery.players).
        context["stream"] = stream_for(
            parent_context.get("request"), parent_context.get("page"), value.get("video")
        )
        context["poster"] = video_poster(
            parent_context,
            value.poster_image(),
            first_screen=parent_context.get("eager_first", False),
        )
        return context

    def clean(self, value):
        value = super().clean(value)
        has_file, has_embed = bool(value.get("video")), bool(value.get("embed"))
        if has_file == has_embed:
            message = "Choose either an uploaded video or an embed link, not both."
            if not has_file:
                message = "Choose an uploaded video or give an embed link."
            raise StructBlockValidationError(
                block_errors={"video": ErrorList([ValidationError(message)])}
            )
        return value

    class Meta:
        icon = "media"
        value_class = VideoValue
        template = "blocks/video_block.html"
        label = "Video"
        description = "A backstage video: an uploaded file with a poster, or a YouTube/Vimeo link."
        preview_value = {"caption": "Night shoot, unit two"}


class PullQuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(max_length=600)
    attribution = blocks.CharBlock(required=False, max_length=120)

    class Meta:
        icon = "openquote"
        template = "blocks/pull_quote_block.html"
        label = "Pull quote"
        description = "A short quotation set large between paragraphs."
        preview_value = {
            "quote": "Every department plays its part; the film is the sound they make together.",
            "attribution": "From the set diary",
        }


class TextBlock(blocks.RichTextBlock):
    class Meta:
        icon = "pilcrow"
        template = "blocks/text_block.html"
        label = "Text"
        description = "Paragraphs with links, lists and emphasis."
        preview_value = "<p>Three weeks of night shoots in the harbour, forty extras and rain.</p>"


def rich_text_block():
    return TextBlock(features=["h3", "bold", "italic", "link", "ol", "ul"])


class BackstageStreamBlock(blocks.StreamBlock):
    """What a film sheet or a showreel tells below its data: galleries, video, text, quotes."""

    gallery = BackstageGalleryBlock()
    video = VideoBlock()
    text = rich_text_block()
    quote = PullQuoteBlock()
