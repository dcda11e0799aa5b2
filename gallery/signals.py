from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published

from gallery import videos
from gallery.models import Video
from gallery.tasks import make_page_renditions, make_video_poster, mark_page_queued, process_video


@receiver(page_published)
def make_renditions_on_publish(sender, instance, **kwargs):
    page_id = instance.pk

    def queue():
        # Always queued: the page may show other photos now than when it was last queued.
        mark_page_queued(page_id)
        make_page_renditions.enqueue(page_id)

    transaction.on_commit(queue)


@receiver(post_save, sender=Video)
def queue_video_processing(sender, instance, **kwargs):
    """A new or replaced master is processed, a new poster frame time makes a new poster,
    by the background worker once the upload is committed (Video.save says which)."""
    work = getattr(instance, "queued_work", None)
    if work == "process":
        transaction.on_commit(partial(process_video.enqueue, instance.pk))
    elif work == "poster":
        transaction.on_commit(partial(make_video_poster.enqueue, instance.pk))


@receiver(post_delete, sender=Video)
def delete_video_outputs(sender, instance, **kwargs):
    """A deleted video's outputs go with it, and its poster frame unless used elsewhere."""
    folder, poster_id = instance.output_folder, instance.generated_poster_id

    def delete():
        videos.delete_folder(folder)
        if poster_id:
            videos.delete_unused_image(poster_id)

    transaction.on_commit(delete)
