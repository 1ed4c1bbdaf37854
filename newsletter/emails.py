"""The newsletter's messages: HTML and plain text, in the site's language, links absolute.

Every message to a subscriber carries a one-click unsubscribe (RFC 8058):
``List-Unsubscribe`` with the POST address and ``List-Unsubscribe-Post``.
"""

import re

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from comments.services import absolute_url

from .models import Subscriber

# Our own sanitised HTML (medialib.sanitize) only: site-relative links and images
# become absolute, responsive image sets are dropped (mail readers ignore them or
# fetch every size).
RELATIVE_LINK_RE = re.compile(r'\b(href|src)="/(?!/)')
SRCSET_RE = re.compile(r'\s(?:srcset|sizes)="[^"]*"')


def absolute_html(html: str) -> str:
    base = absolute_url("/")
    return RELATIVE_LINK_RE.sub(lambda m: f'{m.group(1)}="{base}', SRCSET_RE.sub("", html))


def file_url(field) -> str:
    url = field.url
    return url if url.startswith(("http://", "https://")) else absolute_url(url)


def subscriber_links(subscriber: Subscriber) -> dict:
    return {
        "preferences_url": absolute_url(
            reverse("newsletter:preferences", kwargs={"token": subscriber.token})
        ),
        "unsubscribe_url": absolute_url(
            reverse("newsletter:unsubscribe", kwargs={"token": subscriber.token})
        ),
    }


def article_context(article) -> dict:
    """What a message shows of ``article``: the same for every subscriber, computed once per batch."""
    body = article.body_html or article.body
    return {
        "article": article,
        "article_url": absolute_url(article.get_absolute_url()),
        "image_url": file_url(article.featured_image) if article.featured_image else "",
        "content_html": absolute_html(body) if settings.NEWSLETTER_FULL_CONTENT else "",
        "content_text": strip_tags(body) if settings.NEWSLETTER_FULL_CONTENT else "",
    }


def build(*, subject: str, template: str, context: dict, subscriber: Subscriber, list_mail: bool = True):
    context = {"blog_name": settings.BLOG_NAME, "site_url": absolute_url("/"), **context}
    links = subscriber_links(subscriber)
    context.update(links)
    headers = {}
    if list_mail:
        headers = {
            "List-Unsubscribe": f"<{links['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    message = EmailMultiAlternatives(
        subject,
        render_to_string(f"newsletter/email/{template}.txt", context),
        settings.NEWSLETTER_FROM_EMAIL,
        [subscriber.email],
        headers=headers,
    )
    message.attach_alternative(render_to_string(f"newsletter/email/{template}.html", context), "text/html")
    return message


def article_message(*, article_context: dict, subscriber: Subscriber) -> EmailMultiAlternatives:
    with translation.override(settings.LANGUAGE_CODE):
        return build(
            subject=article_context["article"].title,
            template="article",
            context={**article_context, "article_item": article_context},
            subscriber=subscriber,
        )


def digest_message(*, articles: list, subscriber: Subscriber) -> EmailMultiAlternatives:
    with translation.override(settings.LANGUAGE_CODE):
        return build(
            subject=_("This week on %(blog)s") % {"blog": settings.BLOG_NAME},
            template="digest",
            context={"articles": [article_context(article) for article in articles]},
            subscriber=subscriber,
        )


def confirmation_message(subscriber: Subscriber) -> EmailMultiAlternatives:
    with translation.override(settings.LANGUAGE_CODE):
        confirm_url = absolute_url(reverse("newsletter:confirm", kwargs={"token": subscriber.token}))
        return build(
            subject=_("Confirm your subscription to %(blog)s") % {"blog": settings.BLOG_NAME},
            template="confirm",
            context={"confirm_url": confirm_url, "subscriber": subscriber},
            subscriber=subscriber,
            list_mail=False,
        )


def already_subscribed_message(subscriber: Subscriber) -> EmailMultiAlternatives:
    with translation.override(settings.LANGUAGE_CODE):
        return build(
            subject=_("Your subscription to %(blog)s") % {"blog": settings.BLOG_NAME},
            template="already_subscribed",
            context={"subscriber": subscriber},
            subscriber=subscriber,
            list_mail=False,
        )
