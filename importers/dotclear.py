"""A reader for Dotclear 2's flat export (Import/Export → Export a blog).

The file opens with ``///DOTCLEAR|<version>|single`` (or ``|full`` for a
whole installation), then holds tables: a ``[name col1,col2,…]`` line, then
one line per row, ``"value","value",…`` with ``\\n``, ``\\r``, ``\\"`` and
``\\\\`` escaped. The tables read here are ``category``, ``post``, ``meta``
(tags), ``comment`` and, in full exports, ``blog`` (its address) and
``user`` (display names). Comments follow the posts in the file: the first
pass keeps them (and the tags) by post, the second yields the posts.

Dotclear has no threaded comments. Its dates are in each row's time zone
(``post_tz``, ``comment_tz``). A post's old address is the blog's address
followed by ``post/`` and its ``post_url``; single-blog exports do not give
the blog's address, so it comes from ``--blog-url``.
"""

import re
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from blog.models import Article

from .service import Comment, ImportFormatError, Post, Reader, source_key, split_url

HEADER = "///DOTCLEAR|"
_TABLE = re.compile(r"^\[(\w+) ([\w,]+)\]$")
_ESCAPE = re.compile(r"\\(.)")
_UNESCAPED = {"n": "\n", "r": "\r"}
POST_STATUSES = {
    "1": Article.Status.PUBLISHED,
    "-1": Article.Status.PUBLISHED,  # scheduled: goes online at its date
    "0": Article.Status.DRAFT,
    "-2": Article.Status.REVIEW,
}


def _value(raw):
    return _ESCAPE.sub(lambda match: _UNESCAPED.get(match.group(1), match.group(1)), raw)


class DotclearReader(Reader):
    platform = "dotclear"
    created_note = gettext_lazy("Imported from Dotclear")
    updated_note = gettext_lazy("Updated from a Dotclear export")

    def __init__(self, path, *, blog_url=""):
        self.path = path
        self.blog_url = blog_url
        self.site = ""
        self.categories = {}
        self.tags = {}
        self.comments = {}
        self.users = {}

    def _rows(self):
        """(table, {column: value}, line number) for each row of the file."""
        try:
            with open(self.path, encoding="utf-8", newline="") as stream:
                first = stream.readline().lstrip("\ufeff")
                if not first.startswith(HEADER):
                    raise ImportFormatError(
                        _("The file is not a Dotclear flat export (it does not start with “///DOTCLEAR|”).")
                    )
                table, columns = "", []
                for number, line in enumerate(stream, start=2):
                    if not line.endswith("\n"):
                        raise ImportFormatError(
                            _("The file ends in the middle of line %d: it looks cut short.") % number
                        )
                    line = line.strip()
                    if line.startswith("["):
                        match = _TABLE.match(line)
                        if match is None:
                            raise ImportFormatError(_("Line %d is not a table heading.") % number)
                        table, columns = match.group(1), match.group(2).split(",")
                    elif line.startswith('"'):
                        values = self._split(line, number)
                        if not table or len(values) != len(columns):
                            raise ImportFormatError(
                                _("Line %(line)d has %(found)d values for %(expected)d columns.")
                                % {"line": number, "found": len(values), "expected": len(columns)}
                            )
                        yield table, dict(zip(columns, values, strict=True)), number
        except UnicodeDecodeError as error:
            raise ImportFormatError(
                _("The file is not UTF-8 text (byte %(position)d).") % {"position": error.start}
            ) from error
        except OSError as error:
            raise ImportFormatError(_("Cannot read the file: %s") % error) from error

    @staticmethod
    def _split(line, number):
        if len(line) < 2 or not line.endswith('"') or re.search(r'(?<!\\)(\\\\)*\\"$', line):
            raise ImportFormatError(_("Line %d is not a complete row of values.") % number)
        return [_value(raw) for raw in line[1:-1].split('","')]

    def scan(self):
        total, blogs, blog_url = 0, set(), ""
        for table, row, number in self._rows():
            if table == "blog":
                blog_url = blog_url or row.get("blog_url", "")
            elif table == "user":
                self.users[row.get("user_id", "")] = self._display_name(row)
            elif table == "category":
                self.categories[row.get("cat_id", "")] = row.get("cat_title", "")
            elif table == "post":
                total += 1
                blogs.add(row.get("blog_id", ""))
                self._post(row, number)  # checks its dates
            elif table == "meta" and row.get("meta_type") == "tag":
                self.tags.setdefault(row.get("post_id", ""), []).append(row.get("meta_id", ""))
            elif table == "comment":
                self.comments.setdefault(row.get("post_id", ""), []).append(self._comment(row, number))
        if len(blogs) > 1:
            raise ImportFormatError(
                _("The file holds several blogs (%s): export the one to import on its own.")
                % ", ".join(sorted(blogs))
            )
        self.blog_url = self.blog_url or blog_url
        if split_url(self.blog_url).netloc:
            self.site = source_key(self.blog_url)
        else:
            self.site = next(iter(blogs), "")
        return total

    def posts(self):
        for table, row, number in self._rows():
            if table == "post":
                yield self._post(row, number)

    @staticmethod
    def _display_name(row):
        full = f"{row.get('user_firstname', '')} {row.get('user_name', '')}".strip()
        return row.get("user_displayname", "") or full or row.get("user_id", "")

    @staticmethod
    def _date(value, zone, what):
        if not value:
            return None
        try:
            naive = datetime.strptime(value.strip()[:19], "%Y-%m-%d %H:%M:%S")
        except ValueError:
            raise ImportFormatError(
                _("%(what)s has an invalid date: “%(value)s”.") % {"what": what, "value": value}
            )
        try:
            time_zone = ZoneInfo(zone) if zone else timezone.get_current_timezone()
        except (ZoneInfoNotFoundError, ValueError):
            time_zone = timezone.get_current_timezone()
        return timezone.make_aware(naive, time_zone)

    def _old_address(self, post_url):
        """The post's address on the old blog: ``http://blog/index.php/post/2015/07/14/Titre``."""
        if not post_url or not self.blog_url:
            return ""
        base = self.blog_url if self.blog_url.endswith(("/", "?")) else f"{self.blog_url}/"
        return f"{base}post/{post_url.lstrip('/')}"

    def _post(self, row, number):
        post_id = row.get("post_id", "")
        what = _("The post at line %d") % number
        date = self._date(row.get("post_dt", ""), row.get("post_tz", ""), what)
        post = Post(key=f"post:{post_id}", date=date)
        if row.get("post_type", "post") != "post":
            post.status, post.kind = "", "pages"
            post.skip_reason = _("Dotclear pages and other kinds of entries (not imported)")
            post.comments = self.comments.get(post_id, [])
            return post
        status = POST_STATUSES.get(row.get("post_status", ""))
        if status is None:
            post.status, post.skip_reason = "", _("status “%s”") % row.get("post_status", "?")
        elif row.get("post_password") and status == Article.Status.PUBLISHED:
            # Hidden behind a password there: not public here either.
            post.status = Article.Status.DRAFT
        else:
            post.status = status
        chapo = row.get("post_excerpt_xhtml") or row.get("post_excerpt", "")
        content = row.get("post_content_xhtml") or row.get("post_content", "")
        post.title = row.get("post_title", "")
        post.body, post.extended = (chapo, content) if chapo.strip() else (content, "")
        user = row.get("user_id", "")
        post.author = self.users.get(user, user)
        post.slug = row.get("post_url", "").rstrip("/").rpartition("/")[2]
        post.link = self._old_address(row.get("post_url", ""))
        category = self.categories.get(row.get("cat_id", ""), "")
        post.categories = [category] if category else []
        post.tags = self.tags.get(post_id, [])
        post.comments_open = row.get("post_open_comment", "1") == "1"
        post.comments = self.comments.get(post_id, [])
        return post

    def _comment(self, row, number):
        status = row.get("comment_status", "1")
        return Comment(
            key=row.get("comment_id", "") or str(number),
            text=row.get("comment_content", ""),
            author=row.get("comment_author", ""),
            email=row.get("comment_email", ""),
            url=row.get("comment_site", ""),
            ip=row.get("comment_ip", ""),
            date=self._date(
                row.get("comment_dt", ""), row.get("comment_tz", ""), _("The comment at line %d") % number
            ),
            public=status == "1",
            removed=status == "-2",
            trackback=row.get("comment_trackback", "0") == "1",
        )
