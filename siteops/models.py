from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodicRun(models.Model):
    """One period's run of a periodic job (settings.PERIODIC_TASKS), enqueued once.

    The unique (name, due_at) row is written in the same transaction as the
    task it enqueues: several workers, on several machines, may look for due
    jobs at the same moment; one of them writes the row, the others find it.
    """

    name = models.CharField(_("job"), max_length=100)
    due_at = models.DateTimeField(_("due at"))
    enqueued_at = models.DateTimeField(_("enqueued at"), auto_now_add=True)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)

    class Meta:
        ordering = ["-due_at", "name"]
        verbose_name = _("periodic job run")
        verbose_name_plural = _("periodic job runs")
        constraints = [models.UniqueConstraint(fields=["name", "due_at"], name="periodic_run_once")]

    def __str__(self):
        return f"{self.name} @ {self.due_at:%Y-%m-%d %H:%M}"
