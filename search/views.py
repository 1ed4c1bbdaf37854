import functools

from django.views.generic import ListView

from blog.views import PublishedArticleMixin

from . import selectors
from .forms import SearchForm


class SearchView(PublishedArticleMixin, ListView):
    """Results for the words in ``q``, best first, with an extract around the words found.

    Whatever is typed, the page answers 200: an empty, unsearchable or too long
    query gets a message instead of results, and a page number out of range
    shows the last page.
    """

    template_name = "search/results.html"

    def get(self, request, *args, **kwargs):
        self.form = SearchForm(request.GET)
        self.query = self.form.cleaned_data["q"] if self.form.is_valid() else ""
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.search_articles(self.query, super().get_queryset())

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            form=self.form,
            query=self.query,
            searchable=bool(selectors.query_terms(self.query)),
            **kwargs,
        )
        # Called by the template only if the results' cached markup is missing.
        context["results"] = functools.cache(lambda: self.results(self.summaries(self.shown_ids)))
        return context

    def results(self, articles):
        """Each article of the page with its extract around the words found."""
        articles = list(articles)
        extracts = selectors.snippets([article.pk for article in articles], self.query) if articles else {}
        return [(article, extracts.get(article.pk)) for article in articles]
