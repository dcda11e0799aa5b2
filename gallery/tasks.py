from django_tasks import task


@task(backend="background")
def make_page_renditions(page_id):
    """Make every rendition a published page shows, so its first visitor does not wait."""
    from wagtail.models import Page

    from gallery.renditions import ensure_renditions

    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return 0
    page = page.specific
    needs = getattr(page, "rendition_needs", lambda: [])()
    for image, presets in needs:
        ensure_renditions(image, presets)
    return len(needs)
