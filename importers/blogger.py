"""A reader for Blogger's Atom export (Blogger's Settings → Back up content, or Google Takeout).

Every item is an ``<entry>`` whose kind is given by a category of the scheme
``http://schemas.google.com/g/2005#kind``: posts, comments, pages, settings
and the template. Posts carry their labels as categories of the scheme
``http://www.blogger.com/atom/ns#`` and, when they are drafts,
``<app:control><app:draft>yes</app:draft></app:control>``. A comment names
its post with ``<thr:in-reply-to ref="…">``, and the comment it answers (in
threaded blogs) with a ``<link rel="related">`` to that comment.

The file is read twice as a stream: the first pass checks it and keeps the
comments (small), the second yields the posts with them. Pages, settings and
the template are not imported.
"""

import re
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from blog.models import Article

from .service import Comment, ImportFormatError, Post, Reader, source_key, split_url
from .xmlstream import children, split_tag, text_of

ATOM = "http://www.w3.org/2005/Atom"
THREAD = "http://purl.org/syndication/thread/1.0"
KIND_SCHEME = "http://schemas.google.com/g/2005#kind"
LABEL_SCHEME = "http://www.blogger.com/atom/ns#"
KIND = re.compile(r"^http://schemas\.google\.com/blogger/2008/kind#(\w+)$")
POST_ID = re.compile(r"\.post-(\d+)$")
# Blogger writes this address for every author who hides theirs.
PLACEHOLDER_EMAILS = {"noreply@blogger.com"}


def _atom(name):
    return f"{{{ATOM}}}{name}"


def _entry_id(value):
    """``tag:blogger.com,1999:blog-1.post-42`` → ``42`` (the text itself if it has another form)."""
    match = POST_ID.search(value or "")
    return match.group(1) if match else (value or "").strip()


class BloggerReader(Reader):
    platform = "blogger"
    created_note = gettext_lazy("Imported from Blogger")
    updated_note = gettext_lazy("Updated from a Blogger export")

    def __init__(self, path):
        self.path = path
        self.site = ""
        self.comments = {}

    def _check_root(self, root):
        if root.tag != _atom("feed"):
            raise ImportFormatError(
                _("The file is not a Blogger export: its root element is <%s>, not an Atom <feed>.")
                % split_tag(root.tag)[1]
            )

    def _entries(self):
        """(kind, entry element) for each entry; the blog's identity is read on the way."""
        for element in children(self.path, check_root=self._check_root):
            if element.tag == _atom("entry"):
                yield self._kind(element), element
            elif element.tag == _atom("link") and element.get("rel") == "alternate" and not self.site:
                self.site = source_key(element.get("href") or "")
            elif element.tag == _atom("id") and not self.site:
                # Replaced by the blog's address if one follows.
                self.feed_id = text_of(element)

    @staticmethod
    def _kind(entry):
        for category in entry.findall(_atom("category")):
            if category.get("scheme") == KIND_SCHEME:
                match = KIND.match(category.get("term") or "")
                if match:
                    return match.group(1)
        return ""

    def scan(self):
        self.feed_id = ""
        total = kinds = 0
        found = []
        for kind, entry in self._entries():
            kinds += bool(kind)
            if kind == "post":
                total += 1
            elif kind == "comment":
                found.append(self._comment(entry))
        # Some exports make a reply's in-reply-to name the comment it answers, not the post.
        posts_of = {comment.key: post_id for post_id, comment in found}
        for post_id, comment in found:
            seen = {comment.key}
            while post_id in posts_of and post_id not in seen:
                seen.add(post_id)
                comment.parent = comment.parent or post_id
                post_id = posts_of[post_id]
            if post_id:
                self.comments.setdefault(post_id, []).append(comment)
        if not kinds:
            raise ImportFormatError(
                _("The file is an Atom feed but not a Blogger export (no entry says whether it is a post).")
            )
        if not self.site:
            self.site = self.feed_id.removeprefix("tag:blogger.com,1999:")[:200]
        return total

    def posts(self):
        for kind, entry in self._entries():
            if kind == "post":
                yield self._post(entry)
            elif kind == "page":
                yield Post(
                    key=f"page:{_entry_id(text_of(entry.find(_atom('id'))))}",
                    status="",
                    skip_reason=_("Blogger pages (not imported)"),
                    kind="pages",
                )

    def _date(self, entry, what):
        value = text_of(entry.find(_atom("published"))) or text_of(entry.find(_atom("updated")))
        if not value:
            return None
        try:
            date = datetime.fromisoformat(value)
        except ValueError:
            raise ImportFormatError(
                _("%(what)s has an invalid date: “%(value)s”.") % {"what": what, "value": value}
            )
        return date if timezone.is_aware(date) else timezone.make_aware(date, timezone.get_current_timezone())

    @staticmethod
    def _link(entry, rel):
        for link in entry.findall(_atom("link")):
            if link.get("rel") == rel:
                return (link.get("href") or "").strip()
        return ""

    @staticmethod
    def _author(entry):
        author = entry.find(_atom("author"))
        if author is None:
            return "", "", ""
        email = text_of(author.find(_atom("email")))
        return (
            text_of(author.find(_atom("name"))),
            "" if email.lower() in PLACEHOLDER_EMAILS else email,
            text_of(author.find(_atom("uri"))),
        )

    def _post(self, entry):
        wp_id = _entry_id(text_of(entry.find(_atom("id"))))
        what = _("Post %s") % wp_id
        draft = any(
            split_tag(element.tag)[1] == "draft" and text_of(element).lower() == "yes"
            for control in entry
            if split_tag(control.tag)[1] == "control"
            for element in control
        )
        author, email, _uri = self._author(entry)
        content = entry.find(_atom("content"))
        return Post(
            key=f"post:{wp_id}",
            title=text_of(entry.find(_atom("title"))),
            body=content.text or "" if content is not None else "",
            date=self._date(entry, what),
            status=Article.Status.DRAFT if draft else Article.Status.PUBLISHED,
            author=author,
            author_email=email,
            link="" if draft else self._link(entry, "alternate"),
            categories=[
                (category.get("term") or "").strip()
                for category in entry.findall(_atom("category"))
                if category.get("scheme") == LABEL_SCHEME
            ],
            comments=self.comments.get(wp_id, []),
        )

    def _comment(self, entry):
        """(the id of the post it belongs to, the comment)."""
        comment_id = _entry_id(text_of(entry.find(_atom("id"))))
        reply = entry.find(f"{{{THREAD}}}in-reply-to")
        post_id = _entry_id(reply.get("ref") or "") if reply is not None else ""
        parent = ""
        related = self._link(entry, "related")
        if related:
            parent = split_url(related).path.rstrip("/").rpartition("/")[2]
        author, email, uri = self._author(entry)
        content = entry.find(_atom("content"))
        return post_id, Comment(
            key=comment_id,
            text=content.text or "" if content is not None else "",
            author=author,
            email=email,
            url=uri,
            date=self._date(entry, _("Comment %s") % comment_id),
            parent=parent,
        )
