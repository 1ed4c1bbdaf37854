"""The media library's images, formerly a model of the blog app (same table)."""

import django.db.models.deletion
import medialib.images
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, old_label, new_label):
    # Permissions, admin history and generic relations point at the content
    # type: relabelling it keeps them all.
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=new_label, model="mediaimage").exists():
        ContentType.objects.filter(app_label=old_label, model="mediaimage").update(app_label=new_label)


def content_type_forwards(apps, schema_editor):
    move_content_type(apps, "blog", "medialib")


def content_type_backwards(apps, schema_editor):
    move_content_type(apps, "medialib", "blog")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("blog", "0009_article_body_html"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The table was created by the blog app's migrations and keeps its name
        # (``db_table``): only Django's idea of which app owns it changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='MediaImage',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('file', medialib.images.CleanImageField(height_field='height', help_text='JPEG, PNG, GIF or WebP; location data and other metadata are removed.', max_width_setting='BLOG_BODY_IMAGE_MAX_WIDTH', upload_to='library/%Y/%m/', verbose_name='file', width_field='width')),
                        ('width', models.PositiveIntegerField(editable=False, null=True, verbose_name='width')),
                        ('height', models.PositiveIntegerField(editable=False, null=True, verbose_name='height')),
                        ('alt_text', models.CharField(blank=True, help_text='What the image shows, offered when the image is inserted into a text.', max_length=250, verbose_name='image description (alternative text)')),
                        ('uploaded_at', models.DateTimeField(auto_now_add=True, verbose_name='uploaded')),
                        ('uploaded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='uploaded by')),
                    ],
                    options={
                        'verbose_name': 'image',
                        'verbose_name_plural': 'media library',
                        'db_table': 'blog_mediaimage',
                        'ordering': ['-uploaded_at', '-pk'],
                        'indexes': [models.Index(fields=['-uploaded_at'], name='mediaimage_uploaded_idx')],
                    },
                ),
            ],
        ),
        migrations.RunPython(content_type_forwards, content_type_backwards),
    ]
