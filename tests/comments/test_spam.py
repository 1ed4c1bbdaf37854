"""Spam and abuse defences: each refusal is explicit and saves nothing."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from django_comments_xtd.models import XtdComment

from comments import services
from tests.factories import ArticleFactory, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

CHECKER_CALLS = []


def fake_spam_checker(*, article, data):
    """Stands in for an Akismet-style service: anything mentioning casinos is spam."""
    CHECKER_CALLS.append(data)
    return "casino" in data["comment"].lower()


def broken_spam_checker(*, article, data):
    raise ConnectionError("the service is down")


@pytest.fixture
def logged_in(client):
    client.force_login(UserFactory(email="lecteur@example.org"))
    return client


def assert_refused(response, message, status=400):
    assert response.status_code == status
    assert message in response.content.decode()
    assert not XtdComment.objects.exists()
    assert mail.outbox == []


def test_honeypot_filled_is_refused(article, post_comment):
    assert_refused(post_comment(article, honeypot="http://spam.example"), "pris pour du spam")


def test_posting_right_after_loading_the_page_is_refused(article, post_comment):
    assert_refused(post_comment(article, age=0), "Vous avez envoyé votre commentaire trop vite")


def test_a_form_left_open_for_hours_has_expired(article, post_comment):
    assert_refused(post_comment(article, age=3 * 60 * 60), "Ce formulaire a expiré")


def test_a_forged_timestamp_is_refused(article, comment_data, client):
    data = comment_data(article)
    data["timestamp"] = str(int(data["timestamp"]) - 10)
    response = client.post("/commentaires/post/", data)
    assert_refused(response, "Ce formulaire n’est pas valide")


def test_the_error_page_gives_a_fresh_form_that_keeps_what_was_typed(article, post_comment):
    response = post_comment(article, age=0, comment="Mon texte, à ne pas perdre.")
    html = response.content.decode()
    assert "Mon texte, à ne pas perdre." in html
    assert 'id="comment-form"' in html


@pytest.mark.parametrize("field", ["comment", "name", "email"])
def test_blank_fields_are_refused(article, post_comment, field):
    response = post_comment(article, **{field: "   "})
    assert response.status_code == 400
    assert "field--error" in response.content.decode()
    assert not XtdComment.objects.exists()


def test_a_blank_comment_says_so(article, post_comment):
    assert_refused(post_comment(article, comment="  \n  "), "Votre commentaire est vide.")


def test_too_long_comments_are_refused(article, post_comment, settings):
    response = post_comment(article, comment="a" * (settings.COMMENT_MAX_LENGTH + 1))
    assert_refused(response, 'class="field__error"')
    assert str(settings.COMMENT_MAX_LENGTH) in response.content.decode().split('class="field__error"')[1]


def test_too_long_names_are_refused(article, post_comment):
    response = post_comment(article, name="n" * 51)
    assert_refused(response, 'class="field__error"')
    assert "50" in response.content.decode().split('class="field__error"')[1]


def test_an_invalid_website_is_refused(article, post_comment):
    response = post_comment(article, url="javascript:alert(1)")
    assert_refused(response, 'class="field__error"')
    assert 'href="javascript' not in response.content.decode()


def test_a_duplicate_comment_is_refused_with_a_message(article, post_comment, logged_in):
    first = post_comment(article, name="", email="", comment="Deux fois la même chose.")
    assert first.status_code == 302

    response = post_comment(article, name="", email="", comment="Deux fois la même chose.")

    assert response.status_code == 400
    assert "déjà envoyé ce commentaire" in response.content.decode()
    assert XtdComment.objects.count() == 1


def test_the_rate_limit_answers_429_and_saves_nothing(article, post_comment, settings):
    settings.COMMENTS_RATE_LIMIT = 2
    assert post_comment(article, comment="Premier").status_code == 302
    assert post_comment(article, comment="Deuxième").status_code == 302
    mail.outbox.clear()

    response = post_comment(article, comment="Troisième")

    assert response.status_code == 429
    assert "Trop de commentaires" in response.content.decode()
    assert mail.outbox == []


def test_the_rate_limit_counts_per_address(article, post_comment, settings, client, comment_data):
    settings.COMMENTS_RATE_LIMIT = 1
    assert post_comment(article, comment="Premier").status_code == 302
    response = client.post("/commentaires/post/", comment_data(article), REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 302


def test_behind_a_proxy_the_last_forwarded_address_is_limited(article, client, comment_data, settings):
    settings.COMMENTS_RATE_LIMIT = 1
    settings.TRUSTED_PROXY_COUNT = 1
    first = client.post(
        "/commentaires/post/", comment_data(article), HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.5"
    )
    spoofed = client.post(
        "/commentaires/post/",
        comment_data(article, comment="Autre"),
        HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.5",
    )
    assert first.status_code == 302
    assert spoofed.status_code == 429


def test_behind_a_proxy_each_reader_has_their_own_limit(article, client, comment_data, settings):
    """The proxy's own address (REMOTE_ADDR) is shared by every reader: it is not what is counted."""
    settings.COMMENTS_RATE_LIMIT = 1
    settings.TRUSTED_PROXY_COUNT = 1
    statuses = [
        client.post(
            "/commentaires/post/",
            comment_data(article, comment=f"Avis {n}", email=f"lecteur{n}@example.org"),
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        ).status_code
        for n in (1, 2)
    ]
    assert statuses == [302, 302]


def test_comments_with_many_links_wait_for_moderation(article, post_comment, logged_in, settings):
    settings.COMMENTS_PREMODERATE_FIRST_TIME = False
    settings.COMMENTS_MAX_LINKS = 2
    text = "Voir https://a.example, https://b.example et www.c.example"

    post_comment(article, name="", email="", comment=text)

    comment = XtdComment.objects.get()
    assert not comment.is_public and not comment.is_removed


def test_comments_with_few_links_are_published(article, post_comment, logged_in, settings):
    settings.COMMENTS_PREMODERATE_FIRST_TIME = False
    post_comment(article, name="", email="", comment="Une source : https://a.example")
    assert XtdComment.objects.get().is_public


def test_the_spam_checker_is_off_by_default(article, post_comment, logged_in, settings):
    settings.COMMENTS_PREMODERATE_FIRST_TIME = False
    CHECKER_CALLS.clear()
    post_comment(article, name="", email="", comment="Le meilleur casino en ligne")
    assert CHECKER_CALLS == []
    assert XtdComment.objects.get().is_public


def test_the_spam_checker_holds_what_it_suspects(article, post_comment, logged_in, settings):
    settings.COMMENTS_PREMODERATE_FIRST_TIME = False
    settings.COMMENTS_SPAM_CHECKER = "tests.comments.test_spam.fake_spam_checker"
    CHECKER_CALLS.clear()

    post_comment(article, name="", email="", comment="Le meilleur casino en ligne")
    post_comment(article, name="", email="", comment="Un avis sincère")

    held, published = XtdComment.objects.order_by("pk")
    assert not held.is_public and not held.is_removed
    assert published.is_public
    assert CHECKER_CALLS[0]["email"] == "lecteur@example.org"
    assert CHECKER_CALLS[0]["ip_address"] == "127.0.0.1"


def test_a_failing_spam_checker_never_loses_the_comment(article, post_comment, logged_in, settings):
    settings.COMMENTS_PREMODERATE_FIRST_TIME = False
    settings.COMMENTS_SPAM_CHECKER = "tests.comments.test_spam.broken_spam_checker"
    response = post_comment(article, name="", email="", follow=True)
    comment = XtdComment.objects.get()
    assert not comment.is_public
    assert "dès qu’un modérateur l’aura approuvé" in response.content.decode()


# Closed discussions
# ------------------------------------------------------------------------------


def test_posting_on_a_closed_article_shows_a_proper_page(client, post_comment):
    article = ArticleFactory(comments_enabled=False)
    response = post_comment(article)
    assert_refused(response, "Les commentaires sont fermés", status=403)
    assert article.get_absolute_url() in response.content.decode()


def test_discussions_close_by_themselves_after_the_delay(client, post_comment, settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 90
    old = ArticleFactory(published_at=timezone.now() - datetime.timedelta(days=91))
    CommentFactory(article=old, comment="Un ancien avis.")

    assert_refused_page = post_comment(old, comment="Trop tard")
    assert assert_refused_page.status_code == 403
    html = client.get(old.get_absolute_url()).content.decode()
    assert "Un ancien avis." in html
    assert "Les commentaires sont fermés sur cet article." in html
    assert 'id="comment-form"' not in html
    assert "?reply_to=" not in html


def test_zero_days_means_discussions_never_close(client, settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 0
    old = ArticleFactory(published_at=timezone.now() - datetime.timedelta(days=3000))
    assert 'id="comment-form"' in client.get(old.get_absolute_url()).content.decode()


def test_a_closed_thread_refuses_replies_even_through_the_service(article, comment_data):
    from comments.forms import CommentForm

    form = CommentForm(article, data=comment_data(article))
    assert form.is_valid(), form.errors
    article.comments_enabled = False
    with pytest.raises(services.CommentRefused):
        services.comment_submit(form=form, user=None, ip_address="127.0.0.1")
