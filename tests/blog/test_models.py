import datetime

import pytest
from django.db import IntegrityError
from django.utils import timezone

from blog.models import Article
from editorial import services
from tests.factories import ArticleFactory, AuthorProfileFactory, CategoryFactory, UserFactory

pytestmark = pytest.mark.django_db

PAST = timezone.now() - datetime.timedelta(hours=1)
FUTURE = timezone.now() + datetime.timedelta(days=1)


@pytest.mark.parametrize(
    ("status", "published_at", "is_public"),
    [
        (Article.Status.PUBLISHED, PAST, True),
        (Article.Status.PUBLISHED, FUTURE, False),
        (Article.Status.DRAFT, PAST, False),
        (Article.Status.DRAFT, FUTURE, False),
        (Article.Status.DRAFT, None, False),
        (Article.Status.REVIEW, PAST, False),
    ],
)
def test_published_truth_table(status, published_at, is_public):
    article = ArticleFactory(status=status, published_at=published_at)

    assert (article in Article.objects.published()) is is_public
    assert article.is_public is is_public


def test_scheduled_article_goes_live_by_itself():
    article = ArticleFactory(scheduled=True)
    assert not Article.objects.published().filter(pk=article.pk).exists()
    assert article.is_scheduled

    Article.objects.filter(pk=article.pk).update(published_at=timezone.now() - datetime.timedelta(seconds=1))

    assert Article.objects.published().filter(pk=article.pk).exists()


def test_default_manager_is_not_filtered():
    ArticleFactory(draft=True)
    ArticleFactory(scheduled=True)
    assert Article.objects.count() == 2


def test_publication_date_is_the_local_day():
    # 23:30 UTC on 19 November is already the 20th in Paris.
    article = ArticleFactory(published_at=datetime.datetime(2009, 11, 19, 23, 30, tzinfo=datetime.UTC))
    assert article.publication_date == datetime.date(2009, 11, 20)
    assert article.get_absolute_url() == f"/2009/11/20/{article.slug}/"


def test_slug_is_unique_per_day_in_the_database():
    day = datetime.datetime(2009, 11, 20, 10, tzinfo=datetime.UTC)
    ArticleFactory(slug="bilan", published_at=day)
    ArticleFactory(slug="bilan", published_at=day + datetime.timedelta(days=1))
    with pytest.raises(IntegrityError):
        ArticleFactory(slug="bilan", published_at=day + datetime.timedelta(hours=3))


def test_published_article_needs_a_date():
    with pytest.raises(IntegrityError):
        ArticleFactory(status=Article.Status.PUBLISHED, published_at=None)


def test_body_is_sanitised_on_save():
    article = ArticleFactory(
        body='<p onclick="steal()">Texte <script>alert(1)</script><a href="javascript:alert(1)">lien</a></p>'
    )
    assert "<script" not in article.body
    assert "onclick" not in article.body
    assert "javascript:" not in article.body
    assert "Texte" in article.body


def test_author_name_prefers_the_profile():
    profile = AuthorProfileFactory(display_name="Claire Dupont")
    assert ArticleFactory(author=profile.user).author_name == "Claire Dupont"
    bare = UserFactory(first_name="", last_name="", username="anonyme")
    assert ArticleFactory(author=bare).author_name == "anonyme"


def test_category_descendants():
    root = CategoryFactory(name="Réseaux sociaux")
    child = CategoryFactory(name="Facebook", parent=root)
    grandchild = CategoryFactory(name="Groupes", parent=child)
    CategoryFactory(name="Ailleurs")
    assert sorted(root.descendant_ids()) == sorted([root.pk, child.pk, grandchild.pk])
    assert child.descendant_ids() == [child.pk, grandchild.pk]


def test_category_cannot_be_its_own_ancestor():
    from django.core.exceptions import ValidationError

    root = CategoryFactory()
    child = CategoryFactory(parent=root)
    root.parent = child
    with pytest.raises(ValidationError):
        root.full_clean()


def test_publish_service_keeps_an_existing_date_and_sets_one_otherwise():
    draft = ArticleFactory(draft=True, published_at=None)
    services.article_publish(article=draft)
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED
    assert draft.published_at is not None
    assert draft.publication_date == timezone.localdate(draft.published_at)

    services.article_unpublish(article=draft)
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
    assert not Article.objects.published().filter(pk=draft.pk).exists()


def test_publish_service_can_schedule():
    draft = ArticleFactory(draft=True)
    services.article_publish(article=draft, at=FUTURE)
    assert draft.is_scheduled
    assert not Article.objects.published().filter(pk=draft.pk).exists()


def test_deleting_an_article_deletes_its_comments():
    from django_comments_xtd.models import XtdComment

    from tests.factories import CommentFactory

    article = ArticleFactory()
    other = ArticleFactory()
    parent = CommentFactory(article=article)
    CommentFactory(article=article, parent_id=parent.pk)
    kept = CommentFactory(article=other)

    article.delete()

    assert list(XtdComment.objects.all()) == [kept]
