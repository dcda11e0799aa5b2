# The moved models take this app's table names, and their content types move with them:
# pages keep their type, groups their permissions, log entries their objects.

from django.db import migrations

MOVED_MODELS = ["showreelpage", "showreelindexpage", "accesspass", "unlockattempt"]
REVOKE_ACTIONS = ("gallery.revoke_access_pass", "showreels.revoke_access_pass")


def move_content_types(apps, schema_editor, source="gallery", target="showreels"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MOVED_MODELS:
        old = ContentType.objects.using(db).filter(app_label=source, model=model).first()
        if old is None:
            continue  # a new database: the content type is made after migrating
        # One made for the target before this ran (nothing refers to it yet) gives way.
        ContentType.objects.using(db).filter(app_label=target, model=model).delete()
        old.app_label = target
        old.save(update_fields=["app_label"])


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, source="showreels", target="gallery")


def rename_log_action(apps, schema_editor, old=REVOKE_ACTIONS[0], new=REVOKE_ACTIONS[1]):
    ModelLogEntry = apps.get_model("wagtailcore", "ModelLogEntry")
    ModelLogEntry.objects.using(schema_editor.connection.alias).filter(action=old).update(
        action=new
    )


def rename_log_action_back(apps, schema_editor):
    rename_log_action(apps, schema_editor, old=REVOKE_ACTIONS[1], new=REVOKE_ACTIONS[0])


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('gallery', '0002_showreels_move_out'),
        ('showreels', '0001_initial'),
    ]

    operations = [
        migrations.RenameIndex(
            model_name='unlockattempt',
            new_name='showreels_u_client_a35231_idx',
            old_name='gallery_unl_client_2e8c0a_idx',
        ),
        migrations.AlterModelTable(name='accesspass', table=None),
        migrations.AlterModelTable(name='showreelindexpage', table=None),
        migrations.AlterModelTable(name='showreelpage', table=None),
        migrations.AlterModelTable(name='unlockattempt', table=None),
        migrations.RunPython(move_content_types, move_content_types_back),
        migrations.RunPython(rename_log_action, rename_log_action_back),
    ]
