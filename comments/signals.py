"""Sent after commit whenever what readers see of a discussion may have changed.

Receivers get ``article_ids`` (a set of Article primary keys): a page cache,
a search index or a static export can refresh just those articles. Moderation
changes states with ``QuerySet.update()``, which sends no ``post_save``: listen
here rather than to the model's signals.
"""

from django.dispatch import Signal

discussion_changed = Signal()
