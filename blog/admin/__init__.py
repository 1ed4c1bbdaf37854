"""The blog's back office: one module per kind of content (articles are in ``editorial``)."""

from . import authors, pages, taxonomy  # noqa: F401  (they register their admins)
