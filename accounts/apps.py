from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Staff accounts")

    def ready(self):
        from . import checks, signals  # noqa: F401  (a deploy check; the audit trail and sessions receivers)
