"""What the site holds about one e-mail address, gathered from every app that stores one.

Comments (by address, or by the account that wrote them), follow-up
subscriptions, the newsletter subscription and its deliveries, accounts with
that address, and login records (django-axes) under that address or under
the login of such an account. Read-only: ``services`` erases.
"""

from dataclasses import dataclass, field

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_comments_xtd.models import XtdComment

from blog.models import Article
from newsletter.models import Subscriber

# What a login record is, by model, for the export.
LOGIN_RECORD_MODELS = [
    (AccessFailureLog, gettext_lazy("Failed login")),
    (AccessAttempt, gettext_lazy("Failed login counter")),
    (AccessLog, gettext_lazy("Login")),
]

EMAIL_MAX_LENGTH = 254


class InvalidEmail(ValueError):
    """The text given is not an e-mail address; ``message`` says so to the person who typed it."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def clean_email(value) -> str:
    """The address, trimmed; ``InvalidEmail`` when it is none (addresses are compared case-blind)."""
    email = str(value or "").strip()
    try:
        if len(email) > EMAIL_MAX_LENGTH:
            raise ValidationError("too long")
        validate_email(email)
    except ValidationError:
        raise InvalidEmail(_("“%(email)s” is not a valid e-mail address.") % {"email": email[:100]})
    return email


def comment_state(comment: XtdComment) -> str:
    if comment.is_removed:
        return _("removed")
    if not comment.is_public:
        return _("awaiting moderation")
    return _("published")


def person_comments(email: str) -> QuerySet:
    """The comments left with ``email``, or by an account that has it."""
    return XtdComment.norel_objects.filter(Q(user_email__iexact=email) | Q(user__email__iexact=email))


def person_accounts(email: str) -> QuerySet:
    return get_user_model().objects.filter(email__iexact=email).order_by("pk")


def login_records(model, *, email: str, usernames: list[str]) -> QuerySet:
    wanted = Q(username__iexact=email)
    if usernames:
        wanted |= Q(username__in=usernames)
    return model.objects.filter(wanted)


@dataclass
class PersonalData:
    """Everything held about one address, as plain values (what the export files show)."""

    email: str
    generated_at: object = None
    comments: list = field(default_factory=list)
    newsletter: dict | None = None
    accounts: list = field(default_factory=list)
    login_records: list = field(default_factory=list)

    @property
    def followups(self) -> list:
        return [comment for comment in self.comments if comment["followup"]]

    @property
    def is_empty(self) -> bool:
        return not (self.comments or self.newsletter or self.accounts or self.login_records)

    def as_dict(self) -> dict:
        return {
            "email": self.email,
            "generated_at": self.generated_at,
            "comments": self.comments,
            "followups": [
                {"comment": comment["id"], "article": comment["article"]} for comment in self.followups
            ],
            "newsletter": self.newsletter,
            "accounts": self.accounts,
            "login_records": self.login_records,
        }


def _comments(email: str) -> list[dict]:
    comments = list(person_comments(email).order_by("submit_date", "pk"))
    article_ids = {int(c.object_pk) for c in comments if str(c.object_pk).isdigit()}
    articles = Article.objects.only("pk", "title", "slug", "publication_date", "published_at").in_bulk(
        article_ids
    )
    rows = []
    for comment in comments:
        article = articles.get(int(comment.object_pk)) if str(comment.object_pk).isdigit() else None
        rows.append(
            {
                "id": comment.pk,
                "name": comment.user_name,
                "email": comment.user_email,
                "url": comment.user_url,
                "ip_address": comment.ip_address,
                "text": comment.comment,
                "date": comment.submit_date,
                "article": {"title": article.title, "url": article.get_absolute_url()} if article else None,
                "state": comment_state(comment),
                "is_reply": comment.parent_id not in (0, comment.pk),
                "followup": comment.followup,
            }
        )
    return rows


def _newsletter(email: str) -> dict | None:
    subscriber = Subscriber.objects.filter(email__iexact=email).prefetch_related("categories").first()
    if subscriber is None:
        return None
    deliveries = subscriber.delivery_set.select_related("article").order_by("pk")
    return {
        "email": subscriber.email,
        "status": subscriber.get_status_display(),
        "frequency": subscriber.get_frequency_display(),
        "all_categories": subscriber.all_categories,
        "categories": [category.name for category in subscriber.categories.all()],
        "subscribed_at": subscriber.created_at,
        "confirmed_at": subscriber.confirmed_at,
        "unsubscribed_at": subscriber.unsubscribed_at,
        "deliveries": [
            {
                "article": delivery.article.title,
                "status": delivery.get_status_display(),
                "sent_at": delivery.sent_at,
            }
            for delivery in deliveries
        ],
    }


def _accounts(email: str) -> list[dict]:
    return [
        {
            "username": user.get_username(),
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "is_staff": user.is_staff,
            "groups": [group.name for group in user.groups.all()],
        }
        for user in person_accounts(email).prefetch_related("groups")
    ]


def _login_records(email: str, usernames: list[str]) -> list[dict]:
    rows = []
    for model, label in LOGIN_RECORD_MODELS:
        for record in login_records(model, email=email, usernames=usernames).order_by("attempt_time"):
            rows.append(
                {
                    "kind": str(label),
                    "username": record.username,
                    "ip_address": record.ip_address,
                    "user_agent": record.user_agent,
                    "path": record.path_info,
                    "date": record.attempt_time,
                }
            )
    return rows


def personal_data(*, email: str) -> PersonalData:
    """What is held about ``email`` (already cleaned by ``clean_email``)."""
    accounts = _accounts(email)
    return PersonalData(
        email=email,
        generated_at=timezone.now(),
        comments=_comments(email),
        newsletter=_newsletter(email),
        accounts=accounts,
        login_records=_login_records(email, [account["username"] for account in accounts]),
    )
