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

from planner.build import create_model
from planner.data import planning_data
from planner.families import FAMILIES as REGISTRY
from planner.model import Model
from tests.builders import department, inventory, network, pool, room, scenario, system

GOLDEN = Path(__file__).parent / "lp_files"
NOT_IN_MICRO_INSTANCE = {"committed", "committed_network", "committed_room", "co_migrate", "requires_across",
                         "finished_by", "finished_stays"}
"""Registered families the micro-instance has no row of: it does not re-plan, its co_migrate pair shares a
pool (the mixed pair has its own instance below), it is one city, and it explains nothing."""
FAMILIES = [family.name for family in REGISTRY if family.name not in NOT_IN_MICRO_INSTANCE]


def micro_model(complete_by: str | None = None) -> Model:
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
    targets: dict[str, object] = {"room_consolidation": {2025: 0.5}, "network_migration": {2024: 0.5},
                                  "cloud_adoption": {2025: 1.0}}
    if complete_by is not None:
        targets["complete_by"] = complete_by
    scn = scenario(
        horizon={"start": "2024Q3", "end": "2025Q2"},
        targets=targets,
        resources={"team_days_per_period": 20, "budget_wan_per_year": {2024: 30, 2025: 30}, "freeze": ["2025Q1"],
                   "max_cutovers_per_department_per_period": 2},
    )
    return create_model(planning_data(inv, scn))


def family_lp(model: Model, family: str, directory: Path) -> str:
    part = pulp.LpProblem(f"{family}", pulp.LpMinimize)
    for name, constraint in model.prob.constraints.items():
        meaning = model.names.explain(name)
        assert meaning is not None, f"{name} was not named through the name registry"
        if meaning[0] == family:
            part += (constraint, name)
    path = directory / f"{family}.lp"
    part.writeLP(str(path))
    return path.read_text(encoding="utf-8")


def mixed_pair_model() -> Model:
    """An x86 application and its 信创 database (co_migrate), no pool taking both: two parts, one quarter."""
    inv = inventory(
        [system("app", co_migrate=["db"]), system("db", arch="xinchuang", co_migrate=["app"])],
        clouds=[pool("p", zone="z1"), pool("q", arch="xinchuang", zone="z2")],
    )
    return create_model(planning_data(inv, scenario(horizon={"start": "2024Q3", "end": "2024Q4"})))


def compare_golden(text: str, name: str) -> None:
    golden = GOLDEN / f"{name}.lp"
    if os.environ.get("MIGPLAN_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden}; run with MIGPLAN_UPDATE_GOLDEN=1 and review it"
    assert text == golden.read_text(encoding="utf-8")


def test_co_migrate_parts_move_in_one_quarter(tmp_path: Path) -> None:
    text = family_lp(mixed_pair_model(), "co_migrate", tmp_path)
    assert "Subject To" in text
    compare_golden(text, "co_migrate")


def test_completion_off_leaves_every_other_family_as_it_was(tmp_path: Path) -> None:
    """``complete_by: off`` is the floors-only model: no completion row, every other family unchanged."""
    off = micro_model(complete_by="off")
    assert "complete" not in {meaning[0] for name in off.prob.constraints if (meaning := off.names.explain(name))}
    for family in FAMILIES:
        if family != "complete":
            assert family_lp(off, family, tmp_path) == (GOLDEN / f"{family}.lp").read_text(encoding="utf-8")


@pytest.mark.parametrize("family", FAMILIES)
def test_constraint_family_matches_golden_lp(family: str, tmp_path: Path) -> None:
    text = family_lp(micro_model(), family, tmp_path)
    assert "Subject To" in text, f"family {family} has no constraint in the micro-instance"
    golden = GOLDEN / f"{family}.lp"
    if os.environ.get("MIGPLAN_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden}; run with MIGPLAN_UPDATE_GOLDEN=1 and review it"
    assert text == golden.read_text(encoding="utf-8")


def test_every_row_of_the_micro_instance_is_of_a_registered_family() -> None:
    model = micro_model()
    registered = {family.name for family in REGISTRY}
    seen = {meaning[0] for name in model.prob.constraints if (meaning := model.names.explain(name)) is not None}
    assert seen <= registered
    assert seen == set(FAMILIES), "a family left out of the golden files has rows: give it one"
