"""The discussion under an article, built in a fixed number of queries."""

import functools

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from caching.invalidation import article_key, versions

from .. import selectors
from ..forms import CommentForm
from ..text import is_safe_website, render_comment_text

register = template.Library()


@register.inclusion_tag("comments/discussion.html", takes_context=True)
def article_discussion(context, article):
    """The thread, its count, its state (open or closed) and the comment form.

    Long threads come in pages of conversations (``?commentaires=2``), oldest
    first or newest first (``?ordre=recents``); the cached markup is kept per
    page and order.

    Without JavaScript, ``?reply_to=<id>`` places the form under that comment;
    the script does the same in place. For anonymous readers the page is
    shared: the form carries no CSRF token nor signed timestamp, which
    ``comments.js`` fetches for each reader (see ``views.form_fields``).
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    notices = _discussion_messages(context.get("messages"))
    signed_in = bool(user is not None and user.is_authenticated)
    # Read only when the thread's cached fragment is missing, or to find the
    # comment a reader answers (?reply_to=).
    tree = functools.cache(lambda: selectors.comment_tree(article=article))
    number, newest_first = selectors.thread_view(request.GET) if request is not None else (1, False)
    page = functools.cache(lambda: selectors.thread_page(tree()[0], number=number, newest_first=newest_first))
    comments = SimpleLazyObject(lambda: page().comments)
    is_open = selectors.discussion_is_open(article)
    reply_to = _reply_target(request, comments) if is_open else None
    form = None
    security = {}
    if is_open:
        initial = {"name": selectors.commenter_name(user), "email": user.email} if signed_in else {}
        if reply_to is not None:
            initial["reply_to"] = reply_to
        if signed_in or context.get("is_preview"):
            form = CommentForm(article, initial=initial)
            security = form.initial
        else:
            # Built only if the discussion's cached markup is missing.
            form = functools.cache(lambda: CommentForm(article, initial=initial))
    return {
        "article": article,
        "comments": comments,
        "thread_page": SimpleLazyObject(page),
        "thread_key": f"{number}-{'newest' if newest_first else 'oldest'}",
        "comment_count": SimpleLazyObject(lambda: tree()[1]),
        "is_open": is_open,
        "closes_at": selectors.discussion_closes_at(article) if is_open else None,
        "form": form,
        "security": security,
        "signed_in": signed_in,
        "reply_to": reply_to,
        "user": user,
        "request": request,
        "gravatar": settings.COMMENTS_GRAVATAR,
        "notices": notices,
        "pending_comments": _pending_comments(article, notices),
        "thread_version": versions(article_key(article.pk))[article_key(article.pk)],
    }


def _discussion_messages(messages):
    """This reader's messages about their comment (tagged ``views.MESSAGE_TAG``), shown at the thread."""
    from ..views import MESSAGE_TAG

    return [message for message in messages or () if MESSAGE_TAG in message.extra_tags.split()]


def _pending_comments(article, notices):
    """The comments awaiting moderation that the messages name: shown to their writer only, with them.

    Read only when such a message is there (one query); never in the shared markup.
    """
    from ..views import PENDING_TAG

    pks = [
        int(tag.removeprefix(PENDING_TAG))
        for message in notices
        for tag in message.extra_tags.split()
        if tag.startswith(PENDING_TAG) and tag.removeprefix(PENDING_TAG).isdigit()
    ]
    if not pks:
        return []
    return list(
        selectors.article_comments(article)
        .filter(pk__in=pks, is_public=False, is_removed=False)
        .order_by("submit_date", "pk")
    )


def _reply_target(request, comments):
    """The ``reply_to`` of the query string, if it names a comment one may answer."""
    raw = request.GET.get("reply_to", "") if request is not None else ""
    if not raw.isdigit():
        return None
    wanted = int(raw)
    stack = list(comments)
    while stack:
        comment = stack.pop()
        if comment.pk == wanted:
            return wanted if comment.can_reply else None
        stack.extend(comment.replies)
    return None


@register.filter
def comment_text(text):
    return render_comment_text(text)


@register.filter
def safe_website(url):
    return url if is_safe_website(url) else ""


@register.filter
def avatar_initials(name):
    return selectors.initials(name or "")


@register.filter
def gravatar(email):
    return selectors.gravatar_url(email or "")


@register.filter
def html_datetime(value):
    """A date and time as HTML's ``datetime`` attribute takes it: to the second (not microseconds)."""
    if not value:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(microsecond=0).isoformat()
