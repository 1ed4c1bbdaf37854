import time

import pytest
from django.test import Client

from audience.services import view_count


@pytest.fixture
def bucket_seconds(settings):
    return settings.AUDIENCE_BUCKET_SECONDS


@pytest.fixture
def later(bucket_seconds):
    """A moment when every bucket counted so far is closed and may be flushed."""
    return time.time() + 3 * bucket_seconds


@pytest.fixture
def beacon_client():
    """A reader's browser as sendBeacon posts: no CSRF token, a real user agent."""
    return Client(
        enforce_csrf_checks=True,
        headers={"User-Agent": "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"},
    )


@pytest.fixture
def count_views():
    def count(article, views=1, *, domain="", stamp=None):
        for _ in range(views):
            view_count(article_id=article.pk, domain=domain, stamp=stamp)

    return count
