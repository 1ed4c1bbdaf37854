"""Reads for the editors' dashboard: most read articles, views per day, referring domains."""

import datetime
from dataclasses import dataclass

from django.db.models import Sum
from django.utils import timezone

from blog.models import Article
from comments.selectors import public_count_subquery

from .models import DailyReferrer, DailyViews

PERIODS = (7, 30, 90)


def since(days: int) -> datetime.date:
    """The first day of the last ``days`` days, today included."""
    return timezone.localdate() - datetime.timedelta(days=days - 1)


@dataclass
class ArticleViews:
    article: Article
    views: int


def most_read(*, days: int, limit: int = 20) -> list[ArticleViews]:
    """The most read articles of the last ``days`` days, with their public comment count (two queries)."""
    rows = list(
        DailyViews.objects.filter(day__gte=since(days))
        .values("article")
        .annotate(total=Sum("views"))
        .order_by("-total", "article")[:limit]
    )
    articles = Article.objects.filter(pk__in=[row["article"] for row in rows]).annotate(
        comment_count=public_count_subquery()
    )
    by_pk = {article.pk: article for article in articles}
    return [ArticleViews(by_pk[row["article"]], row["total"]) for row in rows if row["article"] in by_pk]


def views_per_day(*, article: Article, days: int) -> list[tuple[datetime.date, int]]:
    """(day, views) for each of the last ``days`` days, days without a view included."""
    first = since(days)
    found = dict(DailyViews.objects.filter(article=article, day__gte=first).values_list("day", "views"))
    return [(day, found.get(day, 0)) for day in (first + datetime.timedelta(n) for n in range(days))]


def top_referrers(*, days: int, article: Article | None = None, limit: int = 20) -> list[tuple[str, int]]:
    rows = DailyReferrer.objects.filter(day__gte=since(days))
    if article is not None:
        rows = rows.filter(article=article)
    return list(
        rows.values("domain")
        .annotate(total=Sum("views"))
        .order_by("-total", "domain")
        .values_list("domain", "total")[:limit]
    )


def export_rows(*, days: int):
    """(day, article id, title, views) of the last ``days`` days, for the CSV export."""
    return (
        DailyViews.objects.filter(day__gte=since(days))
        .order_by("day", "article_id")
        .values_list("day", "article_id", "article__title", "views")
        .iterator()
    )
