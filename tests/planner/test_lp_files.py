"""A golden LP file per constraint family (Calliope's tests/math/lp_files idea).

One fixed micro-instance exercises every family; each family's constraints are written
as an LP file of their own and compared with the reviewed file in ``lp_files/``. A change
to the mathematics shows up as a diff of readable LP text. To accept a deliberate
change, run with ``MIGPLAN_UPDATE_GOLDEN=1`` and review the diff before committing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pulp
import pytest

from planner.model import create_model
from planner.sets import planning_data
from tests.builders import department, inventory, network, pool, room, scenario, system

GOLDEN = Path(__file__).parent / "lp_files"
FAMILIES = [
    "progress", "network_progress", "room_progress", "dr_placement", "dr_zone", "requires", "network_ready",
    "room_after_systems", "use", "capacity", "bandwidth", "team_days", "budget", "cutovers", "kpi_floor",
]


def micro_model() -> pulp.LpProblem:
    inv = inventory(
        [
            system("社保", networks=["n1"], dr="active-active", co_migrate=["db"]),
            system("db", co_migrate=["社保"], storage_tb=4),
            system("web", requires=["社保"], room="r2", dr="backup"),
            system("old", retire=True, room="r2"),
        ],
        rooms=[room("r1"), room("r2", close_cost_wan=2)],
        networks=[network("n1"), network("keep", must_keep=True, interconnect_effort_days=2, interconnect_cost_wan=1)],
        clouds=[pool("p", zone="z1"), pool("q", zone="z2", vcpu_annual_cost_wan=0.2)],
        departments=[department("d1")],
    )
    scn = scenario(
        horizon={"start": "2024Q3", "end": "2025Q2"},
        targets={"room_consolidation": {2025: 0.5}, "network_migration": {2024: 0.5}, "cloud_adoption": {2025: 1.0}},
        resources={"team_days_per_period": 20, "budget_wan_per_year": {2024: 30, 2025: 30}, "freeze": ["2025Q1"],
                   "max_cutovers_per_department_per_period": 2},
    )
    return create_model(planning_data(inv, scn)).prob


def family_lp(prob: pulp.LpProblem, family: str, directory: Path) -> str:
    part = pulp.LpProblem(f"{family}", pulp.LpMinimize)
    for name, constraint in prob.constraints.items():
        if name == family or name.startswith(family + "_") and not any(
            name.startswith(other + "_") for other in FAMILIES if other != family and other.startswith(family)
        ):
            part += (constraint, name)
    path = directory / f"{family}.lp"
    part.writeLP(str(path))
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("family", FAMILIES)
def test_constraint_family_matches_golden_lp(family: str, tmp_path: Path) -> None:
    text = family_lp(micro_model(), family, tmp_path)
    assert "Subject To" in text, f"family {family} has no constraint in the micro-instance"
    golden = GOLDEN / f"{family}.lp"
    if os.environ.get("MIGPLAN_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden}; run with MIGPLAN_UPDATE_GOLDEN=1 and review it"
    assert text == golden.read_text(encoding="utf-8")
