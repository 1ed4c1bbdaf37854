"""Import a Dotclear 2 flat export ("///DOTCLEAR|…", from Import/Export → Export a blog).

Posts and their category, tags and comments. Importing the same file again
updates what the first import created.
"""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import audit
from importers.command import ImportCommand
from importers.dotclear import DotclearReader
from importers.service import split_url


class Command(ImportCommand):
    help = _(
        "Import a Dotclear flat export file: posts, categories, tags and comments. "
        "Importing the same file again updates instead of duplicating."
    )
    file_help = gettext_lazy("The Dotclear export file (Import/Export → Export a blog).")

    def handle(self, *args, **options):
        # The audit trail counts the articles before and after.
        with audit.import_recorded(
            command="import_dotclear", file=options["file"], dry_run=options["dry_run"]
        ):
            super().handle(*args, **options)

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--blog-url",
            help=gettext_lazy(
                "The old blog's address, e.g. http://monblog.fr/index.php/ (single-blog exports do not "
                "give it): it names the blog and its posts' old addresses are redirected."
            ),
        )

    def reader(self, path, options):
        blog_url = (options["blog_url"] or "").strip()
        if blog_url and split_url(blog_url).scheme not in ("http", "https"):
            raise CommandError(_("--blog-url must be an http:// or https:// address."))
        return DotclearReader(path, blog_url=blog_url)
