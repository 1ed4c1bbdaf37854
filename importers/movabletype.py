"""A streaming reader for the Movable Type / TypePad export format.

The file is plain text, one entry after another, each ending with a line of
eight dashes. An entry opens with ``KEY: value`` lines (AUTHOR, TITLE,
BASENAME, STATUS, DATE, CATEGORY…), then sections each ending with a line of
five dashes: ``BODY:``, ``EXTENDED BODY:``, ``EXCERPT:``, ``KEYWORDS:``,
``COMMENT:`` (itself opening with AUTHOR, EMAIL, URL, IP, DATE lines) and
``PING:``. Movable Type exports no threading of comments and no comment
status: they are imported as public, each answering the post. Dates are in
the blog's time zone.
"""

import csv
import hashlib
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from blog.models import Article

from .service import Comment, ImportFormatError, Post, Reader, split_url

ENTRY_END = "--------"
SECTION_END = "-----"
SECTIONS = {"BODY", "EXTENDED BODY", "EXCERPT", "KEYWORDS", "COMMENT", "PING"}
HEADER_KEYS = {
    "AUTHOR", "TITLE", "BASENAME", "STATUS", "ALLOW COMMENTS", "CONVERT BREAKS", "ALLOW PINGS",
    "PRIMARY CATEGORY", "CATEGORY", "DATE", "TAGS", "NO ENTRY", "UNIQUE URL", "PERMALINK",
}  # fmt: skip
COMMENT_KEYS = {"AUTHOR", "EMAIL", "URL", "IP", "DATE", "TITLE", "BLOG NAME"}
DATE_FORMATS = ("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %I:%M %p", "%m/%d/%Y %H:%M")
# Text formats written with blank lines for paragraphs ("0" and "richtext" are HTML already).
LINE_BREAK_FORMATS = {"1", "__default__", "convert_breaks", "markdown", "markdown_with_smartypants"}
STATUSES = {"publish": Article.Status.PUBLISHED, "future": Article.Status.PUBLISHED}


def _key_value(line):
    key, separator, value = line.partition(":")
    return (key.strip().upper(), value.strip()) if separator else ("", "")


class MovableTypeReader(Reader):
    platform = "movabletype"
    created_note = gettext_lazy("Imported from Movable Type")
    updated_note = gettext_lazy("Updated from a Movable Type export")

    def __init__(self, path, *, time_zone=None, source_hint=""):
        self.path = path
        self.time_zone = time_zone or timezone.get_current_timezone()
        self.source_hint = source_hint
        self.site = ""

    def scan(self):
        """Read the whole file once. The blog is known by the host of its entries'
        addresses (TypePad's UNIQUE URL) and, failing that, by ``source_hint``."""
        total, host = 0, ""
        for post in self.posts():
            total += 1
            host = host or split_url(post.link).netloc.lower()
        self.site = host or self.source_hint
        return total

    def posts(self):
        try:
            with open(self.path, encoding="utf-8", newline="") as stream:
                yield from self._read(stream)
        except UnicodeDecodeError as error:
            raise ImportFormatError(
                _("The file is not UTF-8 text (byte %(position)d): save the export as UTF-8 first.")
                % {"position": error.start}
            ) from error
        except OSError as error:
            raise ImportFormatError(_("Cannot read the file: %s") % error) from error

    def _read(self, stream):
        lines, start, number, entries = [], 1, 0, 0
        for number, line in enumerate(stream, start=1):
            line = line.rstrip("\r\n")
            if line == ENTRY_END:
                entries += 1
                yield self._entry(lines, start)
                lines, start = [], number + 1
            else:
                lines.append(line)
        if any(line.strip() for line in lines):
            if entries == 0 and not self._looks_like_entry(lines):
                raise ImportFormatError(
                    _("The file is not a Movable Type or TypePad export (no “AUTHOR:”, “TITLE:”… entries).")
                )
            raise ImportFormatError(
                _("The file ends in the middle of an entry (from line %d): it looks cut short.") % start
            )
        if entries == 0:
            raise ImportFormatError(_("The file holds no Movable Type entry."))

    @staticmethod
    def _looks_like_entry(lines):
        return any(_key_value(line)[0] in HEADER_KEYS for line in lines[:30])

    def _entry(self, lines, start):
        if not self._looks_like_entry(lines):
            raise ImportFormatError(
                _("The entry at line %d is not a Movable Type entry (no “AUTHOR:”, “TITLE:”… lines).") % start
            )
        headers, sections = self._split(lines)
        what = _("The entry at line %d") % start
        post = Post(key="")
        status = headers.get("STATUS", ["Publish"])[-1].lower()
        post.status = STATUSES.get(status, Article.Status.DRAFT)
        post.title = headers.get("TITLE", [""])[-1]
        post.author = headers.get("AUTHOR", [""])[-1]
        post.slug = headers.get("BASENAME", [""])[-1]
        post.link = (headers.get("UNIQUE URL") or headers.get("PERMALINK") or [""])[-1]
        post.date = self._date(headers.get("DATE", [""])[-1], what)
        post.comments_open = headers.get("ALLOW COMMENTS", ["1"])[-1] == "1"
        post.line_breaks = headers.get("CONVERT BREAKS", ["1"])[-1].lower() in LINE_BREAK_FORMATS
        primary = headers.get("PRIMARY CATEGORY", [])
        post.categories = list(dict.fromkeys(primary + headers.get("CATEGORY", [])))
        for tags in headers.get("TAGS", []):
            post.tags.extend(tag.strip() for row in csv.reader([tags], skipinitialspace=True) for tag in row)
        post.tags = [tag for tag in post.tags if tag]
        for name, text in sections:
            if name == "BODY":
                post.body = text
            elif name == "EXTENDED BODY":
                post.extended = text
            elif name == "EXCERPT":
                post.excerpt = text
            elif name in ("COMMENT", "PING"):
                post.comments.append(self._comment(name, text, len(post.comments) + 1, what))
        identity = (
            post.slug or hashlib.sha1(f"{post.title}\n{headers.get('DATE', [''])[-1]}".encode()).hexdigest()
        )
        post.key = f"entry:{identity}"[:200]
        return post

    @staticmethod
    def _split(lines):
        """({header key: [values]}, [(section name, text)])."""
        headers, sections = {}, []
        index = 0
        while index < len(lines) and lines[index] != SECTION_END:
            key, value = _key_value(lines[index])
            if key:
                headers.setdefault(key, []).append(value)
            index += 1
        index += 1
        while index < len(lines):
            name = lines[index].strip().rstrip(":").upper()
            index += 1
            body = []
            while index < len(lines) and lines[index] != SECTION_END:
                body.append(lines[index])
                index += 1
            index += 1
            if name in SECTIONS:
                sections.append((name, "\n".join(body).strip("\n")))
        return headers, sections

    def _comment(self, name, text, number, what):
        lines = text.split("\n")
        fields = {}
        while lines and _key_value(lines[0])[0] in COMMENT_KEYS:
            key, value = _key_value(lines.pop(0))
            fields[key] = value
        return Comment(
            key=str(number),
            text="\n".join(lines).strip(),
            author=fields.get("AUTHOR", "") or fields.get("BLOG NAME", ""),
            email=fields.get("EMAIL", ""),
            url=fields.get("URL", ""),
            ip=fields.get("IP", ""),
            date=self._date(fields.get("DATE", ""), what),
            trackback=name == "PING",
        )

    def _date(self, value, what):
        if not value:
            return None
        for date_format in DATE_FORMATS:
            try:
                return timezone.make_aware(datetime.strptime(value, date_format), self.time_zone)
            except ValueError:
                continue
        raise ImportFormatError(
            _("%(what)s has an invalid date: “%(value)s” (expected MM/DD/YYYY hh:mm:ss AM).")
            % {"what": what, "value": value}
        )
