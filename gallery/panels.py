"""The page editor's view of a page's photos: how many are ready for visitors."""

from wagtail.admin.panels import Panel

from gallery.renditions import rendition_progress


class PhotosReadyPanel(Panel):
    """ "Photos ready: 34 of 60", and the photos whose renditions could not be made, why.

    Renditions are made by the background worker after publishing; until a photo's are
    there, visitors see a placeholder in its place.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("heading", "Photos")
        super().__init__(**kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "gallery/panels/photos_ready.html"

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            # The photos of the page as saved: what the worker makes is what is published.
            if self.instance.pk:
                self.ready, self.total, self.failures = rendition_progress(
                    self.instance.rendition_needs()
                )
            else:
                self.ready, self.total, self.failures = 0, 0, []

        def is_shown(self):
            return self.total > 0

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context.update(ready=self.ready, total=self.total, failures=self.failures)
            return context
