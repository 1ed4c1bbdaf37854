"""The newsroom's roles again, now that versions and media live in their own apps."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from editorial.roles import apply_roles


def create_roles(apps, schema_editor):
    # Permissions are normally created after the whole migrate run; they are
    # created here first so the groups receive them on a fresh database too.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    apply_roles(
        group_model=apps.get_model("auth", "Group"),
        permission_model=apps.get_model("auth", "Permission"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0001_initial"),
        ("blog", "0010_models_move_to_their_apps"),
        ("medialib", "0001_initial"),
        ("wordpress", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
