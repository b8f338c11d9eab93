"""Scenario files: silent leniency and absurd values refused at the edge (issue 18, items 8, 9 and 10)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from inventory.files import write_inventory
from models.errors import ScenarioError
from planner.api import PlanRequest, settings_for
from planner.scenario_file import load_scenario, load_scenario_with_inventory
from tests.builders import inventory, system


def _scenario_file(tmp_path: Path, **changes: Any) -> Path:
    write_inventory(inventory([system("s1")]), tmp_path / "inventory.yaml")
    document: dict[str, Any] = {"format": "migplan-scenario/1", "name": "s", "inventory": "inventory.yaml",
                                "horizon": {"start": "2024Q1", "end": "2025Q4"}}
    document.update(changes)
    document = {key: value for key, value in document.items() if value is not None}
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def test_a_scenario_without_format_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="format: missing required field"):
        load_scenario(_scenario_file(tmp_path, format=None))


def test_a_horizon_past_forty_quarters_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="2024Q1-9999Q4 is 31,904 quarters; migplan plans at most 40"):
        load_scenario(_scenario_file(tmp_path, horizon={"start": "2024Q1", "end": "9999Q4"}))
    assert load_scenario(_scenario_file(tmp_path, horizon={"start": "2024Q1", "end": "2033Q4"})).periods[-1].year == 2033


def test_control_characters_in_a_scenario_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="scenario.yaml: name: holds a control character \\(U\\+001B ESC\\)"):
        load_scenario(_scenario_file(tmp_path, name="base\x1b[2J"))


def test_threads_past_the_cores_are_clamped_with_a_warning(tmp_path: Path) -> None:
    loaded = load_scenario_with_inventory(_scenario_file(tmp_path, solver={"threads": 100_000}))
    cores = os.cpu_count() or 1
    assert [str(w) for w in loaded.warnings if w.field == "solver.threads"] == [
        f"{tmp_path / 'scenario.yaml'}: warning: solver.threads: 100,000 solver threads asked for, "
        f"this machine has {cores} cores: using {cores}"]
    assert settings_for(loaded, PlanRequest()).threads == cores
    assert settings_for(loaded, PlanRequest(threads=1)).threads == 1
