"""Loading photos and renditions from the database at less cost than Django's general way.

A 60-photo gallery loads about 240 images and renditions per page view, and two things
Django does for every row cost more than reading it:

- Django's ImageField listens to every instance's `post_init` to fill `width` and `height`
  from the file when they are empty. Before it looks at them it wraps the file name in a
  FieldFile. The same check is made here first on the stored values, and Django's own runs
  only when one is missing (a new instance being built with a file, as in an upload).
- `Model.__init__` sets each field through its descriptor and sends `pre_init` and
  `post_init`. A row that has all its fields is loaded by `QuickLoading.from_db`
  (Django's documented hook for this) straight into the instance, with the dimension check
  above, and what the model's own `__init__` sets besides (Wagtail's images: the alt text
  of where they are shown). Django's own way is taken for rows with deferred fields, for a
  model whose `__init__` is not the one it declares, and while any other `pre_init` or
  `post_init` listener is connected for the model.
"""

import copy

from django.db import connections
from django.db.models import Model
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init

# model -> the dimension check connected for it.
_DIMENSION_CHECKS = {}
# model -> the attribute names of its columns, in the order Django selects them.
_ATTNAMES = {}


def stored_file_name(instance):
    """The name of a photo's or rendition's file as loaded, without wrapping it in a FieldFile
    first (which costs more than reading it, a few hundred times a gallery page); "" for
    none."""
    name = instance.__dict__.get("file")
    if not isinstance(name, str):
        name = instance.file.name
    return name or ""


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


def _attnames(model):
    attnames = _ATTNAMES.get(model)
    if attnames is None:
        attnames = _ATTNAMES[model] = tuple(f.attname for f in model._meta.concrete_fields)
    return attnames


def _quick(model):
    known_init = model.__init__ in (Model.__init__, model.quick_loading_init)
    return known_init and _only_the_dimension_check(model)


def load_quickly_for(queryset, field_name, targets):
    """For each of `targets`, a list of the queryset's instances whose foreign key
    `field_name` points at it, with that relation already set to it (reading it costs no
    query): what `prefetch_related` gives, at less cost a row. The rows are read from the
    cursor in one go and made into instances by `QuickLoading` (the ORM's own iteration costs
    more per row than the rest of loading it); Django's iteration wherever a column needs
    converting from what the database returns, or the model is not loaded quickly (see
    `QuickLoading.from_db`).

    The rows are read once. A target listed twice (a photo shown twice on a page, with a
    different alt text each time) gets instances of its own each time."""
    model = queryset.model
    field = model._meta.get_field(field_name)
    rows = _rows(queryset)
    if rows is None:
        by_key = {}
        for instance in queryset:
            by_key.setdefault(getattr(instance, field.attname), []).append(instance)
        found, seen = [], set()
        for target in targets:
            instances = by_key.get(target.pk, [])
            if target.pk in seen:
                instances = [copy.copy(instance) for instance in instances]
            seen.add(target.pk)
            for instance in instances:
                field.set_cached_value(instance, target)
            found.append(instances)
        return found
    attnames, check, db = _attnames(model), _DIMENSION_CHECKS[model], queryset.db
    position, cache_name = attnames.index(field.attname), field.cache_name
    by_key = {}
    for row in rows:
        by_key.setdefault(row[position], []).append(row)
    return [
        [
            _made(model, attnames, row, db, check, fields_cache={cache_name: target})
            for row in by_key.get(target.pk, ())
        ]
        for target in targets
    ]


def _rows(queryset):
    """The queryset's rows as tuples of every column (in `_attnames` order), read in one go;
    None when its model is loaded Django's way."""
    model = queryset.model
    connection = connections[queryset.db]
    if not issubclass(model, QuickLoading) or not _quick(model) or _converts(model, connection):
        return None
    sql, params = queryset.values_list(*_attnames(model)).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _made(model, attnames, values, db, dimension_check, fields_cache=None):
    instance = model.__new__(model)
    # What Model.__init__ sets: every column's value under its attribute name (the file's
    # descriptor and the foreign key's store them as they are) and a state.
    instance.__dict__.update(zip(attnames, values, strict=True))
    state = instance._state = ModelState()
    state.adding = False
    state.db = db
    if fields_cache is not None:
        state.fields_cache = fields_cache  # related instances already known
    instance.__dict__.update(model.quick_loading_extras)
    dimension_check(sender=model, instance=instance)
    return instance


def _converts(model, connection):
    """Whether any column of the model is converted after reading, on this database."""
    key = (model, connection.alias)
    found = _CONVERTS.get(key)
    if found is None:
        table = model._meta.db_table
        found = _CONVERTS[key] = any(
            field.get_db_converters(connection)
            or connection.ops.get_db_converters(field.get_col(table))
            for field in model._meta.concrete_fields
        )
    return found


_CONVERTS = {}


class QuickLoading:
    """For models whose rows are loaded by the hundred on a page view (photos, renditions).

    A model with an `__init__` of its own names it in `quick_loading_init`, and what it sets
    besides the fields in `quick_loading_extras` (tests/test_quick_loading.py checks that
    instances come out the same both ways); a model whose `__init__` is another is loaded
    Django's way."""

    quick_loading_init = None
    quick_loading_extras = {}

    @classmethod
    def from_db(cls, db, field_names, values):
        attnames = _attnames(cls)
        if len(values) != len(attnames) or not _quick(cls):
            return super().from_db(db, field_names, values)
        return _made(cls, attnames, values, db, _DIMENSION_CHECKS[cls])
