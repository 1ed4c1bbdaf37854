"""A paginator whose COUNT(*) is done once per generation of the content."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

from . import cache


class CachedCountPaginator(Paginator):
    """Counts the list once per generation of the content, then reads the count from the cache.

    ``count_key`` names the list (the route, its arguments and query string);
    without one the paginator counts every time, like Django's.
    """

    def __init__(self, *args, count_key=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_key = count_key

    @cached_property
    def count(self):
        if self.count_key is None:
            return super().count
        return cache.cached_fragment(
            "count",
            lambda: Paginator.count.real_func(self),
            vary=(repr(self.count_key),),
        )
