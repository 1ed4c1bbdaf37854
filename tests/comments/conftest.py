import time

import pytest

from comments.forms import CommentForm


@pytest.fixture
def comment_data():
    """POST data for a comment on ``article``, as a browser sends it a minute after loading the page."""

    def build(article, *, age=60, **fields):
        timestamp = str(int(time.time()) - age)
        form = CommentForm(article)
        data = {
            "content_type": "blog.article",
            "object_pk": str(article.pk),
            "timestamp": timestamp,
            "security_hash": form.generate_security_hash("blog.article", str(article.pk), timestamp),
            "name": "Zoé Lambert",
            "email": "zoe@example.org",
            "url": "",
            "comment": "Merci pour cet article très clair.",
            "reply_to": "0",
            "honeypot": "",
        }
        data.update(fields)
        return data

    return build


@pytest.fixture
def post_comment(client, comment_data, django_capture_on_commit_callbacks):
    """Post a comment like a browser and run what the transaction schedules (mails)."""

    def post(article, *, follow=False, **fields):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/commentaires/post/", comment_data(article, **fields), follow=follow)

    return post
