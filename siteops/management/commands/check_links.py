"""Report broken links in the published articles.

Each address is requested once (HEAD, then GET if the server refuses HEAD),
a few at a time, each with a time limit. Only absolute http(s) addresses are
checked. Nothing is changed.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from blog.management.reporting import ProgressBar
from siteops.maintenance import links_check


class Command(BaseCommand):
    help = _("Check the links in published articles and report the broken ones.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--workers", type=int, default=8, help=_("How many addresses to check at once (default: 8).")
        )
        parser.add_argument(
            "--timeout",
            type=float,
            default=10,
            help=_("Seconds to wait for each address before calling it broken (default: 10)."),
        )

    def handle(self, *args, **options):
        if not 1 <= options["workers"] <= 64:
            raise CommandError(_("--workers must be between 1 and 64."))
        if options["timeout"] <= 0:
            raise CommandError(_("--timeout must be more than zero."))
        verbosity = options["verbosity"]
        report = links_check(
            workers=options["workers"],
            timeout=options["timeout"],
            progress=ProgressBar(self.stdout, verbosity=verbosity, label=_("Checking links")),
        )
        if not verbosity:
            return
        for line in report.lines():
            self.stdout.write(line)
        style = self.style.WARNING if report.broken else self.style.SUCCESS
        self.stdout.write(style(report.summary()))
