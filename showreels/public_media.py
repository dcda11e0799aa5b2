"""Public copies on object storage follow the privacy check, in the background.

With media on object storage (gallery/object_storage.py), a photo's renditions and a video's
outputs are copied to the public-read bucket only while the one privacy check
(`privacy.media_access`, asked as an anonymous visitor) says they are public; pages then
name those copies directly and visitors fetch them without asking the app. Whenever
something that decides it changes (a page published, unpublished, moved or deleted, a view
restriction added or removed, a video processed or edited, a site setting saved) one sync
is queued for the background worker; it looks again at every file with public copies and
every file something refers to:

- one that became private is marked so first (pages name presigned URLs from then on), then
  its public copies are deleted and purged from a CDN in front (wagtail.contrib.frontend_cache:
  MEDIA_CDN_PURGE_URL, else FRONTEND_CACHE_PURGE_URL); the anonymous page cache is emptied.
  What a browser already holds it keeps until its cache lifetime ends (PUBLIC_MEDIA_MAX_AGE
  for photos; a video's outputs are named by a random folder that no page names any more).
- one that became public is copied, then marked, so pages never name a missing copy.

A rendition made later of a photo marked public is copied as it is saved.
"""

import logging
from functools import partial

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django_tasks import task
from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache
from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, ReferenceIndex
from wagtail.signals import page_published, page_unpublished, post_page_move

from gallery import object_storage
from gallery.events import library_changed
from gallery.models import Video
from showreels import privacy

logger = logging.getLogger(__name__)

QUEUED_KEY = "showreels:public-copies-queued"
QUEUED_FOR = 10 * 60  # seconds: a lost task stops holding back the next change after this


def photo_cache_control():
    return f"public, max-age={settings.PUBLIC_MEDIA_MAX_AGE}"


def video_cache_control():
    # A processed video's outputs never change under their name (see showreels/views.py).
    return f"public, max-age={settings.PUBLIC_VIDEO_MAX_AGE}, immutable"


def queue_sync(*args, **kwargs):
    """Queue one sync once the current transaction commits, unless one is waiting already.

    A sync reads the state when it runs, so a change made while one waits rides on it; the
    mark is removed as a sync starts, so a change made while one runs queues the next.
    """
    if not object_storage.enabled():
        return

    def enqueue():
        if cache.add(QUEUED_KEY, True, QUEUED_FOR):
            sync_public_copies.enqueue()

    transaction.on_commit(enqueue)


@task(backend="background")
def sync_public_copies():
    """Make the public bucket hold exactly the copies the privacy check allows."""
    cache.delete(QUEUED_KEY)
    if not object_storage.enabled():
        return {}
    return sync()


def sync(recopy=False):
    """Returns what changed: {"photos public": n, "photos private": n, "videos ...": n}.

    `recopy`: copy again what is marked public and stays so (a public bucket restored or
    replaced, `manage.py sync_public_media --recopy`).
    """
    viewer = privacy.viewer_request()  # an anonymous visitor
    counts = dict.fromkeys(
        ("photos public", "photos private", "videos public", "videos private"), 0
    )
    withdrawn = []
    Image = get_image_model()

    for video in Video.objects.filter(pk__in=_candidates(Video, public_folder__gt="")):
        wanted = video.output_folder if video.is_ready and _is_public(viewer, video) else ""
        if wanted != video.public_folder or (recopy and wanted):
            withdrawn += _move_video_copies(video, wanted)
            if wanted != video.public_folder:
                counts["videos public" if wanted else "videos private"] += 1

    for image in Image.objects.filter(pk__in=_candidates(Image, public_copies=True)):
        public = _is_public(viewer, image)
        if public and (recopy or not image.public_copies):
            _publish_photo(image)
            counts["photos public"] += not image.public_copies
        elif image.public_copies and not public:
            withdrawn += _withdraw_photo(image)
            counts["photos private"] += 1

    if withdrawn:
        purge_urls_from_cache(
            [object_storage.public_url(name) for name in withdrawn],
            backend_settings=settings.MEDIA_FRONTEND_CACHE,
        )
    if any(counts.values()):
        # Pages name other URLs now: the anonymous page cache and the front cache empty.
        library_changed.send(sender=__name__)
        logger.info("Public copies: %s", counts)
    return counts


def _candidates(model, **marked):
    """Ids of the objects with public copies and of those anything refers to."""
    referred = ReferenceIndex.objects.filter(
        to_content_type=ContentType.objects.get_for_model(model)
    ).values_list("to_object_id", flat=True)
    ids = {int(pk) for pk in referred if str(pk).isdigit()}
    return ids | set(model.objects.filter(**marked).values_list("pk", flat=True))


def _is_public(viewer, obj):
    return privacy.media_access(viewer, obj) == privacy.PUBLIC


def _rendition_names(image):
    return list(image.renditions.values_list("file", flat=True))


def _publish_photo(image):
    names = _rendition_names(image)
    object_storage.copy_to_public(names, photo_cache_control())
    type(image).objects.filter(pk=image.pk).update(public_copies=True)
    # Renditions saved meanwhile saw the photo unmarked: copy them too.
    late = set(_rendition_names(image)) - set(names)
    object_storage.copy_to_public(sorted(late), photo_cache_control())


def _withdraw_photo(image):
    type(image).objects.filter(pk=image.pk).update(public_copies=False)
    names = object_storage.names_under(f"images/{image.pk}.", public=True)
    object_storage.delete_from_public(names)
    return names


def _move_video_copies(video, wanted):
    """Copy the wanted output folder (if any), mark it, then delete the old copies."""
    old = video.public_folder
    if wanted:
        names = object_storage.names_under(f"{wanted}/")
        object_storage.copy_to_public(names, video_cache_control())
    Video.objects.filter(pk=video.pk).update(public_folder=wanted)
    if not old or old == wanted:
        return []
    names = object_storage.names_under(f"{old}/", public=True)
    object_storage.delete_from_public(names)
    return names


# What queues a sync -------------------------------------------------------------------------


def _changed(sender, **kwargs):
    queue_sync()


def _video_processed(sender, **kwargs):
    if sender is Video:
        queue_sync()


def _setting_saved(sender, instance, **kwargs):
    if isinstance(instance, BaseSiteSetting | BaseGenericSetting):
        queue_sync()


def _copy_new_rendition(sender, instance, created, **kwargs):
    """A rendition made of a photo whose copies are public is copied as well."""
    if not object_storage.enabled() or not instance.file:
        return
    image = get_image_model().objects.filter(pk=instance.image_id, public_copies=True)
    if image.exists():
        name = instance.file.name
        transaction.on_commit(partial(object_storage.copy_to_public, [name], photo_cache_control()))


def _delete_rendition_copy(sender, instance, **kwargs):
    if object_storage.enabled() and instance.file:
        transaction.on_commit(partial(_delete_quietly, [instance.file.name]))


def _delete_video_copies(sender, instance, **kwargs):
    if object_storage.enabled() and instance.public_folder:
        folder = instance.public_folder

        def delete():
            _delete_quietly(object_storage.names_under(f"{folder}/", public=True))

        transaction.on_commit(delete)


def _delete_quietly(names):
    try:
        object_storage.delete_from_public(names)
    except object_storage.STORAGE_ERRORS:
        # The next sync does not see a deleted object: log it for the owner's host.
        logger.exception("Could not delete public copies %s", names[:3])


def connect():
    Rendition = get_image_model().get_rendition_model()
    for signal, sender in (
        (post_save, PageViewRestriction),
        (post_delete, PageViewRestriction),
        (post_delete, Page),
        (post_save, Video),
        (post_delete, Video),
        (page_published, None),
        (page_unpublished, None),
        (post_page_move, None),
    ):
        signal.connect(_changed, sender=sender, dispatch_uid=f"public-copies-{signal}-{sender}")
    library_changed.connect(_video_processed, dispatch_uid="public-copies-processed")
    post_save.connect(_setting_saved, dispatch_uid="public-copies-settings")
    post_save.connect(_copy_new_rendition, sender=Rendition, dispatch_uid="public-copies-new")
    post_delete.connect(_delete_rendition_copy, sender=Rendition, dispatch_uid="public-copies-del")
    post_delete.connect(_delete_video_copies, sender=Video, dispatch_uid="public-copies-video")
