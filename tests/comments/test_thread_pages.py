"""Long threads: pages of conversations, newest or oldest first, and links that find a comment's page."""

import re

import pytest
from django.core import mail
from django_comments_xtd.models import XtdComment

from comments import services
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def long_thread(article, settings):
    """12 conversations, 5 a page; the first has a reply."""
    settings.COMMENTS_THREADS_PER_PAGE = 5
    roots = [CommentFactory(article=article, comment=f"Conversation {n:02d}.") for n in range(1, 13)]
    reply = CommentFactory(article=article, parent_id=roots[0].pk, comment="Réponse à la première.")
    return roots, reply


def shown(client, url):
    page = client.get(url).content.decode()
    return re.findall(r"Conversation (\d\d)\.", page), page


def test_a_long_thread_comes_in_pages_oldest_first(client, article, long_thread):
    url = article.get_absolute_url()
    first, page = shown(client, url)
    assert first == ["01", "02", "03", "04", "05"]
    assert "Réponse à la première." in page
    assert f'href="{url}?commentaires=2#comments"' in page
    assert f'href="{url}?commentaires=3#comments"' in page
    assert '<span aria-current="page">1</span>' in page

    assert shown(client, f"{url}?commentaires=2")[0] == ["06", "07", "08", "09", "10"]
    assert shown(client, f"{url}?commentaires=3")[0] == ["11", "12"]


@pytest.mark.parametrize("number", ["99", "0", "abc", "-1", "1" * 12])
def test_an_impossible_page_number_shows_a_real_page(client, article, long_thread, number):
    response = client.get(f"{article.get_absolute_url()}?commentaires={number}")
    assert response.status_code == 200
    assert re.findall(r"Conversation (\d\d)\.", response.content.decode()) in (
        ["01", "02", "03", "04", "05"],
        ["11", "12"],
    )


def test_newest_first_on_request(client, article, long_thread):
    url = article.get_absolute_url()
    newest, page = shown(client, f"{url}?ordre=recents")
    assert newest == ["12", "11", "10", "09", "08"]
    assert f'href="{url}?ordre=recents&amp;commentaires=2#comments"' in page
    assert shown(client, f"{url}?ordre=recents&commentaires=3")[0] == ["02", "01"]


def test_the_order_toggle_shows_for_long_threads_only(
    client, article, settings, django_capture_on_commit_callbacks
):
    settings.COMMENTS_THREADS_PER_PAGE = 50
    CommentFactory(article=article)
    assert "comments__order" not in client.get(article.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(9):
            CommentFactory(article=article)
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'href="{article.get_absolute_url()}?ordre=recents#comments"' in page


def test_links_on_a_later_page_keep_it(client, article, long_thread):
    roots, _ = long_thread
    url = article.get_absolute_url()
    page = client.get(f"{url}?commentaires=2").content.decode()
    sixth = roots[5]
    assert f'href="{url}?commentaires=2#c{sixth.pk}"' in page
    assert f'href="{url}?commentaires=2&amp;reply_to={sixth.pk}#comment-form"' in page

    # Without JavaScript, the reply link opens the form under the comment, on its page.
    page = client.get(f"{url}?commentaires=2&reply_to={sixth.pk}").content.decode()
    comment_markup = page.split(f'id="c{sixth.pk}"', 1)[1]
    assert comment_markup.index('id="comment-form"') < comment_markup.index("Conversation 07.")


def test_each_page_and_order_is_cached_on_its_own(client, article, long_thread):
    url = article.get_absolute_url()
    for _ in range(2):
        assert shown(client, url)[0][0] == "01"
        assert shown(client, f"{url}?commentaires=2")[0][0] == "06"
        assert shown(client, f"{url}?ordre=recents")[0][0] == "12"


def test_a_later_page_costs_what_the_first_costs(
    client, article, long_thread, settings, django_assert_max_num_queries
):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    url = article.get_absolute_url()
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        client.get(url)
    with django_assert_max_num_queries(len(first)):
        client.get(f"{url}?ordre=recents&commentaires=3")


def test_a_new_comment_leads_to_the_page_that_shows_it(
    client, article, long_thread, post_comment, settings, django_capture_on_commit_callbacks
):
    settings.COMMENTS_PREMODERATE_FIRST_TIME = False
    CommentFactory(article=article, user_email="suiveur@example.org", followup=True)  # 13th conversation
    post_comment(article, comment="La quatorzième conversation.")
    path = re.search(r"https?://[^/\s]+(/commentaires/confirm/[^\s]+/)", mail.outbox[0].body).group(1)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(path)

    comment = XtdComment.objects.get(comment="La quatorzième conversation.")
    assert response["Location"] == f"{article.get_absolute_url()}?commentaires=3#c{comment.pk}"
    (followup,) = [message for message in mail.outbox if message.to == ["suiveur@example.org"]]
    assert f"{article.get_absolute_url()}?commentaires=3#c{comment.pk}" in followup.body


def test_a_reply_is_found_on_its_conversations_page(article, long_thread):
    roots, reply = long_thread
    assert services.comment_url(reply, article) == f"{article.get_absolute_url()}#c{reply.pk}"
    later = CommentFactory(article=article, parent_id=roots[7].pk)
    assert services.comment_url(later, article) == f"{article.get_absolute_url()}?commentaires=2#c{later.pk}"


def test_feed_items_link_to_the_page_that_shows_the_comment(
    client, article, long_thread, django_assert_max_num_queries
):
    roots, reply = long_thread
    url = article.get_absolute_url()
    removed = CommentFactory(
        article=article, comment="Retiré.", is_removed=True
    )  # no reply: not a conversation
    with django_assert_max_num_queries(6):
        feeds = [client.get("/commentaires/flux/").content.decode()]
    feeds.append(client.get(f"/commentaires/flux/article/{article.pk}/").content.decode())
    for feed in feeds:
        assert f"{url}#c{roots[0].pk}</link>" in feed
        assert f"{url}#c{reply.pk}</link>" in feed  # a reply is on its conversation's page
        assert f"{url}?commentaires=2#c{roots[5].pk}</link>" in feed
        assert f"{url}?commentaires=3#c{roots[11].pk}</link>" in feed
        assert f"#c{removed.pk}<" not in feed
    # The feed's link and the page agree.
    assert f'id="c{roots[11].pk}"' in client.get(f"{url}?commentaires=3").content.decode()


def test_feed_items_of_short_discussions_link_to_the_article(client, article):
    comment = CommentFactory(article=article)
    feed = client.get("/commentaires/flux/").content.decode()
    assert f"{article.get_absolute_url()}#c{comment.pk}</link>" in feed


def test_a_comments_page_is_found_in_one_query(client, article, long_thread, django_assert_num_queries):
    from comments import selectors

    roots, reply = long_thread
    XtdComment.norel_objects.filter(pk=roots[1].pk).update(is_removed=True)  # no reply: gone from the page
    XtdComment.norel_objects.filter(pk=roots[0].pk).update(
        is_removed=True
    )  # a reply: stays, as a placeholder
    with django_assert_num_queries(1):
        assert selectors.comment_page_query(article=article, comment=reply) == ""
    assert selectors.comment_page_query(article=article, comment=roots[5]) == ""
    assert selectors.comment_page_query(article=article, comment=roots[6]) == "?commentaires=2"
    assert selectors.comment_page_query(article=article, comment=roots[11]) == "?commentaires=3"
    url = article.get_absolute_url()
    assert shown(client, f"{url}?commentaires=2")[0] == ["07", "08", "09", "10", "11"]
