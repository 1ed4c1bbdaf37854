from io import StringIO

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command

from editorial.roles import AUTHOR, EDITOR, MODERATOR, ROLES


def perms_of(name):
    group = Group.objects.get(name=name)
    return {
        f"{app}.{codename}"
        for app, codename in group.permissions.values_list("content_type__app_label", "codename")
    }


@pytest.mark.django_db
def test_the_migration_creates_the_three_groups_with_their_permissions():
    for name in (AUTHOR, EDITOR, MODERATOR):
        assert perms_of(name) == set(ROLES[name])


@pytest.mark.django_db
def test_only_editors_may_publish():
    assert "blog.publish_article" in perms_of(EDITOR)
    assert "blog.publish_article" not in perms_of(AUTHOR)
    assert not any(perm.startswith("blog.") for perm in perms_of(MODERATOR))


@pytest.mark.django_db
def test_moderators_get_the_comment_permissions():
    perms = perms_of(MODERATOR)
    assert {
        "django_comments_xtd.change_xtdcomment",
        "django_comments_xtd.delete_xtdcomment",
        "django_comments_xtd.view_xtdcomment",
        "django_comments.can_moderate",
        "django_comments.change_comment",
    } <= perms


@pytest.mark.django_db
def test_setup_roles_is_idempotent_and_repairs_a_tampered_group():
    author = Group.objects.get(name=AUTHOR)
    author.permissions.add(Permission.objects.get(codename="publish_article"))
    Group.objects.get(name=MODERATOR).delete()

    out = StringIO()
    call_command("setup_roles", stdout=out)
    call_command("setup_roles", stdout=out)

    assert Group.objects.filter(name__in=[AUTHOR, EDITOR, MODERATOR]).count() == 3
    assert "blog.publish_article" not in perms_of(AUTHOR)
    assert perms_of(MODERATOR) == set(ROLES[MODERATOR])
    assert "Groupe Modérateur créé" in out.getvalue()


@pytest.mark.django_db
def test_setup_roles_dry_run_saves_nothing():
    Group.objects.filter(name=EDITOR).delete()
    out = StringIO()
    call_command("setup_roles", "--dry-run", stdout=out)
    assert not Group.objects.filter(name=EDITOR).exists()
    assert "Groupe Éditeur à créer" in out.getvalue()


@pytest.mark.django_db
def test_setup_roles_fails_clearly_and_changes_nothing_when_a_permission_is_missing():
    Group.objects.filter(name=MODERATOR).delete()
    Permission.objects.filter(codename="publish_article").delete()
    with pytest.raises(CommandError, match="blog.publish_article"):
        call_command("setup_roles", stdout=StringIO())
    assert not Group.objects.filter(name=MODERATOR).exists()
