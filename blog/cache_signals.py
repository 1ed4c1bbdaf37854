"""Every write that changes what readers see replaces the generations it affects.

Signals rather than calls in each service: the admin's plain edits, the
services, the commands and the comment app's moderation all save through the
ORM, and none of them may forget the cache.
"""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.flatpages.models import FlatPage
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django_comments import get_model as get_comment_model
from taggit.models import Tag, TaggedItem

from comments import signals as comment_signals

from . import cache
from .models import Article, AuthorProfile, Category, FurtherReading

CONTENT_MODELS = [Article, Category, Tag, TaggedItem, FurtherReading, AuthorProfile, FlatPage]


def content_changed(sender, **kwargs):
    """An editor's change may show on any page and in the sidebar."""
    if kwargs.get("raw"):
        return
    cache.bump_on_commit(cache.CONTENT)


def author_changed(sender, instance, update_fields=None, **kwargs):
    """A byline shows the author's full name or login when their profile gives no name."""
    if kwargs.get("raw") or (update_fields is not None and set(update_fields) <= {"last_login"}):
        return
    if Article.objects.filter(author=instance).exists():
        cache.bump_on_commit(cache.CONTENT)


def comment_changed(sender, instance, **kwargs):
    """A comment shows on its article's page and in the comment counts of the lists."""
    if kwargs.get("raw"):
        return
    if instance.content_type_id != ContentType.objects.get_for_model(Article).pk:
        return
    article_pk = instance.object_pk

    def bump():
        day_and_slug = Article.objects.filter(pk=article_pk).values_list("publication_date", "slug").first()
        scopes = [cache.LISTS]
        if day_and_slug is not None and day_and_slug[0] is not None:
            scopes.append(cache.article_scope(publication_date=day_and_slug[0], slug=day_and_slug[1]))
        cache.bump(*scopes)

    transaction.on_commit(bump)


def discussion_changed(sender, article_ids, **kwargs):
    """Moderation (approve, remove, spam) changes comments with QuerySet.update(),
    which sends no post_save: the comments app says which articles it touched.
    Sent after commit, so the scopes are bumped at once."""
    days_and_slugs = Article.objects.filter(pk__in=article_ids).values_list("publication_date", "slug")
    scopes = [cache.LISTS]
    scopes += [
        cache.article_scope(publication_date=day, slug=slug)
        for day, slug in days_and_slugs
        if day is not None
    ]
    cache.bump(*scopes)


def connect():
    for model in CONTENT_MODELS:
        post_save.connect(content_changed, sender=model, dispatch_uid=f"cache-{model._meta.label}-save")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"cache-{model._meta.label}-delete")
    post_save.connect(author_changed, sender=get_user_model(), dispatch_uid="cache-author-save")
    comment_model = get_comment_model()
    post_save.connect(comment_changed, sender=comment_model, dispatch_uid="cache-comment-save")
    post_delete.connect(comment_changed, sender=comment_model, dispatch_uid="cache-comment-delete")
    comment_signals.discussion_changed.connect(discussion_changed, dispatch_uid="cache-discussion-changed")
