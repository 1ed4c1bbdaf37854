"""Remove an account's second factor, so that it is set up again at the next login.

For the staff member who lost their phone and their backup codes; superusers
can do the same from the admin ("Staff accounts (second factor)"), but this
also helps the last superuser, locked out of the admin. Their sessions are
closed too.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.services import two_factor_reset


class Command(BaseCommand):
    help = _("Reset an account's two-factor authentication: they set it up again at their next login.")

    def add_arguments(self, parser):
        parser.add_argument("username", help=gettext_lazy("The account's username."))
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=gettext_lazy("Say what would be removed, and change nothing."),
        )

    def handle(self, *args, **options):
        User = get_user_model()
        try:
            user = User._default_manager.get_by_natural_key(options["username"])
        except User.DoesNotExist:
            raise CommandError(_("No account has the username “%(username)s”.") % options)
        if options["dry_run"]:
            self.stdout.write(_("Dry run: the second factor of %(username)s would be reset.") % options)
            return
        removed = two_factor_reset(user=user)
        if options["verbosity"]:
            self.stdout.write(
                self.style.SUCCESS(
                    ngettext(
                        "Two-factor authentication of %(username)s reset (%(count)d device removed).",
                        "Two-factor authentication of %(username)s reset (%(count)d devices removed).",
                        removed,
                    )
                    % {"username": user.get_username(), "count": removed}
                )
            )
