"""The discussion's own signal, and the purges of the caches when a discussion changes.

``discussion_changed`` is sent after commit whenever what readers see of a
discussion may have changed. Receivers get ``article_ids`` (a set of Article
primary keys): a page cache, a search index or a static export can refresh
just those articles. Moderation changes states with ``QuerySet.update()``,
which sends no ``post_save``: listen here rather than to the model's signals.

A comment shows on its article's page, in the comment counts of the lists
that show the article (both carry the article's key) and in the comment feeds:
those only are purged, the rest of the site stays cached.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal
from django_comments import get_model as get_comment_model

from caching.invalidation import SITE, article_key, purge

from .feeds import COMMENTS_KEY

discussion_changed = Signal()


def purge_discussions(sender, article_ids, **kwargs):
    purge(COMMENTS_KEY, *(article_key(pk) for pk in sorted(article_ids)))


def purge_comment(sender, instance, raw=False, **kwargs):
    if raw:
        purge(SITE)
    elif str(instance.object_pk).isdigit():
        purge(COMMENTS_KEY, article_key(int(instance.object_pk)))


def connect():
    comment_model = get_comment_model()
    discussion_changed.connect(purge_discussions, dispatch_uid="comments_purge_discussions")
    post_save.connect(purge_comment, sender=comment_model, dispatch_uid="comments_purge_on_save")
    post_delete.connect(purge_comment, sender=comment_model, dispatch_uid="comments_purge_on_delete")
