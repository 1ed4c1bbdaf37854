"""Receivers that keep the search index in step with every write Django signals.

An article's entry depends on its own text, its keywords and its category's
name. On PostgreSQL the trigger recomputes the entry whenever the article's row
is written (a save, ``update()``, a category's deletion setting it to NULL);
what changes elsewhere (keywords added or removed, a keyword or category
renamed or deleted) rewrites the articles concerned, on both databases.
Raw saves (``loaddata``, a restore) are indexed too: each object loaded
completes the entries it belongs to, whatever the order of the fixture.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver
from taggit.models import Tag

from blog.models import Article, Category

from .services import articles_mentioning, search_index_update

TaggedItem = Article.tags.through


def _tagged(tag: Tag) -> list[int]:
    items = TaggedItem.objects.filter(tag=tag, content_type__app_label="blog", content_type__model="article")
    return list(items.values_list("object_id", flat=True))


@receiver(post_save, sender=Article, dispatch_uid="search_article_saved")
@receiver(post_delete, sender=Article, dispatch_uid="search_article_deleted")
def index_article(sender, instance, **kwargs):
    # On PostgreSQL the trigger has computed the row's vector already.
    if connection.vendor != "postgresql":
        search_index_update(article_ids=[instance.pk])


@receiver(m2m_changed, sender=TaggedItem, dispatch_uid="search_article_tags_changed")
def index_tags_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if isinstance(instance, Article):
        search_index_update(article_ids=[instance.pk])
    elif model is Article and pk_set:
        search_index_update(article_ids=pk_set)


@receiver(post_save, sender=TaggedItem, dispatch_uid="search_tagged_item_loaded")
def index_tagged_item_loaded(sender, instance, raw=False, **kwargs):
    """Keywords loaded by ``loaddata`` send no m2m_changed: the article they belong to is reindexed."""
    if raw and ContentType.objects.get_for_id(instance.content_type_id).model_class() is Article:
        search_index_update(article_ids=[instance.object_id])


@receiver(post_save, sender=Tag, dispatch_uid="search_tag_saved")
def index_tag_renamed(sender, instance, created=False, raw=False, **kwargs):
    if not created or raw:
        search_index_update(article_ids=_tagged(instance))


@receiver(pre_delete, sender=Tag, dispatch_uid="search_tag_deleting")
def remember_tag_articles(sender, instance, **kwargs):
    """The articles whose entry names the keyword, read before it goes.

    Those still tagged, and those whose entry mentions it: merging keywords
    (``blog.services.tag_merge``) moves their items to the kept keyword with
    ``update()``, which sends no signal, and then deletes the merged ones.
    """
    instance.search_article_ids = {*_tagged(instance), *articles_mentioning(instance.name)}


@receiver(post_delete, sender=Tag, dispatch_uid="search_tag_deleted")
def index_tag_deleted(sender, instance, **kwargs):
    search_index_update(article_ids=getattr(instance, "search_article_ids", ()))


@receiver(post_save, sender=Category, dispatch_uid="search_category_saved")
def index_category_renamed(sender, instance, created=False, raw=False, **kwargs):
    if not created or raw:
        search_index_update(article_ids=instance.articles.values_list("pk", flat=True))


@receiver(pre_delete, sender=Category, dispatch_uid="search_category_deleting")
def remember_category_articles(sender, instance, **kwargs):
    instance.search_article_ids = list(instance.articles.values_list("pk", flat=True))


@receiver(post_delete, sender=Category, dispatch_uid="search_category_deleted")
def index_category_deleted(sender, instance, **kwargs):
    # PostgreSQL's trigger saw the articles' category set to NULL already.
    if connection.vendor != "postgresql":
        search_index_update(article_ids=getattr(instance, "search_article_ids", ()))
