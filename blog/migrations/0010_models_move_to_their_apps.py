"""Article versions, media library images and imported items leave the blog app; their tables stay."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0009_article_body_html"),
        ("editorial", "0001_initial"),
        ("medialib", "0001_initial"),
        ("wordpress", "0001_initial"),
    ]

    operations = [
        # Their tables stay: the models now live in medialib, editorial and wordpress.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="importeditem",
                    name="content_type",
                ),
                migrations.RemoveField(
                    model_name="mediaimage",
                    name="uploaded_by",
                ),
                migrations.DeleteModel(
                    name="ArticleRevision",
                ),
                migrations.DeleteModel(
                    name="ImportedItem",
                ),
                migrations.DeleteModel(
                    name="MediaImage",
                ),
            ],
        ),
    ]
