from django.contrib.auth.management import create_permissions
from django.db import migrations

from editorial.roles import apply_roles


def create_roles(apps, schema_editor):
    """Create the Auteur, Éditeur and Modérateur groups.

    Permissions are normally created after the whole migrate run; they are
    created here first so the groups can receive them on a fresh database.
    ``manage.py setup_roles`` applies the same definition later on.
    """
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
        ("blog", "0003_article_workflow_and_revisions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("django_comments", "0004_add_object_pk_is_removed_index"),
        ("django_comments_xtd", "0008_auto_20200920_2037"),
        ("flatpages", "0001_initial"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
