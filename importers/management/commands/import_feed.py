"""Import the posts of an RSS or Atom feed saved as a local file (an archived copy, say).

The last resort when no export of the blog is left. Nothing is downloaded:
give the path of a file. Importing the same file again updates what the
first import created.
"""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import audit
from importers.command import ImportCommand
from importers.feed import FeedReader
from importers.service import split_url


class Command(ImportCommand):
    help = _(
        "Import the posts of an RSS or Atom feed saved as a file, when no export of the blog is left. "
        "Importing the same file again updates instead of duplicating."
    )
    file_help = gettext_lazy("The feed, saved as a local file (nothing is downloaded).")

    def handle(self, *args, **options):
        # The audit trail counts the articles before and after.
        with audit.import_recorded(command="import_feed", file=options["file"], dry_run=options["dry_run"]):
            super().handle(*args, **options)

    def reader(self, path, options):
        if split_url(path).scheme.lower() in ("http", "https", "ftp", "feed", "file"):
            raise CommandError(
                _("%s is an address: nothing is downloaded here. Save the feed to a file and give its path.")
                % path
            )
        return FeedReader(path)
