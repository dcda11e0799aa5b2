from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from gallery.tasks import make_image_renditions
from home.models import PortfolioSettings


@receiver(post_save, sender=PortfolioSettings)
def make_default_social_image_renditions(sender, instance, **kwargs):
    """The fallback image of shared links is made when chosen, not by the first visitor."""
    image_id = instance.default_social_image_id
    if image_id:
        transaction.on_commit(lambda: make_image_renditions.enqueue(image_id, ["social"]))
