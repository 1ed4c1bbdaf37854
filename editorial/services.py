"""Writes on articles that carry the newsroom's rules: the workflow and the versions.

The admin's actions and the operator's commands call these functions rather
than changing ``status`` and ``published_at`` by hand. They check that the
article's current state allows the move; who may make it (the permissions)
is checked by the caller, which knows the user.
"""

from datetime import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from blog.models import Article, Category, FurtherReading

from .models import ArticleRevision
from .revisions import article_snapshot
from .signals import article_revision_restored


class WorkflowError(Exception):
    """The article's current state does not allow this move."""


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


@transaction.atomic
def article_submit_for_review(*, article: Article) -> Article:
    """Hand a draft to the editors: it joins the review queue."""
    if article.status != Article.Status.DRAFT:
        raise WorkflowError(_("Only a draft can be submitted for review."))
    article.status = Article.Status.REVIEW
    article.save(update_fields=["status", "updated_at"])
    return article


@transaction.atomic
def article_send_back_to_draft(*, article: Article) -> Article:
    """Return an article awaiting review to its author, as a draft."""
    if article.status != Article.Status.REVIEW:
        raise WorkflowError(_("Only an article awaiting review can be sent back to draft."))
    article.status = Article.Status.DRAFT
    article.save(update_fields=["status", "updated_at"])
    return article


def article_revision_create(
    *, article: Article, user: AbstractBaseUser | None = None, comment: str = ""
) -> ArticleRevision:
    """Keep a version of ``article`` as it is now in the database.

    Call it once the keywords and further reading are saved too, so the
    version holds the whole article.
    """
    return ArticleRevision.objects.create(
        article=article,
        user=user if user is not None and user.is_authenticated else None,
        comment=comment[:255],
        data=article_snapshot(article),
    )


# What a restore writes back: the content. Status, dates, author and the
# featured flag stay as they are, so going back to an old text never
# publishes, unpublishes or reassigns an article behind the workflow's back.
RESTORED_FIELDS = [
    "title",
    "slug",
    "excerpt",
    "body",
    "seo_title",
    "seo_description",
    "noindex",
    "canonical_url",
    "table_of_contents",
    "comments_enabled",
]


@transaction.atomic
def article_revision_restore(*, revision: ArticleRevision, user: AbstractBaseUser | None = None) -> Article:
    """Put an older version's content back into its article, and keep that as a new version.

    Raises ``IntegrityError`` when the old slug is now taken by another
    article of the same day; nothing is changed then.
    """
    article = revision.article
    data = revision.data
    for field in RESTORED_FIELDS:
        if field in data:
            setattr(article, field, data[field])
    category = data.get("category")
    article.category = Category.objects.filter(pk=category["id"]).first() if category is not None else None
    article.save()
    article.tags.set(data.get("tags", []))
    FurtherReading.objects.filter(article=article).delete()
    FurtherReading.objects.bulk_create(
        FurtherReading(article=article, title=link["title"], url=link["url"], position=link["position"])
        for link in data.get("further_reading", [])
    )
    date = timezone.localtime(revision.created_at).strftime("%Y-%m-%d %H:%M")
    article_revision_create(
        article=article, user=user, comment=_("Restored the version of %(date)s.") % {"date": date}
    )
    article_revision_restored.send(sender=ArticleRevision, revision=revision, article=article, user=user)
    return article
