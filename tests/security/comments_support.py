"""Filling and posting the public comment form (comments.forms.CommentForm) like a browser."""

import html
import re
import time

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import NoReverseMatch, reverse
from django_comments_xtd.models import XtdComment

from comments.forms import CommentForm

CONFIRM_LINK = re.compile(r"https?://[^/\s]+(/commentaires/confirm/[^\s]+/)")


def page_text(response):
    """The page as a reader sees its text: HTML entities (&#x27; for ’ or ') decoded."""
    return html.unescape(response.content.decode())


def comment_post_url():
    try:
        return reverse("comments:post")
    except NoReverseMatch:
        return None


requires_comments = pytest.mark.skipif(comment_post_url() is None, reason="comments app not installed")


def comment_data(target, *, age=60, **fields):
    """A valid submission for ``target``, as sent ``age`` seconds after the page was shown.

    The default age is well above COMMENTS_MIN_SUBMIT_SECONDS, so only the
    given ``fields`` can make the form refuse it.
    """
    timestamp = str(int(time.time()) - age)
    object_pk = str(target.pk)
    data = {
        "content_type": "blog.article",
        "object_pk": object_pk,
        "timestamp": timestamp,
        "security_hash": CommentForm(target).generate_security_hash("blog.article", object_pk, timestamp),
        "name": "Camille",
        "email": "camille@example.org",
        "url": "",
        "comment": "Bonjour.",
        "reply_to": "0",
        "honeypot": "",
    }
    data.update(fields)
    return data


def post_comment(client, data, **extra):
    """POST to the real comment view and run what its transaction schedules (the e-mails)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(comment_post_url(), data, **extra)


def confirm_sent_comments(client):
    """Click every confirmation link e-mailed so far, as the anonymous posters would."""
    responses = []
    for message in list(mail.outbox):
        link = CONFIRM_LINK.search(message.body)
        if link:
            with TestCase.captureOnCommitCallbacks(execute=True):
                responses.append(client.get(link.group(1)))
    return responses


def stored_comments(target):
    return XtdComment.objects.filter(content_type__app_label="blog", object_pk=str(target.pk))
