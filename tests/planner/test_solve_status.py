"""A plan with nothing left to decide is optimal, not "time limit: not proven best" (issue 18, defect found)."""

from __future__ import annotations

from planner.api import PlanRequest, plan_scenario
from tests.builders import inventory, loaded, scenario, system

EVERY_QUARTER = ["2024Q1", "2024Q2", "2024Q3", "2024Q4"]
FLOORS_ONLY = {"complete_by": "off"}
"""Nothing can move, so the completion rule could never be met: these plans are about the floors and the proof."""


def test_every_quarter_frozen_is_proven_optimal() -> None:
    """Nothing can move: the only plan keeps room r1 open, 40 万元 a year, and HiGHS proves it at once."""
    scn = scenario(resources={"freeze": EVERY_QUARTER}, targets=FLOORS_ONLY)
    plan = plan_scenario(loaded(inventory([system("s1"), system("s2")]), scn), PlanRequest(time_limit_s=30))
    assert plan.status == "optimal"
    assert plan.objective_wan == 40.0 and plan.bound_wan == 40.0
    assert plan.solve is not None and plan.solve.gap == 0.0


def test_every_quarter_frozen_with_a_target_says_why_without_doubting_the_proof() -> None:
    scn = scenario(resources={"freeze": EVERY_QUARTER}, targets={"cloud_adoption": {"2024": 0.5}})
    plan = plan_scenario(loaded(inventory([system("s1"), system("s2")]), scn), PlanRequest(time_limit_s=30))
    assert plan.status == "infeasible"
    assert plan.violations and all("not proven" not in violation.detail for violation in plan.violations)
    # Proven without the bound (planner/reach.py: nothing may count towards the floor); an infeasible plan shows
    # no gap, which would be that of the penalised objective.
    assert plan.solve is not None and plan.solve.gap is None


def test_every_quarter_frozen_with_a_target_gives_the_last_resort_explanation() -> None:
    """No slack of any limit can move a system in a frozen quarter: the explanation says so, and where to look."""
    scn = scenario(resources={"freeze": EVERY_QUARTER}, targets={"cloud_adoption": {"2024": 0.5}, **FLOORS_ONLY})
    plan = plan_scenario(loaded(inventory([system("s1"), system("s2")]), scn), PlanRequest(time_limit_s=30))
    (target,) = plan.violations
    assert target.constraint == "cloud_adoption@2024"
    assert target.detail.endswith("; no amount of capacity, team, budget or cutover slack reaches it "
                                  "(check freezes, stays and dependencies)")
