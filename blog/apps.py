from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = _("Blog")

    def ready(self):
        from django.contrib.flatpages.models import FlatPage

        from medialib.usage import register_text_field

        from . import signals  # noqa: F401  (connects the receivers)
        from .models import Article

        # Their texts show library images: the media library counts these uses.
        register_text_field(Article, "body")
        register_text_field(FlatPage, "content")
