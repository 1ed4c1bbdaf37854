"""The editorial back office: one module per kind of content."""

from . import authors, media, pages, taxonomy  # noqa: F401  (they register their admins)
from .articles import ArticleAdmin, can_publish

__all__ = ["ArticleAdmin", "can_publish"]
