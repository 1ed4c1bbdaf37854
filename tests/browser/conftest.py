"""The reading tests: every test here drives the browser (fixtures in tests/browser_fixtures.py)."""

from pathlib import Path

import pytest


def pytest_collection_modifyitems(items):
    """Every test in this folder drives the browser, even if its file forgets the mark,
    so ``-m "not browser"`` always leaves them all out."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def demo_site(transactional_db, live_server):
    """The live server's address, with the demo blog loaded."""
    from django.core.management import call_command

    call_command("seed_demo", verbosity=0)
    return live_server.url
