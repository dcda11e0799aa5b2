"""StreamField blocks for backstage galleries, video and quotes."""

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock, ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from gallery.renditions import GALLERY_LAYOUT_PRESETS

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
        image = self.get("photo")
        if image is None or getattr(image, "decorative", False):
            return ""
        return image.contextual_alt_text or self.caption_text() or ""


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


class BackstageGalleryBlock(blocks.StructBlock):
    title = blocks.CharBlock(required=False, max_length=120)
    layout = blocks.ChoiceBlock(choices=GALLERY_LAYOUTS, default="grid")
    photos = blocks.ListBlock(BackstagePhotoBlock(), min_num=1)

    class Meta:
        icon = "image"
        template = "blocks/backstage_gallery_block.html"
        label = "Backstage gallery"
        description = (
            "A sequence of backstage photos shown as a grid, a masonry wall or one after "
            "another at full width. Each opens in a full-screen viewer."
        )
        preview_template = "blocks/preview/backstage_gallery_block.html"
        preview_value = {"title": "First week on set", "layout": "grid", "photos": []}

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
