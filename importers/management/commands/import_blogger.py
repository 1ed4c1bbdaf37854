"""Import a Blogger export (the Atom file of Blogger's "Back up content" or Google Takeout).

Posts and drafts, their labels (the first becomes the article's category, the
others keywords) and their comments, threaded. Importing the same file again
updates what the first import created.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import audit
from importers.blogger import BloggerReader
from importers.command import ImportCommand


class Command(ImportCommand):
    help = _(
        "Import a Blogger export file (Atom): posts, drafts, labels and comments. "
        "Importing the same file again updates instead of duplicating."
    )
    file_help = gettext_lazy("The Blogger export file (Settings → Back up content, or Google Takeout).")

    def handle(self, *args, **options):
        # The audit trail counts the articles before and after.
        with audit.import_recorded(
            command="import_blogger", file=options["file"], dry_run=options["dry_run"]
        ):
            super().handle(*args, **options)

    def reader(self, path, options):
        return BloggerReader(path)
