from django.db import transaction
from django.dispatch import receiver
from wagtail.signals import page_published

from gallery.tasks import make_page_renditions


@receiver(page_published)
def make_renditions_on_publish(sender, instance, **kwargs):
    page_id = instance.pk
    transaction.on_commit(lambda: make_page_renditions.enqueue(page_id))
