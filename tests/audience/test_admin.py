"""The editors' dashboard: most read articles, one article's days, referring sites, CSV export."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from audience.admin import csv_safe
from audience.models import DailyReferrer, DailyViews
from tests.factories import ArticleFactory, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

DASHBOARD = "admin:audience_dailyviews_changelist"


@pytest.fixture
def figures(article):
    today = timezone.localdate()
    other = ArticleFactory(title='=HYPERLINK("http://evil.example")')
    DailyViews.objects.create(article=article, day=today, views=40)
    DailyViews.objects.create(article=article, day=today - datetime.timedelta(days=10), views=100)
    DailyViews.objects.create(article=other, day=today - datetime.timedelta(days=1), views=70)
    DailyReferrer.objects.create(article=article, day=today, domain="qwant.com", views=12)
    DailyReferrer.objects.create(article=other, day=today, domain="example.org", views=3)
    CommentFactory.create_batch(2, article=article)
    return article, other


@pytest.fixture
def viewer_client(client):
    """Staff who may view the figures but is no superuser."""
    user = UserFactory(username="analyste", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_dailyviews"))
    client.force_login(user)
    return client


def test_the_dashboard_shows_the_most_read_with_their_comments(
    viewer_client, figures, django_assert_max_num_queries
):
    article, other = figures
    with django_assert_max_num_queries(12):
        response = viewer_client.get(reverse(DASHBOARD))
    assert response.status_code == 200
    week = response.context["week"]
    month = response.context["month"]
    assert [(row.article, row.views) for row in week] == [(other, 70), (article, 40)]
    assert [(row.article, row.views) for row in month] == [(article, 140), (other, 70)]
    assert month[0].article.comment_count == 2
    content = response.content.decode()
    assert "Audience" in content
    assert "qwant.com" in content
    assert reverse("admin:audience_dailyviews_article", args=[article.pk]) in content


def test_the_article_page_draws_its_days(viewer_client, figures):
    article, _other = figures
    response = viewer_client.get(
        reverse("admin:audience_dailyviews_article", args=[article.pk]), {"jours": "7"}
    )
    assert response.status_code == 200
    assert response.context["total"] == 40
    assert len(response.context["chart"].bars) == 7
    content = response.content.decode()
    assert "<svg" in content and "<rect" in content
    assert "<script" not in content.split('id="content-main"')[1]


@pytest.mark.parametrize("jours", ["abc", "-1", "0", "100000000000000000000", "7.5", "%00", "30' OR 1=1"])
def test_bad_parameters_fall_back_to_30_days(viewer_client, figures, jours):
    article, _other = figures
    for url in (
        reverse(DASHBOARD),
        reverse("admin:audience_dailyviews_article", args=[article.pk]),
        reverse("admin:audience_dailyviews_export"),
    ):
        response = viewer_client.get(url, {"jours": jours})
        assert response.status_code == 200, url


def test_an_unknown_article_is_404(viewer_client):
    assert viewer_client.get(reverse("admin:audience_dailyviews_article", args=[999999])).status_code == 404


def test_the_csv_export_is_safe_for_spreadsheets(viewer_client, figures):
    response = viewer_client.get(reverse("admin:audience_dailyviews_export"), {"jours": "30"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 4
    titles = [row[2] for row in rows[1:]]
    assert '\'=HYPERLINK("http://evil.example")' in titles
    assert all(not title.startswith(("=", "+", "-", "@")) for title in titles)


@pytest.mark.parametrize("value", ["=1+1", "+33 1", "-2", "@SUM(A1)", "\tx"])
def test_csv_cells_starting_like_a_formula_are_quoted(value):
    assert csv_safe(value) == "'" + value


def test_csv_cells_of_plain_text_are_kept():
    assert csv_safe("Élections 2026") == "Élections 2026"


@pytest.mark.parametrize("name", [DASHBOARD, "admin:audience_dailyviews_export"])
def test_anonymous_readers_are_sent_to_the_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_anonymous_readers_cannot_see_an_article_page(client, article):
    response = client.get(reverse("admin:audience_dailyviews_article", args=[article.pk]))
    assert response.status_code == 302


@pytest.mark.parametrize(
    "url",
    [
        lambda article: reverse(DASHBOARD),
        lambda article: reverse("admin:audience_dailyviews_article", args=[article.pk]),
        lambda article: reverse("admin:audience_dailyviews_export"),
    ],
)
def test_staff_without_the_view_permission_is_refused(client, article, url):
    client.force_login(UserFactory(username="stagiaire", is_staff=True))
    assert client.get(url(article)).status_code == 403


def test_the_figures_cannot_be_edited(viewer_client, staff_client, figures):
    row = DailyViews.objects.first()
    assert staff_client.get(reverse("admin:audience_dailyviews_add")).status_code == 403
    assert staff_client.get(reverse("admin:audience_dailyviews_change", args=[row.pk])).status_code == 404
    assert staff_client.get(reverse("admin:audience_dailyviews_delete", args=[row.pk])).status_code == 403


def test_an_empty_dashboard_says_so(staff_client):
    response = staff_client.get(reverse(DASHBOARD))
    assert response.status_code == 200
    assert response.context["week"] == []


def test_the_dashboard_counts_what_its_own_process_buffered(viewer_client, article):
    """Under `make run` the cache is the server's own memory: the worker never sees it, the dashboard does."""
    import time

    from audience import services

    for _ in range(3):
        services.view_count(article_id=article.pk, stamp=time.time() - 600)

    response = viewer_client.get(reverse(DASHBOARD))

    assert response.status_code == 200
    assert DailyViews.objects.get(article=article).views == 3
