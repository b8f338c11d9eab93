"""The plan checker: a hand-made plan passes with hand-computed cost and KPIs; each rule rejects a plan
breaking exactly that rule, naming the offending ids."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from inventory.files import write_inventory
from models.errors import InputError
from models.inventory import Inventory, inventory_sha256
from models.period import Period
from models.plan import KpiRow, Plan
from models.scenario import Scenario
from planner.check import CheckReport, Load, PlanFacts, Shortfall, check_plan, compute_kpis, compute_min_cost, first_shortfall
from planner.cli import cli
from planner.output import load_plan

CAPACITY = {"2025Q1": {"vcpu": 100, "memory_gb": 400, "storage_tb": 50}}


def pool(pool_id: str, zone: str, rate: float, **fields: Any) -> dict[str, Any]:
    return {"id": pool_id, "name": pool_id, "kind": "city", "arch": "x86", "mlps_max": 3, "zone": zone,
            "capacity": copy.deepcopy(CAPACITY), "vcpu_annual_cost_wan": rate, **fields}


def system(system_id: str, **fields: Any) -> dict[str, Any]:
    return {"id": system_id, "name": system_id, "department": "d1", "room": "room-a", "mlps_level": 2,
            "vcpu": 4, "memory_gb": 8, "storage_tb": 1, "effort_days": 1, "migration_cost_wan": 0, **fields}


def inventory_document() -> dict[str, Any]:
    return {
        "format": "migplan-inventory/1",
        "region": "C",
        "departments": [{"id": "d1", "name": "D1"}, {"id": "d2", "name": "D2", "region": "C"}],
        "rooms": [
            {"id": "room-a", "name": "A", "department": "d1", "annual_cost_wan": 40, "close_cost_wan": 4},
            {"id": "room-mj", "name": "MJ", "department": "d2", "annual_cost_wan": 8, "close_cost_wan": 1,
             "classified": True},
        ],
        "networks": [
            {"id": "net-a", "name": "A", "department": "d1", "bandwidth_mbps": 100, "annual_cost_wan": 20,
             "migration_effort_days": 10, "migration_cost_wan": 6},
            {"id": "net-keep", "name": "K", "department": "d2", "must_keep": True, "bandwidth_mbps": 50,
             "annual_cost_wan": 12, "migration_effort_days": 4, "migration_cost_wan": 9,
             "interconnect_effort_days": 2, "interconnect_cost_wan": 3},
        ],
        "systems": [
            system("sys-auth", vcpu=8, memory_gb=16, effort_days=5, migration_cost_wan=10),
            system("sys-app", networks=["net-a"], requires=["sys-auth"], dr="active-active",
                   effort_days=10, migration_cost_wan=20),
            system("sys-old", retire=True, effort_days=3, migration_cost_wan=2),
            system("sys-mj", department="d2", room="room-mj", classified=True),
            system("sys-done", department="d2", room=None, state="cloud", current_cloud="pool-a",
                   vcpu=10, memory_gb=20),
        ],
        "clouds": [
            pool("pool-a", "za", 0.1),
            pool("pool-b", "zb", 0.2),
            pool("pool-xc", "zc", 0.1, arch="xinchuang"),
            pool("pool-ind", "zd", 0.1, kind="industry", industry="d2"),
            pool("pool-reg", "ze", 0.1, region="Other"),
            pool("pool-low", "zf", 0.1, mlps_max=1),
        ],
        "extranet": {"bandwidth_mbps": {"2025Q1": 500}},
    }


def make_inventory(edit: Callable[[dict[str, Any]], None] | None = None) -> Inventory:
    document = inventory_document()
    if edit is not None:
        edit(document)
    return Inventory.model_validate(document)


def edit_record(list_name: str, object_id: str, **fields: Any) -> Callable[[dict[str, Any]], None]:
    def edit(document: dict[str, Any]) -> None:
        for record in document[list_name]:
            if record["id"] == object_id:
                record.update(fields)

    return edit


SCENARIO = {
    "format": "migplan-scenario/1",
    "name": "micro",
    "inventory": "inventory.yaml",
    "horizon": {"start": "2025Q1", "end": "2025Q4"},
    # Completion is off so that breaking one rule breaks only that rule; tests of the rule turn it on.
    "targets": {"room_consolidation": {2025: 1.0}, "network_migration": {2025: 0.5}, "cloud_adoption": {2025: 0.9},
                "complete_by": "off"},
    "resources": {"team_days_per_period": 20, "budget_wan_per_year": {2025: 50}, "freeze": ["2025Q4"],
                  "max_cutovers_per_department_per_period": 2},
}


def make_scenario(**changes: Any) -> Scenario:
    document = copy.deepcopy(SCENARIO)
    for section, values in changes.items():
        if isinstance(values, dict) and isinstance(document.get(section), dict):
            document[section].update(values)
        else:
            document[section] = values
    return Scenario.model_validate(document)


def good_actions() -> list[dict[str, Any]]:
    return [
        {"kind": "network", "id": "net-a", "action": "migrate", "period": "2025Q1"},
        {"kind": "network", "id": "net-keep", "action": "interconnect", "period": "2025Q2"},
        {"kind": "system", "id": "sys-auth", "action": "migrate", "target": "pool-a", "period": "2025Q1"},
        {"kind": "system", "id": "sys-app", "action": "migrate", "target": "pool-a", "dr_target": "pool-b",
         "period": "2025Q2"},
        {"kind": "system", "id": "sys-old", "action": "retire", "period": "2025Q1"},
        {"kind": "system", "id": "sys-mj", "action": "stay", "reason": "classified"},
        {"kind": "system", "id": "sys-done", "action": "done"},
        {"kind": "room", "id": "room-a", "action": "close", "period": "2025Q3"},
        {"kind": "room", "id": "room-mj", "action": "keep", "reason": "classified"},
    ]


def plan_of(actions: list[dict[str, Any]], scenario: Scenario, inventory: Inventory) -> Plan:
    """A plan of these actions reporting its own cost and KPIs, so only the rule under test can fail."""
    draft = Plan.model_validate({"scenario": scenario.name, "inventory_sha256": inventory_sha256(inventory),
                                 "status": "optimal", "objective_wan": 0, "actions": actions, "kpis": []})
    facts = PlanFacts.read(draft, scenario, inventory)
    return draft.model_copy(update={"objective_wan": compute_min_cost(facts), "kpis": tuple(compute_kpis(facts))})


def replace_action(object_id: str, **fields: Any) -> list[dict[str, Any]]:
    """The good actions with one changed: a new ``action`` starts afresh, other fields update in place."""
    actions = good_actions()
    for index, action in enumerate(actions):
        if action["id"] == object_id:
            base = {"kind": action["kind"], "id": object_id} if "action" in fields else action
            actions[index] = {**base, **fields}
    return actions


def check(
    actions: list[dict[str, Any]] | None = None,
    scenario: Scenario | None = None,
    inventory: Inventory | None = None,
) -> CheckReport:
    scenario = scenario or make_scenario()
    inventory = inventory or make_inventory()
    return check_plan(plan_of(actions or good_actions(), scenario, inventory), scenario, inventory)


def assert_rejected(report: CheckReport, rule: str, *ids: str) -> None:
    """The plan breaks ``rule`` and nothing else, and some finding of that rule names every id."""
    assert {f.rule for f in report.errors} == {rule}, [str(f) for f in report.findings]
    assert any(all(i in str(f) for i in ids) for f in report.errors), [str(f) for f in report.errors]


# --- the correct plan ---------------------------------------------------------------


def test_correct_plan_passes_with_hand_computed_cost_and_kpis() -> None:
    """Horizon 2025Q1..Q4.

    One-offs: sys-auth 10 + sys-app 20 + net-a 6 + net-keep interconnect 3 + room-a close 4 = 43.
    Rooms: room-a 40/4 = 10 in Q1, Q2 (closes Q3) = 20; room-mj (classified, open) 8/4 * 4 = 8.
    Networks: net-a migrates in Q1, pays nothing; net-keep (interconnected) 12/4 * 4 = 12.
    Systems: sys-done on pool-a 10 vCPU * 0.1 / 4 * 4 = 1.0; sys-auth 8 * 0.1 / 4 * 4 = 0.8;
    sys-app active-active 4 * (0.1 + 0.2) / 4 * 3 quarters (Q2..Q4) = 0.9.
    Total 43 + 20 + 8 + 12 + 1.0 + 0.8 + 0.9 = 85.7.

    KPIs: rooms in scope {room-a}: 0, 0, 1, 1. Networks {net-a, net-keep}, interconnected not
    counted: 0.5 throughout. Systems {auth, app, old, done}, retired counted: Q1 done+auth+old = 0.75,
    then 1.
    """
    scenario, inventory = make_scenario(), make_inventory()
    kpis = [
        KpiRow(period=Period.parse(p), room_consolidation=r, network_migration=0.5, cloud_adoption=c)
        for p, r, c in [("2025Q1", 0, 0.75), ("2025Q2", 0, 1), ("2025Q3", 1, 1), ("2025Q4", 1, 1)]
    ]
    plan = Plan.model_validate({"scenario": "micro", "inventory_sha256": inventory_sha256(inventory),
                                "status": "optimal", "objective_wan": 85.7, "actions": good_actions(),
                                "kpis": [k.model_dump(mode="json") for k in kpis]})
    report = check_plan(plan, scenario, inventory)
    assert report.findings == []
    assert report.ok
    assert report.objective_wan == pytest.approx(85.7)
    assert report.kpis == kpis


def test_kpi_options_change_the_counts() -> None:
    """Interconnected counted: net-keep from Q2 gives 1.0. Retired not counted: sys-old, marked retire,
    leaves the denominator in every period, so Q1 is (done + auth) / 3."""
    scenario = make_scenario(kpi={"count_interconnected_networks": True, "count_retired_systems": False})
    report = check(scenario=scenario)
    assert report.ok, [str(f) for f in report.findings]
    assert [k.network_migration for k in report.kpis] == [0.5, 1, 1, 1]
    assert report.kpis[0].cloud_adoption == pytest.approx(2 / 3)


# --- the plan document ----------------------------------------------------------------


def test_missing_object_is_rejected() -> None:
    actions = [a for a in good_actions() if a["id"] != "room-mj"]
    assert_rejected(check(actions), "coverage", "room-mj")


def test_duplicate_and_unknown_ids_are_rejected() -> None:
    actions = good_actions() + [{"kind": "room", "id": "room-mj", "action": "keep"},
                                {"kind": "system", "id": "sys-ghost", "action": "stay"}]
    report = check(actions)
    assert_rejected(report, "coverage", "room-mj")
    assert any("sys-ghost" in str(f) and "unknown" in f.message for f in report.errors)


def test_action_invalid_for_kind_is_rejected() -> None:
    assert_rejected(check(replace_action("net-keep", action="close", period="2025Q2")), "action", "net-keep")


def test_migration_without_target_is_rejected() -> None:
    actions = replace_action("sys-auth", action="migrate", period="2025Q1")
    assert_rejected(check(actions), "action", "sys-auth")


def test_done_object_must_be_written_done() -> None:
    assert_rejected(check(replace_action("sys-done", action="stay")), "done", "sys-done")


def test_period_outside_horizon_is_rejected() -> None:
    assert_rejected(check(replace_action("net-keep", period="2026Q1")), "horizon", "net-keep", "2026Q1")


def test_inventory_digest_mismatch_is_only_a_warning() -> None:
    scenario, inventory = make_scenario(), make_inventory()
    plan = plan_of(good_actions(), scenario, inventory).model_copy(update={"inventory_sha256": "0" * 64})
    report = check_plan(plan, scenario, inventory)
    assert report.ok
    assert [f.rule for f in report.warnings] == ["inventory_sha256"]


# --- what may happen to which object ----------------------------------------------------


def test_classified_system_is_never_planned() -> None:
    actions = replace_action("sys-mj", action="migrate", target="pool-a", period="2025Q2")
    assert_rejected(check(actions), "classified", "sys-mj")


def test_must_stay_system_stays() -> None:
    inventory = make_inventory(edit_record("systems", "sys-auth", must_stay=True, stay_reason="law"))
    assert_rejected(check(inventory=inventory), "must_stay", "sys-auth")


def test_retire_system_is_not_migrated() -> None:
    actions = replace_action("sys-old", action="migrate", target="pool-a", period="2025Q1")
    assert_rejected(check(actions), "retire", "sys-old")


def test_retire_system_that_stays_is_only_a_warning() -> None:
    actions = [a for a in good_actions() if a["id"] not in ("sys-old", "room-a")] + [
        {"kind": "system", "id": "sys-old", "action": "stay"}, {"kind": "room", "id": "room-a", "action": "keep"}]
    report = check(actions, scenario=make_scenario(targets={"room_consolidation": {}, "cloud_adoption": {}}))
    assert report.ok, [str(f) for f in report.findings]
    assert [(f.rule, f.object_ids) for f in report.warnings] == [("retire", ("sys-old",))]


def test_only_retire_systems_retire() -> None:
    assert_rejected(check(replace_action("sys-auth", action="retire", period="2025Q1")), "retire", "sys-auth")


def test_must_keep_network_is_never_migrated() -> None:
    assert_rejected(check(replace_action("net-keep", action="migrate", period="2025Q2")), "must_keep", "net-keep")


def test_other_networks_are_not_interconnected() -> None:
    actions = replace_action("net-a", action="interconnect", period="2025Q1")
    no_network_floor = make_scenario(targets={"network_migration": {}})
    assert_rejected(check(actions, no_network_floor), "must_keep", "net-a")


# --- where systems go -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "reason"),
    [("pool-xc", "xinchuang"), ("pool-ind", "industry"), ("pool-reg", "region"), ("pool-low", "mlps_max")],
)
def test_ineligible_pool_is_rejected(target: str, reason: str) -> None:
    actions = replace_action("sys-auth", action="migrate", target=target, period="2025Q1")
    report = check(actions)
    assert_rejected(report, "pool_eligibility", "sys-auth", target)
    assert reason in report.errors[0].message


def test_pool_pin_is_respected() -> None:
    inventory = make_inventory(edit_record("systems", "sys-auth", cloud="pool-b"))
    assert_rejected(check(inventory=inventory), "pool_eligibility", "sys-auth", "pool-a")


def test_adaptation_days_make_xinchuang_possible_and_count_as_effort() -> None:
    """sys-auth on pool-xc: 5 + 30 adaptation days, plus net-a's 10 in Q1 = 45 > 20 team days."""
    inventory = make_inventory(edit_record("systems", "sys-auth", xinchuang_adapt_days=30))
    actions = replace_action("sys-auth", action="migrate", target="pool-xc", period="2025Q1")
    assert_rejected(check(actions, inventory=inventory), "team_days", "sys-auth", "net-a", "45")


def test_active_active_copy_runs_on_the_primarys_architecture() -> None:
    """sys-app's copy on pool-xc would run another build than its primary on pool-a: an active-active
    copy sits in a pool of the primary's architecture, so 信创 adaptation is paid once (the MILP agrees)."""
    inventory = make_inventory(edit_record("systems", "sys-app", xinchuang_adapt_days=5))
    actions = replace_action("sys-app", action="migrate", target="pool-a", dr_target="pool-xc", period="2025Q2")
    assert_rejected(check(actions, inventory=inventory), "dr", "sys-app", "pool-xc")


def test_active_active_copy_needs_another_zone() -> None:
    actions = replace_action("sys-app", action="migrate", target="pool-a", dr_target="pool-a", period="2025Q2")
    assert_rejected(check(actions), "dr", "sys-app", "pool-a")


def test_active_active_needs_a_dr_target() -> None:
    actions = replace_action("sys-app", action="migrate", target="pool-a", period="2025Q2")
    assert_rejected(check(actions), "dr", "sys-app")


def test_no_dr_means_no_dr_target() -> None:
    actions = replace_action("sys-auth", action="migrate", target="pool-a", dr_target="pool-b", period="2025Q1")
    assert_rejected(check(actions), "dr", "sys-auth", "pool-b")


def test_backup_costs_nothing_to_run_and_takes_storage_only() -> None:
    """As the correct plan, but sys-app's copy is a backup: it runs at 4 * 0.1 / 4 * 3 = 0.3, not 0.9,
    so min_cost is 85.7 - 0.6 = 85.1; pool-b must hold its 1 TB, and no vCPU."""
    inventory = make_inventory(edit_record("systems", "sys-app", dr="backup"))
    report = check(inventory=inventory)
    assert report.ok, [str(f) for f in report.findings]
    assert report.objective_wan == pytest.approx(85.1)
    small = edit_record("clouds", "pool-b", capacity={"2025Q1": {"vcpu": 0, "memory_gb": 0, "storage_tb": 0.5}})

    def backup_into_small_pool(document: dict[str, Any]) -> None:
        edit_record("systems", "sys-app", dr="backup")(document)
        small(document)

    report = check(inventory=make_inventory(backup_into_small_pool))
    assert_rejected(report, "capacity", "pool-b", "sys-app", "storage_tb")
    assert len(report.errors) == 1


# --- order of events --------------------------------------------------------------------


def test_system_waits_for_its_networks() -> None:
    assert_rejected(check(replace_action("net-a", period="2025Q3")), "network_precedence", "sys-app", "net-a")


def test_system_waits_for_what_it_requires() -> None:
    actions = replace_action("sys-auth", action="migrate", target="pool-a", period="2025Q3")
    assert_rejected(check(actions), "requires", "sys-app", "sys-auth")


def test_co_migrate_partners_move_together() -> None:
    def pair(document: dict[str, Any]) -> None:
        edit_record("systems", "sys-auth", co_migrate=["sys-old"])(document)
        edit_record("systems", "sys-old", co_migrate=["sys-auth"])(document)

    inventory = make_inventory(pair)
    assert check(inventory=inventory).ok
    actions = replace_action("sys-old", action="retire", period="2025Q2")
    assert_rejected(check(actions, inventory=inventory), "co_migrate", "sys-auth", "sys-old")


def test_room_closes_after_its_last_system_leaves() -> None:
    assert_rejected(check(replace_action("room-a", period="2025Q1")), "room_closure", "room-a", "sys-app")


def test_room_with_a_staying_system_cannot_close() -> None:
    inventory = make_inventory(edit_record("systems", "sys-old", must_stay=True))
    actions = replace_action("sys-old", action="stay")
    no_adoption_floor = make_scenario(targets={"cloud_adoption": {}})
    assert_rejected(check(actions, no_adoption_floor, inventory), "room_closure", "room-a", "sys-old")


def test_room_left_open_after_its_systems_leave_is_allowed() -> None:
    report = check(replace_action("room-a", action="keep"), scenario=make_scenario(targets={"room_consolidation": {}}))
    assert report.ok, [str(f) for f in report.findings]


# --- 应迁尽迁 / 应上尽上 -----------------------------------------------------------------


def test_the_good_plan_completes() -> None:
    report = check(scenario=make_scenario(targets={"complete_by": "2025Q3"}))
    assert report.ok, [str(f) for f in report.findings]


def test_an_eligible_object_left_undone_breaks_completion() -> None:
    """sys-auth left behind (and the room kept for it) breaks the rule at complete_by; sys-app, which
    requires it, would stay too, so it is left behind as well."""
    actions = replace_action("sys-auth", action="stay")
    actions = [a for a in actions if a["id"] not in ("sys-app", "room-a")] + [
        {"kind": "system", "id": "sys-app", "action": "stay"}, {"kind": "room", "id": "room-a", "action": "keep"}]
    on = make_scenario(targets={"complete_by": "2025Q4", "room_consolidation": {}, "cloud_adoption": {}})
    report = check(actions, on)
    assert {f.rule for f in report.errors} == {"completion"}
    assert {f.object_ids for f in report.errors} == {("sys-auth",), ("sys-app",), ("room-a",)}
    late = check(scenario=make_scenario(targets={"complete_by": "2025Q2"}))
    assert_rejected(late, "completion", "room-a", "2025Q3")


def test_a_blocked_system_may_stay_and_belongs_in_the_warnings() -> None:
    """sys-old is 等保 4 with nothing certified: it cannot move, so it stays with room-a; that is no
    error, but a plan that does not list it in ``warnings`` gets a warning."""
    inventory = make_inventory(edit_record("systems", "sys-old", retire=False, mlps_level=4))
    actions = replace_action("sys-old", action="stay")
    actions = [a for a in actions if a["id"] != "room-a"] + [{"kind": "room", "id": "room-a", "action": "keep"}]
    scenario = make_scenario(targets={"complete_by": "2025Q4", "room_consolidation": {}, "cloud_adoption": {}})
    report = check(actions, scenario, inventory)
    assert report.ok, [str(f) for f in report.findings]
    assert [f.rule for f in report.warnings] == ["warnings"] and report.warnings[0].object_ids == ("sys-old",)


# --- limits -----------------------------------------------------------------------------


def test_pool_capacity_counts_systems_already_there() -> None:
    """pool-a: sys-done 10 + sys-auth 8 = 18 vCPU in Q1, + sys-app 4 = 22 > 20 in Q2."""
    inventory = make_inventory(edit_record("clouds", "pool-a", capacity={"2025Q1": {"vcpu": 20, "memory_gb": 400,
                                                                                    "storage_tb": 50}}))
    assert_rejected(check(inventory=inventory), "capacity", "pool-a", "sys-app", "2025Q2")


def test_pool_capacity_counts_active_active_copies() -> None:
    inventory = make_inventory(edit_record("clouds", "pool-b", capacity={"2025Q1": {"vcpu": 3, "memory_gb": 400,
                                                                                    "storage_tb": 50}}))
    assert_rejected(check(inventory=inventory), "capacity", "pool-b", "sys-app")


def test_first_shortfall_adds_up_the_limit_and_names_what_arrives() -> None:
    """Capacity and extranet share this rule: the limit grows by each addition from its start on."""
    before, q1, q2, q3 = (Period.parse(text) for text in ("2024Q4", "2025Q1", "2025Q2", "2025Q3"))
    loads = [Load("old", before, 4), Load("new", q2, 3), Load("empty", q2, 0)]
    assert first_shortfall(loads, {q1: 5, q2: 2}, [q1, q2, q3]) is None
    assert first_shortfall(loads, {q1: 5, q3: 2}, [q1, q2, q3]) == Shortfall(q2, 7, 5, ("new",))
    # Nothing arrives in the period that is short: every running load is named.
    assert first_shortfall(loads, {q1: 3}, [q1, q2, q3]) == Shortfall(q1, 4, 3, ("old",))


def test_extranet_bandwidth_counts_migrated_networks() -> None:
    def narrow(document: dict[str, Any]) -> None:
        document["extranet"] = {"bandwidth_mbps": {"2025Q1": 50}}

    assert_rejected(check(inventory=make_inventory(narrow)), "extranet", "net-a")


def test_team_days_per_period() -> None:
    report = check(scenario=make_scenario(resources={"team_days_per_period": 14}))
    assert_rejected(report, "team_days", "sys-auth", "net-a", "2025Q1")


def test_yearly_budget() -> None:
    assert_rejected(check(scenario=make_scenario(resources={"budget_wan_per_year": {2025: 40}})), "budget", "sys-app")


def test_freeze_quarters() -> None:
    report = check(scenario=make_scenario(resources={"freeze": ["2025Q2"]}))
    assert_rejected(report, "freeze", "sys-app")
    assert {f.object_ids for f in report.errors} == {("sys-app",), ("net-keep",)}


def test_cutovers_per_department() -> None:
    report = check(scenario=make_scenario(resources={"max_cutovers_per_department_per_period": 1}))
    assert_rejected(report, "cutover_cap", "d1", "sys-auth", "sys-old")


def test_objects_done_before_the_horizon_count_but_cost_no_one_off() -> None:
    """net-a migrated before the horizon: written done, no one-off (85.7 - 6 = 79.7), KPI unchanged,
    and its 100 Mbps still use the extranet."""
    inventory = make_inventory(edit_record("networks", "net-a", state="migrated"))
    actions = replace_action("net-a", action="done")
    report = check(actions, inventory=inventory)
    assert report.ok, [str(f) for f in report.findings]
    assert report.objective_wan == pytest.approx(79.7)
    assert [k.network_migration for k in report.kpis] == [0.5] * 4

    def narrow(document: dict[str, Any]) -> None:
        edit_record("networks", "net-a", state="migrated")(document)
        document["extranet"] = {"bandwidth_mbps": {"2025Q1": 80}}

    assert_rejected(check(actions, inventory=make_inventory(narrow)), "extranet", "net-a", "2025Q1")


# --- KPIs and cost ---------------------------------------------------------------------


def test_missed_kpi_target_is_an_error_or_with_soft_targets_a_warning() -> None:
    actions = replace_action("room-a", action="keep")
    assert_rejected(check(actions), "kpi_target", "room_consolidation@2025")
    soft = make_scenario(targets={**SCENARIO["targets"], "soft": True})
    report = check(actions, scenario=soft)
    assert report.ok
    assert [f.rule for f in report.warnings] == ["kpi_target"]


def test_wrong_objective_and_kpi_rows_are_rejected() -> None:
    scenario, inventory = make_scenario(), make_inventory()
    plan = plan_of(good_actions(), scenario, inventory)
    wrong_row = plan.kpis[0].model_copy(update={"cloud_adoption": 0.5})
    plan = plan.model_copy(update={"objective_wan": 90.0, "kpis": (wrong_row,) + plan.kpis[1:3]})
    report = check_plan(plan, scenario, inventory)
    assert {f.rule for f in report.errors} == {"objective", "kpi_rows"}
    messages = "\n".join(str(f) for f in report.errors)
    assert "cloud_adoption@2025Q1" in messages and "no KPI row for 2025Q4" in messages and "90.0000" in messages


# --- files and the command ----------------------------------------------------------------


def write_case(folder: Path, actions: list[dict[str, Any]]) -> tuple[Path, Path]:
    scenario, inventory = make_scenario(), make_inventory()
    write_inventory(inventory, folder / "inventory.yaml")
    scenario_path = folder / "scenario.yaml"
    scenario_path.write_text(yaml.safe_dump(SCENARIO, allow_unicode=True), encoding="utf-8")
    plan_path = folder / "plan.json"
    plan_path.write_text(plan_of(actions, scenario, inventory).dumps(), encoding="utf-8")
    return plan_path, scenario_path


def test_cli_accepts_a_correct_plan(tmp_path: Path) -> None:
    plan_path, scenario_path = write_case(tmp_path, good_actions())
    result = CliRunner().invoke(cli, ["check", str(plan_path), str(scenario_path)])
    assert result.exit_code == 0, result.output
    assert "min_cost: 85.70 万元" in result.output
    assert "2025Q4: room_consolidation 1.000 (target 1.000)" in result.output


def test_cli_rejects_a_broken_plan_with_exit_6(tmp_path: Path) -> None:
    plan_path, scenario_path = write_case(tmp_path, replace_action("room-a", period="2025Q1"))
    result = CliRunner().invoke(cli, ["check", str(plan_path), str(scenario_path)])
    assert result.exit_code == 6
    assert "room_closure: 1 error; ids: room-a, sys-app\n  room closes in 2025Q1" in result.output
    json_result = CliRunner().invoke(cli, ["check", "--json", str(plan_path), str(scenario_path)])
    assert json_result.exit_code == 6
    document = json.loads(json_result.stdout)
    assert document["ok"] is False and document["findings"][0]["rule"] == "room_closure"


def test_load_plan_names_the_file_and_field(tmp_path: Path) -> None:
    bad_json = tmp_path / "bad.json"
    bad_json.write_text("{", encoding="utf-8")
    with pytest.raises(InputError, match="bad.json:1: invalid JSON"):
        load_plan(bad_json)
    missing = tmp_path / "missing.json"
    missing.write_text(json.dumps({"format": "migplan-plan/1", "scenario": "x", "status": "optimal",
                                   "objective_wan": 1, "actions": [], "kpis": []}), encoding="utf-8")
    with pytest.raises(InputError, match="missing.json: inventory_sha256: missing required field"):
        load_plan(missing)


def test_plans_of_the_milp_pass_the_checker() -> None:
    """Two implementations of the rules must agree: a plan the MILP writes, on an instance that
    exercises most rules at once, passes the checker with the same cost and KPIs."""
    from planner.api import PlanRequest, plan_scenario
    from tests.builders import department, inventory, loaded, network, pool, room, scenario
    from tests.builders import system as built_system

    clouds = [pool("p1", zone="z1"), pool("p2", zone="z2", vcpu_annual_cost_wan=0.2),
              pool("xc", zone="z3", arch="xinchuang"), pool("ind", zone="z4", kind="industry", industry="d2")]
    networks = [network("n1"), network("n2", must_keep=True, interconnect_effort_days=2, interconnect_cost_wan=1)]
    systems = [
        built_system("a", networks=["n1"], dr="active-active"),
        built_system("b", requires=["a"], co_migrate=["c"], xinchuang_adapt_days=3),
        built_system("c", co_migrate=["b"], dr="backup", department="d2", room="r2", networks=["n2"]),
        built_system("old", retire=True),
        built_system("x", arch="xinchuang", room="r2", department="d2"),
        built_system("mj", classified=True, room="rmj"),
    ]
    inv = inventory(
        systems, clouds=clouds, networks=networks, departments=[department("d1"), department("d2")],
        rooms=[room("r1"), room("r2", department="d2"), room("rmj", classified=True)],
    )
    scn = scenario(
        targets={"cloud_adoption": {2024: 0.6}, "network_migration": {2024: 0.5}},
        resources={"team_days_per_period": 12, "freeze": ["2024Q2"], "max_cutovers_per_department_per_period": 2,
                   "budget_wan_per_year": {2024: 60}},
    )
    plan = plan_scenario(loaded(inv, scn), PlanRequest(solver="highs"))
    assert plan.status == "optimal"
    report = check_plan(plan, scn, inv)
    assert report.errors == [], [str(f) for f in report.findings]
    assert report.objective_wan == pytest.approx(plan.objective_wan, abs=0.01)


@pytest.mark.parametrize("field", ["objective_wan", "kpi"])
def test_a_nan_objective_or_kpi_is_rejected_with_exit_6(tmp_path: Path, field: str) -> None:
    """NaN compares false with everything: a tolerance test written as "differs by more than" let it pass."""
    plan_path, scenario_path = write_case(tmp_path, good_actions())
    document = json.loads(plan_path.read_text(encoding="utf-8"))
    if field == "objective_wan":
        document["objective_wan"] = float("nan")
    else:
        document["kpis"][1]["cloud_adoption"] = float("nan")
    plan_path.write_text(json.dumps(document), encoding="utf-8")  # json writes NaN as the bare word
    assert "NaN" in plan_path.read_text(encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(plan_path), str(scenario_path)])
    assert result.exit_code == 6, result.output
    assert ("objective_wan nan" if field == "objective_wan" else "cloud_adoption nan") in result.output


def test_load_plan_refuses_duplicate_keys_and_deep_nesting(tmp_path: Path) -> None:
    duplicate = tmp_path / "dup.json"
    duplicate.write_text('{"status": "optimal", "status": "infeasible"}', encoding="utf-8")
    with pytest.raises(InputError, match="duplicate key 'status'"):
        load_plan(duplicate)
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 1000 + "]" * 1000, encoding="utf-8")
    with pytest.raises(InputError, match="nested deeper"):
        load_plan(deep)
