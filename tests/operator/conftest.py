import pytest
from django_comments_xtd.conf import settings as xtd_settings


@pytest.fixture
def write_wxr(tmp_path):
    """Write a WXR text to a file and return its path."""

    def write(text, name="export.xml"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


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
