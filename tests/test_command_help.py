"""``manage.py <command> --help`` works and reads in French for every project command."""

import pytest
from django.core.management import get_commands, load_command_class
from django.utils import translation

PROJECT_COMMANDS = sorted(
    name
    for name, app in get_commands().items()
    if app
    in {
        "accounts",
        "bench",
        "blog",
        "comments",
        "demo",
        "editorial",
        "importers",
        "medialib",
        "newsletter",
        "privacy",
        "search",
        "siteops",
        "wordpress",
    }
)


@pytest.mark.parametrize("name", PROJECT_COMMANDS)
def test_help_is_printable(name):
    command = load_command_class(get_commands()[name], name)
    with translation.override("fr"):
        text = command.create_parser("manage.py", name).format_help()
    assert str(command.help).split()[0] in text


def test_option_help_follows_the_active_language():
    command = load_command_class("editorial", "setup_roles")
    with translation.override("fr"):
        french = command.create_parser("manage.py", "setup_roles").format_help()
    with translation.override("en"):
        english = command.create_parser("manage.py", "setup_roles").format_help()
    assert "Affiche ce qui serait fait sans rien modifier." in french
    assert "Show what would be done and change nothing." in english
