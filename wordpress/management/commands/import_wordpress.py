"""Import a WordPress export (WXR file) into the blog.

Authors, categories (with their hierarchy), tags, posts, static pages, comments
(threaded, with their moderation state) and, given a copy of
``wp-content/uploads``, images. Running it again with the same file updates what
it imported the first time instead of duplicating it.
"""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

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
            report = wordpress_import(
                path=options["file"],
                media_dir=options["media_dir"],
                dry_run=options["dry_run"],
                time_zone=time_zone,
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
        if report.dry_run:
            self.stdout.write(self.style.WARNING(_("Dry run: nothing was written.")))
        else:
            self.stdout.write(self.style.SUCCESS(_("Import finished (source: %s).") % report.source))
