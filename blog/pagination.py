"""A paginator whose COUNT(*) is done once per generation of the content."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

from . import cache


class PageIds(list):
    """The ids of a page's articles, in order; ``{% article_summaries %}`` shows them."""


class CachedCountPaginator(Paginator):
    """Counts the list once per generation of the content, then reads the count from the cache.

    ``count_key`` names the list (the route, its arguments and query string);
    without one the paginator counts every time, like Django's. With
    ``cache_ids`` too, each page's ``object_list`` is the ``PageIds`` of its
    articles, also read once per generation: a page of the list then runs no
    query at all while the content does not change.
    """

    def __init__(self, *args, count_key=None, cache_ids=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_key = count_key
        self.cache_ids = cache_ids

    def page(self, number):
        page = super().page(number)
        if self.cache_ids and self.count_key is not None:
            articles = page.object_list
            page.object_list = PageIds(
                cache.cached_fragment(
                    "page-ids",
                    lambda: list(articles.values_list("pk", flat=True)),
                    vary=(repr(self.count_key), page.number),
                )
            )
        return page

    @cached_property
    def count(self):
        if self.count_key is None:
            return super().count
        return cache.cached_fragment(
            "count",
            lambda: Paginator.count.real_func(self),
            vary=(repr(self.count_key),),
        )
