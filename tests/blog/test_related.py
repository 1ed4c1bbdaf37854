import datetime

import pytest
from django.utils import timezone

from blog.models import Article
from blog.related import related_articles
from tests.factories import ArticleFactory, CategoryFactory, FurtherReadingFactory


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def with_tags(article):
    """The article as the detail view has it: keywords prefetched."""
    return Article.objects.prefetch_related("tags").get(pk=article.pk)


@pytest.fixture
def categories(db):
    return CategoryFactory(slug="reseaux"), CategoryFactory(slug="podcasts")


def test_most_shared_keywords_first(categories):
    reseaux, podcasts = categories
    article = ArticleFactory(category=reseaux, tags=["Twitter", "Threads", "Mastodon"])
    one = ArticleFactory(title="Un", category=podcasts, tags=["Twitter"], published_at=days_ago(1))
    three = ArticleFactory(
        title="Trois", category=podcasts, tags=["Twitter", "Threads", "Mastodon"], published_at=days_ago(9)
    )
    two = ArticleFactory(
        title="Deux", category=podcasts, tags=["Mastodon", "Threads", "Audio"], published_at=days_ago(5)
    )
    ArticleFactory(title="Aucun", category=podcasts, tags=["Audio"])
    assert related_articles(with_tags(article), limit=4) == [three, two, one]


def test_equal_keywords_prefer_the_same_category_then_the_newest(categories):
    reseaux, podcasts = categories
    article = ArticleFactory(category=reseaux, tags=["Twitter"])
    other_recent = ArticleFactory(category=podcasts, tags=["Twitter"], published_at=days_ago(1))
    same_old = ArticleFactory(category=reseaux, tags=["Twitter"], published_at=days_ago(20))
    other_old = ArticleFactory(category=podcasts, tags=["Twitter"], published_at=days_ago(30))
    assert related_articles(with_tags(article), limit=3) == [same_old, other_recent, other_old]


def test_same_category_fills_the_list(categories):
    reseaux, podcasts = categories
    article = ArticleFactory(category=reseaux, tags=["Twitter"])
    sharing = ArticleFactory(category=podcasts, tags=["Twitter"])
    newest_same = ArticleFactory(category=reseaux, published_at=days_ago(2))
    older_same = ArticleFactory(category=reseaux, published_at=days_ago(3))
    ArticleFactory(category=reseaux, published_at=days_ago(4))
    ArticleFactory(category=podcasts, published_at=days_ago(1))
    assert related_articles(with_tags(article), limit=3) == [sharing, newest_same, older_same]


def test_never_the_article_itself_drafts_or_scheduled(categories):
    reseaux, _ = categories
    article = ArticleFactory(category=reseaux, tags=["Twitter"])
    ArticleFactory(category=reseaux, tags=["Twitter"], draft=True)
    ArticleFactory(category=reseaux, tags=["Twitter"], scheduled=True)
    ArticleFactory(category=reseaux, tags=["Twitter"], status=Article.Status.REVIEW)
    assert related_articles(with_tags(article)) == []


def test_article_without_keywords_or_category(db):
    article = ArticleFactory(category=None)
    ArticleFactory(category=None)
    assert related_articles(with_tags(article)) == []


def test_count_follows_the_setting(categories, settings):
    reseaux, _ = categories
    settings.BLOG_RELATED_COUNT = 2
    article = ArticleFactory(category=reseaux, tags=["Twitter"])
    ArticleFactory.create_batch(5, category=reseaux, tags=["Twitter"])
    assert len(related_articles(with_tags(article))) == 2
    settings.BLOG_RELATED_COUNT = 0
    assert related_articles(with_tags(article)) == []


@pytest.mark.parametrize("count", [3, 40])
def test_two_queries_whatever_the_number_of_articles(categories, django_assert_max_num_queries, count):
    reseaux, podcasts = categories
    article = ArticleFactory(category=reseaux, tags=["Twitter", "Threads", "Mastodon", "Audio"])
    ArticleFactory.create_batch(count, category=podcasts, tags=["Twitter"])
    ArticleFactory.create_batch(count, category=reseaux)
    article = with_tags(article)
    with django_assert_max_num_queries(2):
        related = related_articles(article, limit=4)
    assert len(related) == 4


def test_page_lists_the_editors_links_then_related_articles(client, categories):
    reseaux, _ = categories
    article = ArticleFactory(category=reseaux, tags=["Twitter"])
    FurtherReadingFactory(article=article, title="Le guide officiel", url="https://example.org/guide")
    ArticleFactory(title="Un article voisin", category=reseaux, tags=["Twitter"])
    ArticleFactory(title="Un brouillon voisin", category=reseaux, tags=["Twitter"], draft=True)
    page = client.get(article.get_absolute_url()).content.decode()
    section = page[page.index('<section class="further-reading"') :]
    section = section[: section.index("</section>")]
    assert section.index("Le guide officiel") < section.index("Un article voisin")
    assert "Un brouillon voisin" not in page


def test_no_section_when_nothing_to_suggest(client, db):
    article = ArticleFactory(category=None)
    assert 'class="further-reading"' not in client.get(article.get_absolute_url()).content.decode()
