"""Create or repair the newsroom's groups (Auteur, Éditeur, Modérateur).

Safe to run any number of times: each group ends up with exactly the
permissions defined in ``blog.roles``. Add people to a group in the admin
(Users → a user → Groups) and tick "Staff status" so they can log in there.
"""

from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from blog.roles import ROLES, apply_roles


class Command(BaseCommand):
    help = "Create the Auteur, Éditeur and Modérateur groups with their permissions (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Show what would be done and change nothing.",
        )

    def handle(self, *args, dry_run=False, **options):
        with transaction.atomic():
            created, missing = apply_roles(group_model=Group, permission_model=Permission)
            if missing:
                raise CommandError(
                    "These permissions do not exist (run migrate first): " + ", ".join(missing)
                )
            if dry_run:
                transaction.set_rollback(True)
        for name in ROLES:
            verb = "Would create" if dry_run and name in created else (
                "Created" if name in created else "Checked"
            )
            if options["verbosity"] >= 1:
                count = len(ROLES[name])
                self.stdout.write(f"{verb} group {name} ({count} permissions)")
        if options["verbosity"] >= 1:
            done = "Dry run: nothing saved." if dry_run else "Roles are up to date."
            self.stdout.write(self.style.SUCCESS(done))
