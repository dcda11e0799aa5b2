"""One walk over StreamField values, and what the blocks found on it need from the library.

Blocks that show library images declare it with a `rendition_needs(value)` method returning
(image, preset names) pairs (see gallery/blocks.py); the walk asks each block it meets, so a
page never lists its images by block name.
"""

from wagtail.blocks import StreamValue, StructValue
from wagtail.blocks.list_block import ListValue

from gallery.blocks import VideoBlock


def block_values(value, block=None):
    """(block, value) for a value and every value nested in it, parents first."""
    yield block, value
    if isinstance(value, StreamValue):
        for child in value:
            yield from block_values(child.value, child.block)
    elif isinstance(value, StructValue):
        for name, child in value.items():
            yield from block_values(child, value.block.child_blocks.get(name))
    elif isinstance(value, ListValue):
        for child in value:
            yield from block_values(child, value.list_block.child_block)


def images_in(stream_value):
    """Every library image the value shows, with the presets it is shown in, in page order."""
    needs = []
    for block, value in block_values(stream_value):
        if value is not None and hasattr(block, "rendition_needs"):
            needs.extend(block.rendition_needs(value))
    return needs


def videos_in(stream_value):
    """The library videos chosen anywhere in the value."""
    return [
        value["video"]
        for block, value in block_values(stream_value)
        if isinstance(block, VideoBlock) and value and value.get("video") is not None
    ]


def first_image(stream_value):
    """The first image the value shows, or None."""
    return next((image for image, _presets in images_in(stream_value)), None)
