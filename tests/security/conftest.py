import pytest


@pytest.fixture
def axes_on(settings):
    """Login lockout as in production (the test settings switch it off for client.login())."""
    settings.AXES_ENABLED = True
    return settings
