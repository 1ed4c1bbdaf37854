"""The benchmark's helpers: installed only with BENCH_MODE (and by the test settings), never otherwise.

bench/run.py is the benchmark itself, a script run from the command line, not part of the app.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenchConfig(AppConfig):
    name = "bench"
    verbose_name = _("Benchmark")
