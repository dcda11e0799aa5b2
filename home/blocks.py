"""Blocks of the about statement."""

from wagtail import blocks
from wagtail.images.blocks import ImageBlock

from gallery.blocks import PullQuoteBlock, VideoBlock, rich_text_block


class HeadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"
        label = "Heading"
        description = "A section heading in the statement."
        preview_value = "The set as an orchestra"


class CaptionedImageValue(blocks.StructValue):
    def caption_text(self):
        image = self.get("image")
        return self.get("caption") or (image.caption if image else "")


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageBlock()
    caption = blocks.CharBlock(
        required=False, max_length=300, help_text="Leave empty to use the image's own caption."
    )

    class Meta:
        icon = "image"
        template = "blocks/captioned_image_block.html"
        value_class = CaptionedImageValue
        label = "Image with caption"
        description = "One photo across the text column, with a caption below."
        preview_value = {"caption": "Loading the dolly before dawn"}

    def rendition_needs(self, value):
        image = value.get("image")
        return [(image, ("wide",))] if image is not None else []


class CollaboratorBlock(blocks.StructBlock):
    name = blocks.CharBlock(max_length=120)
    role = blocks.CharBlock(max_length=120, help_text="E.g. “Composer”.")
    url = blocks.URLBlock(required=False, label="Link")
    note = blocks.TextBlock(required=False, max_length=400)

    class Meta:
        icon = "user"
        label = "Collaborator"


class CollaboratorsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(required=False, max_length=120, default="Working together")
    people = blocks.ListBlock(CollaboratorBlock(), min_num=1)

    class Meta:
        icon = "group"
        template = "blocks/collaborators_block.html"
        label = "Collaborators"
        description = "The people you work with, such as the composer who scores your films."
        preview_value = {
            "heading": "Working together",
            "people": [
                {
                    "name": "A composer",
                    "role": "Original music",
                    "url": "",
                    "note": "Scores every backstage film.",
                }
            ],
        }


class AboutStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    text = rich_text_block()
    quote = PullQuoteBlock()
    image = CaptionedImageBlock()
    video = VideoBlock()
    collaborators = CollaboratorsBlock()
