# The showreel pages, access passes and unlock attempts move from the gallery app to this
# one. Their tables stay as they are here (state only); 0002 renames them and moves their
# content types, so pages, passes, attempts and permissions keep their rows and ids.
# https://docs.djangoproject.com/en/5.2/ref/migration-operations/#separatedatabaseandstate

import django.db.models.deletion
import django.utils.timezone
import modelcluster.fields
import wagtail.fields
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('gallery', '0001_initial'),
        ('filmsheets', '0001_initial'),
        ('wagtailcore', '0098_apitoken'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ShowreelIndexPage',
                    fields=[
                        ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                        ('intro', wagtail.fields.RichTextField(blank=True)),
                    ],
                    options={
                        'db_table': 'gallery_showreelindexpage',
                        'verbose_name': 'private work section',
                    },
                    bases=('wagtailcore.page',),
                ),
                migrations.CreateModel(
                    name='AccessPass',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('label', models.CharField(help_text='Who this pass is for, e.g. “Line producer, Northlight Films”.', max_length=200)),
                        ('lookup_key', models.CharField(editable=False, max_length=5, unique=True)),
                        ('password_hash', models.CharField(editable=False, max_length=256)),
                        ('expires_at', models.DateTimeField(blank=True, help_text='Leave empty for a pass that does not expire.', null=True, verbose_name='expires')),
                        ('revoked_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='revoked')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('first_used_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='first used')),
                        ('last_used_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='last used')),
                        ('use_count', models.PositiveIntegerField(default=0, editable=False, verbose_name='times used')),
                        ('last_ip_prefix', models.CharField(blank=True, editable=False, max_length=64, verbose_name='last seen from')),
                        ('last_user_agent', models.CharField(blank=True, editable=False, max_length=300)),
                        ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL)),
                        ('page', models.ForeignKey(help_text='The private page or section this pass opens (with everything below it).', on_delete=django.db.models.deletion.CASCADE, related_name='access_passes', to=settings.WAGTAIL_PAGE_MODEL)),
                    ],
                    options={
                        'db_table': 'gallery_accesspass',
                        'verbose_name': 'access pass',
                        'verbose_name_plural': 'access passes',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='ShowreelPage',
                    fields=[
                        ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                        ('intro', wagtail.fields.RichTextField(blank=True)),
                        ('body', wagtail.fields.StreamField([('gallery', 7), ('video', 12), ('text', 13), ('quote', 15)], blank=True, block_lookup={0: ('wagtail.blocks.CharBlock', (), {'max_length': 120, 'required': False}), 1: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('grid', 'Grid'), ('masonry', 'Masonry (images keep their proportions)'), ('sequence', 'Full-width sequence')]}), 2: ('wagtail.images.blocks.ImageBlock', [], {}), 3: ('wagtail.blocks.CharBlock', (), {'help_text': "Leave empty to use the image's own caption.", 'max_length': 300, 'required': False}), 4: ('wagtail.blocks.CharBlock', (), {'help_text': "Photographer. Leave empty to use the image's own credit.", 'max_length': 120, 'required': False}), 5: ('wagtail.blocks.StructBlock', [[('photo', 2), ('caption', 3), ('credit', 4)]], {}), 6: ('wagtail.blocks.ListBlock', (5,), {'min_num': 1}), 7: ('wagtail.blocks.StructBlock', [[('title', 0), ('layout', 1), ('photos', 6)]], {}), 8: ('wagtail.snippets.blocks.SnippetChooserBlock', ('gallery.Video',), {'help_text': 'An uploaded video file.', 'required': False}), 9: ('wagtail.embeds.blocks.EmbedBlock', (), {'help_text': 'Or a link to the video on YouTube or Vimeo.', 'max_width': 1600, 'required': False}), 10: ('wagtail.images.blocks.ImageChooserBlock', (), {'help_text': "Still shown before playback; defaults to the video's poster.", 'required': False}), 11: ('wagtail.blocks.CharBlock', (), {'max_length': 300, 'required': False}), 12: ('wagtail.blocks.StructBlock', [[('video', 8), ('embed', 9), ('poster', 10), ('caption', 11)]], {}), 13: ('gallery.blocks.TextBlock', (), {'features': ['h3', 'bold', 'italic', 'link', 'ol', 'ul']}), 14: ('wagtail.blocks.TextBlock', (), {'max_length': 600}), 15: ('wagtail.blocks.StructBlock', [[('quote', 14), ('attribution', 0)]], {})})),
                        ('related_films', modelcluster.fields.ParentalManyToManyField(blank=True, related_name='showreels', to='filmsheets.filmsheetpage')),
                    ],
                    options={
                        'db_table': 'gallery_showreelpage',
                        'verbose_name': 'showreel',
                    },
                    bases=('wagtailcore.page',),
                ),
                migrations.CreateModel(
                    name='UnlockAttempt',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('outcome', models.CharField(choices=[('success', 'Unlocked'), ('wrong', 'Wrong password'), ('expired', 'Expired pass'), ('revoked', 'Revoked pass'), ('limited', 'Refused: too many attempts')], max_length=16)),
                        ('client', models.CharField(help_text='Network prefix of the client.', max_length=64)),
                        ('user_agent', models.CharField(blank=True, max_length=300)),
                        ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                        ('access_pass', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='attempts', to='showreels.accesspass')),
                        ('page', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.WAGTAIL_PAGE_MODEL)),
                    ],
                    options={
                        'db_table': 'gallery_unlockattempt',
                        'ordering': ['-created_at'],
                        'indexes': [models.Index(fields=['client', 'page', 'created_at'], name='gallery_unl_client_2e8c0a_idx')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
