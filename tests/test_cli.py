"""The ``migplan`` group itself: every command is there, and ``--debug`` works before or after the subcommand."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from models.errors import ValidationFailed
from planner.cli import cli

BROKEN = """format: migplan-inventory/1
departments:
  - {id: d1, name: D1}
  - {id: d1, name: D1}
"""

EXPECTED_COMMANDS = {
    "check", "compare", "init", "inventory", "netbox", "plan", "playbooks", "report", "run", "sample",
}
EXPECTED_INVENTORY_COMMANDS = {"validate", "show", "import", "export", "push", "pull"}


def test_every_command_group_is_registered() -> None:
    assert EXPECTED_COMMANDS <= set(cli.commands)
    inventory = cli.commands["inventory"]
    assert isinstance(inventory, type(cli))
    assert EXPECTED_INVENTORY_COMMANDS <= set(inventory.commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("where", ["before", "after"])
def test_debug_shows_the_error_itself_before_or_after_the_subcommand(tmp_path: Path, where: str) -> None:
    path = tmp_path / "inv.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    command = ["inventory", "validate", str(path)]
    arguments = ["--debug", *command] if where == "before" else [*command, "--debug"]
    result = CliRunner().invoke(cli, arguments)
    assert isinstance(result.exception, ValidationFailed)


def test_without_debug_the_error_is_one_line_and_its_exit_code(tmp_path: Path) -> None:
    path = tmp_path / "inv.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    result = CliRunner().invoke(cli, ["inventory", "validate", str(path)])
    assert result.exit_code == 2
    assert isinstance(result.exception, SystemExit)
    assert len(result.output.splitlines()) == 1
