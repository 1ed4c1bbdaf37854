"""The benchmark's reference: the cheapest page Django can serve through the same stack.

Mounted only when BENCH_MODE is on (config/urls.py). Its throughput is what a
page's throughput is compared with, so that results compare across machines.
"""

from django.http import HttpResponse

FILLER = b"<p>" + b"x" * 1000 + b"</p>\n"


def reference(request, size):
    """A page of exactly ``size`` bytes, built without a query or a template."""
    size = min(size, 5_000_000)
    body = (FILLER * (size // len(FILLER) + 1))[:size]
    return HttpResponse(body, content_type="text/html; charset=utf-8")
