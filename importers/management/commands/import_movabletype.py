"""Import a Movable Type or TypePad export (the plain-text "AUTHOR: / TITLE: / -----" format).

Entries with their categories, tags, excerpts and comments (trackbacks are
counted and skipped). Importing the same file again updates what the first
import created.
"""

from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import audit
from importers.command import ImportCommand
from importers.movabletype import MovableTypeReader


class Command(ImportCommand):
    help = _(
        "Import a Movable Type or TypePad export file: entries, categories, tags and comments. "
        "Importing the same file again updates instead of duplicating."
    )
    file_help = gettext_lazy("The export file (Movable Type: Tools → Export; TypePad: Import/Export).")

    def handle(self, *args, **options):
        # The audit trail counts the articles before and after.
        with audit.import_recorded(
            command="import_movabletype", file=options["file"], dry_run=options["dry_run"]
        ):
            super().handle(*args, **options)

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--timezone",
            help=gettext_lazy("Time zone of the exported blog's dates (default: the site's TIME_ZONE)."),
        )

    def reader(self, path, options):
        time_zone = None
        if options["timezone"]:
            try:
                time_zone = ZoneInfo(options["timezone"])
            except (ZoneInfoNotFoundError, ValueError):
                raise CommandError(_("Unknown time zone: %s") % options["timezone"])
        # The format names no blog: the file's name stands for it unless --source is given.
        return MovableTypeReader(path, time_zone=time_zone, source_hint=Path(path).stem)
