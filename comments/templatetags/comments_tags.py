"""The discussion under an article, built in a fixed number of queries."""

import functools

from django import template
from django.conf import settings
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from blog import cache, reader_values

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
    # The tree is read only if the thread's cached markup or count is missing,
    # or to find the comment a reader answers (?reply_to=).
    tree = functools.cache(lambda: selectors.comment_tree(article=article))
    comments = SimpleLazyObject(lambda: tree()[0])
    scope = _thread_scope(article)
    if scope is None:
        count = tree()[1]
    else:
        count = cache.cached_fragment(
            "comment-count", lambda: tree()[1], scopes=(cache.CONTENT, scope), vary=(article.pk,)
        )
    is_open = selectors.discussion_is_open(article)
    reply_to = None
    form = None
    if is_open:
        reply_to = _reply_target(request, comments)

        def new_form():
            initial = {}
            if user is not None and user.is_authenticated:
                initial = {"name": selectors.commenter_name(user), "email": user.email}
            if reply_to is not None:
                initial["reply_to"] = reply_to
            return CommentForm(article, initial=initial)

        # Built only if its cached markup is missing (see cached_comment_form).
        form = SimpleLazyObject(new_form)
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


@register.tag
def cached_thread(parser, token):
    """``{% cached_thread %}…{% endcached_thread %}``: the thread's markup, rendered once.

    Rendering a long thread costs far more than reading it, so its markup is
    kept per generation of the content and of the article's own scope (bumped
    by every new or moderated comment). It varies with what differs between
    readers: signed in or not (the "report" link), open or closed. The no-script
    reply form placed under a comment (``?reply_to=``) is always rendered.
    """
    nodelist = parser.parse(("endcached_thread",))
    parser.delete_first_token()
    return CachedThreadNode(nodelist)


class CachedThreadNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        article = context["article"]
        scope = _thread_scope(article)
        if context.get("reply_to") is not None or scope is None:
            return self.nodelist.render(context)
        user = context.get("user")
        signed_in = bool(user is not None and user.is_authenticated)
        return cache.cached_fragment(
            "thread",
            lambda: self.nodelist.render(context),
            scopes=(cache.CONTENT, scope),
            vary=(article.pk, get_language(), signed_in, context.get("is_open"), context.get("gravatar")),
        )


@register.tag
def cached_comment_form(parser, token):
    """``{% cached_comment_form %}…{% endcached_comment_form %}``: the new-comment form, rendered once.

    For anonymous readers the form is the same for everyone but for its CSRF
    token and signed timestamp: its markup is kept per generation of the
    content, and each rendering puts in this reader's values.
    """
    nodelist = parser.parse(("endcached_comment_form",))
    parser.delete_first_token()
    return CachedCommentFormNode(nodelist)


class CachedCommentFormNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        article = context["article"]
        request = context.get("request")
        user = context.get("user")
        if request is None or _thread_scope(article) is None or (user is not None and user.is_authenticated):
            return self.nodelist.render(context)

        def build():
            return reader_values.keep(self.nodelist.render(context).encode())

        kept = cache.cached_fragment(
            "comment-form-parts", build, vary=(article.pk, get_language(), request.is_secure())
        )
        return mark_safe(reader_values.fill(kept, request).decode())


def _thread_scope(article):
    """The cache scope of a public article's discussion; None for a preview of an unpublished one."""
    if not article.is_public or not article.publication_date:
        return None
    return cache.article_scope(publication_date=article.publication_date, slug=article.slug)


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
