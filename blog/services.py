"""Writes on articles and keywords that keep what readers see consistent.

The admin and the operator's commands call these rather than changing rows by
hand: merging keywords, bringing articles' shown bodies up to date, and
redirecting an article's former address to its new one.
"""

import logging
from collections.abc import Iterable, Iterator

from django.contrib.redirects.models import Redirect
from django.contrib.sites.models import Site
from django.db import transaction
from django.db.models import Exists, Min, OuterRef, QuerySet
from taggit.models import Tag, TaggedItem

from caching.invalidation import article_key, purge
from medialib.rendering import article_body

from .models import Article

logger = logging.getLogger(__name__)


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
# ``Article.save()`` makes ``body_html`` from the body, as ``_stale_bodies``
# does (anchors on the headings, renditions for the images); what else it
# depends on (the library images it shows, the rendition sizes, the media
# address) can change without the article being saved: these bring it up to date.
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
            # Cards only from embeds already stored: a refresh asks no provider.
            body_html = article_body(article.body, fetch_embeds=False)
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


# Former addresses
# ------------------------------------------------------------------------------
# An article's address holds its publication day and slug: changing either
# moves a public page. ``blog.signals`` calls this after every save that moved
# an article which was online, to an address that is online too.
REDIRECT_PATH_MAX_LENGTH = Redirect._meta.get_field("old_path").max_length


@transaction.atomic
def article_redirect_create(*, old_path: str, new_path: str, site: Site | None = None) -> Redirect | None:
    """Send readers of ``old_path`` to ``new_path`` (django.contrib.redirects), and return the redirect.

    No chains: redirects that led to ``old_path`` now lead to ``new_path``.
    No loops: a redirect leaving ``new_path`` (an address given back to the
    article) is deleted, since the page answers there again. Addresses longer
    than the redirect table holds are left alone (logged), and None returned.
    """
    if old_path == new_path:
        return None
    if max(len(old_path), len(new_path)) > REDIRECT_PATH_MAX_LENGTH:
        logger.warning("No redirect from %s to %s: the address is too long to store.", old_path, new_path)
        return None
    site = site or Site.objects.get_current()
    redirects = Redirect.objects.filter(site=site)
    redirects.filter(new_path=old_path).update(new_path=new_path)
    redirects.filter(old_path=new_path).delete()
    redirect, _created = Redirect.objects.update_or_create(
        site=site, old_path=old_path, defaults={"new_path": new_path}
    )
    return redirect
