import pytest
from django.core.cache import cache
from django_comments_xtd.conf import settings as xtd_settings

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


@pytest.fixture
def thread_levels():
    """Let articles' comments be threaded ``levels`` deep.

    The library copies its settings once, so the test settings cannot change
    them: the copy is changed here and put back afterwards.
    """
    names = ("COMMENTS_XTD_MAX_THREAD_LEVEL", "COMMENTS_XTD_MAX_THREAD_LEVEL_BY_APP_MODEL")
    saved = {name: getattr(xtd_settings, name) for name in names}

    def allow(levels):
        setattr(xtd_settings, names[0], levels)
        setattr(xtd_settings, names[1], {"blog.article": levels})

    yield allow
    for name, value in saved.items():
        setattr(xtd_settings, name, value)


@pytest.fixture
def make_comment():
    """Create a comment on an article the way the site stores them (replies after their parent)."""
    import datetime

    from django.contrib.contenttypes.models import ContentType
    from django.contrib.sites.models import Site
    from django_comments_xtd.models import XtdComment

    def make(article, text, *, parent=None, public=True, removed=False, user=None, days_ago=1, **fields):
        submit_date = fields.pop(
            "submit_date",
            (datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=days_ago)).replace(microsecond=0),
        )
        return XtdComment.objects.create(
            content_type=ContentType.objects.get_for_model(article),
            object_pk=str(article.pk),
            site=Site.objects.get_current(),
            parent_id=parent.pk if parent else 0,
            user=user,
            user_name=fields.pop("user_name", "Lectrice"),
            user_email=fields.pop("user_email", "lectrice@example.org"),
            comment=text,
            submit_date=submit_date,
            is_public=public,
            is_removed=removed,
            **fields,
        )

    return make
