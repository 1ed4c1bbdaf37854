"""Receivers for models whose save or delete we do not own, or that Django
deletes in bulk without calling ``Model.delete()``."""

from django.contrib.flatpages.models import FlatPage
from django.db import transaction
from django.db.models.signals import post_delete, pre_save
from django.dispatch import receiver

from . import images
from .html import sanitize_html
from .models import Article, MediaImage


@receiver(pre_save, sender=FlatPage, dispatch_uid="blog_flatpage_sanitize")
def sanitize_flatpage(sender, instance, **kwargs):
    """Static pages are shown as raw HTML by django.contrib.flatpages: clean them like articles."""
    instance.content = sanitize_html(instance.content)


@receiver(post_delete, sender=Article, dispatch_uid="blog_article_image_cleanup")
@receiver(post_delete, sender=MediaImage, dispatch_uid="blog_mediaimage_cleanup")
def delete_image_files(sender, instance, **kwargs):
    """Remove the image and its renditions once the deletion is committed."""
    field = instance.featured_image if sender is Article else instance.file
    name, storage = field.name, field.storage
    if name:
        transaction.on_commit(lambda: images.image_delete(name=name, storage=storage))
