"""A streaming reader for WordPress exports (WXR 1.0 to 1.2).

The file is parsed with defusedxml, which refuses entity declarations and
external references (no "billion laughs", no file disclosure), and read as a
stream: each ``<item>`` is turned into a small object and its element freed,
so a 200 MB export is read in constant memory.
"""

import re
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.utils.translation import gettext as _

WP_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/(\d+\.\d+)/$")
CONTENT_NAMESPACE = "http://purl.org/rss/1.0/modules/content/"
DC_NAMESPACE = "http://purl.org/dc/elements/1.1/"
SUPPORTED_VERSIONS = {"1.0", "1.1", "1.2"}


class WXRError(Exception):
    """The file cannot be read as a WordPress export; the message says why."""


@dataclass
class Site:
    title: str = ""
    link: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    language: str = ""
    generator: str = ""
    wxr_version: str = ""


@dataclass
class Author:
    wp_id: str
    login: str
    email: str = ""
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""


@dataclass
class Term:
    """A category (``taxonomy == "category"``) or a tag (``"post_tag"``)."""

    taxonomy: str
    term_id: str
    slug: str
    name: str
    parent_slug: str = ""
    description: str = ""


@dataclass
class Comment:
    wp_id: str
    author: str = ""
    author_email: str = ""
    author_url: str = ""
    author_ip: str = ""
    date: str = ""
    date_gmt: str = ""
    content: str = ""
    approved: str = "1"
    type: str = ""
    parent: str = "0"
    user_id: str = "0"


@dataclass
class Item:
    wp_id: str
    post_type: str = "post"
    title: str = ""
    link: str = ""
    guid: str = ""
    creator: str = ""
    content: str = ""
    excerpt: str = ""
    date: str = ""
    date_gmt: str = ""
    status: str = ""
    slug: str = ""
    parent: str = "0"
    menu_order: str = "0"
    password: str = ""
    sticky: bool = False
    comment_status: str = "open"
    attachment_url: str = ""
    # (taxonomy, slug, name) in document order; the slug may be empty (WXR 1.0).
    terms: list = field(default_factory=list)
    postmeta: dict = field(default_factory=dict)
    comments: list = field(default_factory=list)


def _split(tag):
    """``{namespace}local`` → (namespace, local)."""
    if tag.startswith("{"):
        namespace, _sep, local = tag[1:].partition("}")
        return namespace, local
    return "", tag


def _text(element):
    return (element.text or "").strip() if element is not None else ""


class WXRReader:
    """Iterate over an export's authors, terms and items, in document order.

    ``site`` is filled in as the channel's header is read. Problems with the
    file itself (not XML, not a WordPress export, forbidden entities) raise
    ``WXRError`` with a message meant for the operator.
    """

    def __init__(self, path):
        self.path = path
        self.site = Site()
        self.wp_namespace = None

    def __iter__(self):
        try:
            yield from self._read()
        except DefusedXmlException as error:
            raise WXRError(
                _("The file declares XML entities or external references, which are refused for safety (%s).")
                % type(error).__name__
            ) from error
        except ParseError as error:
            line, column = getattr(error, "position", (0, 0))
            raise WXRError(
                _("The file is not well-formed XML (line %(line)s, column %(column)s): %(error)s")
                % {"line": line, "column": column, "error": error}
            ) from error
        except OSError as error:
            raise WXRError(_("Cannot read the file: %s") % error) from error

    def _read(self):
        depth = 0
        channel = None
        with open(self.path, "rb") as stream:
            for event, payload in iterparse(stream, events=("start-ns", "start", "end")):
                if event == "start-ns":
                    match = WP_NAMESPACE.match(payload[1])
                    if match and self.wp_namespace is None:
                        self.wp_namespace = payload[1]
                        self.site.wxr_version = match.group(1)
                    continue
                if event == "start":
                    if depth == 0:
                        self._check_root(payload)
                    elif depth == 1:
                        self._check_version()
                        channel = payload
                    depth += 1
                    continue
                depth -= 1
                if depth != 2:
                    continue
                parsed = self._channel_child(payload)
                # Free what was read: the element itself and its place in the channel.
                payload.clear()
                if channel is not None:
                    del channel[:]
                if parsed is not None:
                    yield parsed
        if self.wp_namespace is None:
            raise WXRError(_("The file is an RSS feed but not a WordPress export (no WXR namespace)."))

    def _check_root(self, root):
        _namespace, local = _split(root.tag)
        if local != "rss":
            raise WXRError(
                _("The file is not a WordPress export: its root element is <%s>, not <rss>.") % local
            )

    def _check_version(self):
        if self.wp_namespace is None:
            raise WXRError(_("The file is an RSS feed but not a WordPress export (no WXR namespace)."))
        if self.site.wxr_version not in SUPPORTED_VERSIONS:
            raise WXRError(
                _("WXR version %s is not supported (1.0, 1.1 and 1.2 are).") % self.site.wxr_version
            )

    def _channel_child(self, element):
        namespace, local = _split(element.tag)
        if namespace == self.wp_namespace:
            if local == "author":
                return self._author(element)
            if local == "category":
                return Term(
                    taxonomy="category",
                    term_id=self._wp(element, "term_id"),
                    slug=self._wp(element, "category_nicename"),
                    name=self._wp(element, "cat_name"),
                    parent_slug=self._wp(element, "category_parent"),
                    description=self._wp(element, "category_description"),
                )
            if local == "tag":
                return Term(
                    taxonomy="post_tag",
                    term_id=self._wp(element, "term_id"),
                    slug=self._wp(element, "tag_slug"),
                    name=self._wp(element, "tag_name"),
                    description=self._wp(element, "tag_description"),
                )
            if local == "term":
                return Term(
                    taxonomy=self._wp(element, "term_taxonomy"),
                    term_id=self._wp(element, "term_id"),
                    slug=self._wp(element, "term_slug"),
                    name=self._wp(element, "term_name"),
                    parent_slug=self._wp(element, "term_parent"),
                    description=self._wp(element, "term_description"),
                )
            if local in ("base_site_url", "base_blog_url"):
                setattr(self.site, local, _text(element))
            return None
        if namespace == "":
            if local == "item":
                return self._item(element)
            if local in ("title", "link", "language", "generator"):
                setattr(self.site, local, _text(element))
        return None

    def _wp(self, element, name):
        return _text(element.find(f"{{{self.wp_namespace}}}{name}"))

    def _author(self, element):
        return Author(
            wp_id=self._wp(element, "author_id"),
            login=self._wp(element, "author_login"),
            email=self._wp(element, "author_email"),
            display_name=self._wp(element, "author_display_name"),
            first_name=self._wp(element, "author_first_name"),
            last_name=self._wp(element, "author_last_name"),
        )

    def _item(self, element):
        item = Item(wp_id="")
        for child in element:
            namespace, local = _split(child.tag)
            if namespace == "":
                if local in ("title", "link"):
                    setattr(item, local, _text(child))
                elif local == "guid":
                    item.guid = _text(child)
                elif local == "category":
                    item.terms.append(
                        (
                            self._TAXONOMIES.get(child.get("domain") or "", child.get("domain")),
                            (child.get("nicename") or "").strip(),
                            _text(child),
                        )
                    )
            elif namespace == DC_NAMESPACE and local == "creator":
                item.creator = _text(child)
            elif namespace == CONTENT_NAMESPACE and local == "encoded":
                item.content = child.text or ""
            elif local == "encoded" and namespace.endswith("/excerpt/"):
                item.excerpt = child.text or ""
            elif namespace == self.wp_namespace:
                self._item_wp_field(item, local, child)
        return item

    # WXR 1.0 writes ``<category>`` with no domain for categories (by name only)
    # and ``domain="tag"`` for tags.
    _TAXONOMIES = {"": "category", "tag": "post_tag"}

    _ITEM_FIELDS = {
        "post_id": "wp_id",
        "post_type": "post_type",
        "post_date": "date",
        "post_date_gmt": "date_gmt",
        "status": "status",
        "post_name": "slug",
        "post_parent": "parent",
        "menu_order": "menu_order",
        "post_password": "password",
        "comment_status": "comment_status",
        "attachment_url": "attachment_url",
    }
    _COMMENT_FIELDS = {
        "comment_id": "wp_id",
        "comment_author": "author",
        "comment_author_email": "author_email",
        "comment_author_url": "author_url",
        "comment_author_IP": "author_ip",
        "comment_date": "date",
        "comment_date_gmt": "date_gmt",
        "comment_approved": "approved",
        "comment_type": "type",
        "comment_parent": "parent",
        "comment_user_id": "user_id",
    }

    def _item_wp_field(self, item, local, child):
        if local in self._ITEM_FIELDS:
            setattr(item, self._ITEM_FIELDS[local], _text(child))
        elif local == "is_sticky":
            item.sticky = _text(child) == "1"
        elif local == "postmeta":
            key = self._wp(child, "meta_key")
            if key:
                item.postmeta[key] = self._wp(child, "meta_value")
        elif local == "comment":
            comment = Comment(wp_id="")
            for part in child:
                namespace, name = _split(part.tag)
                if namespace != self.wp_namespace:
                    continue
                if name == "comment_content":
                    comment.content = part.text or ""
                elif name in self._COMMENT_FIELDS:
                    setattr(comment, self._COMMENT_FIELDS[name], _text(part))
            item.comments.append(comment)
