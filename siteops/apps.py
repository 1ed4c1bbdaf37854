"""The operator's maintenance work: backups and restores, link checks, old discussions, spam.

The app holds services over the blog's and the comments' data and the commands
that run them, plus the worker's scheduler of periodic jobs (``scheduler.py``,
its one model ``PeriodicRun``, ``manage.py run_worker``). It depends on blog,
comments and caching; they never depend on it.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteopsConfig(AppConfig):
    name = "siteops"
    verbose_name = _("Site operations")
