"""Run the background worker: e-mails, newsletters and the periodic jobs.

It is django-tasks-db's ``db_worker`` with the scheduler of periodic jobs
(siteops.scheduler) beside it, in one process. Run as many as needed, on as
many machines as share the database: each task runs once, each period's job is
enqueued once. ``--no-scheduler`` leaves the periodic jobs to other workers
(or to cron, with the matching management commands).
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from siteops.scheduler import Scheduler, periodic_jobs


class Command(BaseCommand):
    help = _("Run the background worker (tasks of the database queue) and the periodic jobs' scheduler.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-scheduler",
            action="store_true",
            help=gettext_lazy("Run tasks only; do not enqueue periodic jobs."),
        )
        parser.add_argument(
            "--batch",
            action="store_true",
            help=gettext_lazy("Run every task due now, then exit (no scheduler)."),
        )
        parser.add_argument(
            "--max-tasks", type=int, default=None, help=gettext_lazy("Exit after running this many tasks.")
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help=gettext_lazy("Seconds between looks at an empty queue."),
        )

    def handle(self, *args, **options):
        if not options["no_scheduler"] and not options["batch"]:
            periodic_jobs()  # a wrong PERIODIC_TASKS stops here, before any work
            Scheduler().start()
        call_command(
            "db_worker",
            batch=options["batch"],
            interval=options["interval"],
            max_tasks=options["max_tasks"],
            reload=False,
            startup_delay=not options["batch"],
            verbosity=options["verbosity"],
            stdout=self.stdout,
            stderr=self.stderr,
        )
