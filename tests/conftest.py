import pytest
from django.core.cache import cache

from tests.browser_fixtures import artifacts, browser, page, phone_page  # noqa: F401
from tests.factories import ArticleFactory, CategoryFactory, StaffFactory, UserFactory


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with an empty cache (it may be a shared Redis in CI)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def article(db):
    return ArticleFactory(tags=["Twitter", "Communauté"])


@pytest.fixture
def category(db):
    return CategoryFactory(name="Réseaux sociaux", slug="reseaux-sociaux")


@pytest.fixture
def staff_user(db):
    return StaffFactory(username="editor")


@pytest.fixture
def reader(db):
    return UserFactory(username="reader")


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def site(db):
    """The current Site, on a public-looking domain: feeds, sitemap and metadata build absolute URLs on it."""
    from django.contrib.sites.models import Site

    current = Site.objects.get_current()
    current.domain = "blog.example.fr"
    current.save()
    yield current
    # Site.objects caches the current site per process; the database rollback does not clear it.
    Site.objects.clear_cache()
