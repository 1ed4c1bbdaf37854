"""Empty every cache of the site: Django's pages and fragments, and the HTTP caches in front.

Writes purge what they change by themselves; this is for what they cannot
see: a deployment that changes templates or settings without DJANGO_RELEASE,
or data changed outside the application (SQL run by hand).
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from caching.invalidation import SITE, purge_now


class Command(BaseCommand):
    help = _("Drop every cached page and fragment, in Django's cache and in the HTTP caches in front.")

    def handle(self, *args, **options):
        purge_now([SITE])
        if options["verbosity"]:
            caches = len(settings.HTTP_CACHE_PURGE_URLS)
            message = _("Every cached page dropped (Django's cache and %(count)d HTTP cache(s)).")
            self.stdout.write(self.style.SUCCESS(message % {"count": caches}))
