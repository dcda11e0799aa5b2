"""Signals the media library sends about changes made without a model's save() (queryset
updates from the background worker): whoever caches pages listens."""

from django.dispatch import Signal

# A video's processing ended (ready or failed): pages showing it show something else now.
library_changed = Signal()
