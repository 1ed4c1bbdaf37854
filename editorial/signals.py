"""What the newsroom's services announce, for the apps that keep records of it (the audit trail)."""

from django.dispatch import Signal

# Sent once an older version's content is back in its article (sender: ArticleRevision),
# with ``revision`` (the version restored), ``article`` and ``user`` (or None).
article_revision_restored = Signal()
