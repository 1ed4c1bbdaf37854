"""Real-browser fixtures shared by every browser test: Debian's chromium driven by Playwright.

The browser is the system one (``/usr/bin/chromium``); Playwright never downloads
its own. Without it the browser tests are skipped on a developer's machine, with
the reason shown, but fail in CI (the ``CI`` variable is set) so that a missing
package can never pass for a green run. One browser serves the whole run: two
Playwright instances cannot share the main thread.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"Debian's chromium is not installed at {CHROMIUM} (`make system-deps` installs it)."
        if os.environ.get("CI"):
            pytest.fail(f"{message} CI must run the browser tests.", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's synchronous API keeps an asyncio loop marked as running in this
    # thread while the browser is open, and Django then refuses every database
    # call (SynchronousOnlyOperation). Nothing here runs concurrently on that
    # loop, so Django's guard is lifted for as long as the browser is open.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _local_only(route):
    """Pages are tested on their own: any request that leaves this machine is cut."""
    if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
        route.continue_()
    else:
        route.abort()


def _new_page(browser, viewport):
    context = browser.new_context(viewport=viewport, locale="fr-FR", timezone_id="Europe/Paris")
    context.route("**/*", _local_only)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


@pytest.fixture
def page(browser):
    """A fresh desktop-sized tab (1280×900), with its own cookies."""
    context, page = _new_page(browser, DESKTOP)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    """A fresh tab as wide as a phone (390 px)."""
    context, page = _new_page(browser, PHONE)
    yield page
    context.close()


@pytest.fixture
def artifacts():
    """The folder for screenshots (git-ignored), created on demand."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
