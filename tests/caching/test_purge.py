"""Every change readers may see purges exactly the pages it affects, once committed."""

import datetime
import io
import logging

import pytest
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_comments_xtd.models import XtdComment
from taggit.models import Tag

from blog.models import Article, FurtherReading
from caching.invalidation import purge_now, versions
from comments import services as comment_services
from tests.factories import ArticleFactory, CategoryFactory, CommentFactory, StaffFactory


def purged(server):
    return [set(keys) for keys in server.purged]


@pytest.fixture
def published(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return ArticleFactory(title="En ligne")


def test_editing_a_published_article_purges_the_site(
    published, http_cache, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        published.title = "Nouveau titre"
        published.save()
    assert purged(http_cache) == [{"site", f"article-{published.pk}"}]


@pytest.mark.parametrize("status", [Article.Status.DRAFT, Article.Status.REVIEW])
def test_a_draft_purges_nothing(db, http_cache, django_capture_on_commit_callbacks, status):
    with django_capture_on_commit_callbacks(execute=True):
        draft = ArticleFactory(status=status)  # its new category and author show on the site
    http_cache.purged.clear()
    with django_capture_on_commit_callbacks(execute=True):
        draft.title = "Encore en cours"
        draft.save()
        draft.tags.add("Brouillon")
    assert http_cache.purged == [["site"]]  # the new keyword, not the draft


def test_scheduling_an_article_purges_the_site(db, http_cache, django_capture_on_commit_callbacks):
    """Every page's lifetime ends at the next scheduled publication: a new one shortens it."""
    draft = ArticleFactory(status=Article.Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        draft.status = Article.Status.PUBLISHED
        draft.published_at = timezone.now() + datetime.timedelta(days=1)
        draft.save()
    assert purged(http_cache) == [{"site", f"article-{draft.pk}"}]


def test_unpublishing_and_deleting_purge(published, http_cache, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        published.status = Article.Status.DRAFT
        published.save()
    assert "site" in purged(http_cache)[-1]
    with django_capture_on_commit_callbacks(execute=True):
        published.status = Article.Status.PUBLISHED
        published.save()
    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.get(pk=published.pk).delete()
    assert len(http_cache.purged) == 3


def test_a_comment_purges_its_article_and_the_comment_feed_only(
    published, http_cache, django_capture_on_commit_callbacks
):
    staff = StaffFactory()
    with django_capture_on_commit_callbacks(execute=True):
        comment = CommentFactory(article=published)
    assert purged(http_cache) == [{"comments", f"article-{published.pk}"}]
    with django_capture_on_commit_callbacks(execute=True):
        comment_services.comments_remove(comments=XtdComment.objects.filter(pk=comment.pk), moderator=staff)
    assert purged(http_cache)[-1] == {"comments", f"article-{published.pk}"}


def test_taxonomy_pages_and_profiles_purge_the_site(
    published, http_cache, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        CategoryFactory(name="Nouvelle")
    with django_capture_on_commit_callbacks(execute=True):
        Tag.objects.create(name="Neuf", slug="neuf")
    with django_capture_on_commit_callbacks(execute=True):
        page = FlatPage.objects.create(url="/a-propos/", title="À propos", content="<p>x</p>")
        page.sites.add(Site.objects.get_current())
    with django_capture_on_commit_callbacks(execute=True):
        published.tags.add("Twitter")
    assert all("site" in keys for keys in purged(http_cache))
    assert len(http_cache.purged) == 4


def test_further_reading_purges_its_article(published, http_cache, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        FurtherReading.objects.create(article=published, title="Lire", url="https://example.org/", position=1)
    assert purged(http_cache) == [{f"article-{published.pk}"}]


def test_many_writes_in_one_transaction_purge_once(db, http_cache, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for number in range(5):
            ArticleFactory(title=f"Billet {number}")
    assert len(http_cache.purged) == 1
    assert "site" in purged(http_cache)[0]


def test_a_rolled_back_change_purges_nothing(published, http_cache, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                published.title = "Jamais"
                published.save()
                raise RuntimeError
        except RuntimeError:
            pass
    assert http_cache.purged == []


def test_raw_saves_purge_the_site(published, http_cache, django_capture_on_commit_callbacks, tmp_path):
    fixture = tmp_path / "data.json"
    CategoryFactory(name="À recharger")
    call_command("dumpdata", "blog.category", output=str(fixture))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("loaddata", str(fixture), verbosity=0)
    assert purged(http_cache) == [{"site"}]


def test_a_cache_that_is_down_never_blocks_a_write(
    published, settings, caplog, django_capture_on_commit_callbacks
):
    settings.HTTP_CACHE_PURGE_URLS = ["http://127.0.0.1:9/"]  # nothing listens there
    with (
        caplog.at_level(logging.WARNING, logger="caching.invalidation"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        published.title = "Enregistré quand même"
        published.save()
    assert Article.objects.get(pk=published.pk).title == "Enregistré quand même"
    assert "did not purge" in caplog.text


def test_a_purge_gives_new_versions_to_its_keys_only(db):
    before = versions("site", "article-1", "article-2")
    purge_now(["article-1"])
    after = versions("site", "article-1", "article-2")
    assert after["article-1"] > before["article-1"]
    assert after["site"] == before["site"]
    assert after["article-2"] == before["article-2"]


def test_closing_old_discussions_purges_their_articles(db, http_cache, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        old = ArticleFactory(published_at=timezone.now() - datetime.timedelta(days=400))
    http_cache.purged.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("close_old_comments", "--days", "30", stdout=io.StringIO())
    assert purged(http_cache) == [{f"article-{old.pk}"}]


def test_the_operator_can_empty_every_cache(db, http_cache):
    before = versions("site")["site"]
    out = io.StringIO()
    call_command("purge_cache", stdout=out)
    assert versions("site")["site"] > before
    assert http_cache.purged == [["site"]]
    assert "1" in out.getvalue()
