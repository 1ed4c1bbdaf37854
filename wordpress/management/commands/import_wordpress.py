"""Import a WordPress export (WXR file) into the blog.

Authors, categories (with their hierarchy), tags, posts, static pages, comments
(threaded, with their moderation state) and, given a copy of
``wp-content/uploads``, images. Running it again with the same file updates what
it imported the first time instead of duplicating it.

The summary counts what was created, updated and skipped (and why), every
conversion made so that nothing is lost (embedded players and plugin shortcodes
turned into links, ``<!--more-->`` teasers into excerpts, second categories into
keywords…), the shortcodes left as text, and lists item by item what an editor
should check (galleries whose images were missing, empty bodies, comments on
static pages).
"""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from accounts import audit
from blog.management.reporting import ProgressBar, write_table
from wordpress.importer import KINDS, wordpress_import
from wordpress.reader import WXRError


class Command(BaseCommand):
    help = _(
        "Import a WordPress export file (WXR): authors, categories, tags, posts, pages, comments "
        "and, with --media-dir, images. Importing the same file again updates instead of duplicating."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", help=gettext_lazy("The WordPress export file (Tools → Export in WordPress).")
        )
        parser.add_argument(
            "--media-dir",
            help=gettext_lazy(
                "A copy of the WordPress wp-content/uploads folder; images are imported from it."
            ),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=gettext_lazy("Show what would be imported without changing anything."),
        )
        parser.add_argument(
            "--source",
            help=gettext_lazy(
                "A name for the exporting site, used to recognise what an earlier import of the same "
                "site created (default: the blog's address given in the file)."
            ),
        )
        parser.add_argument(
            "--timezone",
            help=gettext_lazy(
                "Time zone of the WordPress blog, for dates the export gives in local time only "
                "(default: the site's TIME_ZONE)."
            ),
        )

    def handle(self, *args, **options):
        time_zone = None
        if options["timezone"]:
            try:
                time_zone = ZoneInfo(options["timezone"])
            except (ZoneInfoNotFoundError, ValueError):
                raise CommandError(_("Unknown time zone: %s") % options["timezone"])
        verbosity = options["verbosity"]
        try:
            with audit.import_recorded(
                command="import_wordpress", file=options["file"], dry_run=options["dry_run"]
            ) as outcome:
                report = outcome.report = wordpress_import(
                    path=options["file"],
                    media_dir=options["media_dir"],
                    dry_run=options["dry_run"],
                    time_zone=time_zone,
                    source=options["source"] or "",
                    progress=ProgressBar(self.stdout, verbosity=verbosity, label=_("Importing")),
                )
        except WXRError as error:
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
        self._write_counts(_("Converted so that nothing is lost:"), report.converted)
        self._write_counts(
            _("Shortcodes left as text (not understood here):"),
            {f"[{name}]": count for name, count in report.shortcodes.items()},
        )
        if report.warnings:
            self.stdout.write(self.style.WARNING(_("To check:")))
            for warning in report.warnings:
                self.stdout.write(f"  {warning}")
        if report.dry_run:
            self.stdout.write(self.style.WARNING(_("Dry run: nothing was written.")))
        else:
            self.stdout.write(self.style.SUCCESS(_("Import finished (source: %s).") % report.source))

    def _write_counts(self, title, counts):
        if not counts:
            return
        self.stdout.write(title)
        for label, count in sorted(counts.items(), key=lambda pair: (-pair[1], str(pair[0]))):
            self.stdout.write(f"  {label}: {count}")
