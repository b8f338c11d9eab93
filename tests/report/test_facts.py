"""The figures behind the charts, checked by hand on the hostile micro city (see conftest)."""

from __future__ import annotations

import pytest

from models.period import Period
from models.plan import Plan, Violation
from planner.data import PlanningData, planning_data
from planner.report import facts
from tests.report.conftest import HOSTILE_SYSTEM, hostile_inventory


def test_pool_use_counts_active_active_in_full_and_backup_by_storage(hostile: tuple[Plan, PlanningData]) -> None:
    """2024Q1: the active-active system (10 vCPU, 20 GB, 2 TB) runs in one pool with a full copy in the
    other; the backup system (4, 8, 3) runs in one pool with 3 TB of backup in the other. The use must
    follow whichever pools the solver picked."""
    plan, data = hostile
    active = plan.action_for("system", HOSTILE_SYSTEM)
    backup = plan.action_for("system", "sys-backup")
    assert active is not None and backup is not None
    assert {active.target, active.dr_target} == {"p1", "p2"} and {backup.target, backup.dr_target} == {"p1", "p2"}
    expected = {pool: {"vcpu": 0.0, "memory_gb": 0.0, "storage_tb": 0.0} for pool in ("p1", "p2")}
    for pool in (active.target, active.dr_target):
        for resource, amount in (("vcpu", 10), ("memory_gb", 20), ("storage_tb", 2)):
            expected[pool][resource] += amount
    for resource, amount in (("vcpu", 4), ("memory_gb", 8), ("storage_tb", 3)):
        expected[backup.target][resource] += amount
    expected[backup.dr_target]["storage_tb"] += 3
    use = facts.pool_use(plan, data)
    first = data.periods.index(Period.parse("2024Q1"))
    for pool in ("p1", "p2"):
        assert {r: use[pool][r].used[first] for r in ("vcpu", "memory_gb", "storage_tb")} == expected[pool]
    assert use["p1"]["vcpu"].limit[first] == 100
    assert use["p1"]["vcpu"].peak_share == pytest.approx(expected["p1"]["vcpu"] / 100)


def test_team_days_and_spending_follow_the_cost_definitions(hostile: tuple[Plan, PlanningData]) -> None:
    """Two migrations of 5 days and 3 万元, one network of 5 days and 2 万元, a room closing for 5 万元;
    retiring costs nothing. The frozen quarter's limit is 0."""
    plan, data = hostile
    effort, limit = facts.team_days(plan, data)
    spending = facts.one_off_spending(plan, data)
    assert (effort.systems[0], effort.networks[0]) == (10, 5)
    assert (spending.systems[0], spending.networks[0], spending.rooms[0]) == (6, 2, 5)
    assert sum(spending.totals) == 13
    assert limit[data.periods.index(Period.parse("2024Q3"))] == 0
    assert limit[0] == 40
    assert facts.yearly_spending(spending, data) == [(2024, 13, 100), (2025, 0, 100)]


def test_team_days_and_spending_charge_what_the_plan_does(hostile: tuple[Plan, PlanningData]) -> None:
    """The plan migrates net-<i> (5 days, 2 万元). An inventory that has since marked it must_keep makes its
    policy an interconnection (1 day, 1 万元), which PlanningData.network_effort would charge; the report
    still shows the migration the plan holds."""
    plan, data = hostile
    changed = hostile_inventory(must_keep=True, interconnect_effort_days=1, interconnect_cost_wan=1)
    changed_data = planning_data(changed, data.scenario)
    assert changed_data.network_effort("net-<i>") == 1
    effort, _ = facts.team_days(plan, changed_data)
    spending = facts.one_off_spending(plan, changed_data)
    assert (effort.networks[0], spending.networks[0]) == (5, 2)


def test_stays_are_classified_by_reason(hostile: tuple[Plan, PlanningData]) -> None:
    plan, _ = hostile
    kinds = {a.id: facts.reason_kind(a) for a in plan.actions if facts.is_stay(a)}
    assert kinds == {"sys-plain": "why_not_scheduled", "sys-secret": "why_classified", "r-plain": "why_hosts"}


def test_violations_split_into_targets_and_limits_with_odd_ids() -> None:
    violations = (
        Violation(constraint="cloud_adoption@2025", required=0.8, reached=0.71),
        Violation(constraint="capacity:pool:with:colons:vcpu@2025Q2", required=100, reached=130),
        Violation(constraint="budget@2024", required=500, reached=600),
        Violation(constraint="cutovers:<d>@2024Q2", required=3, reached=4),
        Violation(constraint="mystery", detail="something else"),
    )
    targets, limits = facts.split_violations(violations)
    assert targets == [facts.TargetMiss("cloud_adoption", 2025, 0.8, 0.71)]
    assert [(limit.family, limit.subject, limit.resource, limit.when, limit.excess) for limit in limits] == [
        ("capacity", "pool:with:colons", "vcpu", "2025Q2", 30),
        ("budget", "", "", "2024", 100),
        ("cutovers", "<d>", "", "2024Q2", 1),
        ("other", "mystery", "", "", None),
    ]
    assert facts.binding_summary(limits)[0][2] == 1
