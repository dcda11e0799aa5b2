"""Walks over StreamField values, and what the blocks found on them need from the library.

Blocks that show library images declare it with a `rendition_needs(value)` method returning
(image, preset names) pairs (see gallery/blocks.py); the walk asks each block it meets, so a
page never lists its images by block name.
"""

from wagtail.blocks import ListBlock, StreamBlock, StreamValue, StructBlock, StructValue
from wagtail.blocks.list_block import ListValue

from gallery.blocks import VideoBlock


def blocks_where(stream_value, wanted):
    """(block, value) of every block for which `wanted(block)` is true, in page order.

    The walk does not look inside a block it found, nor inside blocks whose definition
    cannot hold one (a gallery's photos, when looking for videos): a page is walked three
    times a view, and a 60-photo gallery holds hundreds of values."""
    return _walk(stream_value, stream_value.stream_block, wanted)


def _walk(value, block, wanted):
    if wanted(block):
        yield block, value
        return
    if not _may_hold(block, wanted):
        return
    if isinstance(value, StreamValue):
        for child in value:
            yield from _walk(child.value, child.block, wanted)
    elif isinstance(value, StructValue):
        for name, child in value.items():
            yield from _walk(child, value.block.child_blocks.get(name), wanted)
    elif isinstance(value, ListValue):
        child_block = value.list_block.child_block
        for child in value:
            yield from _walk(child, child_block, wanted)


# (id of a block definition, predicate) -> (the block, whether a block inside it is wanted).
# Definitions live as long as their page models; the block is kept so an id reused by a
# later definition is not mistaken for it.
_HOLDS = {}


def _may_hold(block, wanted):
    key = (id(block), wanted)
    entry = _HOLDS.get(key)
    if entry is None or entry[0] is not block:
        if isinstance(block, StreamBlock | StructBlock):
            children = block.child_blocks.values()
        elif isinstance(block, ListBlock):
            children = (block.child_block,)
        else:
            children = ()
        entry = (block, any(wanted(c) or _may_hold(c, wanted) for c in children))
        _HOLDS[key] = entry
    return entry[1]


def _shows_images(block):
    return hasattr(block, "rendition_needs")


def _is_video(block):
    return isinstance(block, VideoBlock)


def images_in(stream_value):
    """Every library image the value shows, with the presets it is shown in, in page order."""
    needs = []
    for block, value in blocks_where(stream_value, _shows_images):
        if value is not None:
            needs.extend(block.rendition_needs(value))
    return needs


def videos_in(stream_value):
    """The library videos chosen anywhere in the value."""
    return [
        value["video"]
        for _block, value in blocks_where(stream_value, _is_video)
        if value and value.get("video") is not None
    ]


def first_image(stream_value):
    """The first image the value shows, or None."""
    return next((image for image, _presets in images_in(stream_value)), None)
