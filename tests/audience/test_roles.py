"""Who sees the audience dashboard: editors by their role, on a fresh database and after setup_roles."""

import importlib
from io import StringIO

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test import Client
from django.urls import reverse

from editorial.roles import AUTHOR, EDITOR, MODERATOR
from tests.factories import AuthorUserFactory, EditorUserFactory, ModeratorUserFactory

pytestmark = pytest.mark.django_db

DASHBOARD = "admin:audience_dailyviews_changelist"
PERMISSION = "view_dailyviews"

migration = importlib.import_module("audience.migrations.0002_roles_see_the_dashboard")


def run_the_migration():
    """The migration's function, with the models as they are at that migration."""
    state = MigrationLoader(connection).project_state(("audience", "0002_roles_see_the_dashboard"))
    migration.grant_audience_permissions(state.apps, None)


def has_permission(group_name):
    return (
        Group.objects.get(name=group_name)
        .permissions.filter(content_type__app_label="audience", codename=PERMISSION)
        .exists()
    )


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_migrated_database_lets_editors_and_only_them_see_the_figures():
    # The test database is built by running the migrations, as a fresh `migrate` does.
    assert has_permission(EDITOR)
    assert not has_permission(AUTHOR)
    assert not has_permission(MODERATOR)


def test_an_editor_opens_the_dashboard_and_the_export():
    client = client_for(EditorUserFactory(username="redactrice"))
    assert client.get(reverse(DASHBOARD)).status_code == 200
    assert client.get(reverse("admin:audience_dailyviews_export")).status_code == 200
    assert "audience/dailyviews/" in client.get(reverse("admin:index")).content.decode()


@pytest.mark.parametrize("factory", [AuthorUserFactory, ModeratorUserFactory])
def test_authors_and_moderators_do_not_see_the_figures(factory):
    client = client_for(factory(username="sans-audience"))
    assert client.get(reverse(DASHBOARD)).status_code == 403
    assert client.get(reverse("admin:audience_dailyviews_export")).status_code == 403


def test_the_migration_creates_the_missing_permission_and_grants_it():
    """What a database where the roles were applied before the audience tables existed gets."""
    Permission.objects.filter(content_type__app_label="audience").delete()
    hand_added = Permission.objects.get(codename="view_comment", content_type__app_label="django_comments")
    Group.objects.get(name=EDITOR).permissions.add(hand_added)

    run_the_migration()

    assert has_permission(EDITOR)
    assert not has_permission(AUTHOR)
    # Unlike setup_roles, the migration takes nothing back.
    assert Group.objects.get(name=EDITOR).permissions.filter(pk=hand_added.pk).exists()


def test_the_migration_runs_twice_without_harm():
    run_the_migration()
    run_the_migration()
    assert Group.objects.get(name=EDITOR).permissions.filter(codename=PERMISSION).count() == 1


def test_setup_roles_gives_the_permission_back():
    Group.objects.get(name=EDITOR).permissions.remove(Permission.objects.get(codename=PERMISSION))
    assert not has_permission(EDITOR)

    call_command("setup_roles", stdout=StringIO())

    assert has_permission(EDITOR)
    client = client_for(EditorUserFactory(username="redactrice"))
    assert client.get(reverse(DASHBOARD)).status_code == 200
