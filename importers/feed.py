"""A reader for any RSS (0.9x, 1.0, 2.0) or Atom feed, saved as a local file.

The last resort when a blog's own export is lost: an archived copy of its
feed gives the posts it listed (often only the latest ones, sometimes only
their summaries). Posts only: a feed carries no drafts and no comments. The
first category of each entry becomes the article's, the others keywords.

The file is first read with defusedxml (well-formed, no entity declarations,
no external references: no "billion laughs"), then given to feedparser as an
open file, so nothing is ever downloaded. feedparser reads it whole: a feed
is small.
"""

import hashlib
from datetime import UTC, datetime

import feedparser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from blog.models import Article

from .service import ImportFormatError, Post, Reader, source_key, split_url
from .xmlstream import children, split_tag

FEED_ROOTS = {"rss", "feed", "RDF"}


class FeedReader(Reader):
    platform = "feed"
    created_note = gettext_lazy("Imported from a feed")
    updated_note = gettext_lazy("Updated from a feed")

    def __init__(self, path):
        self.path = path
        self.site = ""
        self.parsed = None

    def _check_root(self, root):
        local = split_tag(root.tag)[1]
        if local not in FEED_ROOTS:
            raise ImportFormatError(
                _("The file is not an RSS or Atom feed: its root element is <%s>.") % local
            )

    def scan(self):
        for _element in children(self.path, check_root=self._check_root):
            pass
        try:
            with open(self.path, "rb") as stream:
                parsed = feedparser.parse(stream, resolve_relative_uris=True, sanitize_html=True)
        except OSError as error:
            raise ImportFormatError(_("Cannot read the file: %s") % error) from error
        if parsed.bozo and not isinstance(parsed.bozo_exception, feedparser.CharacterEncodingOverride):
            raise ImportFormatError(_("The feed cannot be read: %s") % parsed.bozo_exception)
        if not parsed.version:
            raise ImportFormatError(_("The file is not an RSS or Atom feed that feedparser recognises."))
        self.parsed = parsed
        feed = parsed.feed
        link = feed.get("link", "")
        self.site = source_key(link) if split_url(link).netloc else (feed.get("title", "") or "")[:150]
        return len(parsed.entries)

    def posts(self):
        for entry in self.parsed.entries:
            yield self._post(entry)

    @staticmethod
    def _post(entry):
        contents = entry.get("content") or []
        summary = entry.get("summary", "")
        body = contents[0].get("value", "") if contents else summary
        parsed_date = entry.get("published_parsed") or entry.get("updated_parsed")
        date = datetime(*parsed_date[:6], tzinfo=UTC) if parsed_date else None
        link = entry.get("link", "")
        identity = entry.get("id") or link
        if not identity:
            identity = hashlib.sha1(f"{entry.get('title', '')}\n{date}".encode()).hexdigest()
        return Post(
            key=f"entry:{hashlib.sha1(identity.encode()).hexdigest()}"
            if len(identity) > 180
            else f"entry:{identity}",
            title=entry.get("title", ""),
            body=body,
            excerpt=summary if contents and summary != body else "",
            date=date,
            status=Article.Status.PUBLISHED,
            author=entry.get("author", ""),
            link=link,
            categories=[
                (tag.get("term") or tag.get("label") or "").strip() for tag in entry.get("tags") or []
            ],
        )
