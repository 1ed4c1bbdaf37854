"""Create or repair the newsroom's groups (Auteur, Éditeur, Modérateur).

Safe to run any number of times: each group ends up with exactly the
permissions defined in ``blog.roles``. Add people to a group in the admin
(Users → a user → Groups) and tick "Staff status" so they can log in there.
"""

from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from editorial.roles import ROLES, apply_roles


class Command(BaseCommand):
    help = _("Create the Auteur, Éditeur and Modérateur groups with their permissions (idempotent).")

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=gettext_lazy("Show what would be done and change nothing."),
        )

    def handle(self, *args, dry_run=False, **options):
        with transaction.atomic():
            created, missing = apply_roles(group_model=Group, permission_model=Permission)
            if missing:
                raise CommandError(
                    _("These permissions do not exist (run migrate first): %(permissions)s")
                    % {"permissions": ", ".join(missing)}
                )
            if dry_run:
                transaction.set_rollback(True)
        if options["verbosity"] < 1:
            return
        for name in ROLES:
            count = len(ROLES[name])
            if name not in created:
                line = ngettext(
                    "Checked group %(name)s (%(count)d permission)",
                    "Checked group %(name)s (%(count)d permissions)",
                    count,
                )
            elif dry_run:
                line = ngettext(
                    "Would create group %(name)s (%(count)d permission)",
                    "Would create group %(name)s (%(count)d permissions)",
                    count,
                )
            else:
                line = ngettext(
                    "Created group %(name)s (%(count)d permission)",
                    "Created group %(name)s (%(count)d permissions)",
                    count,
                )
            self.stdout.write(line % {"name": name, "count": count})
        done = _("Dry run: nothing saved.") if dry_run else _("Roles are up to date.")
        self.stdout.write(self.style.SUCCESS(done))
