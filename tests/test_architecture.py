"""The apps depend on each other one way only, down to the cache layer (see ARCHITECTURE.md)."""

import ast
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent

# An app may import the apps listed after it, never those before.
LAYERS = [
    "demo",
    "bench",
    "siteops",
    "importers",
    "wordpress",
    "privacy",
    "newsletter",
    "accounts",
    "editorial",
    "search",
    "audience",
    "comments",
    "blog",
    "medialib",
    "caching",
]


def imported_apps(app):
    """(file, imported app) for every import of another of our apps in ``app``."""
    found = []
    for path in sorted((BASE_DIR / app).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in LAYERS and top != app:
                    found.append((str(path.relative_to(BASE_DIR)), top))
    return found


@pytest.mark.parametrize("app", LAYERS)
def test_an_app_imports_only_the_apps_below_it(app):
    allowed = set(LAYERS[LAYERS.index(app) + 1 :])
    wrong = [(path, other) for path, other in imported_apps(app) if other not in allowed]
    assert wrong == []
