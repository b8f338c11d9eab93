"""Plans to report on: a hostile micro city (markup, quotes, braces and formulas in every id and name),
its scenario files on disk, and the bundled sample planned by the greedy baseline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from inventory.files import write_inventory
from models.inventory import Inventory
from models.plan import Plan
from planner.api import PlanRequest, plan_scenario
from planner.data import PlanningData, planning_data
from planner.scenario_file import load_scenario_with_inventory
from tests.builders import department, inventory, loaded, network, pool, room, scenario, system

HOSTILE_DEPARTMENT = "<script>alert('dept')</script>"
HOSTILE_SYSTEM = "\"><img src=x onerror=alert(1)>{{sys}}"
FORMULA_NAME = "=HYPERLINK(\"http://evil\",\"click\")"
HOSTILE_ROOM = "room'<b>&\"{r}\""
REPOSITORY = Path(__file__).resolve().parents[2]


def hostile_inventory(**network_fields: Any) -> Inventory:
    """Two departments, two rooms, a network, five systems (one classified, one active-active, one backup).

    ``network_fields`` change the network, for an inventory that has changed since the plan.
    """
    return inventory(
        [
            system(HOSTILE_SYSTEM, name=FORMULA_NAME, department=HOSTILE_DEPARTMENT, room=HOSTILE_ROOM,
                   networks=["net-<i>"], dr="active-active", vcpu=10, memory_gb=20, storage_tb=2),
            system("sys-backup", name="+backup -system", department=HOSTILE_DEPARTMENT, room=HOSTILE_ROOM,
                   dr="backup", vcpu=4, memory_gb=8, storage_tb=3),
            system("sys-plain", name="@plain", room="r-plain"),
            system("sys-secret", name="涉密系统", room="r-plain", classified=True),
            system("sys-old", name="旧系统", room=HOSTILE_ROOM, department=HOSTILE_DEPARTMENT, retire=True),
        ],
        departments=[department(HOSTILE_DEPARTMENT, name=f"市{HOSTILE_DEPARTMENT}局"), department("d1", name="市数据局")],
        rooms=[room(HOSTILE_ROOM, name="-机房 &<>", department=HOSTILE_DEPARTMENT), room("r-plain")],
        networks=[network("net-<i>", name="专网\"{x}\"", department=HOSTILE_DEPARTMENT, **network_fields)],
        clouds=[pool("p1", zone="a"), pool("p2", zone="b", vcpu_annual_cost_wan=0.09)],  # p2 cheaper: no ties
    )


def hostile_scenario_document() -> dict[str, Any]:
    return {
        "format": "migplan-scenario/1", "name": "hostile-<s>", "inventory": "inventory.yaml",
        "horizon": {"start": "2024Q1", "end": "2025Q4"},
        # Floors only: the reports of a plan that leaves objects behind ("not scheduled") are under test here.
        "targets": {"cloud_adoption": {"2025": 0.5}, "complete_by": "off"},
        "resources": {"team_days_per_period": 40, "budget_wan_per_year": {"2024": 100, "2025": 100},
                      "freeze": ["2024Q3"]},
    }


@pytest.fixture(scope="session")
def hostile() -> tuple[Plan, PlanningData]:
    document = hostile_scenario_document()
    document.pop("format")
    inv, scn = hostile_inventory(), scenario(**document)
    plan = plan_scenario(loaded(inv, scn), PlanRequest(solver="highs"))
    assert plan.status == "optimal"
    return plan, planning_data(inv, scn)


@pytest.fixture
def hostile_files(tmp_path: Path) -> Path:
    """The hostile city as files: inventory.yaml and scenario.yaml in ``tmp_path``; returns the scenario."""
    write_inventory(hostile_inventory(), tmp_path / "inventory.yaml")
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump(hostile_scenario_document(), allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def sample_plan() -> tuple[Plan, PlanningData]:
    """The bundled 湘潭市 baseline planned by the greedy baseline (seconds, not minutes)."""
    loaded_scenario = load_scenario_with_inventory(REPOSITORY / "scenarios" / "xiangtan" / "baseline.yaml")
    plan = plan_scenario(loaded_scenario, PlanRequest(solver="greedy"))
    return plan, planning_data(loaded_scenario.inventory, loaded_scenario.scenario)
