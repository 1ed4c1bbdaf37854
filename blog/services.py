"""Writes on articles and keywords that carry the newsroom's rules.

The admin's actions and the operator's commands call these functions rather
than changing ``status`` and ``published_at`` by hand. They check that the
article's current state allows the move; who may make it (the permissions)
is checked by the caller, which knows the user.
"""

from collections.abc import Iterable, Iterator
from datetime import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Exists, Min, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from taggit.models import Tag, TaggedItem

from caching.invalidation import article_key, purge

from .models import Article, ArticleRevision, Category, FurtherReading
from .rendering import responsive_body
from .revisions import article_snapshot


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
RESTORED_FIELDS = ["title", "slug", "excerpt", "body", "seo_description", "comments_enabled"]


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
    return article


@transaction.atomic
def tag_merge(*, target: Tag, sources: Iterable[Tag]) -> int:
    """Move everything tagged with one of ``sources`` to ``target``, then delete the sources.

    An object that carried several of these keywords ends up with
    ``target`` once. Returns the number of keywords deleted.
    """
    source_ids = {tag.pk for tag in sources} - {target.pk}
    if not source_ids:
        return 0
    items = TaggedItem.objects.filter(tag_id__in=source_ids)
    # Objects that already carry the target keyword only lose the source one.
    items.filter(
        Exists(
            TaggedItem.objects.filter(
                tag=target, content_type=OuterRef("content_type"), object_id=OuterRef("object_id")
            )
        )
    ).delete()
    # Of several source keywords on one object, one is kept and moved.
    keep = (
        TaggedItem.objects.filter(tag_id__in=source_ids)
        .values("content_type", "object_id")
        .annotate(keep=Min("pk"))
        .values_list("keep", flat=True)
    )
    TaggedItem.objects.filter(tag_id__in=source_ids).exclude(pk__in=list(keep)).delete()
    TaggedItem.objects.filter(tag_id__in=source_ids).update(tag=target)
    _total, deleted = Tag.objects.filter(pk__in=source_ids).delete()
    return deleted.get(Tag._meta.label, 0)


# Bodies as shown
# ------------------------------------------------------------------------------
# ``Article.save()`` makes ``body_html`` from the body; what else it depends on
# (the library images it shows, the rendition sizes, the media address) can
# change without the article being saved: these bring it up to date.
REFRESH_BATCH = 200


def _stale_bodies(articles: QuerySet[Article]) -> Iterator[tuple[Article, str]]:
    """(article, body as it should be shown) for each of ``articles`` whose copy is out of date.

    Read by pages of primary keys, so that a whole site never sits in memory
    and the rows can be written while they are read.
    """
    rows = Article.objects.filter(pk__in=articles.values("pk")).only("body", "body_html").order_by("pk")
    page = list(rows[:REFRESH_BATCH])
    while page:
        for article in page:
            body_html = responsive_body(article.body)
            if body_html != article.body_html:
                yield article, body_html
        page = list(rows.filter(pk__gt=page[-1].pk)[:REFRESH_BATCH])


def article_bodies_stale(*, articles: QuerySet[Article]) -> list[int]:
    """The ids of ``articles`` that ``article_bodies_refresh`` would change; writes nothing."""
    return [article.pk for article, _body_html in _stale_bodies(articles)]


@transaction.atomic
def article_bodies_refresh(*, articles: QuerySet[Article]) -> list[int]:
    """Recompute the shown body of ``articles`` where it is out of date; return their ids.

    Only ``body_html`` is written, with ``QuerySet.update()``: the modification
    date stays (the text did not change) and no signal is sent, so
    ``article_bodies_changed`` is called once the change is committed.
    """
    changed = []
    for article, body_html in _stale_bodies(articles):
        # Only if the body is still the one just read: an editor's save in
        # between has made the shown body of the new text already.
        if Article.objects.filter(pk=article.pk, body=article.body).update(body_html=body_html):
            changed.append(article.pk)
    if changed:
        transaction.on_commit(lambda: article_bodies_changed(pks=changed))
    return changed


def article_bodies_changed(*, pks: list[int]) -> None:
    """Called after a commit that changed the shown body of the articles ``pks`` without
    saving them (no signal was sent): what keeps copies of their pages is told here."""
    purge(*(article_key(pk) for pk in pks))
