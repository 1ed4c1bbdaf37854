"""`make run` (DEBUG on) shows the site's own 404 page, not Django's technical page."""

import pytest

LOCAL_MIDDLEWARE = "demo.middleware.SiteNotFoundPageMiddleware"


@pytest.fixture
def local_debug(settings):
    settings.DEBUG = True
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, LOCAL_MIDDLEWARE]


def test_local_settings_use_the_site_404_page():
    from config.settings import local

    assert LOCAL_MIDDLEWARE in local.MIDDLEWARE


@pytest.mark.django_db
def test_a_missing_page_shows_the_designed_page_with_debug_on(client, local_debug):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page introuvable" in page
    assert 'class="error-page"' in page
    assert "technical_404" not in page and "Django tried these URL patterns" not in page


@pytest.mark.django_db
def test_without_the_middleware_debug_shows_the_technical_page(client, settings):
    settings.DEBUG = True
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    assert "Page introuvable – " not in response.content.decode()
