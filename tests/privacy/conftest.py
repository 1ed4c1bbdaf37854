import pytest
from axes.models import AccessAttempt, AccessFailureLog

from newsletter.models import Subscriber
from tests.factories import ArticleFactory, CategoryFactory

PERSON = "Camille.Martin@example.org"
OTHER = "autre@example.org"


@pytest.fixture
def person(db, make_comment):
    """Someone with a bit of everything: comments (one answered), follow-ups, a subscription, login records.

    - ``answered``: their comment, with a reply by someone else under it;
    - ``alone``: their comment with no reply, following the discussion;
    - ``reply``: their reply under someone else's comment.
    """
    article = ArticleFactory(title="Le podcast en 2025")
    second = ArticleFactory(title="Les réseaux sociaux")
    fields = {"user_name": "Camille", "user_email": PERSON, "user_url": "https://camille.example.org/"}
    answered = make_comment(article, "Mon premier avis.", ip_address="203.0.113.7", **fields)
    others_reply = make_comment(article, "Je ne suis pas d'accord.", parent=answered, user_email=OTHER)
    alone = make_comment(second, "Un second avis.", ip_address="203.0.113.7", followup=True, **fields)
    others = make_comment(second, "Un avis d'une autre.", user_email=OTHER)
    reply = make_comment(second, "Bien vu !", parent=others, **{**fields, "user_email": PERSON.lower()})
    subscriber = Subscriber.objects.create(
        email=PERSON.lower(), status=Subscriber.Status.ACTIVE, all_categories=False
    )
    subscriber.categories.set([CategoryFactory(name="Podcasts")])
    login = {
        "ip_address": "203.0.113.8",
        "user_agent": "Firefox",
        "http_accept": "*/*",
        "path_info": "/admin/",
    }
    AccessFailureLog.objects.create(username=PERSON, **login)
    AccessAttempt.objects.create(username=PERSON, get_data="", post_data="", failures_since_start=1, **login)
    return {
        "email": PERSON,
        "article": article,
        "answered": answered,
        "others_reply": others_reply,
        "alone": alone,
        "others": others,
        "reply": reply,
        "subscriber": subscriber,
    }
