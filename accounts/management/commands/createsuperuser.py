"""Django's ``createsuperuser``, which then tells the operator how the new account's second factor is set up.

With ``STAFF_REQUIRE_2FA`` on (production), a new superuser cannot use the
admin before enrolling an authenticator app: the first login leads to the
enrolment page. Saying so here spares the operator a surprise (and tells them
where to go if they must recover an account later). Subclassing the command
is the extension point Django documents for it; ``accounts`` is listed before
``django.contrib.auth`` so that this one answers the name (config/settings/base.py).
"""

from django.conf import settings
from django.contrib.auth.management.commands import createsuperuser
from django.urls import reverse
from django.utils.translation import gettext as _


class Command(createsuperuser.Command):
    help = _("Create a superuser, then say how its two-factor authentication is set up at the first login.")

    def handle(self, *args, **options):
        superusers = self.UserModel._default_manager.db_manager(options["database"])
        before = superusers.filter(is_superuser=True).count()
        super().handle(*args, **options)
        # Nothing was created when the prompt could not run (no terminal).
        if options["verbosity"] >= 1 and superusers.filter(is_superuser=True).count() > before:
            self.stdout.write(enrolment_notice())


def enrolment_notice() -> str:
    values = {
        "login": reverse("admin:login"),
        "enrol": reverse("accounts:enrol"),
        "account": reverse("accounts:account"),
    }
    if settings.STAFF_REQUIRE_2FA:
        lines = [
            _(
                "Two-factor authentication is required for staff here: at its first login (%(login)s), "
                "after the password, the account is asked to set up an authenticator app on a phone "
                "(page %(enrol)s) and is given 10 backup codes to keep."
            )
            % values,
        ]
    else:
        lines = [
            _(
                "Two-factor authentication is not required here (STAFF_REQUIRE_2FA is off); "
                "the account can set it up at %(enrol)s once logged in (%(login)s)."
            )
            % values,
        ]
    lines.append(
        _(
            "Backup codes and sessions: %(account)s. Lost phone and codes: "
            "manage.py reset_two_factor USERNAME (or, for another account, the admin's staff accounts page)."
        )
        % values
    )
    return "\n".join(lines)
