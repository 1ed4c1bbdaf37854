"""Article versions, formerly a model of the blog app (same table)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, old_label, new_label):
    # Permissions, admin history and generic relations point at the content
    # type: relabelling it keeps them all.
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=new_label, model="articlerevision").exists():
        ContentType.objects.filter(app_label=old_label, model="articlerevision").update(app_label=new_label)


def content_type_forwards(apps, schema_editor):
    move_content_type(apps, "blog", "editorial")


def content_type_backwards(apps, schema_editor):
    move_content_type(apps, "editorial", "blog")


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
                    name='ArticleRevision',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='saved at')),
                        ('comment', models.CharField(blank=True, max_length=255, verbose_name='comment')),
                        ('data', models.JSONField(default=dict, verbose_name='content')),
                        ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='revisions', to='blog.article', verbose_name='article')),
                        ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='saved by')),
                    ],
                    options={
                        'verbose_name': 'article version',
                        'verbose_name_plural': 'article versions',
                        'db_table': 'blog_articlerevision',
                        'ordering': ['-created_at', '-pk'],
                    },
                ),
            ],
        ),
        migrations.RunPython(content_type_forwards, content_type_backwards),
    ]
