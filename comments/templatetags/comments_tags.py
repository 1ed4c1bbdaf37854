"""The discussion under an article, built in a fixed number of queries."""

from django import template
from django.conf import settings

from .. import selectors
from ..forms import CommentForm
from ..text import is_safe_website, render_comment_text

register = template.Library()


@register.inclusion_tag("comments/discussion.html", takes_context=True)
def article_discussion(context, article):
    """The thread, its count, its state (open or closed) and the comment form.

    Without JavaScript, ``?reply_to=<id>`` places the form under that comment;
    the script does the same in place.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    comments, count = selectors.comment_tree(article=article)
    is_open = selectors.discussion_is_open(article)
    reply_to = None
    form = None
    if is_open:
        reply_to = _reply_target(request, comments)
        initial = {}
        if user is not None and user.is_authenticated:
            initial = {"name": selectors.commenter_name(user), "email": user.email}
        form = CommentForm(article, initial=initial)
        if reply_to is not None:
            form.initial["reply_to"] = reply_to
    return {
        "article": article,
        "comments": comments,
        "comment_count": count,
        "is_open": is_open,
        "closes_at": selectors.discussion_closes_at(article) if is_open else None,
        "form": form,
        "reply_to": reply_to,
        "user": user,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "gravatar": settings.COMMENTS_GRAVATAR,
    }


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
