"""Receivers for what the media library cleans or tidies after others' writes."""

from django.contrib.flatpages.models import FlatPage
from django.db import transaction
from django.db.models.signals import post_delete, pre_save
from django.dispatch import receiver

from . import images
from .models import Embed, MediaImage
from .sanitize import sanitize_html


@receiver(pre_save, sender=FlatPage, dispatch_uid="medialib_flatpage_sanitize")
def sanitize_flatpage(sender, instance, **kwargs):
    """Static pages are shown as raw HTML by django.contrib.flatpages: clean them like articles."""
    instance.content = sanitize_html(instance.content)


@receiver(post_delete, sender=MediaImage, dispatch_uid="medialib_mediaimage_cleanup")
def delete_image_files(sender, instance, **kwargs):
    """Remove the image and its renditions once the deletion is committed (bulk deletions too)."""
    name, storage = instance.file.name, instance.file.storage
    if name:
        transaction.on_commit(lambda: images.image_delete(name=name, storage=storage))


@receiver(post_delete, sender=Embed, dispatch_uid="medialib_embed_cleanup")
def delete_embed_picture(sender, instance, **kwargs):
    """Our copy of an embed's picture goes with it (deleting an embed has it fetched again)."""
    name, storage = instance.thumbnail.name, instance.thumbnail.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))
