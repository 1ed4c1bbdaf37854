"""Export the blog as a WordPress export file (WXR 1.2).

WordPress can import the file (Tools → Import → WordPress), and so can
``import_wordpress``, which reads it back to the same content.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from blog.management.reporting import write_table
from wordpress.exporter import wordpress_export


def _date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("“%s” is not a date in the YYYY-MM-DD format.") % value)


class Command(BaseCommand):
    help = _(
        "Write the whole site (articles, authors, categories, tags, comments, pages), or the articles "
        "published within a date range, as a WordPress export file (WXR 1.2)."
    )

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help=_("The file to write (default: the standard output)."))
        parser.add_argument(
            "--since", type=_date, help=_("Only articles published on or after this day (YYYY-MM-DD).")
        )
        parser.add_argument(
            "--until", type=_date, help=_("Only articles published on or before this day (YYYY-MM-DD).")
        )
        parser.add_argument(
            "--base-url",
            help=_("The site's public address used in links (default: from the Sites framework)."),
        )

    def handle(self, *args, **options):
        since, until = options["since"], options["until"]
        if since and until and since > until:
            raise CommandError(_("--since must not be after --until."))
        output = options["output"]
        if output:
            try:
                stream = open(output, "w", encoding="utf-8")  # noqa: SIM115 (closed below)
            except OSError as error:
                raise CommandError(_("Cannot write %(file)s: %(error)s") % {"file": output, "error": error})
        else:
            stream = self.stdout
        try:
            report = wordpress_export(stream=stream, since=since, until=until, base_url=options["base_url"])
        finally:
            if output:
                stream.close()
        # The summary goes to stderr when the export itself is on the standard output.
        summary = self.stdout if output else self.stderr
        if options["verbosity"]:
            write_table(summary, (_("kind"), _("exported")), sorted(report.counts.items()))
