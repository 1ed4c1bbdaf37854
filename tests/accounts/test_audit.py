"""The audit trail: what is recorded, by whom, with before and after; how long it is kept; who reads it."""

from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts import audit
from accounts.models import AuditEntry
from blog.models import Article
from editorial import services as editorial_services
from tests.factories import ArticleFactory, UserFactory


def entries(action, **filters):
    return list(AuditEntry.objects.filter(action=action, **filters))


def changelist_action(client, action, articles):
    return client.post(
        reverse("admin:blog_article_changelist"),
        {"action": action, "_selected_action": [article.pk for article in articles]},
    )


# Articles ---------------------------------------------------------------------------------


def test_publishing_from_the_admin_records_who_and_the_status_before_and_after(client, editor):
    article = ArticleFactory(title="Brouillon", status="draft", published_at=None)
    client.force_login(editor)
    changelist_action(client, "publish", [article])
    [entry] = entries("published")
    assert entry.actor_name == "editrice" and entry.actor_id == editor.pk
    assert entry.target_type == "blog.article" and entry.target_id == str(article.pk)
    assert entry.target_repr == "Brouillon"
    assert entry.details["status"] == ["draft", "published"]
    assert entry.details["scheduled"] is False


def test_unpublishing_is_recorded(client, editor):
    article = ArticleFactory(status="published")
    client.force_login(editor)
    changelist_action(client, "unpublish", [article])
    [entry] = entries("unpublished")
    assert entry.actor_name == "editrice"
    assert entry.details["status"] == ["published", "draft"]


def test_publishing_from_the_form_and_from_a_service_is_recorded_too(client, editor, author):
    article = ArticleFactory(status="review", author=author, published_at=None)
    editorial_services.article_publish(article=article)
    [entry] = entries("published")
    assert entry.actor_name == ""  # no request: a command or the shell
    assert entry.details["status"] == ["review", "published"]


def test_saves_that_do_not_change_the_publication_are_not_recorded(editor):
    article = ArticleFactory(status="published")
    assert entries("published")  # created published
    AuditEntry.objects.all().delete()
    article.title = "Corrigé"
    article.save()
    article.save(update_fields=["title"])
    assert not AuditEntry.objects.filter(action__in=["published", "unpublished"]).exists()


def test_deleting_articles_in_the_admin_is_recorded(client, editor):
    article = ArticleFactory(title="À supprimer")
    client.force_login(editor)
    response = client.post(
        reverse("admin:blog_article_changelist"),
        {"action": "delete_selected", "_selected_action": [article.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()
    [entry] = entries("deleted")
    assert entry.actor_name == "editrice"
    assert entry.target_repr == "À supprimer"
    assert entry.details["title"] == "À supprimer"


def test_restoring_a_version_is_recorded(client, editor):
    article = ArticleFactory(title="Version 1")
    original = editorial_services.article_revision_create(article=article, user=editor)
    article.title = "Version 2"
    article.save()
    client.force_login(editor)
    response = client.post(reverse("admin:blog_article_revision_restore", args=[article.pk, original.pk]))
    assert response.status_code == 302
    [entry] = entries("version_restored")
    assert entry.actor_name == "editrice"
    assert entry.target_id == str(article.pk)
    assert entry.details["revision"] == original.pk


# Roles ------------------------------------------------------------------------------------------


def test_a_superuser_changing_someones_groups_and_flags_in_the_admin_is_recorded(client, superuser, author):
    editors = Group.objects.get(name="Éditeur")
    client.force_login(superuser)
    url = reverse("admin:auth_user_change", args=[author.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in ("groups", "user_permissions", "password")
    }
    data.update(
        {
            "username": author.username,
            "groups": [editors.pk],
            "is_superuser": "on",
            "is_staff": "on",
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
            "last_login_0": "",
            "last_login_1": "",
            "profile-TOTAL_FORMS": "0",
            "profile-INITIAL_FORMS": "0",
            "profile-MIN_NUM_FORMS": "0",
            "profile-MAX_NUM_FORMS": "1",
        }
    )
    data.pop("date_joined", None)
    data.pop("last_login", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    changes = entries("role_changed", target_id=str(author.pk), actor_name="root")
    flags = [e for e in changes if "is_superuser" in e.details]
    assert flags and flags[0].details["is_superuser"] == [False, True]
    groups = [e.details["groups"] for e in changes if "groups" in e.details]
    assert {"Éditeur"} == {name for g in groups for name in g["added"]}
    assert any(g["removed"] == ["Auteur"] for g in groups)
    assert groups[0]["after"] == ["Éditeur"]  # the latest first


def test_group_membership_from_either_side_and_clearing_are_recorded(author):
    moderators = Group.objects.get(name="Modérateur")
    moderators.user_set.add(author)
    added = AuditEntry.objects.filter(action="role_changed", target_id=str(author.pk)).first()
    assert added.details["groups"]["added"] == ["Modérateur"]
    assert added.details["groups"]["before"] == ["Auteur"]
    author.groups.clear()
    last = AuditEntry.objects.filter(action="role_changed", target_id=str(author.pk)).first()
    assert last.details["groups"]["removed"] == ["Auteur", "Modérateur"]


def test_a_groups_permissions_are_recorded(db):
    group = Group.objects.get(name="Auteur")
    permission = Permission.objects.get(codename="publish_article")
    group.permissions.add(permission)
    [entry] = entries("role_changed", target_type="auth.group")
    assert entry.target_repr == "Auteur"
    assert entry.details["permissions"]["added"] == ["blog.publish_article"]
    assert "blog.publish_article" in entry.details["permissions"]["after"]
    assert "blog.publish_article" not in entry.details["permissions"]["before"]


def test_deleting_a_group_names_its_members(author):
    Group.objects.get(name="Auteur").delete()
    [entry] = [e for e in entries("role_changed", target_type="auth.group") if "group_deleted" in e.details]
    assert entry.details == {"group_deleted": "Auteur", "members": ["auteur"]}


def test_logging_in_records_nothing(client, editor):
    AuditEntry.objects.all().delete()
    client.post(reverse("admin:login"), {"username": "editrice", "password": "password"})
    assert not AuditEntry.objects.exists()


def test_creating_a_superuser_is_recorded(db):
    call_command(
        "createsuperuser", username="admin2", email="a@example.org", interactive=False, stdout=StringIO()
    )
    [entry] = entries("role_changed", target_repr="admin2")
    assert entry.details == {"is_superuser": [None, True], "is_staff": [None, True]}


# Events that are not saves ------------------------------------------------------------------------


def test_record_for_an_import_with_an_actor_and_details(editor):
    entry = audit.record("imported", actor=editor, details={"file": "export.xml", "articles": 12})
    assert entry.actor_name == "editrice"
    assert AuditEntry.objects.get(action="imported").details == {"file": "export.xml", "articles": 12}


def test_record_refuses_an_unknown_action_and_bad_details(db):
    with pytest.raises(ValueError):
        audit.record("hacked")
    with pytest.raises(TypeError):
        audit.record("imported", details=["not", "a", "dict"])
    assert not AuditEntry.objects.exists()


def test_the_erasure_hook(editor):
    entry = audit.record_personal_data_erasure(subject="commenter #42", actor=editor, details={"comments": 3})
    assert entry.action == "personal_data_erased"
    assert entry.details == {"subject": "commenter #42", "comments": 3}


def test_backup_and_restore_commands_are_recorded(tmp_path, editor):
    ArticleFactory(title="Sauvegardé")
    path = tmp_path / "site.tar.gz"
    call_command("backup", "--output", str(path), stdout=StringIO())
    [made] = entries("backup_made")
    assert made.details["archive"] == str(path)
    call_command("restore", str(path), "--force", stdout=StringIO())
    # The trail is not part of the backup: the restore kept it, and added itself.
    [restored] = entries("backup_restored")
    assert restored.details["force"] is True and restored.details["rows"] > 0
    assert entries("backup_made")
    call_command("restore", str(path), "--force", "--dry-run", stdout=StringIO())
    assert len(entries("backup_restored")) == 1


def test_audit_entries_do_not_make_a_site_non_empty_for_a_restore(tmp_path, db):
    from siteops.backup import backup_models, flush

    ArticleFactory()
    path = tmp_path / "site.tar.gz"
    call_command("backup", "--output", str(path), stdout=StringIO())
    flush([label for label in backup_models() if label != "auth.user"])
    audit.record("imported")
    call_command("restore", str(path), stdout=StringIO())
    assert Article.objects.count() == 1


# Retention ------------------------------------------------------------------------------------------


def test_entries_older_than_the_retention_are_purged(settings, db):
    settings.AUDIT_RETENTION_DAYS = 30
    old = audit.record("imported")
    AuditEntry.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=31))
    recent = audit.record("imported")
    out = StringIO()
    call_command("purge_audit_trail", "--dry-run", stdout=out)
    assert AuditEntry.objects.filter(pk=old.pk).exists()
    call_command("purge_audit_trail", stdout=out)
    assert not AuditEntry.objects.filter(pk=old.pk).exists()
    assert AuditEntry.objects.filter(pk=recent.pk).exists()
    assert entries("audit_purged")[0].details == {"entries": 1, "retention_days": 30}


# Reading it ---------------------------------------------------------------------------------------


def test_superusers_read_the_trail_and_nobody_edits_or_deletes_it(
    client, superuser, django_assert_max_num_queries
):
    for number in range(30):
        audit.record("imported", details={"n": number})
    entry = AuditEntry.objects.first()
    client.force_login(superuser)
    changelist = reverse("admin:accounts_auditentry_changelist")
    with django_assert_max_num_queries(12):
        page = client.get(changelist)
    assert page.status_code == 200
    assert client.get(changelist, {"q": "root"}).status_code == 200
    assert client.get(changelist, {"action": "imported"}).status_code == 200
    detail = client.get(reverse("admin:accounts_auditentry_change", args=[entry.pk]))
    assert detail.status_code == 200
    assert b'name="_save"' not in detail.content
    assert client.get(reverse("admin:accounts_auditentry_add")).status_code == 403
    assert (
        client.post(reverse("admin:accounts_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code
        == 403
    )
    client.post(reverse("admin:accounts_auditentry_change", args=[entry.pk]), {"action": "published"})
    entry.refresh_from_db()
    assert entry.action == "imported"
    bulk = client.post(
        changelist, {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"}
    )
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
    assert bulk.status_code in (200, 302)


@pytest.mark.parametrize("who", ["editor", "author"])
def test_staff_who_are_not_superusers_cannot_read_the_trail(client, request, who, db):
    audit.record("imported")
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("admin:accounts_auditentry_changelist")).status_code == 403
    entry = AuditEntry.objects.first()
    assert client.get(reverse("admin:accounts_auditentry_change", args=[entry.pk])).status_code == 403
    index = client.get("/admin/")
    assert b"auditentry" not in index.content


def test_a_reader_is_sent_to_the_login_page(client, db):
    client.force_login(UserFactory(username="lecteur"))
    response = client.get(reverse("admin:accounts_auditentry_changelist"))
    assert response.status_code == 302


def test_second_factors_and_the_trail_stay_out_of_backups(tmp_path, editor):
    import tarfile

    from .conftest import enrol

    enrol(editor)
    audit.record("imported")
    path = tmp_path / "site.tar.gz"
    call_command("backup", "--output", str(path), stdout=StringIO())
    with tarfile.open(path) as archive:
        data = archive.extractfile("data.xml").read().decode()
    assert "otp_totp" not in data and "otp_static" not in data and "accounts." not in data


def test_restoring_accounts_over_a_site_with_second_factors(tmp_path, editor, superuser):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .conftest import enrol

    path = tmp_path / "site.tar.gz"
    call_command("backup", "--output", str(path), stdout=StringIO())
    enrol(editor)
    call_command("restore", str(path), "--force", "--include-users", stdout=StringIO())
    # The accounts are those of the archive: emptying the accounts' table took the
    # former second factors with it (none is left to a restored account of the same id).
    assert not TOTPDevice.objects.exists()
    [entry] = entries("backup_restored")
    assert entry.details["include_users"] is True


def test_restoring_without_accounts_keeps_second_factors(tmp_path, editor):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .conftest import enrol

    ArticleFactory()
    path = tmp_path / "site.tar.gz"
    call_command("backup", "--output", str(path), stdout=StringIO())
    enrol(editor)
    call_command("restore", str(path), "--force", stdout=StringIO())
    assert TOTPDevice.objects.filter(user=editor).exists()


# Imports ----------------------------------------------------------------------------------------

IMPORTER_DATA = Path(__file__).parent.parent / "importers" / "data"


def run_command(name, *args, **options):
    call_command(name, *[str(arg) for arg in args], stdout=StringIO(), stderr=StringIO(), **options)


def test_a_wordpress_import_is_recorded_once_with_its_counts(tmp_path, db):
    from tests.wordpress.wxr import author, item, wxr

    path = tmp_path / "export.xml"
    path.write_text(
        wxr(author("marie"), item(1, "Un"), item(2, "Deux"), item(3, "Brouillon", status="draft")),
        encoding="utf-8",
    )
    run_command("import_wordpress", path)
    [entry] = entries("imported")
    assert entry.actor_name == ""  # a command
    assert entry.details["command"] == "import_wordpress"
    assert entry.details["file"] == str(path)
    assert entry.details["articles"] == [0, 3]
    assert entry.details["published"] == [0, 2]
    assert entry.details["source"]
    assert entry.details["counts"]["posts"]["created"] == 3
    # The articles it published are in that entry, not one entry each.
    assert not entries("published")
    # Importing again is a second import.
    run_command("import_wordpress", path)
    assert entries("imported")[0].details["articles"] == [3, 3]


@pytest.mark.parametrize(
    ("command", "file", "options"),
    [
        ("import_blogger", "blogger.atom", {}),
        ("import_dotclear", "dotclear.txt", {"blog_url": "http://monblog.example.fr/index.php/"}),
        ("import_feed", "feed-rss.xml", {}),
        ("import_movabletype", "movabletype.txt", {}),
    ],
)
def test_the_other_imports_are_recorded(db, command, file, options):
    run_command(command, IMPORTER_DATA / file, **options)
    [entry] = entries("imported")
    assert entry.details["command"] == command
    assert entry.details["file"].endswith(file)
    before, after = entry.details["articles"]
    assert before == 0 and after == Article.objects.count() > 0
    assert not entries("published")


def test_a_dry_run_or_a_failed_import_records_nothing(tmp_path, db):
    from django.core.management import CommandError

    run_command("import_feed", IMPORTER_DATA / "feed-rss.xml", dry_run=True)
    bad = tmp_path / "bad.xml"
    bad.write_text("<rss><channel><item>", encoding="utf-8")
    with pytest.raises(CommandError):
        run_command("import_feed", bad)
    with pytest.raises(CommandError):
        run_command("import_wordpress", bad)
    assert not entries("imported")
    # Outside an import, publishing is recorded again.
    ArticleFactory(status="published")
    assert entries("published")


# Personal data -------------------------------------------------------------------------------------


def test_deleting_an_account_records_the_erasure_without_the_name(client, superuser):
    reader = UserFactory(username="lectrice.dupont", email="lectrice@example.org")
    client.force_login(superuser)
    response = client.post(reverse("admin:auth_user_delete", args=[reader.pk]), {"post": "yes"})
    assert response.status_code == 302
    [entry] = entries("personal_data_erased")
    assert entry.actor_name == "root"
    assert entry.details == {
        "subject": f"account #{reader.pk}",
        "account_deleted": reader.pk,
        "is_staff": False,
        "is_superuser": False,
    }
    assert "lectrice" not in str(entry.details) + entry.target_repr


# Retention, by the worker ----------------------------------------------------------------------------


def test_the_daily_task_purges_old_entries(settings, db):
    from accounts import tasks

    assert settings.PERIODIC_TASKS["purge-audit-trail"]["task"] == "accounts.tasks.purge_audit_trail"
    settings.AUDIT_RETENTION_DAYS = 10
    old = audit.record("imported")
    AuditEntry.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=11))
    assert tasks.purge_audit_trail.call() == 1
    assert not AuditEntry.objects.filter(pk=old.pk).exists()


def test_the_trail_names_kinds_of_objects_as_editors_read_them(client, superuser):
    ArticleFactory(title="Lisible", status="published")
    audit.record("imported")
    client.force_login(superuser)
    changelist = reverse("admin:accounts_auditentry_changelist")
    page = client.get(changelist).content.decode()
    assert 'Lisible <span class="quiet">(article)</span>' in page
    assert ">blog.article<" not in page and "(blog.article)" not in page
    # Bad filters are the admin's to handle: never an error page.
    assert client.get(changelist, {"at__gte": "pas-une-date"}).status_code in (200, 302)
    assert client.get(changelist, {"action": "n'importe quoi"}).status_code in (200, 302)
