"""Background work of the media library (django-tasks): renditions made before anyone asks.

Publishing a page queues its renditions. A page shown while some are still missing (a new
preset, renditions deleted, a worker that was down) shows placeholders and queues them
once: a marker in the shared cache stands for "already queued" until the work is done or
`QUEUED_FOR` has passed, so a page with a broken photo is retried now and then, never on
every visit.
"""

from django.core.cache import cache
from django_tasks import task
from wagtail.images import get_image_model
from wagtail.models import Page

from gallery import videos
from gallery.renditions import ensure_renditions

QUEUED_FOR = 15 * 60  # seconds


def _queued_key(*parts):
    return "gallery:renditions-queued:" + ":".join(str(part) for part in parts)


@task(backend="background")
def make_page_renditions(page_id):
    """Make every rendition a published page shows, so its first visitor does not wait."""
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return 0
    needs = list(getattr(page.specific, "rendition_needs", list)())
    made = [ensure_renditions(image, presets) for image, presets in needs]
    if all(made):
        cache.delete(_queued_key("page", page_id))
    return len(needs)


@task(backend="background")
def make_image_renditions(image_id, presets):
    """Make the renditions of one image, e.g. the site's default social image."""
    image = get_image_model().objects.filter(pk=image_id).first()
    if image is not None and ensure_renditions(image, presets):
        cache.delete(_queued_key("image", image_id, *presets))


def mark_page_queued(page_id):
    """Note that a page's renditions are queued (at publish), so visitors do not queue them
    again while the worker has not reached them."""
    cache.set(_queued_key("page", page_id), True, QUEUED_FOR)


def queue_page_renditions(page_id):
    """Queue a page's renditions unless they are queued already."""
    if not cache.add(_queued_key("page", page_id), True, QUEUED_FOR):
        return False
    make_page_renditions.enqueue(page_id)
    return True


def queue_image_renditions(image, presets):
    """Queue the renditions of one image in these presets unless they are queued already."""
    presets = list(presets)
    if not cache.add(_queued_key("image", image.pk, *presets), True, QUEUED_FOR):
        return False
    make_image_renditions.enqueue(image.pk, presets)
    return True


@task(backend="background")
def process_video(video_id):
    """Probe a video's master and make its HLS ladder, MP4 fallback, poster and
    thumbnails (gallery/videos.py); queued when a master is uploaded or replaced."""
    return videos.process(video_id)


@task(backend="background")
def make_video_poster(video_id):
    """Make a video's poster again after the owner chose another frame time."""
    return videos.remake_poster(video_id)
