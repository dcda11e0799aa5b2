from django.db import migrations

ROLES = [
    ("BTS video unit", "bts-video-unit", 1),
    ("Backstage photographer", "backstage-photographer", 2),
    ("Scene photographer", "scene-photographer", 3),
]


def seed_roles(apps, schema_editor):
    FilmRole = apps.get_model("filmsheets", "FilmRole")
    for name, slug, order in ROLES:
        FilmRole.objects.get_or_create(slug=slug, defaults={"name": name, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("filmsheets", "0002_initial")]

    operations = [migrations.RunPython(seed_roles, migrations.RunPython.noop)]
