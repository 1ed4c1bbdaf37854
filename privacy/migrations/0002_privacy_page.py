from django.db import migrations


def create_privacy_page(apps, schema_editor):
    """The privacy policy flatpage, unless one is already at its address (then left as it is)."""
    from privacy.services import ensure_privacy_page

    ensure_privacy_page(flatpage_model=apps.get_model("flatpages", "FlatPage"), site_model=apps.get_model("sites", "Site"))


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0001_initial"),
        ("flatpages", "0001_initial"),
        # The Site exists, on the blog's domain.
        ("blog", "0002_site_domain"),
    ]

    # Going back keeps the page: an editor may have changed it since.
    operations = [migrations.RunPython(create_privacy_page, migrations.RunPython.noop)]
