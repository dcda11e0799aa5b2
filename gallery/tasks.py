"""Background work of the media library (django-tasks): renditions made before anyone asks."""

from django_tasks import task
from wagtail.images import get_image_model
from wagtail.models import Page

from gallery.renditions import ensure_renditions


@task(backend="background")
def make_page_renditions(page_id):
    """Make every rendition a published page shows, so its first visitor does not wait."""
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return 0
    needs = list(getattr(page.specific, "rendition_needs", list)())
    for image, presets in needs:
        ensure_renditions(image, presets)
    return len(needs)


@task(backend="background")
def make_image_renditions(image_id, presets):
    """Make the renditions of one image, e.g. the site's default social image."""
    image = get_image_model().objects.filter(pk=image_id).first()
    if image is not None:
        ensure_renditions(image, presets)
