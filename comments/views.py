"""The reader's side of comments: post, confirm, unsubscribe, and change one's own comment.

These views are mounted in front of django-comments-xtd's own URLs, at the
same paths, so that every way to post goes through our checks.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from blog.models import Article, author_display_name

from . import ratelimit, selectors, services
from .forms import CommentEditForm, CommentForm


def _article_from_post(data):
    """The published article a post targets, or None for a forged or foreign target."""
    object_pk = data.get("object_pk", "")
    if data.get("content_type") != "blog.article" or not object_pk.isdigit():
        return None
    return Article.objects.published().filter(pk=int(object_pk)).first()


# The messages of the discussion: shown with it, where the reader lands, not at the top of the page.
MESSAGE_TAG = "comments"
# Followed by a comment's id: that comment, awaiting moderation, is shown to its writer with the message.
PENDING_TAG = "pending-"


def _refused(request, message, *, article=None, status=400):
    return render(request, "comments/refused.html", {"message": message, "article": article}, status=status)


@require_GET
@never_cache
def form_fields(request, pk):
    """This reader's values for the comment form of a shared page: a new signed timestamp, and a CSRF token.

    Article pages are the same bytes for every anonymous reader, so their form
    carries neither; ``comments.js`` asks for them here. The token is given to
    signed-in readers only: an anonymous post needs none (see ``post_comment``),
    and giving one would set a cookie on every reader.
    """
    article = get_object_or_404(Article.objects.published(), pk=pk)
    security = CommentForm(article).initial
    return JsonResponse(
        {
            "timestamp": str(security["timestamp"]),
            "security_hash": security["security_hash"],
            "csrfmiddlewaretoken": get_token(request) if request.user.is_authenticated else "",
        }
    )


@csrf_exempt
@require_POST
@never_cache
def post_comment(request):
    """Check and save a new comment or reply; every refusal says why.

    CSRF protects what a forged request does with the victim's identity. An
    anonymous comment carries none: a forged one is what its author could
    post themselves, still under the signed timestamp, honeypot, rate limit
    and e-mail confirmation. So the shared page's form needs no token, and a
    signed-in reader's post is checked as everywhere else.

    Order: the rate limit (429) before anything else, then the target, the
    discussion's state, the form's checks, and finally the moderation rules.
    Every post counts toward the rate limit when it arrives; one refused for
    an honest mistake (empty, posted too quickly, closed thread) is taken
    back, one that looks like a script's (honeypot, forged signature) is not.
    """
    if request.user.is_authenticated:
        return _post_signed_in(request)
    return _post(request)


@csrf_protect
def _post_signed_in(request):
    return _post(request)


def _post(request):
    ip = ratelimit.client_ip(request)
    data = request.POST.copy()
    user = request.user
    if user.is_authenticated:
        # A logged-in reader comments under their own name, never someone else's.
        data["name"] = author_display_name(user)[:50]
        data["email"] = user.email or data.get("email", "")
    if not ratelimit.hit(ip):
        return _rate_limited(request, data)
    article = _article_from_post(data)
    if article is None:
        return _refused(request, _("This comment form does not belong to any article open to comments."))
    if not selectors.discussion_is_open(article):
        ratelimit.refund(ip)
        return render(request, "comments/closed.html", {"article": article}, status=403)
    form = CommentForm(article, data=data)
    if not form.is_valid():
        if not _looks_like_abuse(form):
            ratelimit.refund(ip)
        return _post_error(request, form, article)
    try:
        outcome = services.comment_submit(
            form=form, user=user, ip_address=ip, site_url=services.site_url_of(request)
        )
    except services.CommentRefused as refusal:
        ratelimit.refund(ip)
        return _refused(request, refusal.message, article=article)
    return _after_post(request, outcome)


def _looks_like_abuse(form) -> bool:
    """A filled honeypot or a signature that does not match: what a script does, never a reader."""
    errors = form.errors.as_data()
    if "honeypot" in errors:
        return True
    return any(error.code == "tampered" for error in errors.get("security_hash", []))


def _reply_name(article, raw_parent) -> str:
    """The name of the commenter a post answers, if that comment may still be answered."""
    parent = None
    if str(raw_parent).isdigit() and int(raw_parent):
        parent = selectors.reply_parent(article=article, pk=int(raw_parent))
    return parent.user_name if parent else ""


def _rate_limited(request, data):
    """The 429 page, with the reader's comment in the form so that nothing they wrote is lost.

    The form is unbound (its values as initial data): it shows no error, and
    carries new security data, so the same text can be posted again later.
    """
    article = _article_from_post(data)
    context = {}
    if article is not None and selectors.discussion_is_open(article):
        reply_name = _reply_name(article, data.get("reply_to", ""))
        initial = {name: data.get(name, "") for name in ("name", "email", "url", "comment")}
        initial["followup"] = bool(data.get("followup"))
        initial["reply_to"] = data.get("reply_to", "0") if reply_name else 0
        form = CommentForm(article, initial=initial)
        context = {"form": form, "article": article, "security": form.initial, "reply_name": reply_name}
    return render(request, "comments/rate_limited.html", context, status=429)


def _post_error(request, form, article):
    """The form again, with its errors and fresh security data (an expired one stays usable)."""
    context = {
        "form": form,
        "article": article,
        "security": CommentForm(article).initial,
        "reply_name": _reply_name(article, form.data.get("reply_to", "")),
        # Posted from a shared page without its script: nothing is wrong but the missing signature.
        "unsigned": not form.data.get("timestamp") and set(form.errors) <= {"timestamp", "security_hash"},
    }
    return render(request, "comments/post_error.html", context, status=400)


def _after_post(request, outcome, *, confirmed=False):
    """Back to the article, where the reader sees what became of their comment.

    A published comment is shown at its own anchor; otherwise the page opens
    at the discussion, whose top shows the message (``MESSAGE_TAG``). The
    first message says all that is left to happen (confirm, then wait for a
    moderator); the one after the confirmation link only confirms it.
    """
    article_url = outcome.article.get_absolute_url()
    if outcome.status == services.PUBLISHED:
        messages.success(request, _("Thank you, your comment is online."), extra_tags=MESSAGE_TAG)
        _offer_edit(request, outcome.comment)
        return redirect(services.comment_url(outcome.comment, outcome.article))
    if outcome.status == services.MODERATED and confirmed:
        text = _(
            "Thank you, your comment is confirmed. As announced, it will appear once a moderator approves it."
        )
    elif outcome.status == services.MODERATED:
        text = _("Thank you, your comment was received. It will appear once a moderator approves it.")
    elif outcome.status == services.CONFIRMATION_FAILED:
        text = _(
            "We could not send you the confirmation e-mail. Your comment was kept all the same: "
            "it will appear once a moderator approves it."
        )
    elif outcome.held:
        text = _(
            "Almost done: we sent you an e-mail. Confirm your comment with the link it contains; "
            "a moderator will then read it, and it will appear once approved."
        )
    else:
        text = _(
            "Almost done: we sent you an e-mail. Your comment will appear once you click "
            "the confirmation link it contains."
        )
    level = messages.WARNING if outcome.status == services.CONFIRMATION_FAILED else messages.INFO
    tags = MESSAGE_TAG
    if outcome.status == services.MODERATED:
        # The message is signed (cookie) or kept server-side (session): nobody can name another's comment.
        tags = f"{MESSAGE_TAG} {PENDING_TAG}{outcome.comment.pk}"
    messages.add_message(request, level, text, extra_tags=tags)
    if outcome.comment is not None:
        _offer_edit(request, outcome.comment)
    return redirect(f"{article_url}#comments")


def _offer_edit(request, comment):
    """The link that lets the writer change or delete ``comment`` for a while, as a message.

    Messages reach only the reader they were added for, on a page never shared
    (see ``caching``): the signed link never enters a cached page.
    """
    token = services.comment_edit_token(comment=comment)
    if token is None:
        return
    minutes = services.comment_edit_minutes_left(comment)
    label = ngettext(
        "Edit or delete your comment (for %(minutes)d minute)",
        "Edit or delete your comment (for %(minutes)d minutes)",
        minutes,
    ) % {"minutes": minutes}
    link = format_html(
        '<a class="comments__edit-link" href="{}" rel="nofollow">{}</a>',
        reverse("comments:edit", kwargs={"token": token}),
        label,
    )
    messages.info(request, link, extra_tags=MESSAGE_TAG)


@require_GET
@never_cache
def confirm(request, key):
    """The link of the confirmation e-mail: the comment is created now."""
    try:
        outcome = services.comment_confirm(key=key, site_url=services.site_url_of(request))
    except services.CommentRefused as refusal:
        return _refused(request, refusal.message, article=refusal.article)
    return _after_post(request, outcome, confirmed=True)


@require_GET
@never_cache
def unsubscribe(request, key):
    """One click from a follow-up e-mail stops them for that article."""
    try:
        article = services.comment_unsubscribe(key=key)
    except services.CommentRefused as refusal:
        return _refused(request, refusal.message)
    return render(request, "comments/unsubscribed.html", {"article": article})


def _edit_refused(request, refusal):
    """An edit link that cannot be used: 410 when it was genuine but is over, 400 when it is not genuine."""
    status = 410 if isinstance(refusal, services.EditWindowClosed) else 400
    context = {"message": refusal.message, "article": refusal.article}
    return render(request, "comments/edit_refused.html", context, status=status)


# The address in an edit link is what lets its holder change the comment: a
# forging site cannot know it, so a CSRF token would add nothing and its
# cookie would follow the reader back to the shared article pages.
@csrf_exempt
@require_http_methods(["GET", "POST"])
@never_cache
def edit(request, token):
    """The writer changes their comment's text, within COMMENTS_EDIT_MINUTES of posting it."""
    try:
        comment, article = services.comment_for_edit(token=token)
    except services.CommentRefused as refusal:
        return _edit_refused(request, refusal)
    form = CommentEditForm(request.POST or None, initial={"comment": comment.comment})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            ip = ratelimit.client_ip(request)
            if not ratelimit.hit(ip):
                form.add_error(
                    None,
                    _(
                        "You have posted or changed many comments in a short time. "
                        "Wait a few minutes, then try again."
                    ),
                )
                status = 429
            else:
                try:
                    outcome = services.comment_edit(
                        comment=comment,
                        article=article,
                        text=form.cleaned_data["comment"],
                        ip_address=ip,
                        site_url=services.site_url_of(request),
                    )
                except services.CommentRefused as refusal:
                    return _edit_refused(request, refusal)
                return _after_edit(request, outcome, was_public=comment.is_public)
    context = {
        "form": form,
        "comment": comment,
        "article": article,
        "token": token,
        "minutes_left": services.comment_edit_minutes_left(comment),
        "deadline": services.comment_edit_deadline(comment),
    }
    return render(request, "comments/edit.html", context, status=status)


def _after_edit(request, outcome, *, was_public):
    """Back to the comment (or, held, to the discussion that shows it to its writer), with the link again."""
    if outcome.status == services.PUBLISHED:
        messages.success(request, _("Your comment was changed."), extra_tags=MESSAGE_TAG)
        _offer_edit(request, outcome.comment)
        return redirect(services.comment_url(outcome.comment, outcome.article))
    if was_public:
        text = _("Your comment was changed. It will appear again once a moderator approves it.")
    else:
        text = _("Your comment was changed. It will appear once a moderator approves it.")
    messages.info(request, text, extra_tags=f"{MESSAGE_TAG} {PENDING_TAG}{outcome.comment.pk}")
    _offer_edit(request, outcome.comment)
    return redirect(f"{outcome.article.get_absolute_url()}#comments")


@csrf_exempt  # as ``edit``: the address is the proof
@require_http_methods(["GET", "POST"])
@never_cache
def delete(request, token):
    """The writer deletes their comment: a confirmation page, then the deletion on POST."""
    try:
        comment, article = services.comment_for_edit(token=token)
    except services.CommentRefused as refusal:
        return _edit_refused(request, refusal)
    if request.method == "POST":
        try:
            services.comment_delete_by_author(comment=comment, article=article)
        except services.CommentRefused as refusal:
            return _edit_refused(request, refusal)
        messages.success(request, _("Your comment was deleted."), extra_tags=MESSAGE_TAG)
        return redirect(f"{article.get_absolute_url()}#comments")
    context = {"comment": comment, "article": article, "token": token}
    return render(request, "comments/delete.html", context)


def reply(request, cid):
    """The stock reply page, replaced by the form opened under the comment on the article."""
    if not selectors.is_possible_comment_pk(cid):
        raise Http404
    comment = get_object_or_404(selectors.public_comments(), pk=cid)
    if comment.content_type_id != selectors.article_content_type().pk or not comment.object_pk.isdigit():
        raise Http404
    article = get_object_or_404(Article.objects.published(), pk=int(comment.object_pk))
    return redirect(f"{article.get_absolute_url()}?reply_to={comment.pk}#comment-form")


@login_required
@never_cache
def flag(request, cid):
    """A logged-in reader reports a comment: a confirmation page, then the flag on POST."""
    if not selectors.is_possible_comment_pk(cid):
        raise Http404
    comment = get_object_or_404(
        selectors.public_comments().filter(content_type=selectors.article_content_type()), pk=cid
    )
    article = get_object_or_404(Article.objects.published(), pk=int(comment.object_pk))
    if request.method == "POST":
        if services.comment_flag(comment=comment, user=request.user):
            messages.success(
                request, _("Thank you, a moderator will look at this comment."), extra_tags=MESSAGE_TAG
            )
        else:
            messages.info(request, _("You have already reported this comment."), extra_tags=MESSAGE_TAG)
        return redirect(services.comment_url(comment, article))
    return render(request, "comments/flag.html", {"comment": comment, "article": article})


def article_redirect(request, content_type_id, object_pk):
    """Where a comment's ``get_absolute_url()`` leads: its article, if published.

    Replaces the stock redirect, which leads to any object by its content type
    and id, a draft's address included. Anything else is the same 404 as an id
    that never existed.
    """
    if content_type_id != selectors.article_content_type().pk:
        raise Http404
    article = get_object_or_404(Article.objects.published(), pk=object_pk)
    return redirect(article.get_absolute_url())


def not_served(request, *args, **kwargs):
    """The stock comment views we do not offer (see ``comments.urls``)."""
    raise Http404
