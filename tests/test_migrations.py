"""A database made before private work moved to the showreels app migrates with nothing lost.

The schema of that time is rebuilt by migrating back (gallery at 0001, showreels not yet
there), filled through the historical models as the old code wrote it, then migrated forward.
"""

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from wagtail.models import ModelLogEntry, Page

from filmsheets.models import FilmSheetPage
from showreels.models import AccessPass, ShowreelPage, UnlockAttempt

# Migrations commit as they go; pytest-django runs transactional tests after the others.
pytestmark = pytest.mark.django_db(transaction=True)

# home 0003 points at a video of the later gallery: it waits, as it did then.
BEFORE_THE_MOVE = [
    ("gallery", "0001_initial"),
    ("showreels", None),
    ("home", "0002_portfolio_default_photo_credit"),
]
PASSWORD = "abcde-fghjk-mnpqr-stuvw-xyz23"


def migrate(targets=None):
    """Migrate to the targets (default: the latest); the historical models of that point."""
    executor = MigrationExecutor(connection)
    graph = executor.loader.graph
    targets = targets or graph.leaf_nodes()
    executor.migrate(targets)
    # The state of every app at its latest, but for those the targets name.
    named = {app for app, _name in targets}
    nodes = [node for node in graph.leaf_nodes() if node[0] not in named]
    nodes += [target for target in targets if target[1] is not None]
    return executor.loader.project_state(nodes).apps


def add_page(apps, model_name, app_label, parent, **fields):
    """A page row as treebeard writes it, through a historical model."""
    model = apps.get_model(app_label, model_name)
    content_type = apps.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label=app_label, model=model_name.lower()
    )[0]
    position = parent.numchild + 1
    page = model.objects.create(
        path=f"{parent.path}{position:04d}",
        depth=parent.depth + 1,
        numchild=0,
        content_type=content_type,
        live=True,
        url_path=f"{parent.url_path}{fields['slug']}/",
        locale_id=parent.locale_id,
        **fields,
    )
    parent.numchild = position
    parent.save(update_fields=["numchild"])
    return page


@pytest.fixture
def old_database():
    try:
        yield fill_old_database(migrate(BEFORE_THE_MOVE))
    finally:
        migrate()  # whatever happened, the next test finds the latest schema


def fill_old_database(apps):
    """The rows the code of the time made: a showreel, a film it names, passes, attempts."""
    OldPage = apps.get_model("wagtailcore", "Page")
    root = OldPage.objects.get(depth=1)
    film = add_page(
        apps,
        "FilmSheetPage",
        "filmsheets",
        root,
        title="Harbour Lights",
        slug="harbour-lights",
        year=2019,
        director="A. Director",
    )
    reel = add_page(
        apps, "ShowreelPage", "gallery", root, title="Reel 2024", slug="reel-2024", intro="<p>x</p>"
    )
    reel.related_films.through.objects.create(showreelpage_id=reel.pk, filmsheetpage_id=film.pk)
    apps.get_model("wagtailcore", "PageViewRestriction").objects.create(
        page_id=reel.pk, restriction_type="password", password="shared"
    )
    OldPass = apps.get_model("gallery", "AccessPass")
    access_pass = OldPass.objects.create(
        label="Line producer, Northlight Films",
        page_id=reel.pk,
        lookup_key=PASSWORD[:5],
        password_hash=make_password(PASSWORD),
        use_count=3,
        last_ip_prefix="203.0.113.0/24",
    )
    OldAttempt = apps.get_model("gallery", "UnlockAttempt")
    OldAttempt.objects.create(
        page_id=reel.pk, access_pass_id=access_pass.pk, outcome="success", client="k1"
    )
    OldAttempt.objects.create(page_id=reel.pk, outcome="wrong", client="k2")
    old_type = apps.get_model("contenttypes", "ContentType").objects.get(
        app_label="gallery", model="accesspass"
    )
    apps.get_model("wagtailcore", "ModelLogEntry").objects.create(
        content_type_id=old_type.pk,
        object_id=str(access_pass.pk),
        label=access_pass.label,
        action="gallery.revoke_access_pass",
        timestamp="2026-01-01T00:00:00Z",
    )
    group = Group.objects.create(name="Pass keepers")
    group.permissions.add(
        Permission.objects.get(content_type_id=old_type.pk, codename="change_accesspass")
    )
    return {"film": film.pk, "reel": reel.pk, "pass": access_pass.pk, "group": group.pk}


def test_showreels_passes_and_attempts_survive_the_move_and_its_reversal(old_database):
    migrate()
    ContentType.objects.clear_cache()

    reel = Page.objects.get(pk=old_database["reel"]).specific
    assert isinstance(reel, ShowreelPage)
    assert (reel.title, reel.intro) == ("Reel 2024", "<p>x</p>")
    assert list(reel.related_films.values_list("pk", flat=True)) == [old_database["film"]]
    assert FilmSheetPage.objects.get(pk=old_database["film"]).showreels.get() == reel
    assert reel.get_view_restrictions().get().password == "shared"

    access_pass = AccessPass.objects.get(pk=old_database["pass"])
    assert (access_pass.label, access_pass.page_id, access_pass.use_count) == (
        "Line producer, Northlight Films",
        reel.pk,
        3,
    )
    assert access_pass.check_password(PASSWORD)
    attempts = UnlockAttempt.objects.filter(page=reel).order_by("client")
    assert [(a.client, a.outcome, a.access_pass_id) for a in attempts] == [
        ("k1", "success", access_pass.pk),
        ("k2", "wrong", None),
    ]

    moved = ContentType.objects.get_for_model(AccessPass)
    assert moved.app_label == "showreels"
    assert not ContentType.objects.filter(app_label="gallery", model="accesspass").exists()
    entry = ModelLogEntry.objects.get(object_id=str(access_pass.pk))
    assert (entry.content_type_id, entry.action) == (moved.pk, "showreels.revoke_access_pass")
    assert Group.objects.get(pk=old_database["group"]).permissions.get().content_type == moved

    # And back to the old layout and forward again: the rows follow each time.
    apps = migrate(BEFORE_THE_MOVE)
    assert apps.get_model("gallery", "AccessPass").objects.get().use_count == 3
    assert apps.get_model("gallery", "ShowreelPage").objects.get().title == "Reel 2024"
    migrate()
    ContentType.objects.clear_cache()
    assert AccessPass.objects.get().use_count == 3
    assert isinstance(Page.objects.get(pk=old_database["reel"]).specific, ShowreelPage)
