"""The record of imported WordPress items, formerly a model of the blog app (same table)."""

import django.db.models.deletion
from django.db import migrations, models


def move_content_type(apps, old_label, new_label):
    # Permissions, admin history and generic relations point at the content
    # type: relabelling it keeps them all.
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=new_label, model="importeditem").exists():
        ContentType.objects.filter(app_label=old_label, model="importeditem").update(app_label=new_label)


def content_type_forwards(apps, schema_editor):
    move_content_type(apps, "blog", "wordpress")


def content_type_backwards(apps, schema_editor):
    move_content_type(apps, "wordpress", "blog")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("blog", "0009_article_body_html"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        # The table was created by the blog app's migrations and keeps its name
        # (``db_table``): only Django's idea of which app owns it changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ImportedItem',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('source', models.CharField(max_length=200, verbose_name='source site')),
                        ('kind', models.CharField(choices=[('author', 'Author'), ('category', 'Category'), ('tag', 'Tag'), ('post', 'Post'), ('page', 'Page'), ('comment', 'Comment'), ('attachment', 'Attachment')], max_length=20, verbose_name='kind')),
                        ('wp_id', models.CharField(max_length=200, verbose_name='WordPress identifier')),
                        ('object_id', models.PositiveBigIntegerField(blank=True, null=True, verbose_name='object id')),
                        ('stored_file', models.CharField(blank=True, help_text="For attachments: the file's name in the media storage.", max_length=255, verbose_name='stored file')),
                        ('imported_at', models.DateTimeField(auto_now=True, verbose_name='last imported')),
                        ('content_type', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, to='contenttypes.contenttype', verbose_name='content type')),
                    ],
                    options={
                        'verbose_name': 'imported item',
                        'verbose_name_plural': 'imported items',
                        'db_table': 'blog_importeditem',
                        'ordering': ['source', 'kind', 'wp_id'],
                        'indexes': [models.Index(fields=['kind', 'wp_id'], name='imported_item_lookup_idx')],
                        'constraints': [models.UniqueConstraint(fields=('source', 'kind', 'wp_id'), name='imported_item_unique')],
                    },
                ),
            ],
        ),
        migrations.RunPython(content_type_forwards, content_type_backwards),
    ]
