import pytest


@pytest.fixture
def write_wxr(tmp_path):
    """Write a WXR text to a file and return its path."""

    def write(text, name="export.xml"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write
