"""Defects the widened property tests found (issue 18, tests that would not notice), each pinned by a micro case."""

from __future__ import annotations

from planner.api import PlanRequest, plan_scenario
from planner.check import check_plan
from tests.builders import inventory, loaded, network, scenario, system


def test_a_partner_blocked_by_its_network_blocks_the_other_partner() -> None:
    """s1 is reached through a classified network, so it stays; s0 must move with s1, so it stays too.
    The planner used to skip the pair once one member was blocked, and moved s0 alone."""
    inv = inventory([system("s0", co_migrate=["s1"]), system("s1", co_migrate=["s0"], networks=["n0"])],
                    networks=[network("n0", classified=True)])
    scn = scenario(targets={"cloud_adoption": {2024: 0.5}, "soft": True})
    plan = plan_scenario(loaded(inv, scn), PlanRequest(time_limit_s=20))
    actions = {a.id: a for a in plan.actions if a.kind == "system"}
    assert actions["s1"].action == "stay" and "network n0" in (actions["s1"].reason or "")
    assert actions["s0"].action == "stay" and (actions["s0"].reason or "").startswith("co_migrate partner s1 stays")
    assert check_plan(plan, scn, inv).ok
