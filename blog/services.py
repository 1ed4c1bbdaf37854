"""Writes on articles that carry the publication rules.

The admin's actions and the operator's commands call these functions rather
than changing ``status`` and ``published_at`` by hand.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from .models import Article


@transaction.atomic
def article_publish(*, article: Article, at: datetime | None = None) -> Article:
    """Publish ``article`` now, or at ``at`` (a future date schedules it).

    An article that already has a publication date keeps it unless ``at`` is
    given, so re-publishing after a correction does not move it in the archive.
    """
    if at is not None:
        article.published_at = at
    elif article.published_at is None:
        article.published_at = timezone.now()
    article.status = Article.Status.PUBLISHED
    article.save(update_fields=["status", "published_at", "updated_at"])
    return article


@transaction.atomic
def article_unpublish(*, article: Article) -> Article:
    """Take ``article`` off the public site; it goes back to the drafts."""
    article.status = Article.Status.DRAFT
    article.save(update_fields=["status", "updated_at"])
    return article
