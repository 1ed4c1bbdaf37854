"""Output helpers shared by the operator's commands: a progress bar and summary tables."""

from django.utils.translation import gettext as _


class ProgressBar:
    """A one-line progress bar on an interactive terminal; milestones (every 10 %)
    as plain lines at verbosity 2 or more otherwise; silent at verbosity 0."""

    width = 30

    def __init__(self, stdout, *, verbosity=1, label=""):
        self.stdout = stdout
        self.verbosity = verbosity
        self.label = label or _("Progress")
        self.interactive = verbosity >= 1 and stdout.isatty()
        self.last_step = -1
        self.last_percent = -1

    def __call__(self, done, total):
        if not total or self.verbosity == 0:
            return
        percent = min(100, done * 100 // total)
        if self.interactive and (percent != self.last_percent or done >= total):
            self.last_percent = percent
            filled = self.width * percent // 100
            bar = "#" * filled + "-" * (self.width - filled)
            self.stdout.write(f"\r{self.label} [{bar}] {done}/{total}", ending="")
            if done >= total:
                self.stdout.write("")
            self.stdout.flush()
        elif self.verbosity >= 2 and percent // 10 > self.last_step:
            self.last_step = percent // 10
            milestone = _("%(label)s: %(done)d/%(total)d (%(percent)d %%)")
            self.stdout.write(
                milestone % {"label": self.label, "done": done, "total": total, "percent": percent}
            )


def label_count(label, count):
    """``label: count``, punctuated as the active language wants (French: a space before the colon)."""
    return _("%(label)s: %(count)s") % {"label": label, "count": count}


def write_table(stdout, header, rows):
    """Columns aligned: the first left, the others (numbers) right."""
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        cells = [str(row[0]).ljust(widths[0])]
        cells += [str(cell).rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        stdout.write("  ".join(cells).rstrip())
