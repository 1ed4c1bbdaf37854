"""The newsroom's roles get the audience permissions (editors see the dashboard).

editorial's 0002_roles applies the roles with the permissions that exist when
it runs; nothing orders it after this app's first migration, so on a fresh
database the "daily views" permissions may not exist yet. This migration
runs after both, creates this app's permissions and grants those that
``editorial.roles.ROLES`` lists. On a database migrated before, it grants
them too.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from editorial.roles import grant_role_permissions


def grant_audience_permissions(apps, schema_editor):
    # Django creates permissions after the whole migrate run (post_migrate); they
    # are created here first, as editorial's 0002_roles does, so the groups get them.
    app_config = apps.get_app_config("audience")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    grant_role_permissions(
        group_model=apps.get_model("auth", "Group"),
        permission_model=apps.get_model("auth", "Permission"),
        app_label="audience",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("audience", "0001_initial"),
        ("editorial", "0002_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant_audience_permissions, migrations.RunPython.noop)]
