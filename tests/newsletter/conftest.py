import pytest

from newsletter.models import Subscriber
from tests.smtp_sink import database_queue, smtp_server


@pytest.fixture
def subscribe():
    """Make a confirmed subscriber (``categories``: None for the whole blog)."""

    def make(email, *, categories=None, frequency=Subscriber.Frequency.EACH, status=Subscriber.Status.ACTIVE):
        subscriber = Subscriber.objects.create(
            email=email, frequency=frequency, status=status, all_categories=not categories
        )
        if categories:
            subscriber.categories.set(categories)
        return subscriber

    return make


@pytest.fixture
def smtp_sink(settings):
    with smtp_server(settings) as sink:
        yield sink


@pytest.fixture
def database_tasks(settings, transactional_db):
    with database_queue(settings) as run_worker:
        yield run_worker
