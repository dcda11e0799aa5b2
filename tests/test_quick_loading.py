"""Renditions loaded by gallery.dimensions.QuickLoading are the instances Django would make."""

from django.db.models.signals import post_init
from django.test import TestCase

from gallery.dimensions import load_quickly_for
from gallery.models import BackstageImage, BackstageRendition
from gallery.renditions import ensure_renditions
from tests.factories import ImageFactory


def django_loaded(queryset):
    """The same rows made by Django's own Model.from_db."""
    model = queryset.model
    fields = [f.attname for f in model._meta.concrete_fields]
    return [model(*row) for row in queryset.values_list(*fields)]


class QuickLoadingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.image = ImageFactory()
        ensure_renditions(cls.image, ("tile", "lightbox"))

    def renditions(self):
        return BackstageRendition.objects.filter(image=self.image).order_by("pk")

    def test_a_rendition_is_the_instance_django_makes(self):
        quick = list(self.renditions())
        self.assertGreaterEqual(len(quick), 3)
        for ours, theirs in zip(quick, django_loaded(self.renditions()), strict=True):
            self.assertIs(type(ours), BackstageRendition)
            self.assertEqual(
                {k: v for k, v in vars(ours).items() if k != "_state"},
                {k: v for k, v in vars(theirs).items() if k != "_state"},
            )
            self.assertFalse(ours._state.adding)
            self.assertEqual(ours._state.db, "default")
            self.assertEqual(ours.file.name, theirs.file.name)
            self.assertEqual((ours.width, ours.height), (theirs.width, theirs.height))
            self.assertEqual(ours.image, self.image)
            ours.save()  # saved as an existing row, not added again
        self.assertEqual(self.renditions().count(), len(quick))

    def test_another_listener_gets_djangos_way(self):
        seen = []

        def listener(sender, instance, **kwargs):
            seen.append(instance.pk)

        post_init.connect(listener, sender=BackstageRendition)
        try:
            loaded = list(self.renditions())
        finally:
            post_init.disconnect(listener, sender=BackstageRendition)
        self.assertEqual(seen, [r.pk for r in loaded])
        seen.clear()
        list(self.renditions())
        self.assertEqual(seen, [])

    def test_deferred_fields_and_images_get_djangos_way(self):
        deferred = self.renditions().only("pk", "image").first()
        self.assertEqual(
            deferred.get_deferred_fields(),
            {"filter_spec", "file", "width", "height", "focal_point_key"},
        )
        self.assertEqual(deferred.width, deferred.file.width)  # read on demand, as Django does
        image = self.renditions().only("pk").first().image  # deferred: Django's way
        self.assertIsNone(image.contextual_alt_text)

    def test_a_photo_is_the_instance_django_makes_with_what_wagtail_sets_in_init(self):
        queryset = BackstageImage.objects.filter(pk=self.image.pk)
        (ours,), (theirs,) = list(queryset), django_loaded(queryset)
        # Wagtail's images set the alt text of where they are used in __init__.
        self.assertIn("contextual_alt_text", vars(theirs))
        self.assertEqual(
            {k: v for k, v in vars(ours).items() if k != "_state"},
            {k: v for k, v in vars(theirs).items() if k != "_state"},
        )
        self.assertIsNone(ours.contextual_alt_text)
        self.assertFalse(ours.decorative)
        self.assertEqual(ours, self.image)
        self.assertEqual(ours.renditions.count(), self.renditions().count())

    def test_a_queryset_read_in_one_go_gives_the_same_instances_in_one_query(self):
        queryset = self.renditions().filter(filter_spec__contains="format-")
        shown_twice = [self.image, BackstageImage.objects.get(pk=self.image.pk)]
        with self.assertNumQueries(1):
            first, second = load_quickly_for(queryset, "image", shown_twice)
            self.assertTrue(all(r.image is shown_twice[0] for r in first))  # no query
            self.assertTrue(all(r.image is shown_twice[1] for r in second))
        for quick in (first, second):
            self.assertEqual(
                [{k: v for k, v in vars(r).items() if k != "_state"} for r in quick],
                [{k: v for k, v in vars(r).items() if k != "_state"} for r in queryset],
            )
            self.assertTrue(all(not r._state.adding and r._state.db == "default" for r in quick))
        self.assertGreaterEqual(len(first), 3)
        # Each showing of the photo has renditions of its own.
        self.assertFalse({id(r) for r in first} & {id(r) for r in second})
        # Photos: a boolean and a date converted from what SQLite returns, Django's way.
        ((image,),) = load_quickly_for(
            BackstageImage.objects.filter(pk=self.image.pk), "collection", [self.image.collection]
        )
        self.assertIs(image.public_copies, False)
        self.assertEqual(image.created_at, self.image.created_at)
        self.assertIsNone(image.contextual_alt_text)
        self.assertIs(image.collection, self.image.collection)
