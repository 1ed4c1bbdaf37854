"""Third-party apps under the names editors read in the admin (Django's documented way:
a subclass of the app's configuration, named in ``INSTALLED_APPS``)."""

from axes.apps import AppConfig as AxesConfig
from django.utils.translation import gettext_lazy as _
from django_comments.apps import DjangoCommentsAdminConfig
from django_comments_xtd.apps import CommentsXtdConfig
from taggit.apps import TaggitAppConfig


class KeywordsConfig(TaggitAppConfig):
    verbose_name = _("Keywords")


class ReaderCommentsConfig(CommentsXtdConfig):
    verbose_name = _("Reader comments")


class CommentFlagsConfig(DjangoCommentsAdminConfig):
    verbose_name = _("Comment flags")


class LoginAttemptsConfig(AxesConfig):
    verbose_name = _("Login attempts")
