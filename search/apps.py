from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class SearchConfig(AppConfig):
    name = "search"
    # A context of its own: the bare "Search" is the button's verb, « Rechercher ».
    verbose_name = pgettext_lazy("app name", "Search")

    def ready(self):
        # The receivers that keep the search index up to date.
        from . import signals  # noqa: F401
