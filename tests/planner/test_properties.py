"""Hypothesis properties over random small inventories: whatever the MILP plans respects the rules.

Each property is checked here from the plan and the inventory alone, with arithmetic
written for the test, not with the model's code.
"""

from __future__ import annotations

from collections import defaultdict

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inventory.source import RawInventory
from inventory.validate import validate
from models.inventory import Inventory
from models.period import Period
from models.plan import Plan
from models.scenario import Scenario
from planner.api import PlanRequest, plan_scenario
from tests.builders import department, inventory, loaded, network, pool, room, scenario, system

PERIODS = Period.span(Period.parse("2024Q1"), Period.parse("2025Q4"))


DEPARTMENTS = ("d1", "d2", "d3")


@st.composite
def cases(draw: st.DrawFn) -> tuple[Inventory, Scenario]:
    """A small city drawn so that every constraint family binds in a good share of the cases.

    ``bench/bench_properties.py`` draws 200 cases and prints how often each family binds.
    Departments d1..d3 (d2 has an industry pool), rooms worth closing, networks, systems
    already on a cloud, must-stay and co-migrating systems, pools sized from the demand so
    that they fill up, and tight team days, budgets and cutover caps.
    """
    departments = list(DEPARTMENTS[:draw(st.sampled_from([2, 3, 1, 3]))])
    room_ids = [f"r{i}" for i in range(draw(st.integers(1, 3)))]
    network_ids = [f"n{i}" for i in range(draw(st.integers(0, 2)))]
    rooms = [room(r, department=draw(st.sampled_from(departments)), classified=draw(st.booleans()) and i > 0,
                  annual_cost_wan=draw(st.integers(20, 90)), close_cost_wan=draw(st.integers(1, 10)))
             for i, r in enumerate(room_ids)]
    networks = [network(n, department=draw(st.sampled_from(departments)), must_keep=draw(st.booleans()),
                        classified=draw(st.integers(0, 7)) == 0, bandwidth_mbps=draw(st.integers(10, 80)))
                for n in network_ids]
    count = draw(st.integers(2, 8))
    systems = []
    movable: list[str] = []
    for i in range(count):
        sid = f"s{i}"
        fields = {
            "department": draw(st.sampled_from(departments)),
            "room": draw(st.sampled_from(room_ids)),
            "mlps_level": draw(st.integers(1, 4)),
            "arch": draw(st.sampled_from(["x86", "x86", "xinchuang", "any"])),
            "xinchuang_adapt_days": draw(st.sampled_from([None, 3])),
            "vcpu": draw(st.integers(2, 40)),
            "memory_gb": draw(st.integers(4, 120)),
            "storage_tb": draw(st.integers(1, 8)),
            "effort_days": draw(st.integers(1, 10)),
            "migration_cost_wan": draw(st.integers(1, 12)),
        }
        kind = draw(st.sampled_from(["legacy"] * 10 + ["on_cloud", "on_cloud", "classified", "retire", "must_stay"]))
        if kind == "on_cloud":
            fields.update(state="cloud", current_cloud="px", room=None, arch="x86", mlps_level=min(fields["mlps_level"], 3))
        elif kind in ("classified", "retire", "must_stay"):
            fields.update({kind: True}, **({"stay_reason": "law"} if kind == "must_stay" else {}))
        else:
            fields.update(
                networks=draw(st.lists(st.sampled_from(network_ids), max_size=1, unique=True)) if network_ids else [],
                dr=draw(st.sampled_from(["none", "none", "active-active", "backup"])),
                requires=draw(st.lists(st.sampled_from(movable), max_size=1, unique=True)) if movable else [],
            )
            movable.append(sid)
        systems.append(system(sid, **fields))
    if len(movable) >= 2 and draw(st.sampled_from([True, True, False])):
        first, second = sorted(draw(st.lists(st.sampled_from(movable), min_size=2, max_size=2, unique=True)),
                               key=lambda sid: int(sid[1:]))
        for record in systems:
            if record["id"] in (first, second):
                # partners move into one pool: both may use every pool (else planning says so, exit 2)
                record.update(co_migrate=[second if record["id"] == first else first], arch="any",
                              mlps_level=min(record["mlps_level"], 3))
            if record["id"] == second:
                # requires points to earlier systems only, so a cycle through the pair would start at the
                # later partner: validation refuses such a cycle (tests/inventory/test_validate.py)
                record["requires"] = []
    on_cloud = [record for record in systems if record.get("state") == "cloud"]
    there = {resource: sum(record[resource] for record in on_cloud) for resource in ("vcpu", "memory_gb", "storage_tb")}
    demand = sum(record["vcpu"] for record in systems) - there["vcpu"]
    widest = max(record["vcpu"] for record in systems)  # room for a co_migrating pair in the main pool
    clouds = [
        pool("px", arch="x86", zone="z1", mlps_max=3, capacity={
            "2024Q1": {"vcpu": there["vcpu"] + max(2 * widest, int(demand * draw(st.sampled_from([0.3, 0.5, 0.7, 1.0])))),
                       "memory_gb": there["memory_gb"] + 300, "storage_tb": there["storage_tb"] + draw(st.integers(10, 30))},
            "2025Q1": {"vcpu": draw(st.integers(0, 40)), "memory_gb": 200, "storage_tb": 10}}),
        pool("pc", arch="xinchuang", zone="z2", mlps_max=4, vcpu_annual_cost_wan=0.15,
             capacity={"2024Q1": {"vcpu": int(demand * draw(st.sampled_from([0.1, 0.3, 0.6]))) + 2, "memory_gb": 300,
                                  "storage_tb": 30}}),
        pool("pp", kind="province", arch="x86", zone="z3", mlps_max=4, vcpu_annual_cost_wan=0.3,
             capacity={"2024Q2": {"vcpu": draw(st.integers(0, 40)), "memory_gb": 200, "storage_tb": 20}}),
    ]
    if "d2" in departments:
        clouds.append(pool("pi", kind="industry", industry="d2", arch="x86", zone="z4", mlps_max=4,
                           vcpu_annual_cost_wan=0.05,
                           capacity={"2024Q1": {"vcpu": draw(st.integers(10, 60)), "memory_gb": 200, "storage_tb": 20}}))
    inv = inventory(systems, rooms=rooms, networks=networks, clouds=clouds,
                    departments=[department(d) for d in departments], bandwidth=draw(st.integers(0, 150)))
    validate(RawInventory(source="drawn", document=inv.to_document()))  # a case no user could write is no case
    # Team days and budgets drawn as shares of what moving everything would take, so that they bind.
    effort = sum(record["effort_days"] for record in systems) + sum(5 for _ in networks)
    # the largest move (信创 adaptation may not fit); a co_migrating pair moves in one quarter
    paired = any(record.get("co_migrate") for record in systems)
    biggest = max(max(record["effort_days"] for record in systems),
                  sum(record["effort_days"] for record in systems if record.get("co_migrate")))
    dearest = max(record["migration_cost_wan"] for record in systems)  # a budget that moves nothing binds nothing
    one_off = sum(record["migration_cost_wan"] for record in systems) + sum(r["close_cost_wan"] for r in rooms)
    budget = draw(st.sampled_from([None, 0.15, 0.3, 0.5]))
    scn = scenario(
        horizon={"start": "2024Q1", "end": "2025Q4"},
        targets={"cloud_adoption": {2025: draw(st.sampled_from([0.5, 0.8, 1.0]))},
                 "room_consolidation": {2025: draw(st.sampled_from([0.0, 0.5]))},
                 "soft": draw(st.sampled_from([True, False, True]))},
        resources={"team_days_per_period": max(biggest, round(effort / 4 * draw(st.sampled_from([0.3, 0.6, 1.5])))),
                   "freeze": draw(st.sampled_from([[], ["2024Q3"]])),
                   "max_cutovers_per_department_per_period": draw(st.sampled_from([None, 1, 2])) if not paired
                   else draw(st.sampled_from([None, 2, 3])),  # a pair of one department cuts over twice at once
                   "budget_wan_per_year": {} if budget is None else {2024: max(dearest, round(one_off * budget, 1)),
                                                                      2025: max(dearest, round(one_off * budget, 1))}},
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
    for s in inv.systems:
        if s.state == "cloud" and s.current_cloud is not None:
            for t in PERIODS:
                for resource in ("vcpu", "memory_gb", "storage_tb"):
                    use[s.current_cloud, resource, t] += getattr(s, resource)
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
    already = {s.id for s in inv.systems if s.state == "cloud"}
    for s in inv.systems:
        if s.must_stay:
            assert s.id not in moved, f"{s.id} must stay"
        for partner in s.co_migrate:
            if partner not in already and s.id not in already:  # a partner done before the horizon imposes nothing
                assert moved.get(partner) == moved.get(s.id), f"{s.id} and {partner} must move together"
        if s.id not in moved:
            continue
        action = next(a for a in plan.actions if a.id == s.id and a.kind == "system")
        if action.action == "migrate":  # precedence binds migrations, not retirements (FORMATS.md)
            for required in s.requires:
                assert required in already or (required in moved and moved[required] <= moved[s.id])
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
