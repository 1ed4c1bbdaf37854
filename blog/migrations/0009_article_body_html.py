from django.db import migrations, models

from medialib.rendering import responsive_body

BATCH = 200


def fill_body_html(apps, schema_editor):
    """Make the shown body of the existing articles, as ``Article.save()`` now does.

    Historical models have no save() of their own: the function is called directly,
    with the historical MediaImage to look the images up in.
    """
    Article = apps.get_model("blog", "Article")
    MediaImage = apps.get_model("blog", "MediaImage")
    pks = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), BATCH):
        for pk, body in Article.objects.filter(pk__in=pks[start : start + BATCH]).values_list("pk", "body"):
            body_html = responsive_body(body, media_model=MediaImage)
            if body_html:
                Article.objects.filter(pk=pk).update(body_html=body_html)


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0008_list_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="body_html",
            field=models.TextField(
                blank=True,
                default="",
                editable=False,
                help_text="The body with its images' resized copies; made from the body on each save.",
                verbose_name="body as shown",
            ),
        ),
        migrations.RunPython(fill_body_html, migrations.RunPython.noop),
    ]
