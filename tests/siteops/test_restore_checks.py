"""What restore refuses, what a backup holds, and who may read it."""

import hashlib
import hmac
import io
import json
import os
import stat
import tarfile
import zipfile
from io import StringIO

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.auth import get_user_model
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.utils import translation
from django_comments_xtd.models import XtdComment
from PIL import Image

from blog.models import Article
from siteops.backup import backup_models, flush, media_files
from tests.factories import ArticleFactory, AuthorProfileFactory, UserFactory


def png_bytes(size=(4, 3)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _clean_media():
    yield
    for name in list(media_files("restore-test")):
        default_storage.delete(name)


@pytest.fixture
def content(db, make_comment):
    author = AuthorProfileFactory(user=UserFactory(username="marie"), display_name="Marie").user
    article = ArticleFactory(author=author, body="<p>Bonjour</p>")
    make_comment(article, "Anonyme", user_email="lectrice@example.org", ip_address="203.0.113.7")
    make_comment(article, "Inscrite", user=UserFactory(username="abonnee"), ip_address="203.0.113.8")
    page = FlatPage.objects.create(url="/a-propos/", title="À propos", content="<p>Moi</p>")
    page.sites.add(Site.objects.get_current())
    AccessLog.objects.create(
        user_agent="Mozilla/5.0 (X11)", ip_address="198.51.100.4", username="marie", http_accept="*/*",
        path_info="/admin/login/",
    )  # fmt: skip
    AccessAttempt.objects.create(
        user_agent="curl/8", ip_address="198.51.100.5", username="admin", http_accept="*/*",
        path_info="/admin/login/", get_data="", post_data="username=admin", failures_since_start=3,
    )  # fmt: skip
    default_storage.save("restore-test/photo.png", ContentFile(png_bytes()))
    return article


def run(command, *args):
    out = StringIO()
    with translation.override("en"):
        call_command(command, *args, stdout=out)
    return out.getvalue()


def make_backup(tmp_path, *args, name="site.tar.gz"):
    path = tmp_path / name
    run("backup", "--output", str(path), *args)
    return path


def members_of(path):
    with tarfile.open(path) as archive:
        return {m.name: archive.extractfile(m).read() for m in archive.getmembers() if m.isfile()}


def write_archive(path, members, *, extra=None):
    with tarfile.open(path, "w:gz") as archive:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
        for info in extra or ():
            archive.addfile(info)


def repack(path, members, *, key=None, extra=None):
    """Rewrite the archive with a manifest that matches its files, as someone who knows the format would."""
    manifest = json.loads(members["manifest.json"])
    manifest["files"] = {
        name: {"size": len(content), "sha256": hashlib.sha256(content).hexdigest()}
        for name, content in members.items()
        if name not in ("manifest.json", "manifest.sig")
    }
    members["manifest.json"] = json.dumps(manifest).encode()
    members.pop("manifest.sig", None)
    if key:
        members["manifest.sig"] = (
            hmac.new(key.encode(), members["manifest.json"], hashlib.sha256).hexdigest().encode()
        )
    write_archive(path, members, extra=extra)


def empty_the_site():
    """What a new, migrated site has: no content; its operator's own account only."""
    flush([label for label in backup_models() if label != "auth.user"])
    for name in list(media_files("restore-test")):
        default_storage.delete(name)


def state():
    return (
        sorted(get_user_model().objects.values_list("username", "password", "is_superuser")),
        sorted(Article.objects.values_list("title", "body", "body_html")),
        sorted(FlatPage.objects.values_list("url", "content")),
        sorted(media_files("restore-test")),
        XtdComment.objects.count(),
    )


def refused(path, match, *args):
    before = state()
    with pytest.raises(CommandError, match=match):
        run("restore", str(path), "--force", *args)
    assert state() == before, "a refused archive changed the site"


# Integrity: checksums, signature, broken files
# ------------------------------------------------------------------------------
def test_the_manifest_lists_every_file_with_its_checksum(content, tmp_path):
    members = members_of(make_backup(tmp_path))
    manifest = json.loads(members["manifest.json"])
    assert manifest["format"] == 2
    assert set(manifest["files"]) == set(members) - {"manifest.json"}
    for name, entry in manifest["files"].items():
        assert entry == {"size": len(members[name]), "sha256": hashlib.sha256(members[name]).hexdigest()}


def test_a_file_changed_after_the_backup_is_refused(content, tmp_path):
    path = make_backup(tmp_path)
    members = members_of(path)
    members["data.xml"] = members["data.xml"].replace(b"Bonjour", b"Bonsoir")
    write_archive(path, members)
    refused(path, "checksum")


def test_a_file_added_to_the_archive_is_refused(content, tmp_path):
    path = make_backup(tmp_path)
    members = members_of(path)
    members["media/restore-test/extra.png"] = png_bytes()
    write_archive(path, members)
    refused(path, "not listed in its manifest")


def test_a_file_missing_from_the_archive_is_refused(content, tmp_path):
    path = make_backup(tmp_path)
    members = members_of(path)
    del members["media/restore-test/photo.png"]
    write_archive(path, members)
    refused(path, "missing")


def test_a_signed_backup_restores_with_its_key(content, tmp_path, settings):
    settings.BACKUP_SIGNING_KEY = "clé-de-signature-des-sauvegardes"
    path = make_backup(tmp_path)
    assert "manifest.sig" in members_of(path)
    empty_the_site()
    assert "restored" in run("restore", str(path))
    assert Article.objects.count() == 1


def test_a_wrong_signature_is_refused(content, tmp_path, settings):
    settings.BACKUP_SIGNING_KEY = "clé-de-signature-des-sauvegardes"
    path = make_backup(tmp_path)
    members = members_of(path)
    members["data.xml"] = members["data.xml"].replace(b"Bonjour", b"Bonsoir")
    repack(path, members, key="une-autre-clé")
    refused(path, "signature")


def test_an_unsigned_archive_is_refused_when_a_key_is_set(content, tmp_path, settings):
    path = make_backup(tmp_path)
    settings.BACKUP_SIGNING_KEY = "clé-de-signature-des-sauvegardes"
    refused(path, "not signed")


def test_a_truncated_archive_is_refused(content, tmp_path):
    path = make_backup(tmp_path)
    data = path.read_bytes()
    for cut in (len(data) // 2, len(data) - 30, 40):
        path.write_bytes(data[:cut])
        refused(path, "damaged|truncated|not a backup archive")


def test_a_zip_file_is_refused(db, tmp_path):
    path = tmp_path / "site.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("manifest.json", "{}")
    refused(path, "not a backup archive")


def test_a_missing_file_is_refused(db, tmp_path):
    refused(tmp_path / "absent.tar.gz", "not a backup archive|No such file")


@pytest.mark.parametrize(
    "manifest", [b"{pas du json", b"[]", b'{"format": 2, "files": "x"}', b'{"format": 1}']
)
def test_a_bad_manifest_is_refused(content, tmp_path, manifest):
    path = make_backup(tmp_path)
    members = members_of(path)
    members["manifest.json"] = manifest
    write_archive(path, members)
    refused(path, "manifest|format")


def test_data_that_is_not_xml_is_refused(content, tmp_path):
    path = make_backup(tmp_path)
    members = members_of(path)
    members["data.xml"] = b"<django-objects><object model="
    repack(path, members)
    refused(path, "data")


def test_a_model_the_backup_never_holds_is_refused(content, tmp_path):
    path = make_backup(tmp_path)
    members = members_of(path)
    members["data.xml"] = members["data.xml"].replace(
        b"</django-objects>",
        b'<object model="sessions.session" pk="x"><field name="session_data" type="TextField">e30</field>'
        b'<field name="expire_date" type="DateTimeField">2030-01-01T00:00:00+00:00</field></object>'
        b"</django-objects>",
    )
    repack(path, members)
    refused(path, "sessions.session")


# Paths and media
# ------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["media/../../evil.png", "/etc/evil.png", "media/a\\..\\b.png"])
def test_unsafe_paths_are_refused(content, tmp_path, name):
    path = make_backup(tmp_path)
    members = members_of(path)
    members[name] = png_bytes()
    repack(path, members)
    refused(path, "unsafe path")


@pytest.mark.parametrize("kind", [tarfile.SYMTYPE, tarfile.LNKTYPE])
def test_links_are_refused(content, tmp_path, kind):
    path = make_backup(tmp_path)
    link = tarfile.TarInfo("media/restore-test/lien.png")
    link.type = kind
    link.linkname = "/etc/passwd"
    repack(path, members_of(path), extra=[link])
    refused(path, "not a file")


def test_a_file_that_is_not_an_image_is_refused(content, tmp_path):
    path = make_backup(tmp_path)
    members = members_of(path)
    members["media/restore-test/photo.png"] = b"#!/bin/sh\necho pirate\n" * 1000
    repack(path, members)
    refused(path, "not an image")


def test_a_media_file_above_the_size_limit_is_refused(content, tmp_path, settings):
    path = make_backup(tmp_path)
    settings.BACKUP_RESTORE_MAX_FILE_SIZE = 50
    refused(path, "too large")


def test_an_archive_above_the_total_size_limit_is_refused(content, tmp_path, settings):
    path = make_backup(tmp_path)
    settings.BACKUP_RESTORE_MAX_SIZE = 1000
    refused(path, "too large")


def test_a_decompression_bomb_is_refused_before_it_is_unpacked(content, tmp_path, settings):
    """A small archive that unpacks to a huge file: its size is read from the archive, not unpacked."""
    path = make_backup(tmp_path)
    members = members_of(path)
    before = path.stat().st_size
    members["media/restore-test/bombe.png"] = b"\0" * (30 * 1024 * 1024)
    repack(path, members)
    # 30 MB once unpacked, a few kilobytes more in the archive.
    assert path.stat().st_size - before < 200_000
    settings.BACKUP_RESTORE_MAX_FILE_SIZE = 20 * 1024 * 1024
    refused(path, "too large")


def test_backup_leaves_out_media_that_restore_would_refuse(content, tmp_path):
    default_storage.save("restore-test/notes.txt", ContentFile(b"pas une image"))
    path = tmp_path / "site.tar.gz"
    errors = StringIO()
    with translation.override("en"):
        call_command("backup", "--output", str(path), stdout=StringIO(), stderr=errors)
    assert "restore-test/notes.txt left out" in errors.getvalue()
    assert "media/restore-test/notes.txt" not in members_of(path)
    assert "media/restore-test/photo.png" in members_of(path)


# HTML and users
# ------------------------------------------------------------------------------
def test_html_is_sanitised_on_restore(content, tmp_path):
    path = make_backup(tmp_path)
    members = members_of(path)
    script = b"&lt;script&gt;alert(document.cookie)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"
    data = members["data.xml"]
    for field in (
        b'name="body" type="TextField">',
        b'name="body_html" type="TextField">',
        b'name="content" type="TextField">',
    ):
        assert field in data
        data = data.replace(field, field + script)
    members["data.xml"] = data
    repack(path, members)
    empty_the_site()
    run("restore", str(path))
    article = Article.objects.get()
    page = FlatPage.objects.exclude(url="/confidentialite/").get()
    for html in (article.body, article.body_html, page.content):
        assert "<script" not in html and "onerror" not in html
    assert "Bonjour" in article.body_html and "Moi" in page.content


SUPERUSER = (
    b'<object model="auth.user" pk="999"><field name="password" type="CharField">md5$x$y</field>'
    b'<field name="last_login" type="DateTimeField"><None></None></field>'
    b'<field name="is_superuser" type="BooleanField">True</field>'
    b'<field name="username" type="CharField">pirate</field>'
    b'<field name="first_name" type="CharField"></field><field name="last_name" type="CharField"></field>'
    b'<field name="email" type="CharField">pirate@example.org</field>'
    b'<field name="is_staff" type="BooleanField">True</field>'
    b'<field name="is_active" type="BooleanField">True</field>'
    b'<field name="date_joined" type="DateTimeField">2024-01-01T00:00:00+00:00</field>'
    b'<field name="groups" rel="ManyToManyRel" to="auth.group"></field>'
    b'<field name="user_permissions" rel="ManyToManyRel" to="auth.permission"></field></object>'
)


def with_superuser(path):
    members = members_of(path)
    members["data.xml"] = members["data.xml"].replace(b"</django-objects>", SUPERUSER + b"</django-objects>")
    repack(path, members)


def test_users_are_not_restored_without_include_users(content, tmp_path):
    path = make_backup(tmp_path)
    with_superuser(path)
    empty_the_site()
    accounts = sorted(get_user_model().objects.values_list("username", "password"))
    run("restore", str(path))
    assert sorted(get_user_model().objects.values_list("username", "password")) == accounts
    assert not get_user_model().objects.filter(username="pirate").exists()
    # References to accounts of this site are kept, by username.
    assert Article.objects.get().author.username == "marie"
    assert XtdComment.objects.get(comment="Inscrite").user.username == "abonnee"


def test_references_to_missing_users_become_empty_or_stop_the_restore(content, tmp_path):
    path = make_backup(tmp_path)
    empty_the_site()
    get_user_model().objects.filter(username="abonnee").delete()
    run("restore", str(path))
    # A comment keeps its author's name, without the account.
    comment = XtdComment.objects.get(comment="Inscrite")
    assert comment.user is None
    # An article needs its author.
    empty_the_site()
    get_user_model().objects.filter(username="marie").delete()
    with pytest.raises(CommandError, match="marie.*--include-users"):
        run("restore", str(path))


def test_include_users_restores_the_accounts(content, tmp_path):
    path = make_backup(tmp_path)
    with_superuser(path)
    empty_the_site()
    get_user_model().objects.all().delete()
    run("restore", str(path), "--include-users")
    assert get_user_model().objects.filter(username="pirate", is_superuser=True).exists()
    assert get_user_model().objects.filter(username="marie").exists()


# What a backup holds, and who may read it
# ------------------------------------------------------------------------------
def test_the_archive_is_readable_by_its_owner_only(content, tmp_path):
    path = make_backup(tmp_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_an_existing_archive_is_replaced_readable_by_its_owner_only(content, tmp_path):
    path = tmp_path / "site.tar.gz"
    path.write_text("ancienne sauvegarde")
    os.chmod(path, 0o644)
    make_backup(tmp_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert tarfile.is_tarfile(path)


def test_a_full_backup_holds_personal_data(content, tmp_path):
    data = members_of(make_backup(tmp_path))["data.xml"].decode()
    assert "lectrice@example.org" in data and "203.0.113.7" in data
    assert "axes.accesslog" in data and "Mozilla/5.0 (X11)" in data
    assert get_user_model().objects.get(username="marie").password in data
    assert (
        json.loads(members_of(make_backup(tmp_path, name="b.tar.gz"))["manifest.json"])["personal_data"]
        is True
    )


def test_exclude_personal_data(content, tmp_path):
    path = make_backup(tmp_path, "--exclude-personal-data")
    members = members_of(path)
    data = members["data.xml"].decode()
    assert json.loads(members["manifest.json"])["personal_data"] is False
    for user in get_user_model().objects.all():
        assert user.password not in data
    assert "lectrice@example.org" not in data
    assert "203.0.113.7" not in data and "203.0.113.8" not in data
    assert "axes." not in data and "198.51.100.4" not in data and "Mozilla/5.0 (X11)" not in data
    # The content is all there, and restores.
    empty_the_site()
    get_user_model().objects.all().delete()
    run("restore", str(path), "--include-users")
    assert Article.objects.count() == 1 and XtdComment.objects.count() == 2
    marie = get_user_model().objects.get(username="marie")
    assert not marie.has_usable_password()
    comment = XtdComment.objects.get(comment="Anonyme")
    assert comment.user_email == "" and comment.ip_address is None
    assert AccessLog.objects.count() == 0 and AccessAttempt.objects.count() == 0
