"""Finding and filling the public comment form, whatever form class the comments app configures."""

import django_comments
import pytest
from django.urls import NoReverseMatch, reverse


def comment_post_url():
    try:
        return reverse("comments-post-comment")
    except NoReverseMatch:
        return None


requires_comments = pytest.mark.skipif(comment_post_url() is None, reason="comments app not installed")


def comment_data(target, **fields):
    """A valid submission for the configured form (security hash, timestamp...), with our fields."""
    form = django_comments.get_form()(target)
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is not None and value is not False:
            data[name] = value
    data.update({"name": "Camille", "email": "camille@example.org", "url": "", "comment": "Bonjour."})
    data.update(fields)
    # Honeypot fields must stay empty.
    for name in ("honeypot", "website", "url_confirm"):
        if name in form.fields and name not in fields:
            data[name] = ""
    return data


def stored_comments(target):
    return django_comments.get_model().objects.filter(object_pk=str(target.pk))
