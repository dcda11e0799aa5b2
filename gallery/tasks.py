from django_tasks import task


@task(backend="background")
def make_page_renditions(page_id):
    """Make every rendition a published page shows, so its first visitor does not wait."""
    from wagtail.models import Page

    from bts_site.structured_data import social_image
    from gallery.renditions import ensure_renditions

    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return 0
    page = page.specific
    needs = list(getattr(page, "rendition_needs", lambda: [])())
    # The image a shared link shows, whatever page type: see bts_site.structured_data.
    shared = social_image(page)
    if shared is not None:
        needs.append((shared, ("social",)))
    for image, presets in needs:
        ensure_renditions(image, presets)
    return len(needs)


@task(backend="background")
def make_image_renditions(image_id, presets):
    """Make the renditions of one image, e.g. the site's default social image."""
    from wagtail.images import get_image_model

    from gallery.renditions import ensure_renditions

    image = get_image_model().objects.filter(pk=image_id).first()
    if image is not None:
        ensure_renditions(image, presets)
