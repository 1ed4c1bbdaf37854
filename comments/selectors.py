"""Reads on reader comments: what is public, what waits, what a page shows.

Comments are django-comments-xtd's stock ``XtdComment`` rows; their state is
spelled out in ``comments.services``. ``norel_objects`` is used throughout:
the default manager joins the user and content type on every query.
"""

import datetime
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import CharField, Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django_comments.models import CommentFlag
from django_comments_xtd.models import XtdComment

from blog.models import Article, author_display_name

SPAM_FLAG = "spam"


def article_content_type() -> ContentType:
    """The content type of articles (cached by Django after the first call)."""
    return ContentType.objects.get_for_model(Article)


def public_comments() -> QuerySet:
    """Comments readers see and counts include: approved and not removed."""
    return XtdComment.norel_objects.filter(is_public=True, is_removed=False)


def comments_awaiting_moderation() -> QuerySet:
    """Comments a moderator still has to approve (neither public nor removed)."""
    return XtdComment.norel_objects.filter(is_public=False, is_removed=False)


def flagged_comments() -> QuerySet:
    """Public comments that readers suggested for removal."""
    return public_comments().filter(flags__flag=CommentFlag.SUGGEST_REMOVAL).distinct()


def spam_comments() -> QuerySet:
    return XtdComment.norel_objects.filter(is_removed=True, flags__flag=SPAM_FLAG).distinct()


def article_comments(article: Article) -> QuerySet:
    """All comments of ``article``, whatever their state."""
    return XtdComment.norel_objects.filter(content_type=article_content_type(), object_pk=str(article.pk))


def discussion_closes_at(article: Article) -> datetime.datetime | None:
    """When the automatic closing happens, or None if it never does."""
    return article.comments_close_at


def discussion_is_open(article: Article) -> bool:
    """Readers may post on a public article whose editor left comments open,
    until the automatic closing date."""
    if not (article.comments_enabled and article.is_public):
        return False
    closes_at = discussion_closes_at(article)
    return closes_at is None or timezone.now() < closes_at


def is_possible_comment_pk(pk: int) -> bool:
    """Whether ``pk`` fits a comment's primary key column.

    XtdComment's primary key is its parent-link to Comment, a relation whose
    lookups skip Django's integer-overflow guard: a forged huge number in a
    form or an address would reach the database and fail there (a 500).
    """
    field_type = XtdComment._meta.pk.target_field.get_internal_type()
    _, max_pk = connection.ops.integer_field_range(field_type)
    return pk >= 1 and (max_pk is None or pk <= max_pk)


def reply_parent(*, article: Article, pk: int) -> XtdComment | None:
    """The public comment of ``article`` that a reader may answer, if it exists."""
    if not is_possible_comment_pk(pk):
        return None
    return (
        public_comments()
        .filter(content_type=article_content_type(), object_pk=str(article.pk), pk=pk)
        .first()
    )


def comment_has_replies(comment: XtdComment) -> bool:
    """Whether any reply hangs from ``comment``, whatever its state (a held reply may be approved later)."""
    return XtdComment.norel_objects.filter(parent_id=comment.pk).exclude(pk=comment.pk).exists()


def is_duplicate(*, article: Article, email: str, text: str) -> bool:
    """Whether this address already left exactly this text on ``article``
    (a double click, a reload after posting), whatever the comment's state."""
    return article_comments(article).filter(user_email__iexact=email, comment=text.strip()).exists()


def is_trusted_email(email: str) -> bool:
    """An address with at least one approved comment is trusted."""
    return public_comments().filter(user_email__iexact=email).exists()


def comment_tree(*, article: Article, user=None) -> tuple[list[XtdComment], int]:
    """The visible thread of ``article`` as nested comments, in one query.

    Each comment gets ``replies`` (its visible children), ``is_by_author``,
    ``can_reply`` and ``edited_at`` (when its writer last changed it, joined
    in the same query: None if never). A removed comment stays as a placeholder only when visible
    replies hang from it; a comment whose parent is hidden (awaiting
    moderation, for instance) is hidden with it. Returns the top-level
    comments and the number of visible, non-removed comments.
    """
    rows = (
        article_comments(article)
        .filter(is_public=True)
        .order_by("thread_id", "order", "pk")
        .only(
            "pk",
            "user_id",
            "user_name",
            "user_email",
            "user_url",
            "comment",
            "submit_date",
            "is_public",
            "is_removed",
            "thread_id",
            "parent_id",
            "level",
            "order",
        )
        .annotate(edited_at=F("reader_edit__edited_at"))
    )
    max_level = settings.COMMENTS_XTD_MAX_THREAD_LEVEL
    is_open = discussion_is_open(article)
    by_pk, roots = {}, []
    for comment in rows:
        comment.replies = []
        comment.is_by_author = comment.user_id is not None and comment.user_id == article.author_id
        comment.can_reply = is_open and not comment.is_removed and comment.level < max_level
        if comment.parent_id in (0, comment.pk):
            roots.append(comment)
        elif comment.parent_id in by_pk:
            by_pk[comment.parent_id].replies.append(comment)
        else:
            continue
        by_pk[comment.pk] = comment

    def prune(comments):
        kept = []
        for comment in comments:
            comment.replies = prune(comment.replies)
            if not comment.is_removed or comment.replies:
                kept.append(comment)
        return kept

    roots = prune(roots)
    count = sum(1 for comment in by_pk.values() if not comment.is_removed)
    return roots, count


# THREAD PAGES
# ------------------------------------------------------------------------------

# The query string of a discussion's view: newest first, and which page of conversations.
ORDER_PARAMETER, NEWEST_FIRST = "ordre", "recents"
PAGE_PARAMETER = "commentaires"


def threads_per_page() -> int:
    """Top-level comments (each with its replies) per page of a discussion (COMMENTS_THREADS_PER_PAGE)."""
    return settings.COMMENTS_THREADS_PER_PAGE


@dataclass(frozen=True)
class ThreadPage:
    """One page of a discussion: its conversations, in the order asked for, and where the others are."""

    comments: list
    number: int
    page_count: int
    thread_count: int
    newest_first: bool

    def query(self, *, number=None, newest_first=None) -> str:
        """The query string of this view (or another page or order of it): "" for the default."""
        return thread_query(
            number=self.number if number is None else number,
            newest_first=self.newest_first if newest_first is None else newest_first,
        )

    @property
    def own_query(self) -> str:
        return self.query()

    @property
    def pages(self) -> list[dict]:
        return [
            {"number": n, "query": self.query(number=n), "current": n == self.number}
            for n in range(1, self.page_count + 1)
        ]

    @property
    def oldest_first_query(self) -> str:
        return thread_query(number=1, newest_first=False)

    @property
    def newest_first_query(self) -> str:
        return thread_query(number=1, newest_first=True)


def thread_query(*, number: int = 1, newest_first: bool = False) -> str:
    params = []
    if newest_first:
        params.append(f"{ORDER_PARAMETER}={NEWEST_FIRST}")
    if number > 1:
        params.append(f"{PAGE_PARAMETER}={number}")
    return "?" + "&".join(params) if params else ""


def thread_view(query) -> tuple[int, bool]:
    """The page number and order a request's query string asks for (anything else: page 1, oldest first)."""
    raw = query.get(PAGE_PARAMETER, "")
    number = int(raw) if raw.isdigit() and 0 < len(raw) < 7 else 1
    return max(number, 1), query.get(ORDER_PARAMETER) == NEWEST_FIRST


def thread_page(roots: list, *, number: int = 1, newest_first: bool = False) -> ThreadPage:
    """The page ``number`` of the conversations ``roots`` (oldest first); past the end, the last page.

    Replies stay in the order they were written, under their conversation.
    """
    ordered = roots[::-1] if newest_first else roots
    per_page = threads_per_page()
    page_count = max(1, -(-len(ordered) // per_page))
    number = min(number, page_count)
    start = (number - 1) * per_page
    return ThreadPage(ordered[start : start + per_page], number, page_count, len(ordered), newest_first)


def conversation_roots(comments: QuerySet) -> QuerySet:
    """The top-level comments of ``comments`` that open a conversation on the page, as
    ``comment_tree`` keeps them: public, and not removed unless visible replies hang from them.

    The page shows conversations in the order of their first comment (``thread_id``).
    """
    visible_reply = XtdComment.norel_objects.filter(
        thread_id=OuterRef("pk"), is_public=True, is_removed=False, level__gt=0
    )
    return (
        comments.filter(is_public=True, level=0)
        .annotate(answered=Exists(visible_reply))
        .exclude(is_removed=True, answered=False)
    )


def comment_page_query(*, article: Article, comment: XtdComment) -> str:
    """The query string of the page (oldest first) that shows ``comment``: "" on the first page.

    One query, however long the discussion: the conversations before the comment's own.
    """
    before = conversation_roots(article_comments(article)).filter(pk__lt=comment.thread_id).count()
    return thread_query(number=before // threads_per_page() + 1)


def gravatar_url(email: str, size: int = 48) -> str:
    digest = hashlib.md5(email.strip().lower().encode(), usedforsecurity=False).hexdigest()
    return f"https://www.gravatar.com/avatar/{digest}?s={size}&d=identicon"


def initials(name: str) -> str:
    """One or two capital letters for an avatar without picture."""
    words = [word for word in name.replace("-", " ").split() if word[:1].isalnum()]
    letters = "".join(word[0] for word in words[:2]).upper()
    return letters or "?"


def moderation_recipients() -> list[str]:
    """E-mail addresses of active staff who may moderate comments."""
    permission_ids = Permission.objects.filter(
        codename="change_xtdcomment", content_type__app_label="django_comments_xtd"
    ).values("pk")
    user_model = get_user_model()
    return list(
        user_model.objects.filter(is_active=True, is_staff=True)
        .exclude(email="")
        .filter(
            Q(is_superuser=True)
            | Q(user_permissions__in=permission_ids)
            | Q(groups__permissions__in=permission_ids)
        )
        .values_list("email", flat=True)
        .distinct()
        .order_by("email")
    )


def commenter_name(user) -> str:
    """The name a logged-in reader comments under."""
    return author_display_name(user)


def public_count_subquery():
    """Per article, the number of comments readers see (for an ``annotate()``).

    Comments point at their article through a text ``object_pk``, so the
    correlated subquery casts the article's id; the content type is matched
    by app label and model name inside it, which costs no extra query. Lists of
    articles get it as ``comment_count`` (registered in ``apps.py``).
    """
    return _count_per_article(public_comments())


def pending_count_subquery():
    """Per article, the number of comments awaiting moderation (for an ``annotate()``)."""
    return _count_per_article(comments_awaiting_moderation())


def _count_per_article(comments: QuerySet):
    counts = (
        comments.filter(
            content_type__app_label="blog",
            content_type__model="article",
            object_pk=Cast(OuterRef("pk"), CharField()),
        )
        .order_by()
        .values("object_pk")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)
