"""The benchmark's dataset command and the benchmark-only parts of the site."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import resolve
from django_comments_xtd.models import XtdComment
from taggit.models import Tag

from blog.models import Article, Category
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def seed(**options):
    out = StringIO()
    call_command("seed_bench", stdout=out, **options)
    return out.getvalue()


def test_seed_bench_builds_the_dataset_the_benchmark_expects(client):
    output = seed(articles=40, comments=600)
    assert "40 articles and 600 comments" in output
    assert Article.objects.count() == 40
    assert Category.objects.count() == 20
    assert Tag.objects.count() == 200
    assert XtdComment.objects.count() == 600
    big = Article.objects.get(slug="bench-500-comments")
    small = Article.objects.get(slug="bench-20-comments")
    assert XtdComment.objects.filter(object_pk=str(big.pk)).count() == 500
    assert XtdComment.objects.filter(object_pk=str(small.pk)).count() == 20
    for url in [
        "/",
        big.get_absolute_url(),
        small.get_absolute_url(),
        "/categorie/bench-category-0/",
        "/mot-cle/bench-tag-0/",
    ]:
        assert client.get(url).status_code == 200, url


def test_seeded_comments_form_valid_threads():
    seed(articles=5, comments=520)
    big = Article.objects.get(slug="bench-500-comments")
    comments = list(XtdComment.objects.filter(object_pk=str(big.pk)).order_by("thread_id", "order"))
    threads = {}
    for comment in comments:
        threads.setdefault(comment.thread_id, []).append(comment)
    for thread_id, thread in threads.items():
        first, *replies = thread
        assert (first.pk, first.parent_id, first.level, first.order) == (thread_id, thread_id, 0, 1)
        assert first.nested_count == len(replies)
        assert [reply.order for reply in replies] == list(range(2, len(replies) + 2))
        assert all(reply.parent_id == thread_id and reply.level == 1 for reply in replies)
    assert any(len(thread) > 1 for thread in threads.values())


def test_seed_bench_refuses_to_add_to_an_existing_blog():
    ArticleFactory()
    with pytest.raises(CommandError, match="--clear"):
        seed(articles=5, comments=520)


def test_seed_bench_clear_replaces_everything():
    ArticleFactory(title="Un vrai billet")
    seed(articles=5, comments=520, clear=True)
    seed(articles=6, comments=530, clear=True)
    assert Article.objects.count() == 6
    assert XtdComment.objects.count() == 530
    assert not Article.objects.filter(title="Un vrai billet").exists()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"articles": 2, "comments": 600}, "--articles"),
        ({"articles": 10, "comments": 100}, "--comments"),
        ({"articles": 10, "comments": 600, "batch_size": 0}, "--batch-size"),
    ],
)
def test_seed_bench_rejects_bad_numbers(options, message):
    with pytest.raises(CommandError, match=message):
        seed(**options)
    assert not Article.objects.exists()


def test_seed_bench_dry_run_writes_nothing():
    output = seed(articles=10, comments=600, dry_run=True)
    assert "Would create 10 articles, 600 comments" in output
    assert not Article.objects.exists()


def test_the_reference_view_exists_only_in_benchmark_mode():
    # Addresses ending in a slash that no route claims are static pages' (none here).
    assert resolve("/__bench__/reference/100/").url_name == "flatpage"


def test_the_reference_view_returns_the_asked_size():
    from bench.views import reference

    response = reference(None, 12345)
    assert len(response.content) == 12345


def test_the_query_counter_reports_queries_per_request(settings, article_for_counter):
    settings.MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *settings.MIDDLEWARE]
    settings.PAGE_CACHE_ENABLED = False
    response = Client().get("/")
    assert int(response["X-Query-Count"]) > 0
    settings.PAGE_CACHE_ENABLED = True
    Client().get("/")
    Client().get("/")
    assert Client().get("/")["X-Query-Count"] == "0"


@pytest.fixture
def article_for_counter(db):
    return ArticleFactory()
