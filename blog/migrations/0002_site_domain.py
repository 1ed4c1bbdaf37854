from django.conf import settings
from django.db import migrations


def set_site(apps, schema_editor):
    """Give the default Site the blog's name and domain instead of example.com.

    Absolute links in feeds, sitemaps and e-mails are built from it; the
    operator can change it later in the admin (Sites).
    """
    Site = apps.get_model("sites", "Site")
    Site.objects.update_or_create(
        pk=settings.SITE_ID,
        defaults={"domain": settings.SITE_DOMAIN, "name": settings.BLOG_NAME[:50]},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0001_initial"),
        ("sites", "0002_alter_domain_unique"),
    ]

    operations = [migrations.RunPython(set_site, migrations.RunPython.noop)]
