"""Debian's chromium driven by Playwright, against pytest-django's live server."""

import os
from pathlib import Path

import pytest

AXE_SCRIPT = Path(__file__).resolve().parent.parent.parent / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def chromium(browser):
    """The run's shared Debian chromium (tests/browser_fixtures.py)."""
    return browser


class CspWatcher:
    """Collects the Content-Security-Policy violations the browser reports on the console."""

    def __init__(self, page):
        self.violations = []
        page.on("console", self._on_console)

    def _on_console(self, message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.violations.append(message.text)


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, locale="fr-FR")
    page = context.new_page()
    page.csp = CspWatcher(page)
    yield page
    context.close()


@pytest.fixture
def page_without_js(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    yield context.new_page()
    context.close()


@pytest.fixture
def axe_page(chromium, live_server):
    """A page where axe-core can be injected: CSP is bypassed for this context only."""
    if not AXE_SCRIPT.exists():
        message = "axe-core is not installed (`npm ci` installs it; `make test` runs it)."
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    context = chromium.new_context(base_url=live_server.url, bypass_csp=True)
    yield context.new_page()
    context.close()


def axe_violations(page, impacts=("serious", "critical")):
    """Runs axe-core on the loaded page; returns the violations of the given impacts."""
    page.add_script_tag(path=str(AXE_SCRIPT))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "nodes": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in result["violations"]
        if violation["impact"] in impacts
    ]
