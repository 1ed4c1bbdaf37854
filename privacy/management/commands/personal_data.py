"""One person's data, by e-mail address: export it (JSON or HTML) or erase it.

    manage.py personal_data export EMAIL [--output FILE] [--format json|html]
    manage.py personal_data erase EMAIL [--dry-run]

What erasure deletes or anonymises is described in privacy/services.py; it
runs in one transaction and is recorded (without the address).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from privacy import exports, selectors, services
from privacy.models import ErasureRecord


class Command(BaseCommand):
    help = _("Export or erase the personal data held about one e-mail address.")

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="operation", required=True)
        export = commands.add_parser("export", help=str(gettext_lazy("Export what is held about EMAIL.")))
        export.add_argument("email", metavar="EMAIL")
        export.add_argument(
            "--output",
            metavar="FILE",
            help=str(gettext_lazy("Write to FILE instead of the standard output.")),
        )
        export.add_argument(
            "--format",
            choices=exports.FORMATS,
            default="json",
            help=str(gettext_lazy("json (default) or html.")),
        )
        erase = commands.add_parser("erase", help=str(gettext_lazy("Erase what is held about EMAIL.")))
        erase.add_argument("email", metavar="EMAIL")
        erase.add_argument(
            "--dry-run",
            action="store_true",
            help=str(gettext_lazy("Say what would be erased, change nothing.")),
        )

    def handle(self, *args, operation, email, **options):
        try:
            email = selectors.clean_email(email)
        except selectors.InvalidEmail as error:
            raise CommandError(error.message)
        if operation == "export":
            self.export(email, output=options["output"], format=options["format"])
        else:
            self.erase(email, dry_run=options["dry_run"], verbosity=options["verbosity"])

    def export(self, email, *, output, format):
        data = selectors.personal_data(email=email)
        content = exports.export(data, format=format)
        if output:
            try:
                Path(output).write_text(content, encoding="utf-8")
            except OSError as error:
                raise CommandError(_("Cannot write %(file)s: %(error)s") % {"file": output, "error": error})
        else:
            self.stdout.write(content, ending="")
        if data.is_empty:
            self.stderr.write(_("Nothing is held about this address."))
        elif output:
            self.stderr.write(_("Export written to %(file)s.") % {"file": output})

    def erase(self, email, *, dry_run, verbosity):
        report = services.personal_data_erase(
            email=email, source=ErasureRecord.Source.COMMAND, dry_run=dry_run
        )
        if not report.erased_anything:
            if verbosity >= 1:
                self.stdout.write(services.nothing_erased_message())
            if report.accounts_kept:
                self.stdout.write(self.style.WARNING(services.account_kept_message()))
            return
        if verbosity < 1:
            return
        summary = report.summary()
        if dry_run:
            self.stdout.write(
                self.style.WARNING(
                    _("Dry run, nothing changed. Would be: %(summary)s") % {"summary": summary}
                )
            )
        else:
            self.stdout.write(self.style.SUCCESS(_("Erased: %(summary)s") % {"summary": summary}))
        if report.accounts_kept:
            self.stdout.write(self.style.WARNING(services.account_kept_message()))
