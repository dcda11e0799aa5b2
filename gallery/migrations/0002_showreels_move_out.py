# ShowreelPage, ShowreelIndexPage, AccessPass and UnlockAttempt now belong to the showreels
# app (see showreels/migrations/0001_initial.py): removed from this app's state only, their
# tables and rows are kept.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('gallery', '0001_initial'),
        ('showreels', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='UnlockAttempt'),
                migrations.DeleteModel(name='AccessPass'),
                migrations.DeleteModel(name='ShowreelPage'),
                migrations.DeleteModel(name='ShowreelIndexPage'),
            ],
            database_operations=[],
        ),
    ]
