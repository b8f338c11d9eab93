"""Reading a scenario file and the inventory it names, with its ``overrides`` applied."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from inventory.source import RawInventory
from inventory.validate import validate
from inventory.yamlio import parse_document
from models.errors import Problem, ScenarioError
from models.inventory import LIST_NAMES, Inventory, plain_text
from models.scenario import SCENARIO_FORMAT, Scenario


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
    if "format" not in document:
        # The model defaults it for scenarios built in code; a file must say what it is.
        raise ScenarioError(f"{scenario_path}: format: missing required field (write format: {SCENARIO_FORMAT})")
    _check_text(scenario_path, document, "")
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


def _check_text(path: Path, value: Any, where: str) -> None:
    """Every string of the document (names, ids in overrides) is free of control characters."""
    pending: list[tuple[Any, str]] = [(value, where)]
    while pending:
        item, at = pending.pop()
        if isinstance(item, dict):
            pending.extend((key, f"{at}.{key}".lstrip(".") if isinstance(key, str) else at) for key in item)
            pending.extend((child, f"{at}.{key}".lstrip(".")) for key, child in item.items())
        elif isinstance(item, list):
            pending.extend((child, f"{at}[{index}]") for index, child in enumerate(item))
        elif isinstance(item, str):
            try:
                plain_text(item)
            except ValueError as error:
                raise ScenarioError(f"{path}: {at or '(document)'}: {error}") from None


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

        # A scenario may plan networks and rooms alone: no systems is a warning here, not an error.
        inventory, warnings = load_inventory(scenario_path.parent / scenario.inventory, allow_empty=True)
    else:
        inventory, warnings = _load_from_netbox(scenario, scenario_path)
    inventory, override_warnings = apply_overrides(inventory, scenario.overrides, str(scenario_path))
    return LoadedScenario(scenario, inventory, scenario_path, warnings + override_warnings + _thread_warnings(scenario, scenario_path))


def clamp_threads(threads: int | None) -> tuple[int | None, str | None]:
    """At most one solver thread per core (HiGHS aborts the process on 100,000); why, when clamped."""
    cores = os.cpu_count() or 1
    if threads is None or threads <= cores:
        return threads, None
    return cores, f"{threads:,} solver threads asked for, this machine has {cores} cores: using {cores}"


def _thread_warnings(scenario: Scenario, path: Path) -> list[Problem]:
    """``solver.threads`` past the machine's cores is clamped when planning (``planner.api``); say so."""
    _threads, why = clamp_threads(scenario.solver.threads)
    return [Problem(str(path), "", "", "solver.threads", why, severity="warning")] if why else []


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
