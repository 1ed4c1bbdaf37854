"""Imports from blog platforms other than WordPress: Movable Type / TypePad, Blogger,
Dotclear and, as a last resort, any RSS or Atom feed.

One module per format reads its export into plain ``Post`` and ``Comment``
objects; ``service`` imports them with the WordPress import's rules and
bookkeeping (``wordpress.models.ImportedItem``); ``command`` is what the
management commands share.
"""
