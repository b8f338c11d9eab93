"""Hypothesis properties over random small inventories: whatever the MILP plans respects the rules.

Each property is checked here from the plan and the inventory alone, with arithmetic
written for the test, not with the model's code.
"""

from __future__ import annotations

from collections import defaultdict

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.inventory import Inventory
from models.period import Period
from models.plan import Plan
from models.scenario import Scenario
from planner.api import PlanRequest, plan_scenario
from tests.builders import department, inventory, loaded, network, pool, room, scenario, system

PERIODS = Period.span(Period.parse("2024Q1"), Period.parse("2025Q4"))


@st.composite
def cases(draw: st.DrawFn) -> tuple[Inventory, Scenario]:
    room_ids = [f"r{i}" for i in range(draw(st.integers(1, 3)))]
    network_ids = [f"n{i}" for i in range(draw(st.integers(0, 2)))]
    rooms = [room(r, classified=draw(st.booleans()) and i > 0, annual_cost_wan=draw(st.integers(5, 60)))
             for i, r in enumerate(room_ids)]
    networks = [network(n, must_keep=draw(st.booleans()), classified=draw(st.integers(0, 5)) == 0,
                        bandwidth_mbps=draw(st.integers(10, 80))) for n in network_ids]
    count = draw(st.integers(1, 7))
    systems = []
    for i in range(count):
        sid = f"s{i}"
        earlier = [f"s{j}" for j in range(i)]
        systems.append(system(
            sid,
            room=draw(st.sampled_from(room_ids)),
            networks=draw(st.lists(st.sampled_from(network_ids), max_size=1, unique=True)) if network_ids else [],
            classified=draw(st.integers(0, 6)) == 0,
            retire=draw(st.integers(0, 6)) == 0,
            mlps_level=draw(st.integers(1, 4)),
            arch=draw(st.sampled_from(["x86", "x86", "xinchuang", "any"])),
            xinchuang_adapt_days=draw(st.sampled_from([None, 3])),
            vcpu=draw(st.integers(2, 40)),
            memory_gb=draw(st.integers(4, 120)),
            storage_tb=draw(st.integers(1, 8)),
            effort_days=draw(st.integers(1, 10)),
            dr=draw(st.sampled_from(["none", "none", "active-active", "backup"])),
            requires=draw(st.lists(st.sampled_from(earlier), max_size=1, unique=True)) if earlier else [],
        ))
    clouds = [
        pool("px", arch="x86", zone="z1", mlps_max=3,
             capacity={"2024Q1": {"vcpu": draw(st.integers(20, 120)), "memory_gb": 300, "storage_tb": 30},
                       "2025Q1": {"vcpu": draw(st.integers(0, 80)), "memory_gb": 200, "storage_tb": 10}}),
        pool("pc", arch="xinchuang", zone="z2", mlps_max=4, vcpu_annual_cost_wan=0.15,
             capacity={"2024Q1": {"vcpu": draw(st.integers(20, 120)), "memory_gb": 300, "storage_tb": 30}}),
        pool("pp", kind="province", arch="x86", zone="z3", mlps_max=4, vcpu_annual_cost_wan=0.3,
             capacity={"2024Q2": {"vcpu": draw(st.integers(0, 80)), "memory_gb": 200, "storage_tb": 20}}),
    ]
    inv = inventory(systems, rooms=rooms, networks=networks, clouds=clouds, departments=[department("d1")],
                    bandwidth=draw(st.integers(0, 150)))
    scn = scenario(
        horizon={"start": "2024Q1", "end": "2025Q4"},
        targets={"cloud_adoption": {2025: draw(st.sampled_from([0.0, 0.3, 0.6]))}, "soft": draw(st.booleans())},
        resources={"team_days_per_period": draw(st.integers(5, 40)), "freeze": draw(st.sampled_from([[], ["2024Q3"]])),
                   "max_cutovers_per_department_per_period": draw(st.sampled_from([None, 1, 3]))},
    )
    return inv, scn


def solve(case: tuple[Inventory, Scenario]) -> Plan:
    inv, scn = case
    return plan_scenario(loaded(inv, scn), PlanRequest(solver="highs", time_limit_s=20))


def moves(plan: Plan) -> dict[str, Period]:
    return {a.id: a.period for a in plan.actions if a.kind == "system" and a.period is not None}


FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(cases())
def test_classified_objects_are_never_planned(case: tuple[Inventory, Scenario]) -> None:
    inv, _ = case
    plan = solve(case)
    classified = {("system", s.id) for s in inv.systems if s.classified} | \
        {("room", r.id) for r in inv.rooms if r.classified} | {("network", n.id) for n in inv.networks if n.classified}
    for action in plan.actions:
        if (action.kind, action.id) in classified:
            assert action.action in ("stay", "keep") and action.reason == "classified" and action.period is None


@FAST
@given(cases())
def test_capacity_is_never_exceeded(case: tuple[Inventory, Scenario]) -> None:
    inv, _ = case
    plan = solve(case)
    use: dict[tuple[str, str, Period], float] = defaultdict(float)
    for action in plan.actions:
        if action.action != "migrate" or action.kind != "system":
            continue
        s = inv.system_by_id[action.id]
        for t in PERIODS:
            if t >= action.period:
                for resource in ("vcpu", "memory_gb", "storage_tb"):
                    use[action.target, resource, t] += getattr(s, resource)
                    if action.dr_target and (s.dr == "active-active" or resource == "storage_tb"):
                        use[action.dr_target, resource, t] += getattr(s, resource)
    for (pool_id, resource, t), used in use.items():
        capacity = sum(getattr(c, resource) for start, c in inv.cloud_by_id[pool_id].capacity.items() if start <= t)
        assert used <= capacity + 1e-6, f"{pool_id} {resource} {t}: {used} > {capacity}"


@FAST
@given(cases())
def test_dependencies_networks_and_rooms_are_respected(case: tuple[Inventory, Scenario]) -> None:
    inv, scn = case
    plan = solve(case)
    moved = moves(plan)
    network_ready = {a.id: a.period for a in plan.actions if a.kind == "network" and a.period is not None}
    for s in inv.systems:
        if s.id not in moved:
            continue
        for required in s.requires:
            assert required in moved and moved[required] <= moved[s.id]
        action = next(a for a in plan.actions if a.id == s.id and a.kind == "system")
        if action.action == "migrate":
            for n in s.networks:
                assert n in network_ready and network_ready[n] <= moved[s.id]
            assert action.period not in scn.resources.freeze
    for a in plan.actions:
        if a.kind == "room" and a.action == "close":
            hosted = [s for s in inv.systems if s.room == a.id]
            assert all(s.id in moved and moved[s.id] <= a.period for s in hosted)


@FAST
@given(cases())
def test_every_plan_passes_the_independent_checker(case: tuple[Inventory, Scenario]) -> None:
    """The checker shares no constraint code with the MILP: two implementations of the rules must agree."""
    from planner.check import check_plan

    inv, scn = case
    plan = solve(case)
    report = check_plan(plan, scn, inv)
    if plan.status == "infeasible":
        assert not report.ok, "an infeasible plan misses a target, which the checker must see"
    else:
        assert report.ok, "\n".join(str(finding) for finding in report.errors)
