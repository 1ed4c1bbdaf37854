"""A deployment check: staff accounts without a second factor are one stolen password from the admin."""

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.utils.translation import gettext_lazy as _


@register(Tags.security, deploy=True)
def second_factor_required(app_configs, **kwargs):
    if settings.STAFF_REQUIRE_2FA:
        return []
    return [
        Warning(
            _("Staff can use the admin without two-factor authentication."),
            hint=_("Set STAFF_REQUIRE_2FA=true (the production default)."),
            id="accounts.W001",
        )
    ]
