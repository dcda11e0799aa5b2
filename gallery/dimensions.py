"""Loading photos and renditions from the database at less cost than Django's general way.

A 60-photo gallery loads about 240 images and renditions per page view, and two things
Django does for every row cost more than reading it:

- Django's ImageField listens to every instance's `post_init` to fill `width` and `height`
  from the file when they are empty. Before it looks at them it wraps the file name in a
  FieldFile. The same check is made here first on the stored values, and Django's own runs
  only when one is missing (a new instance being built with a file, as in an upload).
- `Model.__init__` sets each field through its descriptor and sends `pre_init` and
  `post_init`. A rendition row that has all its fields is loaded by `QuickLoading.from_db`
  (Django's documented hook for this) straight into the instance, with the dimension check
  above. Django's own way is taken for rows with deferred fields, for a model whose class
  sets more in `__init__` (Wagtail's images do), and while any other `pre_init` or
  `post_init` listener is connected for the model.
"""

from django.db.models import Model
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init

# model -> the dimension check connected for it.
_DIMENSION_CHECKS = {}
# model -> the attribute names of its columns, in the order Django selects them.
_ATTNAMES = {}


def check_stored_dimensions_first(model):
    field = model._meta.get_field("file")
    width, height = field.width_field, field.height_field
    if not (width or height):
        return

    def update_dimension_fields(sender, instance, **kwargs):
        stored = instance.__dict__
        if (not width or stored.get(width)) and (not height or stored.get(height)):
            return  # already filled: Django's check would return here too
        field.update_dimension_fields(instance)

    # Django connects its bound method per model; this replaces it for that model only.
    if post_init.disconnect(field.update_dimension_fields, sender=model):
        post_init.connect(update_dimension_fields, sender=model, weak=False)
        _DIMENSION_CHECKS[model] = update_dimension_fields


def _only_the_dimension_check(model):
    """Whether the dimension check is all that listens to this model's instances being made."""
    if pre_init.has_listeners(model):
        return False
    check = _DIMENSION_CHECKS.get(model)
    # Django has no public way to list a signal's receivers for a sender.
    sync_receivers, async_receivers = post_init._live_receivers(model)
    return check is not None and not async_receivers and sync_receivers == [check]


class QuickLoading:
    """For models whose rows are loaded by the hundred on a page view (renditions)."""

    @classmethod
    def from_db(cls, db, field_names, values):
        attnames = _ATTNAMES.get(cls)
        if attnames is None:
            attnames = _ATTNAMES[cls] = tuple(f.attname for f in cls._meta.concrete_fields)
        if (
            len(values) != len(attnames)
            or cls.__init__ is not Model.__init__  # a model that sets more when made
            or not _only_the_dimension_check(cls)
        ):
            return super().from_db(db, field_names, values)
        instance = cls.__new__(cls)
        # What Model.__init__ sets: every column's value under its attribute name (the
        # file's descriptor and the foreign key's store them as they are) and a state.
        instance.__dict__.update(zip(attnames, values, strict=True))
        instance._state = ModelState()
        instance._state.adding = False
        instance._state.db = db
        _DIMENSION_CHECKS[cls](sender=cls, instance=instance)
        return instance
