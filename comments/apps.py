from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = _("Comment moderation")

    def ready(self):
        from blog.models import register_listing_annotation

        from . import checks, selectors, signals  # noqa: F401  (registers the system checks)

        signals.connect()
        register_listing_annotation("comment_count", selectors.public_count_subquery)
