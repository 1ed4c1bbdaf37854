"""Demo discussions: realistic French threads (``data/discussions.json``) under the demo articles.

``create_demo_discussions()`` is called by the demo-content command. It writes
stock ``XtdComment`` rows through their own ``save()`` (so threading data is
right) and is idempotent: a comment already there (same article, address and
text) is not written again.
"""

import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_comments_xtd.models import XtdComment

from blog.models import Article, author_display_name
from comments import selectors

AUTHOR = "__author__"


@dataclass
class Remark:
    """One comment of a demo thread; ``name == AUTHOR`` means the article's author answers."""

    name: str
    text: str
    replies: list["Remark"] = field(default_factory=list)
    url: str = ""
    pending: bool = False
    followup: bool = False

    @property
    def email(self):
        return "".join(ch for ch in self.name.lower() if ch.isalnum()) + "@exemple.fr"


def _remark(data: dict) -> Remark:
    return Remark(**{**data, "replies": [_remark(reply) for reply in data.get("replies", [])]})


# One list of remarks per thread; a remark's url, pending, followup and replies are optional.
_DATA = json.loads((Path(__file__).parent / "data" / "discussions.json").read_text(encoding="utf-8"))
THREADS = [[_remark(data) for data in thread] for thread in _DATA]


def create_demo_discussions(*, articles, stdout=None) -> int:
    """Write the demo threads under the given published articles; returns how many comments were added.

    Threads rotate over the articles; pending comments stay pending (they show
    in the moderation queue); replies of the article's author are posted as
    that user, so the page marks them. Running it again adds nothing.
    """
    created = 0
    with transaction.atomic():
        for index, article in enumerate(articles):
            if not isinstance(article, Article) or not article.is_public:
                continue
            thread = THREADS[index % len(THREADS)]
            start = article.published_at + datetime.timedelta(hours=2)
            clock = _Clock(start)
            for remark in thread:
                created += _write(remark, article=article, parent=None, clock=clock)
    if stdout is not None:
        stdout.write(f"Demo discussions: {created} comments added.\n")
    return created


class _Clock:
    """Dates after the article's publication, never in the future."""

    def __init__(self, start):
        self.current = start
        # A recent article gets a livelier discussion than one from last year.
        room = (timezone.now() - start) / 12
        self.step = max(min(datetime.timedelta(hours=5, minutes=17), room), datetime.timedelta(minutes=1))

    def tick(self):
        self.current += self.step
        return min(self.current, timezone.now() - datetime.timedelta(minutes=1))


def _write(remark: Remark, *, article: Article, parent: XtdComment | None, clock: _Clock) -> int:
    is_author = remark.name == AUTHOR
    name = author_display_name(article.author) if is_author else remark.name
    email = (article.author.email or remark.email) if is_author else remark.email
    submit_date = clock.tick()
    comment = selectors.article_comments(article).filter(user_email=email, comment=remark.text).first()
    created = 0
    if comment is None:
        comment = XtdComment(
            content_type=selectors.article_content_type(),
            object_pk=str(article.pk),
            site_id=settings.SITE_ID,
            user=article.author if is_author else None,
            user_name=name[:50],
            user_email=email,
            user_url=remark.url,
            comment=remark.text,
            submit_date=submit_date,
            is_public=not remark.pending,
            is_removed=False,
            followup=remark.followup,
            parent_id=parent.pk if parent else 0,
        )
        comment.save()
        created = 1
    if comment.is_public:
        for reply in remark.replies:
            created += _write(reply, article=article, parent=comment, clock=clock)
    return created
