"""Articles to suggest under an article, after the editor's own further-reading links."""

from django.conf import settings
from django.db.models import Case, Count, IntegerField, Value, When

from .models import Article


def related_articles(article: Article, *, limit: int | None = None) -> list[Article]:
    """Up to ``limit`` published articles, those sharing the most keywords with ``article`` first.

    Ties go to the same category, then to the newest. When too few share a
    keyword, the newest of the same category fill the list. Two queries at
    most, whatever the number of articles or keywords: the shared keywords are
    counted in SQL (taggit's ``similar_objects()`` loads every match into Python).
    ``article.tags`` is read from the prefetch cache when the caller filled it.
    """
    limit = settings.BLOG_RELATED_COUNT if limit is None else limit
    if limit <= 0:
        return []
    candidates = (
        Article.objects.published()
        .exclude(pk=article.pk)
        .only("title", "slug", "publication_date", "published_at", "category_id")
    )
    related = []
    tag_ids = [tag.pk for tag in article.tags.all()]
    if tag_ids:
        same_category = (
            Case(
                When(category_id=article.category_id, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
            if article.category_id is not None
            else Value(0, output_field=IntegerField())
        )
        related = list(
            candidates.filter(tags__in=tag_ids)
            .annotate(shared_tags=Count("pk"), same_category=same_category)
            .order_by("-shared_tags", "-same_category", "-published_at", "-pk")[:limit]
        )
    if len(related) < limit and article.category_id is not None:
        related += list(
            candidates.filter(category_id=article.category_id)
            .exclude(pk__in=[other.pk for other in related])
            .order_by("-published_at", "-pk")[: limit - len(related)]
        )
    return related
