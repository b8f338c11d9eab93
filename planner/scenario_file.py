"""Reading a scenario file and the inventory it names, with its ``overrides`` applied."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from inventory.source import RawInventory
from inventory.validate import validate
from inventory.yamlio import parse_document
from models.errors import Problem, ScenarioError
from models.inventory import LIST_NAMES, Inventory
from models.scenario import Scenario


@dataclass
class LoadedScenario:
    """A scenario with the inventory it plans, overrides applied."""

    scenario: Scenario
    inventory: Inventory
    path: Path
    warnings: list[Problem] = field(default_factory=list)


def load_scenario(path: Path | str) -> Scenario:
    """Parse and check a scenario file; every problem names the file and the field."""
    scenario_path = Path(path)
    document, locate = parse_document(scenario_path)
    if not isinstance(document, dict):
        raise ScenarioError(f"{scenario_path}: the file does not hold a mapping (a scenario document)")
    try:
        scenario = Scenario.model_validate(document)
    except ValidationError as error:
        lines = []
        for detail in error.errors(include_url=False):
            field_path = ".".join(str(part) for part in detail["loc"]) or "(document)"
            message = "missing required field" if detail["type"] == "missing" else detail["msg"]
            if detail["type"] == "extra_forbidden":
                message = "unknown field (check the spelling against docs/formats.md)"
            lines.append(f"{scenario_path}: {field_path}: {message}")
        raise ScenarioError("\n".join(lines)) from None
    _check_target_years(scenario, scenario_path)
    return scenario


def _check_target_years(scenario: Scenario, path: Path) -> None:
    years = {period.year for period in scenario.periods}
    for kpi, floors in scenario.targets.floors().items():
        outside = sorted(year for year in floors if year not in years)
        if outside:
            raise ScenarioError(
                f"{path}: targets.{kpi}: year {outside[0]} is outside the horizon "
                f"{scenario.horizon.start}-{scenario.horizon.end}"
            )
    for year in scenario.resources.budget_wan_per_year:
        if year not in years:
            raise ScenarioError(f"{path}: resources.budget_wan_per_year: year {year} is outside the horizon")


def apply_overrides(inventory: Inventory, overrides: dict[str, dict[str, dict[str, Any]]], source: str) -> tuple[Inventory, list[Problem]]:
    """Replace fields of inventory objects by list and id, then validate the result again."""
    if not overrides:
        return inventory, []
    document = inventory.to_document()
    for list_name, by_id in overrides.items():
        if list_name not in LIST_NAMES:
            raise ScenarioError(f"{source}: overrides.{list_name}: unknown list (one of {', '.join(LIST_NAMES)})")
        records = {record["id"]: record for record in document[list_name]}
        for object_id, fields in by_id.items():
            if object_id not in records:
                raise ScenarioError(f"{source}: overrides.{list_name}.{object_id}: no such id in the inventory")
            records[object_id].update(fields)
    return validate(RawInventory(source=f"{source} (overrides applied)", document=document))


def load_scenario_with_inventory(path: Path | str) -> LoadedScenario:
    """The scenario, its inventory (file or NetBox) and the warnings met on the way."""
    scenario_path = Path(path)
    scenario = load_scenario(scenario_path)
    if scenario.inventory is not None:
        from inventory.files import load_inventory

        inventory, warnings = load_inventory(scenario_path.parent / scenario.inventory)
    else:
        inventory, warnings = _load_from_netbox(scenario, scenario_path)
    inventory, override_warnings = apply_overrides(inventory, scenario.overrides, str(scenario_path))
    return LoadedScenario(scenario, inventory, scenario_path, warnings + override_warnings)


def _load_from_netbox(scenario: Scenario, scenario_path: Path) -> tuple[Inventory, list[Problem]]:
    """The scenario's ``netbox: {url, token_env, mapping}``: the token is read from the environment only."""
    import os

    from inventory.netbox import NetBoxSource, load_mapping

    assert scenario.netbox is not None
    token = os.environ.get(scenario.netbox.token_env, "").strip()
    if not token:
        raise ScenarioError(f"{scenario_path}: netbox.token_env: environment variable {scenario.netbox.token_env} is not set")
    mapping = load_mapping(scenario_path.parent / scenario.netbox.mapping) if scenario.netbox.mapping else None
    source = NetBoxSource(scenario.netbox.url, token, mapping)
    return source.load(), source.warnings
