"""Showreels stay private whatever happens to the page tree.

The privacy check treats them as private by type at serving time; these receivers also give
any showreel left without a restriction (created, copied, aliased or moved outside a private
section, or its section's restriction removed) a password restriction of its own, so the
admin shows it as private and passes can be issued for it.
"""

import secrets
import threading

from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from gallery.models import Video
from showreels import streaming
from showreels.models import AccessPass, ShowreelIndexPage, ShowreelPage
from showreels.privacy import ancestor_paths

PRIVATE_TYPES = (ShowreelPage, ShowreelIndexPage)


def ensure_restricted(pages):
    """Give each showreel among these pages a restriction if none covers it."""
    for page in pages:
        covering = PageViewRestriction.objects.filter(page__path__in=ancestor_paths(page.path))
        if not covering.exists():
            PageViewRestriction.objects.create(
                page=page,
                restriction_type=PageViewRestriction.PASSWORD,
                # Unusable unless the owner allows shared passwords and sets one.
                password=secrets.token_urlsafe(24),
            )


def showreels_at_or_below(page):
    return Page.objects.descendant_of(page, inclusive=True).type(*PRIVATE_TYPES)


@receiver(post_save, sender=ShowreelPage)
@receiver(post_save, sender=ShowreelIndexPage)
def restrict_saved_showreel(sender, instance, **kwargs):
    ensure_restricted([instance])


@receiver(post_page_move)
def restrict_moved_showreels(sender, instance, **kwargs):
    ensure_restricted(showreels_at_or_below(instance))


# Pages being deleted in this thread: their restrictions go with them, nothing to re-add.
_deleting = threading.local()


def _pages_being_deleted():
    if not hasattr(_deleting, "ids"):
        _deleting.ids = set()
    return _deleting.ids


@receiver(pre_delete)
def note_page_deletion(sender, instance, **kwargs):
    if isinstance(instance, Page):
        _pages_being_deleted().add(instance.pk)


@receiver(post_delete, sender=Page)
def forget_page_deletion(sender, instance, **kwargs):
    # Its base row goes last, after its restrictions: the id can be forgotten (ids come
    # back after a rolled-back transaction, as in tests).
    _pages_being_deleted().discard(instance.pk)


@receiver(post_delete, sender=PageViewRestriction)
def restrict_uncovered_showreels(sender, instance, **kwargs):
    if instance.page_id in _pages_being_deleted():
        return
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        ensure_restricted(showreels_at_or_below(page))


# Whoever streams a private video is checked again on the next segment after the owner
# changes passes, privacy, the tree, a page's content or a video (showreels.streaming).
for _signal, _sender in [
    (post_save, AccessPass),
    (post_delete, AccessPass),
    (post_save, PageViewRestriction),
    (post_delete, PageViewRestriction),
    (post_save, Video),
    (post_delete, Video),
    (post_delete, Page),
    (page_published, None),
    (page_unpublished, None),
    (post_page_move, None),
]:
    _signal.connect(streaming.forget_verdicts, sender=_sender, weak=False)
