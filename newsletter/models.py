"""Subscribers, and what each article's sending has done (one delivery row per article and person).

A ``Delivery`` row is written before its message leaves and is unique per
(article, subscriber): an article is never sent twice to the same person, even
when a worker dies mid-send (a row left "sending" is never sent again) or the
article is unpublished and published again.
"""

import secrets

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from blog.models import Article, Category


def new_token() -> str:
    return secrets.token_urlsafe(32)


class SubscriberQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Subscriber.Status.ACTIVE)

    def interested_in(self, article: Article):
        """Active subscribers who want ``article``: the whole blog, or its category or one above it."""
        categories = []
        category = article.category
        while category is not None and category.pk not in categories:
            categories.append(category.pk)
            category = category.parent
        wanted = models.Q(all_categories=True)
        if categories:
            wanted |= models.Q(categories__in=categories)
        return self.active().filter(wanted).distinct()


class Subscriber(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting confirmation")
        ACTIVE = "active", _("Subscribed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
        # The mail provider reported a bounce, a complaint or a refusal (newsletter.signals).
        STOPPED = "stopped", _("Stopped (bounce or complaint)")

    class Frequency(models.TextChoices):
        EACH = "each", _("Each new article")
        WEEKLY = "weekly", _("A weekly digest")

    email = models.EmailField(_("e-mail address"), max_length=254, unique=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.EACH
    )
    all_categories = models.BooleanField(
        _("the whole blog"), default=True, help_text=_("Untick to receive only the chosen categories.")
    )
    categories = models.ManyToManyField(Category, verbose_name=_("categories"), blank=True)
    # The secret of the reader's links (confirm, preferences, unsubscribe): random,
    # stored, so that it never depends on a signing salt and can be replaced.
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("subscribed"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    stopped_reason = models.CharField(
        _("why sending stopped"),
        max_length=255,
        blank=True,
        help_text=_("What the mail provider reported (bounce, complaint…). Empty for a reader's own choice."),
    )
    # The moment up to which the weekly digest has covered articles.
    digest_until = models.DateTimeField(_("digest sent up to"), null=True, blank=True, editable=False)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("newsletter subscriber")
        verbose_name_plural = _("newsletter subscribers")
        indexes = [models.Index(fields=["status", "frequency"], name="subscriber_status_freq_idx")]

    def __str__(self):
        return self.email

    def get_absolute_url(self):
        return reverse("newsletter:preferences", kwargs={"token": self.token})


class ArticleSend(models.Model):
    """An article's sending to the "each new article" subscribers: created once, when it is first public."""

    article = models.OneToOneField(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="newsletter_send"
    )
    queued_at = models.DateTimeField(_("queued"), auto_now_add=True)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        ordering = ["-queued_at"]
        verbose_name = _("article sending")
        verbose_name_plural = _("article sendings")

    def __str__(self):
        return str(self.article)

    def get_absolute_url(self):
        return self.article.get_absolute_url()


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    article = models.ForeignKey(Article, verbose_name=_("article"), on_delete=models.CASCADE)
    subscriber = models.ForeignKey(Subscriber, verbose_name=_("subscriber"), on_delete=models.CASCADE)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    in_digest = models.BooleanField(_("in a digest"), default=False)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("last error"), blank=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["article", "subscriber"], name="delivery_once_per_article"),
        ]
        indexes = [models.Index(fields=["article", "status"], name="delivery_article_status_idx")]

    def __str__(self):
        return f"{self.article} → {self.subscriber}"
