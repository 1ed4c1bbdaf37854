"""Receivers for models whose save or delete we do not own, or that Django
deletes in bulk without calling ``Model.delete()``, and the purges of the
caches after every change readers may see."""

from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from caching.invalidation import SITE, article_key, purge
from medialib import images
from medialib.signals import media_files_changed

from .models import Article, ArticleAuthor, AuthorProfile, Category, FurtherReading
from .services import article_bodies_refresh, article_redirect_create


@receiver(post_delete, sender=Article, dispatch_uid="blog_article_image_cleanup")
def delete_image_files(sender, instance, **kwargs):
    """Remove the featured image and its renditions once the deletion is committed."""
    name, storage = instance.featured_image.name, instance.featured_image.storage
    if name:
        transaction.on_commit(lambda: images.image_delete(name=name, storage=storage))


@receiver(media_files_changed, dispatch_uid="blog_article_bodies_follow_media")
def refresh_bodies_showing(sender, names, **kwargs):
    """Bodies showing a library file that was stored, replaced or deleted name its new renditions."""
    uses = Q()
    for name in sorted(names):
        uses |= Q(body__contains=name)
    if uses:
        article_bodies_refresh(articles=Article.objects.filter(uses))


# CACHE INVALIDATION
# ------------------------------------------------------------------------------
# Every page shows the site's frame (latest articles, categories, keywords,
# static pages), so a change to published content purges the whole site. A
# draft, or an article waiting for review, purges nothing: no page shows it.
# Raw saves (loaddata, restore) purge too: they bypass every other rule.


@receiver(pre_save, sender=Article, dispatch_uid="blog_article_was_published")
def remember_if_published(sender, instance, raw=False, **kwargs):
    """Remember, before the save, whether the article was published, and the
    address where readers have found it (None if it never was online there)."""
    instance._was_published = False
    instance._public_address = None
    if raw or instance.pk is None:
        return
    row = (
        Article.objects.filter(pk=instance.pk)
        .values_list("status", "published_at", "publication_date", "slug")
        .first()
    )
    if row is None:
        return
    status, published_at, publication_date, slug = row
    instance._was_published = status == Article.Status.PUBLISHED
    if instance._was_published and published_at <= timezone.now():
        instance._public_address = Article(publication_date=publication_date, slug=slug).get_absolute_url()


# FORMER ADDRESSES
# ------------------------------------------------------------------------------
# A signal rather than the admin's save_model: the admin form, its actions,
# restoring a version and the importers all save the model, and all must leave
# a redirect behind. Only from an address that was online, and only to one that
# is online: a draft's or a scheduled article's address never appears anywhere.


@receiver(post_save, sender=Article, dispatch_uid="blog_article_redirect_former_address")
def redirect_former_address(sender, instance, raw=False, **kwargs):
    previous = getattr(instance, "_public_address", None)
    if raw or previous is None or not instance.is_public:
        return
    article_redirect_create(old_path=previous, new_path=instance.get_absolute_url())


@receiver(post_save, sender=Article, dispatch_uid="blog_article_purge_on_save")
@receiver(post_delete, sender=Article, dispatch_uid="blog_article_purge_on_delete")
def purge_article(sender, instance, raw=False, **kwargs):
    if raw or getattr(instance, "_was_published", False) or instance.status == Article.Status.PUBLISHED:
        purge(SITE, article_key(instance.pk))


@receiver(post_save, sender=FurtherReading, dispatch_uid="blog_further_reading_purge_on_save")
@receiver(post_delete, sender=FurtherReading, dispatch_uid="blog_further_reading_purge_on_delete")
def purge_further_reading(sender, instance, raw=False, **kwargs):
    if raw:
        purge(SITE)
    else:
        purge(article_key(instance.article_id))


@receiver(post_save, sender=TaggedItem, dispatch_uid="blog_tagged_item_purge_on_save")
@receiver(post_delete, sender=TaggedItem, dispatch_uid="blog_tagged_item_purge_on_delete")
def purge_tagging(sender, instance, raw=False, **kwargs):
    """A published article's keywords show in the keyword cloud and lists: a draft's show nowhere."""
    if raw or Article.objects.filter(pk=instance.object_id, status=Article.Status.PUBLISHED).exists():
        purge(SITE)


@receiver(post_save, sender=ArticleAuthor, dispatch_uid="blog_coauthor_purge_on_save")
@receiver(post_delete, sender=ArticleAuthor, dispatch_uid="blog_coauthor_purge_on_delete")
def purge_coauthor(sender, instance, raw=False, **kwargs):
    """A published article's byline, and its co-authors' pages and feeds (the admin's inline saves rows)."""
    if raw or Article.objects.filter(pk=instance.article_id, status=Article.Status.PUBLISHED).exists():
        purge(SITE, article_key(instance.article_id))


@receiver(m2m_changed, sender=Article.coauthors.through, dispatch_uid="blog_coauthors_purge_on_change")
def purge_coauthors(sender, instance, action, reverse, pk_set, **kwargs):
    """``article.coauthors.add()`` and the like, from either side: they save no row one by one."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        if instance.status == Article.Status.PUBLISHED:
            purge(SITE, article_key(instance.pk))
        return
    if pk_set is None:  # a user's co-authorships cleared: which articles is no longer known
        purge(SITE)
        return
    published = Article.objects.filter(pk__in=pk_set, status=Article.Status.PUBLISHED)
    keys = [article_key(pk) for pk in published.values_list("pk", flat=True)]
    if keys:
        purge(SITE, *keys)


def purge_site(sender, raw=False, **kwargs):
    purge(SITE)


for model in (Category, Tag, FlatPage, AuthorProfile):
    post_save.connect(purge_site, sender=model, dispatch_uid=f"blog_{model.__name__}_purge_on_save")
    post_delete.connect(purge_site, sender=model, dispatch_uid=f"blog_{model.__name__}_purge_on_delete")


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="blog_author_purge_on_save")
def purge_author(sender, instance, raw=False, update_fields=None, **kwargs):
    """A byline shows the author's full name or login when their profile gives no name."""
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    if raw or Article.objects.filter(status=Article.Status.PUBLISHED).written_by(instance).exists():
        purge(SITE)
