"""``manage.py seed_demo``: fill an empty site with a French demo blog.

A new user sees a real-looking blog straight away: authors, a category tree,
keywords, about thirty articles spread over the last months (with a draft, an
article submitted for review and one scheduled for later) and the "about" and
"legal notice" pages. ``make run`` calls it with ``--if-empty`` so it never
touches a site that already has articles.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from blog.management.reporting import label_count
from blog.models import Article
from demo.articles import demo_create, demo_remove
from demo.discussions import create_demo_discussions

KINDS = ["authors", "categories", "tags", "articles", "pages", "comments"]


class Command(BaseCommand):
    help = _(
        "Create demo content (authors, categories, keywords, articles, pages) for a French blog on "
        "digital and social media. Running it again adds only what is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--clear",
            action="store_true",
            help=gettext_lazy("Remove the demo content instead, keeping anything other content still uses."),
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help=gettext_lazy("Do nothing if the site already has at least one article."),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=gettext_lazy("Show what would be done, then roll everything back."),
        )

    def handle(self, *args, clear, if_empty, dry_run, verbosity, **options):
        self.verbosity = verbosity
        if clear and if_empty:
            raise CommandError(_("--clear and --if-empty cannot be used together."))
        if if_empty and Article.objects.exists():
            self.say(_("The site already has articles: no demo content added."))
            return

        with transaction.atomic():
            if clear:
                self.clear()
            else:
                self.seed()
            if dry_run:
                transaction.set_rollback(True)
        if dry_run:
            self.say(self.style.WARNING(_("Dry run: nothing was saved.")))

    def seed(self):
        result = demo_create(report=self.report_item)
        comments = create_demo_discussions(articles=result.public_articles)
        if comments:
            result.created["comments"] = comments
        self.summarise(result)

    def summarise(self, result):
        if not result.created:
            self.say(_("Nothing to add: the demo content is already there."))
            return
        created = ", ".join(label_count(self.kind_label(kind), result.created[kind]) for kind in KINDS)
        self.say(self.style.SUCCESS(_("Demo content created (%(created)s).") % {"created": created}))
        existing = sum(result.existing.values())
        if existing:
            message = ngettext(
                "%(count)d item was already there and was left unchanged.",
                "%(count)d items were already there and were left unchanged.",
                existing,
            )
            self.say(message % {"count": existing})

    def clear(self):
        removed = demo_remove()
        summary = ", ".join(label_count(self.kind_label(kind), removed[kind]) for kind in KINDS)
        self.say(self.style.SUCCESS(_("Demo content removed (%(removed)s).") % {"removed": summary}))

    def report_item(self, kind, label, created):
        if self.verbosity >= 2:
            mark = "+" if created else "="
            item = _("%(kind)s: %(name)s") % {"kind": self.kind_label(kind), "name": label}
            self.stdout.write(f"  {mark} {item}")

    def say(self, message):
        if self.verbosity >= 1:
            self.stdout.write(message)

    @staticmethod
    def kind_label(kind):
        return {
            "authors": _("authors"),
            "categories": _("categories"),
            "tags": _("keywords"),
            "articles": _("articles"),
            "pages": _("pages"),
            "comments": _("comments"),
        }[kind]
