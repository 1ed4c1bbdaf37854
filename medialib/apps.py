from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MedialibConfig(AppConfig):
    name = "medialib"
    verbose_name = _("Media library")

    def ready(self):
        from . import receivers  # noqa: F401  (connects the receivers)
