"""A paginator whose COUNT(*) is done once per generation of the content."""

from django.core.paginator import Paginator
from django.utils.functional import SimpleLazyObject, cached_property

from . import cache


class PageIds(list):
    """The ids of a page's articles, in order; ``{% article_summaries %}`` shows them."""


class Deferred(SimpleLazyObject):
    """A list of ``model`` objects (or of their ids), built by ``build()`` when used.

    ListView asks for the model before using the list: that is answered unbuilt.
    """

    def __init__(self, build, *, model):
        super().__init__(build)
        self.__dict__["model"] = model


class DeferredQuerySet(Deferred):
    """A list's queryset, built by ``build()`` only when it is used.

    Building a filtered queryset costs more than reading a page's ids and the
    list's count from the cache: a page of a list whose ids and count are
    cached never builds it.
    """

    # What the paginator asks before using the list: answered unbuilt.
    ordered = True


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
        if self.count_key is None or not self.cache_ids:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count

        # Read only if the page shows them: a page whose markup is cached does not.
        def read():
            return PageIds(
                cache.cached_fragment(
                    "page-ids",
                    # A tuple: this process's copy is handed out as it is, never unpickled.
                    lambda: tuple(self.object_list[bottom:top].values_list("pk", flat=True)),
                    vary=(repr(self.count_key), number),
                )
            )

        return self._get_page(Deferred(read, model=self.object_list.model), number, self)

    @cached_property
    def count(self):
        if self.count_key is None:
            return super().count
        return cache.cached_fragment(
            "count",
            lambda: Paginator.count.real_func(self),
            vary=(repr(self.count_key),),
        )
