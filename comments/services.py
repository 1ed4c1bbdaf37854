"""Writes on reader comments that carry the discussion's rules.

Comments are django-comments-xtd's stock ``XtdComment`` rows (the WordPress
import, the benchmark seeding and the admin dashboard create and count them
directly). Their state is read from the stock fields only:

- **public**: ``is_public=True, is_removed=False``: shown and counted;
- **awaiting moderation**: ``is_public=False, is_removed=False``;
- **removed**: ``is_removed=True``: hidden (a placeholder stays in the thread
  only when visible replies hang from it);
- **spam**: removed *and* hidden (``is_removed=True, is_public=False``) with a
  ``CommentFlag`` named ``"spam"`` (``SPAM_FLAG``) left by the moderator who
  marked it. Approving a comment later deletes that flag.

State changes use ``QuerySet.update()`` on purpose: django-comments-xtd's
``pre_save`` handler would otherwise publish or hide every reply of a comment
whose own state changes, overriding the moderators' decisions on those
replies.

Every function is keyword-only and atomic; mails go out in
``transaction.on_commit`` so a rolled-back write never sends one. A mail
server that is down or refuses a mail never loses a comment: the failure is
logged and the comment stays saved.
"""

import datetime
import logging
import math
import re
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.contrib.sites.models import Site
from django.core import signing
from django.core.exceptions import ObjectDoesNotExist
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django_comments.models import CommentFlag
from django_comments_xtd import signed
from django_comments_xtd.models import MaxThreadLevelExceededException, TmpXtdComment, XtdComment

from blog.models import Article, AuthorProfile, author_display_name

from . import selectors, tasks
from .models import CommentEdit, ModerationPolicy
from .selectors import SPAM_FLAG
from .signals import discussion_changed

logger = logging.getLogger(__name__)

PUBLISHED = "published"
MODERATED = "moderated"
CONFIRMATION_SENT = "confirmation_sent"
# The confirmation e-mail could not be sent: the comment was kept for the moderators.
CONFIRMATION_FAILED = "confirmation_failed"

# What a mail server that is down, unreachable or refusing a mail raises
# (SMTPException is an OSError; both are named for the reader's sake).
MAIL_ERRORS = (smtplib.SMTPException, OSError)

URL_RE = re.compile(r"(https?://|www\.)\S+", re.IGNORECASE)

# The XtdComment fields a confirmed comment is created with.
CREATE_FIELDS = (
    "content_type", "object_pk", "site_id", "user", "user_name", "user_email", "user_url",
    "comment", "submit_date", "ip_address", "is_public", "is_removed", "parent_id", "followup",
)  # fmt: skip


class CommentRefused(Exception):
    """A post or confirmation that cannot become a comment, with the reader's message."""

    def __init__(self, message, *, article=None):
        super().__init__(message)
        self.message = message
        self.article = article


@dataclass(frozen=True)
class PostOutcome:
    """What happened to a post: PUBLISHED, MODERATED, CONFIRMATION_SENT or CONFIRMATION_FAILED."""

    status: str
    article: Article
    comment: XtdComment | None = None
    # CONFIRMATION_SENT only: the confirmed comment will still wait for a moderator.
    held: bool = False


def site_url_of(request) -> str:
    """The address the reader used to reach the site, for the links of the e-mails it sends them.

    The Host is one of ALLOWED_HOSTS (``get_host()`` validates it), so a link
    always leads to this site: the configured domain in production, the
    address and port of ``runserver`` locally. Behind a proxy that does not
    say the request was secure, the configured scheme still applies.
    """
    scheme = "https" if request.is_secure() else settings.COMMENTS_LINK_SCHEME
    return f"{scheme}://{request.get_host()}"


def absolute_url(path: str, *, site_url: str | None = None) -> str:
    """An absolute link for e-mails: on ``site_url`` (see ``site_url_of``), else on the Site's domain.

    Without a request (a background task), the Site's domain is the only
    address known: it is set from SITE_DOMAIN by the first migration.
    """
    if site_url:
        return f"{site_url.rstrip('/')}{path}"
    domain = Site.objects.get_current().domain
    return f"{settings.COMMENTS_LINK_SCHEME}://{domain}{path}"


def comment_url(comment: XtdComment, article: Article) -> str:
    """The comment at its anchor, on the page of the thread that shows it."""
    page = selectors.comment_page_query(article=article, comment=comment)
    return f"{article.get_absolute_url()}{page}#c{comment.pk}"


def count_links(text: str) -> int:
    return len(URL_RE.findall(text))


def spam_checker_says_spam(*, article: Article, data: dict) -> bool:
    """Ask the external checker named by COMMENTS_SPAM_CHECKER, if any.

    The checker is a callable ``(article=..., data=...) -> bool``. An error
    from it never loses the comment: it is then held for moderation.
    """
    if not settings.COMMENTS_SPAM_CHECKER:
        return False
    checker = import_string(settings.COMMENTS_SPAM_CHECKER)
    try:
        return bool(checker(article=article, data=data))
    except Exception:
        logger.exception("The spam checker failed; the comment is held.")
        return True


def comment_needs_moderation(*, article: Article, email: str, text: str, user=None, spam_data=None) -> bool:
    """Whether a new comment waits for a moderator, by the site's and the article's rules.

    Staff and the article's author publish at once. Otherwise a comment is
    held when the site or the article pre-moderates, when it carries more
    than COMMENTS_MAX_LINKS links, when the spam checker doubts it, or when
    its address has no approved comment yet (COMMENTS_PREMODERATE_FIRST_TIME).
    """
    if user is not None and user.is_authenticated and (user.is_staff or user.pk == article.author_id):
        return False
    if settings.COMMENTS_MODERATION == "pre":
        return True
    if ModerationPolicy.objects.filter(article=article, moderation=ModerationPolicy.Moderation.PRE).exists():
        return True
    if count_links(text) > settings.COMMENTS_MAX_LINKS:
        return True
    if spam_checker_says_spam(article=article, data=spam_data or {"email": email, "comment": text}):
        return True
    return settings.COMMENTS_PREMODERATE_FIRST_TIME and not selectors.is_trusted_email(email)


@transaction.atomic
def comment_submit(*, form, user, ip_address: str | None, site_url: str | None = None) -> PostOutcome:
    """Turn a valid form into a comment, or into a confirmation request.

    Logged-in readers' comments are saved at once. Anonymous readers get an
    e-mail with django-comments-xtd's signed confirmation link; nothing is
    stored until they click it. The moderation decision is taken now and
    travels inside the signed link; the outcome says whether it will hold the
    comment (``held``), so the reader is told everything at once.

    When that e-mail cannot be sent (mail server down, address refused), the
    comment is not lost: it is saved awaiting moderation, without follow-ups
    since its address is unconfirmed, and the failure is logged.
    """
    article = form.target_object
    if not selectors.discussion_is_open(article):
        raise CommentRefused(_("Comments are closed on this article."), article=article)
    tmp = form.get_comment_object(site_id=settings.SITE_ID)
    tmp.ip_address = ip_address
    is_user = user is not None and user.is_authenticated
    tmp.user = user if is_user else None
    if is_user and not tmp.user_email:
        tmp.user_email = user.email
    tmp.is_public = not comment_needs_moderation(
        article=article,
        email=tmp.user_email,
        text=tmp.comment,
        user=user,
        spam_data={
            "name": tmp.user_name, "email": tmp.user_email, "url": tmp.user_url,
            "comment": tmp.comment, "ip_address": ip_address,
        },
    )  # fmt: skip
    if is_user or not settings.COMMENTS_XTD_CONFIRM_EMAIL:
        comment = _create_comment(tmp, article=article, site_url=site_url)
        return PostOutcome(PUBLISHED if comment.is_public else MODERATED, article, comment)

    key = signed.dumps(tmp, compress=True, extra_key=settings.COMMENTS_XTD_SALT).decode()
    # Sent now rather than on commit: whether it leaves decides what is saved,
    # and nothing has been written yet that a rollback could take back.
    try:
        _send_confirmation_request(tmp, key=key, article=article, site_url=site_url)
    except MAIL_ERRORS:
        logger.exception(
            "Could not send the confirmation e-mail for a comment on article %s; "
            "the comment is kept for moderation.",
            article.pk,
        )
        tmp.is_public = False
        tmp.followup = False
        comment = _create_comment(tmp, article=article, site_url=site_url)
        return PostOutcome(CONFIRMATION_FAILED, article, comment)
    return PostOutcome(CONFIRMATION_SENT, article, held=not tmp.is_public)


@transaction.atomic
def comment_confirm(*, key: str, site_url: str | None = None) -> PostOutcome:
    """Create the comment an anonymous reader confirmed by e-mail.

    Clicking the link again leads to the same comment, never a second one.
    """
    try:
        tmp = signed.loads(key, extra_key=settings.COMMENTS_XTD_SALT)
    except (ValueError, ObjectDoesNotExist, LookupError, TypeError):
        raise CommentRefused(_("This confirmation link is invalid or its article no longer exists."))
    if not isinstance(tmp, TmpXtdComment) or not isinstance(tmp.content_object, Article):
        raise CommentRefused(_("This confirmation link is invalid."))
    article = tmp.content_object
    if not article.is_public:
        # Unpublished since the post: nothing of it is shown, as if it were gone.
        raise CommentRefused(_("This confirmation link is invalid or its article no longer exists."))
    # The same link clicked twice, or the same text posted twice before confirming.
    existing = (
        selectors.article_comments(article)
        .filter(Q(submit_date=tmp.submit_date) | Q(comment=tmp.comment), user_email=tmp.user_email)
        .first()
    )
    if existing is not None:
        status = PUBLISHED if existing.is_public and not existing.is_removed else MODERATED
        return PostOutcome(status, article, existing)
    if not selectors.discussion_is_open(article):
        raise CommentRefused(_("Comments were closed on this article before you confirmed."), article=article)
    comment = _create_comment(tmp, article=article, site_url=site_url)
    return PostOutcome(PUBLISHED if comment.is_public else MODERATED, article, comment)


@transaction.atomic
def _create_comment(tmp: TmpXtdComment, *, article: Article, site_url: str | None = None) -> XtdComment:
    """Save a comment and schedule its mails; a reply whose parent vanished is refused whole.

    XtdComment.save() inserts the row before checking the parent: the
    transaction takes it back if that check fails.
    """
    fields = {name: tmp[name] for name in CREATE_FIELDS if name in tmp}
    parent_id = fields.get("parent_id") or 0
    if parent_id and selectors.reply_parent(article=article, pk=parent_id) is None:
        raise CommentRefused(
            _("The comment you replied to is no longer visible, so your reply was not posted."),
            article=article,
        )
    comment = XtdComment(**fields)
    try:
        with transaction.atomic():
            comment.save()
    except (MaxThreadLevelExceededException, XtdComment.DoesNotExist):
        raise CommentRefused(_("This conversation is already nested as deep as allowed."), article=article)
    if comment.is_public:
        transaction.on_commit(lambda: notify_followers(comment=comment, article=article, site_url=site_url))
        transaction.on_commit(lambda: notify_authors(comment=comment, article=article, site_url=site_url))
        _announce_change([comment])
    else:
        transaction.on_commit(lambda: notify_moderators(comment=comment, article=article, site_url=site_url))
    return comment


def _announce_change(comments) -> None:
    """Send ``discussion_changed`` for the articles of ``comments``, once committed."""
    article_ids = {int(comment.object_pk) for comment in comments if str(comment.object_pk).isdigit()}
    if article_ids:
        transaction.on_commit(lambda: discussion_changed.send(sender=XtdComment, article_ids=article_ids))


# MODERATION
# ------------------------------------------------------------------------------


def _flag(comments: list[XtdComment], *, moderator, flag: str) -> None:
    now = timezone.now()
    CommentFlag.objects.bulk_create(
        [CommentFlag(comment=comment, user=moderator, flag=flag, flag_date=now) for comment in comments],
        ignore_conflicts=True,
    )


@transaction.atomic
def comments_approve(*, comments: QuerySet, moderator, site_url: str | None = None) -> int:
    """Publish the selected comments (awaiting, removed or spam ones alike).

    Newly public comments notify the article's followers, after commit, with
    links on ``site_url`` (the moderator's request) when given.
    """
    targets = list(comments.exclude(is_public=True, is_removed=False))
    pks = [comment.pk for comment in targets]
    XtdComment.norel_objects.filter(pk__in=pks).update(is_public=True, is_removed=False)
    CommentFlag.objects.filter(comment_id__in=pks, flag=SPAM_FLAG).delete()
    _flag(targets, moderator=moderator, flag=CommentFlag.MODERATOR_APPROVAL)
    articles = Article.objects.in_bulk([int(c.object_pk) for c in targets if c.object_pk.isdigit()])
    for comment in targets:
        comment.is_public, comment.is_removed = True, False
        article = articles.get(int(comment.object_pk)) if comment.object_pk.isdigit() else None
        if article is not None:
            transaction.on_commit(
                lambda c=comment, a=article: notify_followers(comment=c, article=a, site_url=site_url)
            )
            transaction.on_commit(
                lambda c=comment, a=article: notify_authors(comment=c, article=a, site_url=site_url)
            )
    _announce_change(targets)
    return len(targets)


@transaction.atomic
def comments_remove(*, comments: QuerySet, moderator) -> int:
    """Remove the selected comments from the site (kept in the database)."""
    targets = list(comments.filter(is_removed=False))
    XtdComment.norel_objects.filter(pk__in=[c.pk for c in targets]).update(is_removed=True)
    _flag(targets, moderator=moderator, flag=CommentFlag.MODERATOR_DELETION)
    _announce_change(targets)
    return len(targets)


@transaction.atomic
def comments_mark_spam(*, comments: QuerySet, moderator) -> int:
    """Mark the selected comments as spam: removed, hidden and flagged ``spam``.

    A spam comment never makes its address trusted.
    """
    targets = list(comments.exclude(pk__in=selectors.spam_comments().values("pk")))
    XtdComment.norel_objects.filter(pk__in=[c.pk for c in targets]).update(is_removed=True, is_public=False)
    _flag(targets, moderator=moderator, flag=SPAM_FLAG)
    _announce_change(targets)
    return len(targets)


@transaction.atomic
def comment_flag(*, comment: XtdComment, user) -> bool:
    """A logged-in reader suggests removing ``comment``; it then shows as flagged in the queue.

    Returns False when this reader had already flagged it.
    """
    _, created = CommentFlag.objects.get_or_create(
        comment=comment,
        user=user,
        flag=CommentFlag.SUGGEST_REMOVAL,
        defaults={"flag_date": timezone.now()},
    )
    return created


# READER EDITS: a writer changes or deletes their comment shortly after posting
# ------------------------------------------------------------------------------


class EditWindowClosed(CommentRefused):
    """An edit link that was genuine but can no longer be used (expired, comment removed or gone)."""


def _edit_salt() -> str:
    return "comments.edit:" + settings.COMMENTS_XTD_SALT.decode()


def _edit_signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=_edit_salt())


def comment_edit_deadline(comment: XtdComment) -> datetime.datetime | None:
    """Until when the writer may change ``comment``: COMMENTS_EDIT_MINUTES after posting; None when off.

    For an anonymous reader, posting is when they sent the form: the time
    spent confirming by e-mail counts in the window.
    """
    minutes = settings.COMMENTS_EDIT_MINUTES
    if minutes <= 0:
        return None
    return comment.submit_date + datetime.timedelta(minutes=minutes)


def comment_edit_minutes_left(comment: XtdComment) -> int:
    """Whole minutes (rounded up) the writer still has to change ``comment``; 0 when none."""
    deadline = comment_edit_deadline(comment)
    if deadline is None:
        return 0
    seconds = (deadline - timezone.now()).total_seconds()
    return max(0, math.ceil(seconds / 60))


def comment_edit_token(*, comment: XtdComment) -> str | None:
    """A signed, time-limited token that lets whoever holds it change or delete ``comment``.

    Given only to the writer, on the private page they see right after
    posting. JSON signed with a salt derived from COMMENTS_XTD_SALT (never a
    pickle); it names the comment by its id and posting time, so that an id
    reused after a deletion is not reachable. None when the window is over.
    """
    if comment_edit_minutes_left(comment) <= 0:
        return None
    return _edit_signer().sign_object({"c": comment.pk, "t": int(comment.submit_date.timestamp())})


def comment_for_edit(*, token: str) -> tuple[XtdComment, Article]:
    """The comment and article an edit token names, while its writer may still change them.

    Raises ``EditWindowClosed`` for a genuine link that can no longer be used
    and ``CommentRefused`` for a forged or damaged one.
    """
    minutes = settings.COMMENTS_EDIT_MINUTES
    if minutes <= 0:
        raise EditWindowClosed(_("Comments can no longer be changed after they are posted."))
    try:
        data = _edit_signer().unsign_object(token, max_age=datetime.timedelta(minutes=minutes))
    except signing.SignatureExpired:
        raise EditWindowClosed(_("The time to change this comment is over."))
    except (signing.BadSignature, ValueError):
        raise CommentRefused(_("This link is invalid: open the one you were given after posting."))
    pk, posted = (data.get("c"), data.get("t")) if isinstance(data, dict) else (None, None)
    if not isinstance(pk, int) or not isinstance(posted, int) or not selectors.is_possible_comment_pk(pk):
        raise CommentRefused(_("This link is invalid: open the one you were given after posting."))
    comment = (
        XtdComment.norel_objects.filter(pk=pk, content_type=selectors.article_content_type())
        .select_related("user")
        .first()
    )
    if comment is None or int(comment.submit_date.timestamp()) != posted or not comment.object_pk.isdigit():
        raise EditWindowClosed(_("This comment no longer exists."))
    article = Article.objects.published().filter(pk=int(comment.object_pk)).first()
    if article is None:
        raise EditWindowClosed(_("This comment no longer exists."))
    if comment.is_removed:
        raise EditWindowClosed(_("This comment was removed: it can no longer be changed."), article=article)
    if comment_edit_minutes_left(comment) <= 0:
        raise EditWindowClosed(_("The time to change this comment is over."), article=article)
    return comment, article


@transaction.atomic
def comment_edit(
    *, comment: XtdComment, article: Article, text: str, ip_address: str | None = None,
    site_url: str | None = None,
) -> PostOutcome:  # fmt: skip
    """Replace the text of ``comment`` by its writer's new one; the thread then says it was edited.

    The new text is judged as a new post would be now (links, spam checker,
    the site's and the article's moderation rules): a published comment that
    would now be held goes back to moderation, and the moderators are told; a
    held comment stays held. ``update()`` keeps django-comments-xtd from
    changing the replies' own state (see the module's docstring).
    """
    comment = (
        XtdComment.norel_objects.select_for_update(of=("self",)).select_related("user").get(pk=comment.pk)
    )
    if comment.is_removed:
        raise EditWindowClosed(_("This comment was removed: it can no longer be changed."), article=article)
    if not selectors.discussion_is_open(article):
        raise CommentRefused(
            _("Comments are closed on this article: your comment can no longer be changed."), article=article
        )
    text = text.strip()
    if text == comment.comment:
        return PostOutcome(PUBLISHED if comment.is_public else MODERATED, article, comment)
    was_public = comment.is_public
    held = not was_public or comment_needs_moderation(
        article=article,
        email=comment.user_email,
        text=text,
        user=comment.user,
        spam_data={
            "name": comment.user_name, "email": comment.user_email, "url": comment.user_url,
            "comment": text, "ip_address": ip_address,
        },
    )  # fmt: skip
    XtdComment.norel_objects.filter(pk=comment.pk).update(comment=text, is_public=not held)
    CommentEdit.objects.update_or_create(comment_id=comment.pk, defaults={"edited_at": timezone.now()})
    comment.comment, comment.is_public = text, not held
    if was_public and held:
        transaction.on_commit(lambda: notify_moderators(comment=comment, article=article, site_url=site_url))
    _announce_change([comment])
    return PostOutcome(MODERATED if held else PUBLISHED, article, comment)


@transaction.atomic
def comment_delete_by_author(*, comment: XtdComment, article: Article) -> bool:
    """Delete ``comment`` at its writer's request; True if the row is gone.

    A comment that replies hang from is kept as removed instead, as a
    moderator's removal is, so that the conversation under it stays readable
    (the thread shows the "removed" placeholder). Its ancestors' reply counts
    (django-comments-xtd's ``nested_count``) lose the deleted comment.
    """
    comment = XtdComment.norel_objects.select_for_update().get(pk=comment.pk)
    if comment.is_removed:
        raise EditWindowClosed(_("This comment was removed: it can no longer be changed."), article=article)
    _announce_change([comment])
    if selectors.comment_has_replies(comment):
        XtdComment.norel_objects.filter(pk=comment.pk).update(is_removed=True)
        return False
    thread = XtdComment.norel_objects.filter(thread_id=comment.thread_id)
    parents = dict(thread.values_list("pk", "parent_id"))
    ancestors, pk = [], comment.pk
    while parents.get(pk) not in (None, 0, pk) and parents[pk] not in ancestors:
        pk = parents[pk]
        ancestors.append(pk)
    comment.delete()
    XtdComment.norel_objects.filter(pk__in=ancestors).update(nested_count=F("nested_count") - 1)
    return True


# FOLLOW-UP SUBSCRIPTIONS
# ------------------------------------------------------------------------------


def _unsubscribe_salt() -> str:
    return "comments.unsubscribe:" + settings.COMMENTS_XTD_SALT.decode()


def unsubscribe_key(*, article: Article, email: str) -> str:
    """A signed (JSON, not pickle) token naming one address on one article."""
    return signing.dumps({"a": article.pk, "e": email.lower()}, salt=_unsubscribe_salt(), compress=True)


@transaction.atomic
def comment_unsubscribe(*, key: str) -> Article:
    """Stop follow-up e-mails for the address and article named by ``key``."""
    try:
        data = signing.loads(key, salt=_unsubscribe_salt())
        article = Article.objects.get(pk=data["a"])
    except (signing.BadSignature, Article.DoesNotExist, KeyError, TypeError):
        raise CommentRefused(_("This unsubscribe link is invalid or its article no longer exists."))
    selectors.article_comments(article).filter(user_email__iexact=data["e"], followup=True).update(
        followup=False
    )
    return article


# E-MAILS (notifications are called in transaction.on_commit)
# ------------------------------------------------------------------------------


def _send_notifications(messages: list[EmailMessage], *, what: str, comment: XtdComment) -> None:
    """Enqueue ``messages`` for the worker (one task each); a mail failure is logged, never raised.

    The comment is already saved when its notifications go out: an error here
    must neither lose it nor turn the poster's or moderator's page into a 500.
    With a worker, the task retries a failed message itself (comments.tasks).
    """
    if not messages:
        return
    try:
        tasks.send_or_enqueue(messages)
    except MAIL_ERRORS:
        logger.exception("Could not send the %s e-mails about comment %s.", what, comment.pk)


def _send_confirmation_request(
    tmp: TmpXtdComment, *, key: str, article: Article, site_url: str | None = None
) -> None:
    """Queue the confirmation e-mail; without a worker it is sent now and a failure raised."""
    context = {
        "name": tmp.user_name,
        "article": article,
        "text": tmp.comment,
        "confirm_url": absolute_url(reverse("comments:confirm", kwargs={"key": key}), site_url=site_url),
        "article_url": absolute_url(article.get_absolute_url(), site_url=site_url),
        "blog_name": settings.BLOG_NAME,
    }
    message = EmailMessage(
        _("Please confirm your comment on “%(title)s”") % {"title": article.title},
        render_to_string("comments/email/confirmation_request.txt", context),
        settings.COMMENTS_XTD_FROM_EMAIL,
        [tmp.user_email],
    )
    tasks.send_or_enqueue([message])


def notify_followers(*, comment: XtdComment, article: Article, site_url: str | None = None) -> None:
    """Tell each reader who asked for follow-ups on ``article`` (except the writer) about ``comment``.

    With a worker, the request enqueues one task, which enqueues one e-mail per
    follower: posting costs the same with 1,000 followers as with none.
    """
    if tasks.queued():
        # The worker builds these mails without the request: it is given the address it came on.
        tasks.notify_followers.enqueue(comment_id=comment.pk, site_url=site_url or "")
        return
    messages = follower_messages(comment=comment, article=article, site_url=site_url)
    _send_notifications(messages, what="follow-up", comment=comment)


def follower_messages(
    *, comment: XtdComment, article: Article, site_url: str | None = None
) -> list[EmailMessage]:
    """The follow-up e-mails about ``comment``: one per follower of ``article``, the writer excepted."""
    emails = {}
    followers = (
        selectors.public_comments()
        .filter(content_type=selectors.article_content_type(), object_pk=str(article.pk), followup=True)
        .exclude(user_email__iexact=comment.user_email)
        .exclude(pk=comment.pk)
        .order_by("submit_date")
        .values_list("user_email", "user_name")
    )
    for email, name in followers:
        emails.setdefault(email.lower(), (email, name))
    messages = []
    link = absolute_url(comment_url(comment, article), site_url=site_url) if emails else ""
    for email, name in emails.values():
        unsubscribe_url = absolute_url(
            reverse("comments:unsubscribe", kwargs={"key": unsubscribe_key(article=article, email=email)}),
            site_url=site_url,
        )
        context = {
            "name": name,
            "article": article,
            "comment": comment,
            "comment_url": link,
            "unsubscribe_url": unsubscribe_url,
            "blog_name": settings.BLOG_NAME,
        }
        messages.append(
            EmailMessage(
                _("New comment on “%(title)s”") % {"title": article.title},
                render_to_string("comments/email/followup.txt", context),
                settings.COMMENTS_XTD_FROM_EMAIL,
                [email],
                headers={"List-Unsubscribe": f"<{unsubscribe_url}>"},
            )
        )
    return messages


def notify_moderators(*, comment: XtdComment, article: Article, site_url: str | None = None) -> None:
    """E-mail the moderators about a comment awaiting moderation (COMMENTS_NOTIFY_MODERATORS)."""
    if not settings.COMMENTS_NOTIFY_MODERATORS:
        return
    recipients = selectors.moderation_recipients()
    if not recipients:
        return
    context = {
        "article": article,
        "comment": comment,
        "admin_url": absolute_url(
            reverse("admin:django_comments_xtd_xtdcomment_change", args=[comment.pk]), site_url=site_url
        ),
        "queue_url": absolute_url(
            reverse("admin:django_comments_xtd_xtdcomment_changelist") + "?state=pending", site_url=site_url
        ),
        "blog_name": settings.BLOG_NAME,
    }
    message = EmailMessage(
        _("Comment awaiting moderation on “%(title)s”") % {"title": article.title},
        render_to_string("comments/email/moderation_needed.txt", context),
        settings.COMMENTS_XTD_FROM_EMAIL,
        recipients,
    )
    _send_notifications([message], what="moderation", comment=comment)


def article_author_users(article: Article) -> list:
    """Who wrote ``article`` (its author, then its co-authors), told of each comment published on it."""
    return article.author_list


def wants_comment_emails(user) -> bool:
    """An author's choice (``AuthorProfile.notify_on_comment``); without a profile, yes."""
    profile = getattr(user, "profile", None)
    return profile is None or profile.notify_on_comment


def notify_authors(*, comment: XtdComment, article: Article, site_url: str | None = None) -> None:
    """Tell the authors of ``article`` about a comment just published on it (see ``author_messages``)."""
    if tasks.queued():
        tasks.notify_authors.enqueue(comment_id=comment.pk, site_url=site_url or "")
        return
    messages = author_messages(comment=comment, article=article, site_url=site_url)
    _send_notifications(messages, what="author", comment=comment)


def author_messages(
    *, comment: XtdComment, article: Article, site_url: str | None = None
) -> list[EmailMessage]:
    """One e-mail per author of ``article`` who wants them, about the published ``comment``.

    Nobody is told about their own comment (same account or same address),
    and an author who follows the discussion as a reader already gets the
    follow-up e-mail (``follower_messages``): one e-mail per comment, not two.
    """
    commenter = comment.user_email.strip().lower()
    recipients = {}
    for user in article_author_users(article):
        email = (user.email or "").strip()
        if not (user.is_active and email and wants_comment_emails(user)):
            continue
        if user.pk == comment.user_id or email.lower() == commenter:
            continue
        recipients.setdefault(email.lower(), (email, user))
    if not recipients:
        return []
    followers = (
        selectors.public_comments()
        .filter(content_type=selectors.article_content_type(), object_pk=str(article.pk), followup=True)
        .exclude(pk=comment.pk)
        .values_list("user_email", flat=True)
    )
    for email in followers:
        recipients.pop(email.strip().lower(), None)
    if not recipients:
        return []
    context = {
        "article": article,
        "comment": comment,
        "comment_url": absolute_url(comment_url(comment, article), site_url=site_url),
        "admin_url": absolute_url(
            reverse("admin:django_comments_xtd_xtdcomment_change", args=[comment.pk]), site_url=site_url
        ),
        # The author's own page in the admin, where the choice is made (accounts app).
        "settings_url": absolute_url(reverse("accounts:account") + "#comment-emails", site_url=site_url),
        "setting_label": capfirst(AuthorProfile._meta.get_field("notify_on_comment").verbose_name),
        "site_url": absolute_url("/", site_url=site_url),
        "blog_name": settings.BLOG_NAME,
    }
    messages = []
    # The site's language, whatever the language of the request that published the comment.
    with translation.override(settings.LANGUAGE_CODE):
        for email, user in recipients.values():
            user_context = {**context, "name": author_display_name(user)}
            message = EmailMultiAlternatives(
                _("New comment on your article “%(title)s”") % {"title": article.title},
                render_to_string("comments/email/author_comment.txt", user_context),
                settings.COMMENTS_XTD_FROM_EMAIL,
                [email],
            )
            message.attach_alternative(
                render_to_string("comments/email/author_comment.html", user_context), "text/html"
            )
            messages.append(message)
    return messages


# REPLIES FROM THE MODERATION QUEUE
# ------------------------------------------------------------------------------


def staff_reply_refusal(*, parent: XtdComment) -> str | None:
    """Why staff cannot answer ``parent`` from the admin, or None when they can.

    A reply hangs under a public comment of a published article: under a
    hidden one it would be hidden with it (see ``selectors.comment_tree``).
    The depth is the one ``XtdComment.save()`` enforces. A discussion closed
    to readers does not stop staff answering in it.
    """
    # The limit XtdComment.save() enforces, per content type.
    from django_comments_xtd.models import max_thread_level_for_content_type

    if parent.is_removed or not parent.is_public:
        return _("Approve this comment before replying to it: a reply to a hidden comment is not shown.")
    if parent.content_type_id != selectors.article_content_type().pk or not parent.object_pk.isdigit():
        return _("This comment is not on an article.")
    if parent.level >= max_thread_level_for_content_type(selectors.article_content_type()):
        return _("This conversation is already nested as deep as allowed: reply to an earlier comment.")
    return None


@transaction.atomic
def comment_reply_as_staff(
    *, parent: XtdComment, user, text: str, ip_address: str | None = None, site_url: str | None = None
) -> XtdComment:
    """Publish ``user``'s answer to ``parent`` at once, threaded under it.

    The reply carries the staff member's account, the name readers know them
    by and their e-mail address. Like any published comment
    (``_create_comment``), it purges the discussion's caches and tells the
    article's followers and authors, after commit. Raises ``CommentRefused``
    with the editor's message when the text is empty or too long, or when
    ``staff_reply_refusal`` says no.
    """
    text = text.strip()
    if not text:
        raise CommentRefused(_("Write your reply before posting it."))
    if len(text) > settings.COMMENT_MAX_LENGTH:
        raise CommentRefused(
            _("A reply has at most %(max)d characters.") % {"max": settings.COMMENT_MAX_LENGTH}
        )
    refusal = staff_reply_refusal(parent=parent)
    if refusal:
        raise CommentRefused(refusal)
    article = Article.objects.filter(pk=int(parent.object_pk)).first()
    if article is None or not article.is_public:
        raise CommentRefused(_("This comment's article is not published: its discussion is not shown."))
    name_length = XtdComment._meta.get_field("user_name").max_length
    tmp = TmpXtdComment(
        content_type=parent.content_type,
        object_pk=parent.object_pk,
        site_id=parent.site_id,
        user=user,
        user_name=author_display_name(user)[:name_length],
        user_email=user.email or "",
        user_url="",
        comment=text,
        submit_date=timezone.now(),
        ip_address=ip_address,
        is_public=True,
        is_removed=False,
        parent_id=parent.pk,
        followup=False,
    )
    return _create_comment(tmp, article=article, site_url=site_url)
