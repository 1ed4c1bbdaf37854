"""Routes: ours resolve, and the stock ones that would skip our checks are out of reach."""

import subprocess
import sys

import pytest
from django.urls import resolve, reverse

from comments import views
from tests.factories import CommentFactory


@pytest.mark.parametrize(
    ("name", "kwargs", "path"),
    [
        ("comments:post", {}, "/commentaires/post/"),
        ("comments:confirm", {"key": "abc"}, "/commentaires/confirm/abc/"),
        ("comments:unsubscribe", {"key": "abc"}, "/commentaires/mute/abc/"),
        ("comments:reply", {"cid": 3}, "/commentaires/reply/3/"),
        ("comments:flag", {"cid": 3}, "/commentaires/signaler/3/"),
        ("comments:feed", {}, "/commentaires/flux/"),
        ("comments:article_feed", {"pk": 3}, "/commentaires/flux/article/3/"),
    ],
)
def test_routes_reverse_and_resolve(name, kwargs, path):
    assert reverse(name, kwargs=kwargs) == path
    assert resolve(path).view_name == name


def test_the_stock_form_target_is_our_view():
    assert resolve(reverse("comments-post-comment")).func is views.post_comment
    assert resolve("/commentaires/post.json").func is views.post_comment
    assert resolve(reverse("comments-xtd-confirm", args=["k"])).func is views.confirm
    assert resolve(reverse("comments-xtd-mute", args=["k"])).func is views.unsubscribe


@pytest.fixture
def comment_on_article(db):
    """A comment on an article, so that the stock views have something to show."""
    return CommentFactory()


@pytest.mark.parametrize(
    "path",
    [
        "/commentaires/api/comment/",
        "/commentaires/sent/",
        "/commentaires/approve/1/",
        "/commentaires/delete/1/",
        "/commentaires/flag/1/",
        "/commentaires/like/1/",
        "/commentaires/delete/1.json",
        # The stock views' format-suffixed forms crashed (a TypeError, 500) for anyone.
        "/commentaires/confirm/x.json",
        "/commentaires/mute/x.json",
        "/commentaires/reply/1.json",
        "/commentaires/reply/1.api",
        "/commentaires/posted.json",
        "/commentaires/posted/",
        "/commentaires/cr/1/1.json",
        "/commentaires/une-adresse-inconnue/",
    ],
)
@pytest.mark.django_db
def test_stock_views_that_skip_our_checks_are_not_found(client, admin_client, path, comment_on_article):
    assert client.get(path).status_code == 404
    assert client.post(path).status_code == 404
    assert admin_client.get(path).status_code == 404
    assert admin_client.post(path).status_code == 404


def test_production_refuses_to_start_without_a_confirmation_salt(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "blog.example.org",
        "DATABASE_URL": "sqlite:///" + str(tmp_path / "db.sqlite3"),
        "CACHE_URL": "locmemcache://",
    }
    code = "import config.settings.production"
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "COMMENTS_XTD_SALT" in result.stderr

    env["COMMENTS_XTD_SALT"] = "y" * 60
    result = subprocess.run(
        [sys.executable, "-c", code + "; print(config.settings.production.COMMENTS_XTD_SALT)"],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "y" * 40 in result.stdout


def test_system_checks_refuse_a_short_salt_or_an_unknown_moderation_mode(settings):
    from comments.checks import comment_settings

    assert comment_settings(None) == []
    settings.COMMENTS_XTD_SALT = b"short"
    settings.COMMENTS_MODERATION = "sometimes"
    assert [error.id for error in comment_settings(None)] == ["comments.E001", "comments.E002"]
