"""Scenario files (FORMATS.md section 2): loading one, and resolving the inventory it names.

Errors are one line per problem, naming the file and the field, so a user can fix
the scenario without reading a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from inventory.files import load_inventory
from inventory.source import RawInventory
from inventory.validate import validate
from inventory.yamlio import parse_document
from models.errors import ScenarioError, ValidationFailed
from models.inventory import LIST_NAMES, Inventory
from models.scenario import Scenario


def describe_validation_error(source: str, error: ValidationError) -> str:
    """Every pydantic error of a document as ``source: field.path: message`` lines."""
    lines = []
    for detail in error.errors(include_url=False):
        field = ".".join(str(part) for part in detail["loc"]) or "(document)"
        if detail["type"] == "extra_forbidden":
            message = "unknown field (check the spelling against FORMATS.md)"
        elif detail["type"] == "missing":
            message = "missing required field"
        else:
            message = detail["msg"]
            if "input" in detail and not isinstance(detail["input"], (dict, list)):
                message += f", found {detail['input']!r}"
        lines.append(f"{source}: {field}: {message}")
    return "\n".join(lines)


def load_scenario(path: Path | str) -> Scenario:
    """Read and validate a scenario YAML file; ``ScenarioError`` names the file and each bad field."""
    scenario_path = Path(path)
    try:
        document, _ = parse_document(scenario_path)
    except ValidationFailed as error:
        # A syntax error: keep its line number but report it as a scenario problem.
        raise ScenarioError(str(error)) from None
    if not isinstance(document, dict):
        raise ScenarioError(f"{scenario_path}: the file does not hold a mapping (a scenario document)")
    try:
        return Scenario.model_validate(document)
    except ValidationError as error:
        raise ScenarioError(describe_validation_error(str(scenario_path), error)) from None


def resolve_inventory(scenario: Scenario, scenario_path: Path | str) -> Inventory:
    """Load the inventory file the scenario names (relative to the scenario) and apply its ``overrides``.

    Overridden records are validated again, with every cross-record check, so a what-if
    edit cannot produce an inventory a file could not hold.
    """
    scenario_path = Path(scenario_path)
    if scenario.inventory is None:
        raise ScenarioError(f"{scenario_path}: inventory: this command needs an inventory file, not a NetBox server")
    inventory_path = scenario_path.parent / scenario.inventory
    if not inventory_path.exists():
        raise ScenarioError(f"{scenario_path}: inventory: no such file {str(inventory_path)!r}")
    inventory, _ = load_inventory(inventory_path)
    if not scenario.overrides:
        return inventory
    document = _apply_overrides(inventory.to_document(), scenario.overrides, scenario_path)
    try:
        overridden, _ = validate(RawInventory(source=f"{inventory_path} with the overrides of {scenario_path}",
                                              document=document))
    except ValidationFailed as error:
        raise ScenarioError(f"{scenario_path}: overrides make the inventory invalid:\n{error}") from None
    return overridden


def _apply_overrides(
    document: dict[str, Any], overrides: dict[str, dict[str, dict[str, Any]]], scenario_path: Path
) -> dict[str, Any]:
    for list_name, edits in overrides.items():
        if list_name not in LIST_NAMES:
            raise ScenarioError(
                f"{scenario_path}: overrides.{list_name}: unknown list (use one of {', '.join(LIST_NAMES)})"
            )
        records = document[list_name]
        position = {record["id"]: index for index, record in enumerate(records)}
        for object_id, fields in edits.items():
            if object_id not in position:
                raise ScenarioError(f"{scenario_path}: overrides.{list_name}: unknown id {object_id!r} in {list_name}")
            if not isinstance(fields, dict):
                raise ScenarioError(
                    f"{scenario_path}: overrides.{list_name}.{object_id}: must be a mapping of fields to replace"
                )
            if "id" in fields and fields["id"] != object_id:
                raise ScenarioError(f"{scenario_path}: overrides.{list_name}.{object_id}.id: an override cannot rename")
            records[position[object_id]] = {**records[position[object_id]], **fields}
    return document
