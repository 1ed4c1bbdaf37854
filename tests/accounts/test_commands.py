"""The operator's commands of this app: listed by ``manage.py help``, their ``--help`` printable."""

import pytest
from django.core.management import ManagementUtility, get_commands, load_command_class
from django.utils import translation

ACCOUNTS_COMMANDS = ["createsuperuser", "purge_audit_trail", "reset_two_factor"]


def test_this_apps_commands_answer_their_names():
    commands = get_commands()
    assert {name: commands[name] for name in ACCOUNTS_COMMANDS} == dict.fromkeys(
        ACCOUNTS_COMMANDS, "accounts"
    )


def test_manage_py_help_still_lists_every_command(capsys):
    ManagementUtility(["manage.py", "help"]).execute()
    listing = capsys.readouterr().out
    assert "[accounts]" in listing and "[auth]" in listing
    for name in [*ACCOUNTS_COMMANDS, "changepassword", "migrate", "backup", "import_wordpress"]:
        assert f"    {name}\n" in listing


@pytest.mark.parametrize("name", ACCOUNTS_COMMANDS)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_help_is_printable(name, language):
    command = load_command_class("accounts", name)
    with translation.override(language):
        text = command.create_parser("manage.py", name).format_help()
        assert str(command.help).split()[0] in text
    assert "--dry-run" in text or name == "createsuperuser"


def test_createsuperuser_keeps_djangos_options():
    command = load_command_class("accounts", "createsuperuser")
    text = command.create_parser("manage.py", "createsuperuser").format_help()
    for option in ("--username", "--noinput", "--database", "--email"):
        assert option in text
