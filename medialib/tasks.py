"""Renditions made by the worker instead of the editor's request.

Saving an image (a featured image, a library upload) enqueues ``make_renditions``
once the change is committed; until the worker has made them, pages show the
stored image itself (``images.picture_for``), never an address that does not
exist yet. Without a worker (the immediate backend) they are made in the
request, as before.
"""

import logging

from django.apps import apps
from django.db import transaction

try:  # Django 6.0 brings the Tasks API; django-tasks is its backport for 5.2.
    from django.tasks import task
except ImportError:
    from django_tasks import task

from caching.invalidation import SITE, purge

from . import images
from .signals import media_files_changed

logger = logging.getLogger(__name__)


def queued() -> bool:
    """Whether renditions are left to a worker (false with the immediate backend: no worker)."""
    return make_renditions.get_backend().supports_defer


@task()
def make_renditions(*, model: str, pk: int, field: str, name: str) -> int:
    """Make the renditions of the image ``name`` stored in ``field`` of the ``model`` row ``pk``.

    Nothing is done when the row is gone or holds another image by now (its
    own task makes that one's). Then the texts and pages that showed the
    stored image while it waited are told to show its renditions.
    """
    instance = apps.get_model(model).objects.filter(pk=pk).first()
    image_file = getattr(instance, field, None)
    if image_file is None or image_file.name != name:
        images.renditions_done(name=name)
        return 0
    width = getattr(instance, image_file.field.width_field)
    height = getattr(instance, image_file.field.height_field)
    written = images.renditions_generate(image_file=image_file, width=width, height=height)
    with transaction.atomic():
        # Shown bodies name renditions (or the stored image while they were missing).
        media_files_changed.send(sender=type(instance), names={name})
        # Pages built meanwhile showed the stored image; what shows it is not known here.
        purge(SITE)
    logger.info("%d renditions made for %s.", written, name)
    return written
