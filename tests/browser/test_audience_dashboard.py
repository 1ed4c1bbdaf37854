"""In chromium, through the real admin: an editor reads the audience figures and downloads them."""

import csv
import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from audience.models import DailyReferrer, DailyViews
from tests.factories import ArticleFactory, CommentFactory, EditorUserFactory


@pytest.fixture
def figures(transactional_db):
    """Two articles read over the last weeks, with referring sites and comments."""
    today = timezone.localdate()
    recent = ArticleFactory(title="Communication de crise : tout se joue dans la première heure")
    older = ArticleFactory(title="Bilan de l’année sur les réseaux sociaux")
    for days_ago, views in [(0, 40), (1, 25), (3, 10)]:
        DailyViews.objects.create(article=recent, day=today - datetime.timedelta(days=days_ago), views=views)
    for days_ago, views in [(2, 5), (12, 300)]:
        DailyViews.objects.create(article=older, day=today - datetime.timedelta(days=days_ago), views=views)
    DailyReferrer.objects.create(article=recent, day=today, domain="qwant.com", views=12)
    DailyReferrer.objects.create(article=recent, day=today, domain="lemonde.fr", views=4)
    twelve_days_ago = today - datetime.timedelta(days=12)
    DailyReferrer.objects.create(article=older, day=twelve_days_ago, domain="linkedin.com", views=30)
    CommentFactory.create_batch(3, article=recent)
    CommentFactory(article=recent, is_public=False)  # awaiting moderation: not counted
    CommentFactory(article=older)
    return recent, older


def rows_of(module):
    """(title, views, comments) of each line of a "most read" table."""
    return [
        tuple(cell.strip() for cell in row)
        for row in module.locator("tbody tr").evaluate_all(
            "rows => rows.map(row => [...row.cells].map(cell => cell.innerText))"
        )
    ]


def assert_fits(page, name):
    """Nothing wider than the window: no sideways scrolling at 1280 px."""
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{name} overflows by {overflow}px"


def test_an_editor_reads_the_audience_and_downloads_it(live_server, page, figures, artifacts):
    recent, older = figures
    EditorUserFactory(username="editrice")
    assert page.viewport_size["width"] == 1280

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "editrice")
    page.fill("#id_password", "password")
    page.click("input[type=submit]")
    # The role brings the dashboard: it is on the admin's home.
    page.locator('a[href$="/admin/audience/dailyviews/"]').first.click()

    expect(page.locator("h1")).to_have_text("Audience")
    week, month = page.locator(".audience-most-read").all()
    expect(week.locator("h2")).to_contain_text("7")
    expect(month.locator("h2")).to_contain_text("30")
    assert rows_of(week) == [(recent.title, "75", "3"), (older.title, "5", "1")]
    assert rows_of(month) == [(older.title, "305", "1"), (recent.title, "75", "3")]
    referrers = page.locator(".module", has=page.locator("h2", has_text="30")).last
    expect(referrers.locator("tbody tr").first).to_contain_text("linkedin.com")
    expect(page.get_by_role("cell", name="qwant.com")).to_be_visible()
    assert_fits(page, "dashboard")
    page.screenshot(path=artifacts / "admin-audience-1280.png", full_page=True)

    # Another period: 7 days leaves out the older referring site.
    page.locator('.audience-links a[href="?jours=7"]').click()
    expect(page.get_by_role("cell", name="qwant.com")).to_be_visible()
    expect(page.get_by_role("cell", name="linkedin.com")).to_have_count(0)

    # The CSV of the period.
    with page.expect_download() as download_info:
        page.locator('a[href*="export.csv"]').click()
    download = download_info.value
    assert download.suggested_filename == "audience-7-jours.csv"
    with open(download.path(), encoding="utf-8", newline="") as exported:
        lines = list(csv.reader(exported))
    assert len(lines[0]) == 4
    by_article = {}
    for _day, article_id, title, views in lines[1:]:
        by_article[(int(article_id), title)] = by_article.get((int(article_id), title), 0) + int(views)
    assert by_article == {(recent.pk, recent.title): 75, (older.pk, older.title): 5}

    # One article's days over 30 days (the default period), as a chart and as a table.
    page.locator(".audience-most-read").first.get_by_role("link", name=recent.title).click()
    expect(page.locator("h1")).to_contain_text(recent.title)
    chart = page.locator(".audience-chart svg")
    expect(chart).to_be_visible()
    bars = chart.locator("rect")
    expect(bars).to_have_count(30)
    heights = bars.evaluate_all("bars => bars.map(bar => Number(bar.getAttribute('height')))")
    assert heights[-1] == max(heights) > 0  # today, the busiest day, is the last and tallest bar
    day_rows = page.locator(".audience-days tbody tr")
    expect(day_rows).to_have_count(30)
    expect(day_rows.first.locator("td").last).to_have_text("40")
    expect(page.get_by_role("cell", name="qwant.com")).to_be_visible()
    box = chart.bounding_box()
    assert 300 < box["width"] <= 1280 and box["height"] > 50
    assert_fits(page, "article")
    page.screenshot(path=artifacts / "admin-audience-article-1280.png", full_page=True)
