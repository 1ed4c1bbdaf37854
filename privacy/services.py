"""Erasing one person's data, the retention purge, the reader's signed links, the policy page.

Erasure, by e-mail address (the documented choices):

- a comment with replies under it (by others, in any state) stays in the
  thread, anonymised: name "Anonyme" (the site's language), no e-mail, no
  website, no IP address, no account link, follow-ups off; its text stays, so
  that the replies still answer something;
- a comment with no reply is deleted (the reply counts of the comments above
  it are corrected);
- the newsletter subscription is deleted, with its deliveries;
- login records (django-axes) under the address itself are deleted; an
  account with the address is kept (a staff account is closed by a superuser
  in the admin), and so are the records under its login while it exists;
- each erasure is recorded (``ErasureRecord``: when, through what, by whom,
  how many of each) with a keyed hash of the address, never the address, and
  in the audit trail.
"""

import datetime
from dataclasses import asdict, dataclass

from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django_comments_xtd.models import XtdComment

from accounts.audit import record_personal_data_erasure
from comments import tasks as mail_tasks
from comments.services import absolute_url
from comments.signals import discussion_changed
from medialib.sanitize import sanitize_html
from newsletter.models import Subscriber

from . import policy, selectors
from .models import ErasureRecord

EXPORT = "export"
ERASE = "erase"
REQUEST_ACTIONS = (EXPORT, ERASE)


# ERASURE
# ------------------------------------------------------------------------------


@dataclass
class ErasureReport:
    comments_deleted: int = 0
    comments_anonymised: int = 0
    followups_stopped: int = 0
    subscriptions_deleted: int = 0
    login_records_deleted: int = 0
    # Accounts with the address: reported, never deleted here.
    accounts_kept: int = 0
    record: ErasureRecord | None = None

    @property
    def counts(self) -> dict:
        counts = asdict(self)
        del counts["accounts_kept"], counts["record"]
        return counts

    @property
    def erased_anything(self) -> bool:
        return any(self.counts.values())

    def summary(self) -> str:
        return _(
            "%(deleted)d comment(s) deleted, %(anonymised)d anonymised (they have replies), "
            "%(followups)d follow-up(s) stopped, %(subscriptions)d newsletter subscription(s) "
            "and %(logins)d login record(s) deleted."
        ) % {
            "deleted": self.comments_deleted,
            "anonymised": self.comments_anonymised,
            "followups": self.followups_stopped,
            "subscriptions": self.subscriptions_deleted,
            "logins": self.login_records_deleted,
        }


def _salt(purpose: str) -> str:
    # As the comments' unsubscribe links: the salt comes from the environment
    # (COMMENTS_XTD_SALT), never from a constant alone.
    return f"privacy.{purpose}:" + settings.COMMENTS_XTD_SALT.decode()


def nothing_erased_message() -> str:
    return _("Nothing to erase for this address: nothing was changed.")


def account_kept_message() -> str:
    return _("A user account has this address and was kept: delete it in the admin if it must go.")


def address_digest(email: str) -> str:
    """The keyed hash kept instead of the address (case-blind, as addresses are compared)."""
    return salted_hmac(_salt("erasure"), email.strip().lower(), algorithm="sha256").hexdigest()


def previous_erasures(*, email: str):
    return ErasureRecord.objects.filter(subject_digest=address_digest(email))


def _comments_to_delete(comments: list[XtdComment]) -> set[int]:
    """Of ``comments``, those with no reply left under them once the others are deleted."""
    doomed = {comment.pk for comment in comments}
    replies = list(
        XtdComment.norel_objects.filter(parent_id__in=doomed)
        .exclude(pk=F("parent_id"))
        .values_list("pk", "parent_id")
    )
    changed = True
    while changed:
        kept = {parent for pk, parent in replies if parent in doomed and pk not in doomed}
        changed = bool(kept)
        doomed -= kept
    return doomed


def _correct_reply_counts(doomed: set[int], comments: list[XtdComment]) -> None:
    """Each comment above a deleted one counts one reply fewer (as django-comments-xtd counts them)."""
    threads = {comment.thread_id for comment in comments if comment.pk in doomed}
    parents = dict(XtdComment.norel_objects.filter(thread_id__in=threads).values_list("pk", "parent_id"))
    lost = {}
    for pk in doomed:
        ancestor = parents.get(pk)
        while ancestor is not None and ancestor != pk and ancestor in parents:
            if ancestor not in doomed:
                lost[ancestor] = lost.get(ancestor, 0) + 1
            if parents[ancestor] == ancestor:
                break
            pk, ancestor = ancestor, parents[ancestor]
    for pk, count in lost.items():
        XtdComment.norel_objects.filter(pk=pk).update(nested_count=F("nested_count") - count)


@transaction.atomic
def personal_data_erase(*, email: str, source: str, actor=None, dry_run: bool = False) -> ErasureReport:
    """Erase what the site holds about ``email`` (see the module's docstring); returns the counts.

    ``InvalidEmail`` for a text that is no address. With ``dry_run``, nothing
    is written and the counts say what would be done. Nothing held: nothing
    written, not even a record.
    """
    email = selectors.clean_email(email)
    comments = list(
        selectors.person_comments(email).only("pk", "parent_id", "thread_id", "object_pk", "followup")
    )
    doomed = _comments_to_delete(comments)
    anonymised = [comment.pk for comment in comments if comment.pk not in doomed]
    subscribers = Subscriber.objects.filter(email__iexact=email)
    login_querysets = [
        selectors.login_records(model, email=email, usernames=[])
        for model, _label in selectors.LOGIN_RECORD_MODELS
    ]
    report = ErasureReport(
        comments_deleted=len(doomed),
        comments_anonymised=len(anonymised),
        followups_stopped=sum(1 for comment in comments if comment.followup),
        subscriptions_deleted=subscribers.count(),
        login_records_deleted=sum(queryset.count() for queryset in login_querysets),
        accounts_kept=selectors.person_accounts(email).count(),
    )
    if dry_run or not report.erased_anything:
        return report

    if doomed:
        _correct_reply_counts(doomed, comments)
        # One by one through delete(): each deletion purges its article's cached pages.
        for comment in XtdComment.norel_objects.filter(pk__in=doomed):
            comment.delete()
    if anonymised:
        with translation.override(settings.LANGUAGE_CODE):
            name = _("Anonymous")
        # update(), not save(): django-comments-xtd's pre_save would republish or hide the replies.
        XtdComment.norel_objects.filter(pk__in=anonymised).update(
            user=None, user_name=name, user_email="", user_url="", ip_address=None, followup=False
        )
    article_ids = {int(c.object_pk) for c in comments if str(c.object_pk).isdigit()}
    if article_ids:
        transaction.on_commit(lambda: discussion_changed.send(sender=XtdComment, article_ids=article_ids))
    subscribers.delete()
    for queryset in login_querysets:
        queryset.delete()

    report.record = ErasureRecord.objects.create(
        source=source,
        actor=actor if actor is not None and actor.is_authenticated else None,
        subject_digest=address_digest(email),
        **report.counts,
    )
    record_personal_data_erasure(
        subject=_("erasure #%(number)d") % {"number": report.record.pk},
        actor=actor,
        target=report.record,
        details={"source": source, **report.counts},
    )
    return report


# RETENTION
# ------------------------------------------------------------------------------


@dataclass
class PurgeReport:
    ip_addresses_erased: int = 0
    removed_emails_erased: int = 0


@transaction.atomic
def purge_expired_personal_data(
    *, now: datetime.datetime | None = None, dry_run: bool = False
) -> PurgeReport:
    """Erase what the retention periods allow no longer (the daily job; see the privacy page).

    - the IP address of comments older than PRIVACY_COMMENT_IP_DAYS;
    - the e-mail address and website of removed comments older than
      COMMENTS_PURGE_SPAM_DAYS. siteops' purge_spam deletes those comments,
      but keeps the ones with replies under them: these are what is left here.

    Neither shows on a page, so no cache is purged. Idempotent.
    """
    now = now or timezone.now()
    ip_cutoff = now - datetime.timedelta(days=settings.PRIVACY_COMMENT_IP_DAYS)
    old_ips = XtdComment.norel_objects.filter(submit_date__lt=ip_cutoff, ip_address__isnull=False)
    spam_cutoff = now - datetime.timedelta(days=settings.COMMENTS_PURGE_SPAM_DAYS)
    removed = XtdComment.norel_objects.filter(is_removed=True, submit_date__lt=spam_cutoff).exclude(
        user_email="", user_url="", followup=False
    )
    report = PurgeReport(ip_addresses_erased=old_ips.count(), removed_emails_erased=removed.count())
    if not dry_run:
        old_ips.update(ip_address=None)
        removed.update(user_email="", user_url="", followup=False)
    return report


# THE READER'S OWN REQUESTS (signed, time-limited links)
# ------------------------------------------------------------------------------


class InvalidLink(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def request_token(*, email: str, action: str) -> str:
    """Signed JSON (never a pickle) naming the address and what its owner asked for."""
    if action not in REQUEST_ACTIONS:
        raise ValueError(f"Unknown request: {action!r}")
    return signing.dumps({"e": email, "a": action}, salt=_salt("request"), compress=True)


def read_request_token(token: str) -> tuple[str, str]:
    """(email, action) from a link; ``InvalidLink`` with the reader's message otherwise."""
    max_age = datetime.timedelta(hours=settings.PRIVACY_LINK_MAX_AGE_HOURS)
    try:
        data = signing.loads(token, salt=_salt("request"), max_age=max_age)
    except signing.SignatureExpired:
        raise InvalidLink(_("This link has expired. Please make your request again."))
    except (signing.BadSignature, ValueError, TypeError):
        raise InvalidLink(
            _("This link is invalid. Check that it was copied whole, or make your request again.")
        )
    if (
        not isinstance(data, dict)
        or data.get("a") not in REQUEST_ACTIONS
        or not isinstance(data.get("e"), str)
    ):
        raise InvalidLink(
            _("This link is invalid. Check that it was copied whole, or make your request again.")
        )
    try:
        email = selectors.clean_email(data["e"])
    except selectors.InvalidEmail:
        raise InvalidLink(
            _("This link is invalid. Check that it was copied whole, or make your request again.")
        )
    return email, data["a"]


def request_message(*, email: str, action: str) -> EmailMessage:
    with translation.override(settings.LANGUAGE_CODE):
        url = absolute_url(
            reverse("privacy:confirm", kwargs={"token": request_token(email=email, action=action)})
        )
        context = {
            "blog_name": settings.BLOG_NAME,
            "url": url,
            "action": action,
            "hours": settings.PRIVACY_LINK_MAX_AGE_HOURS,
        }
        subject = (
            _("Your personal data on %(blog)s: your copy")
            if action == EXPORT
            else _("Your personal data on %(blog)s: erasure")
        ) % {"blog": settings.BLOG_NAME}
        body = render_to_string("privacy/email/request.txt", context)
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [email])


def personal_data_request(*, email: str, action: str) -> None:
    """Send the confirmation link to ``email``, whether or not the site holds anything about it.

    The page after the request says the same in both cases, so that nobody
    learns whose address is known here; only the address's owner reads the
    answer. A mail server error is raised (the view says the mail failed).
    """
    email = selectors.clean_email(email)
    mail_tasks.send_or_enqueue([request_message(email=email, action=action)])


# THE PRIVACY POLICY PAGE
# ------------------------------------------------------------------------------


def ensure_privacy_page(*, flatpage_model=FlatPage, site_model=Site):
    """Create the privacy policy flatpage on the current Site unless one is at its address.

    Returns (page, created). The models are parameters so that the data
    migration passes its historical ones; the text is never rewritten.
    """
    site = site_model.objects.get(pk=settings.SITE_ID)
    page = flatpage_model.objects.filter(url=policy.POLICY_URL, sites=site).first()
    if page is not None:
        return page, False
    # Cleaned here too: the migration's historical model skips medialib's pre_save cleaning,
    # and a restore cleans every page again (the bytes must not change then).
    page = flatpage_model.objects.create(
        url=policy.POLICY_URL, title=policy.policy_title(), content=sanitize_html(policy.policy_content())
    )
    page.sites.add(site)
    return page, True
