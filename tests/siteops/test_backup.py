import hashlib
import io
import json
import re
import tarfile
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.flatpages.models import FlatPage
from django.contrib.redirects.models import Redirect
from django.contrib.sites.models import Site
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.utils import translation
from PIL import Image

from blog.models import Article
from siteops.backup import backup_models, flush, media_files
from tests.factories import ArticleFactory, AuthorProfileFactory, CategoryFactory, UserFactory
from tests.snapshot import snapshot


@pytest.fixture(autouse=True)
def _clean_media():
    yield
    for name in list(media_files("backup-test")):
        default_storage.delete(name)


@pytest.fixture
def site_content(db, make_comment, thread_levels):
    thread_levels(3)
    author = AuthorProfileFactory(user=UserFactory(username="marie"), display_name="Marie").user
    parent = CategoryFactory(slug="parent")
    article = ArticleFactory(
        author=author, category=CategoryFactory(slug="enfant", parent=parent), tags=["Communauté", "Veille"]
    )
    ArticleFactory(author=author, draft=True, published_at=None)
    first = make_comment(article, "Premier")
    make_comment(article, "Réponse", parent=first, user=author)
    make_comment(article, "Spam", public=False, removed=True)
    page = FlatPage.objects.create(url="/a-propos/", title="À propos", content="<p>Moi</p>")
    page.sites.add(Site.objects.get_current())
    Redirect.objects.create(site=Site.objects.get_current(), old_path="/ancien/", new_path="/nouveau/")
    default_storage.save("backup-test/photos/été.png", ContentFile(png_bytes()))
    default_storage.save("backup-test/renditions/été-400.webp", ContentFile(png_bytes("WEBP")))


def png_bytes(image_format="PNG"):
    buffer = io.BytesIO()
    Image.new("RGB", (6, 4), "blue").save(buffer, image_format)
    return buffer.getvalue()


def media():
    return {name: default_storage.open(name).read() for name in media_files("backup-test")}


def empty_the_site():
    flush(backup_models())
    for name in list(media_files("backup-test")):
        default_storage.delete(name)


def backup(tmp_path):
    path = tmp_path / "site.tar.gz"
    out = StringIO()
    with translation.override("en"):
        call_command("backup", "--output", str(path), stdout=out)
    return path, out.getvalue()


def restore(path, *args):
    out = StringIO()
    with translation.override("en"):
        call_command("restore", str(path), *args, stdout=out)
    return out.getvalue()


def test_backup_then_restore_gives_the_same_site(site_content, tmp_path):
    before, files = snapshot(with_redirects=True), media()
    users = sorted(get_user_model().objects.values_list("username", "password", "is_staff"))
    groups = sorted(Group.objects.values_list("name", "permissions__codename"), key=str)
    path, output = backup(tmp_path)
    assert "media files" in output
    empty_the_site()
    assert Article.objects.count() == 0 and media() == {}
    output = restore(path, "--include-users")
    assert "restored" in output
    assert snapshot(with_redirects=True) == before
    assert media() == files
    assert sorted(get_user_model().objects.values_list("username", "password", "is_staff")) == users
    assert sorted(Group.objects.values_list("name", "permissions__codename"), key=str) == groups
    # The restored site works, and new content gets fresh ids.
    ArticleFactory()


def test_archive_contents(site_content, tmp_path):
    path, _output = backup(tmp_path)
    with tarfile.open(path) as archive:
        names = archive.getnames()
        manifest = json.load(archive.extractfile("manifest.json"))
        data = archive.extractfile("data.xml").read().decode()
    assert {"manifest.json", "data.xml", "media/backup-test/photos/été.png"} <= set(names)
    models = set(re.findall(r'<object model="([^"]+)"', data))
    assert {"blog.article", "django_comments_xtd.xtdcomment", "taggit.tag", "redirects.redirect"} <= models
    assert not models & {"contenttypes.contenttype", "auth.permission", "sessions.session"}
    assert manifest["format"] == 2 and manifest["counts"]["blog.article"] == 2


def test_backup_lists_what_it_saved(site_content, tmp_path):
    out = StringIO()
    with translation.override("en"):
        call_command("backup", "--output", str(tmp_path / "b.tar.gz"), "--verbosity", "2", stdout=out)
    assert "  blog.article: 2\n" in out.getvalue()
    assert "  django_comments_xtd.xtdcomment: 3\n" in out.getvalue()


def test_backup_can_leave_a_model_out(site_content, tmp_path):
    path = tmp_path / "b.tar.gz"
    call_command("backup", "--output", str(path), "--exclude", "redirects", stdout=StringIO())
    with tarfile.open(path) as archive:
        assert "redirects.redirect" not in archive.extractfile("data.xml").read().decode()


def test_restore_refuses_a_site_with_content(site_content, tmp_path):
    path, _output = backup(tmp_path)
    ArticleFactory(title="Écrit après la sauvegarde")
    with pytest.raises(CommandError, match="not empty"):
        restore(path)
    assert Article.objects.filter(title="Écrit après la sauvegarde").exists()


def test_force_replaces_the_content(site_content, tmp_path):
    before = snapshot(with_redirects=True)
    path, _output = backup(tmp_path)
    ArticleFactory(title="Écrit après la sauvegarde")
    restore(path, "--force", "--include-users")
    assert snapshot(with_redirects=True) == before


def test_dry_run_changes_nothing(site_content, tmp_path):
    path, _output = backup(tmp_path)
    empty_the_site()
    output = restore(path, "--dry-run", "--include-users")
    assert "Dry run" in output
    assert Article.objects.count() == 0 and media() == {}


def test_not_an_archive(db, tmp_path):
    path = tmp_path / "x.tar.gz"
    path.write_text("pas une archive")
    with pytest.raises(CommandError, match="not a backup archive"):
        restore(path)


def write_archive(path, members):
    with tarfile.open(path, "w:gz") as archive:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))


def test_archive_from_elsewhere(db, tmp_path):
    path = tmp_path / "other.tar.gz"
    write_archive(path, {"readme.txt": b"hello"})
    with pytest.raises(CommandError, match="not a backup made by this site"):
        restore(path)


def test_unsafe_paths_are_refused(db, tmp_path):
    path = tmp_path / "evil.tar.gz"
    manifest = json.dumps({"format": 1}).encode()
    write_archive(path, {"manifest.json": manifest, "data.xml": b"", "media/../../etc/evil": b"x"})
    with pytest.raises(CommandError, match="unsafe path"):
        restore(path)


def test_broken_data_leaves_nothing_behind(db, tmp_path):
    path = tmp_path / "broken.tar.gz"
    data = (
        '<?xml version="1.0" encoding="utf-8"?><django-objects version="1.0">'
        '<object model="blog.category" pk="1"><field name="name" type="CharField">A</field>'
        '<field name="slug" type="SlugField">a</field></object>'
        '<object model="blog.article" pk="1"><field name="title" type="CharField">Sans auteur</field>'
        '<field name="author" rel="ManyToOneRel" to="auth.user">999</field></object>'
        "</django-objects>"
    )
    files = {"data.xml": data.encode(), "media/backup-test/orphan.png": png_bytes()}
    manifest = {
        "format": 2,
        "files": {
            name: {"size": len(content), "sha256": hashlib.sha256(content).hexdigest()}
            for name, content in files.items()
        },
    }
    write_archive(path, {"manifest.json": json.dumps(manifest).encode(), **files})
    with pytest.raises(CommandError, match="could not be restored"):
        restore(path, "--include-users")
    from blog.models import Category

    assert Category.objects.count() == 0
    assert media() == {}
