"""What the import commands share: their options, the call to the service, the summary."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from blog.management.reporting import ProgressBar, write_table
from wordpress.importer import KINDS

from .service import ImportFormatError, import_posts


class ImportCommand(BaseCommand):
    """An import command: ``reader(path, options)`` gives the format's reader."""

    file_help = ""

    def reader(self, path, options):
        raise NotImplementedError

    def add_arguments(self, parser):
        parser.add_argument("file", help=self.file_help)
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=gettext_lazy("Show what would be imported without changing anything."),
        )
        parser.add_argument(
            "--source",
            help=gettext_lazy(
                "A name for the exporting blog, used to recognise what an earlier import of the same "
                "blog created (default: the blog's address given in the file)."
            ),
        )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        try:
            report = import_posts(
                reader=self.reader(options["file"], options),
                source=options["source"] or "",
                dry_run=options["dry_run"],
                progress=ProgressBar(self.stdout, verbosity=verbosity, label=_("Importing")),
            )
        except ImportFormatError as error:
            raise CommandError(
                _("Cannot import %(file)s: %(error)s") % {"file": options["file"], "error": error}
            )
        if verbosity == 0:
            return
        rows = [
            (
                label,
                report.counts[kind]["created"],
                report.counts[kind]["updated"],
                report.counts[kind]["skipped"],
            )
            for kind, label in KINDS.items()
            if report.counts[kind]
        ]
        header = (
            pgettext("import summary", "kind"),
            pgettext("import summary", "created"),
            pgettext("import summary", "updated"),
            pgettext("import summary", "skipped"),
        )
        write_table(self.stdout, header, rows)
        for (kind, reason), count in sorted(report.reasons.items()):
            line = _("%(kind)s: %(reason)s: %(count)d") % {
                "kind": KINDS[kind],
                "reason": reason,
                "count": count,
            }
            self.stdout.write(f"  {line}")
        if report.converted:
            self.stdout.write(_("Converted so that nothing is lost:"))
            for label, count in sorted(report.converted.items(), key=lambda pair: (-pair[1], str(pair[0]))):
                self.stdout.write(f"  {label}: {count}")
        if report.warnings and verbosity >= 1:
            self.stdout.write(self.style.WARNING(_("To check:")))
            for warning in report.warnings:
                self.stdout.write(f"  {warning}")
        if report.dry_run:
            self.stdout.write(self.style.WARNING(_("Dry run: nothing was written.")))
        else:
            self.stdout.write(self.style.SUCCESS(_("Import finished (source: %s).") % report.source))
