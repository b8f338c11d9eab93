"""planner/greedy.py on its own: hand-checked plans of the greedy baseline, and that the model accepts them."""

from __future__ import annotations

from typing import Any

import highspy
import numpy as np
import pulp
import pytest

from models.period import Period
from planner.actions import plan_cost
from planner.build import create_model
from planner.data import RETIRE, planning_data
from planner.greedy import ROOM_ORDERS, GreedyPlan, Guide, follow_guide, greedy_plan, greedy_values, guide_from_lp
from planner.highs import pass_model, solve_with_fixed
from planner.model import Elastic
from planner.scenario_file import load_scenario_with_inventory
from tests.builders import inventory, network, pool, room, scenario, system
from tests.conftest import REPOSITORY

Q1, Q2, Q3, Q4 = (Period.parse(f"2024Q{quarter}") for quarter in range(1, 5))


def test_a_room_is_emptied_then_closed_within_the_team_days() -> None:
    """5 team days a quarter and 5 days per system: one system a quarter, the room closes with the last one."""
    inv = inventory([system("a"), system("b"), system("c", retire=True)])
    data = planning_data(inv, scenario(resources={"team_days_per_period": 5}))
    plan = greedy_plan(data)
    assert sorted(t for gid, t in plan.moves.items() if gid != "c") == [Q1, Q2]
    assert (plan.pools["c"], plan.moves["c"]) == (RETIRE, Q1)  # retiring costs no team days
    assert plan.rooms == {"r1": Q2}


def test_nothing_moves_in_a_frozen_quarter() -> None:
    inv = inventory([system("a"), system("b")])
    data = planning_data(inv, scenario(resources={"team_days_per_period": 5, "freeze": ["2024Q2"]}))
    plan = greedy_plan(data)
    assert sorted(plan.moves.values()) == [Q1, Q3]
    assert plan.rooms == {"r1": Q3}


def test_a_group_waits_for_its_network_and_what_it_requires() -> None:
    inv = inventory([system("web", requires=["db"], networks=["n1"]), system("db")], networks=[network("n1")])
    plan = greedy_plan(planning_data(inv, scenario()))
    assert plan.moves["db"] <= plan.moves["web"]
    assert plan.networks["n1"] <= plan.moves["web"]


def test_a_dr_copy_goes_to_another_zone() -> None:
    inv = inventory([system("s", dr="backup")], clouds=[pool("a", zone="z1"), pool("b", zone="z2")])
    plan = greedy_plan(planning_data(inv, scenario()))
    assert plan.copies["s"] in {"a", "b"} - {plan.pools["s"]}


def test_thrifty_leaves_a_room_that_does_not_pay_for_itself_when_no_target_needs_it() -> None:
    """Closing r2 saves a quarter of 1 万元 a year for a closure of 50 万元: floors only, the careful engineer
    keeps it open; under the completion rule every room closes, whatever the order."""
    inv = inventory([system("a"), system("b", room="r2")],
                    rooms=[room("r1"), room("r2", annual_cost_wan=1, close_cost_wan=50)])
    data = planning_data(inv, scenario(targets={"complete_by": "off"}))
    assert "r2" not in greedy_plan(data, "thrifty").rooms
    assert "r2" in greedy_plan(data, "biggest").rooms
    assert "r2" in greedy_plan(planning_data(inv, scenario()), "thrifty").rooms


@pytest.mark.parametrize("order", ROOM_ORDERS)
def test_every_greedy_plan_is_a_plan_of_the_model(order: str) -> None:
    """The greedy plan is the MILP's warm start: its decisions (the integer columns) fixed, the model is feasible
    and its plan meets the targets (no shortfall)."""
    inv = inventory(
        [system("a", co_migrate=["b"], networks=["n1"]), system("b"), system("c", requires=["a"], room="r2", dr="backup"),
         system("d", retire=True, room="r2")],
        rooms=[room("r1"), room("r2")], networks=[network("n1")],
        clouds=[pool("p", zone="z1"), pool("q", zone="z2")],
    )
    scn = scenario(targets={"room_consolidation": {2024: 0.5}, "cloud_adoption": {2024: 0.5}},
                   resources={"team_days_per_period": 20, "budget_wan_per_year": {2024: 40},
                              "max_cutovers_per_department_per_period": 2})
    data = planning_data(inv, scn)
    model = create_model(data, Elastic(targets=True))
    values = greedy_values(greedy_plan(data, order), model)  # type: ignore[arg-type]
    assert any(value > 0.5 for name, value in values.items() if name.startswith("x_"))
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    pass_model(model.prob, highs)
    lp = highs.getLp()
    lower, upper = np.array(lp.col_lower_), np.array(lp.col_upper_)
    variables = model.prob.variables()
    integer = np.array([var.index for var in variables if var.cat == pulp.LpInteger], dtype=np.int32)
    fixed = np.array([values.get(variables[i].name, 0.0) for i in integer])
    found, _timed_out = solve_with_fixed(highs, lower, upper, integer, fixed, 10.0)
    assert found is not None, "the model rejects the greedy decisions"
    shortfall = {var.index for var in model.variables.short.values()}
    assert all(found[0][i] < 1e-6 for i in shortfall)


def test_a_rolled_back_room_gives_back_what_its_single_choice_part_claimed() -> None:
    """Floors only, rooms biggest first. r1 (rent 100) holds ``pinned`` (pool h only) and ``stuck`` (1,000 team
    days: it never fits 20 a quarter), so emptying r1 is rolled back after ``pinned`` went into h. h's 10 vCPU
    are still ``pinned``'s claim: ``flex`` (r2, pools h or p, h the cheaper) must leave h to it and take p; the
    last pass then moves ``pinned`` into h. Had the rollback kept h's claim as spent, ``flex`` would sit in h
    and ``pinned`` would find no room anywhere."""
    inv = inventory(
        [system("pinned", cloud="h"), system("stuck", effort_days=1000), system("flex", room="r2")],
        rooms=[room("r1", annual_cost_wan=100), room("r2", annual_cost_wan=40)],
        clouds=[pool("h", capacity={"2024Q1": {"vcpu": 10, "memory_gb": 100, "storage_tb": 10}}),
                pool("p", vcpu_annual_cost_wan=0.5)],
    )
    data = planning_data(inv, scenario(targets={"complete_by": "off"}, resources={"team_days_per_period": 20}))
    plan = greedy_plan(data, "biggest")
    assert (plan.pools["pinned"], plan.pools["flex"]) == ("h", "p")
    assert "stuck" not in plan.moves and "r1" not in plan.rooms


def test_a_dr_copy_waits_rather_than_take_the_pool_a_pinned_system_needs() -> None:
    """``aa`` (pool a only) keeps an active-active copy in another zone: b, which has no capacity before 2024Q3,
    or h, whose 10 vCPU are all that ``pinned`` (pool h only, 8 vCPU) can use. The copy (8 vCPU) beside
    ``pinned`` does not fit, so it must wait for b: ``aa`` moves in 2024Q3 with its copy in b and ``pinned``
    goes into h. A copy that took h in 2024Q1 would leave ``pinned`` behind and the plan incomplete."""
    small = {"vcpu": 10, "memory_gb": 100, "storage_tb": 10}
    inv = inventory(
        [system("aa", cloud="a", dr="active-active"), system("pinned", cloud="h")],
        clouds=[pool("a"), pool("h", zone="z2", capacity={"2024Q1": small}),
                pool("b", zone="z2", vcpu_annual_cost_wan=0.5, capacity={"2024Q3": small})],
    )
    plan = greedy_plan(planning_data(inv, scenario()))
    assert (plan.pools["pinned"], plan.pools["aa"], plan.copies["aa"], plan.moves["aa"]) == ("h", "a", "b", Q3)
    assert plan.rooms == {"r1": Q3}


def test_the_last_pass_gives_a_reserved_pool_to_whoever_fits_once_its_claimant_cannot_move() -> None:
    """``pinned`` (pool h only) needs 1,000 team days and never moves; while it may, h's 10 vCPU are kept for
    it, and ``flex`` (8 vCPU, pools h or the 4-vCPU p) fits nowhere else. Under the completion rule the
    last pass lifts the reserve: ``flex`` moves into h rather than stay behind with ``pinned``."""
    inv = inventory(
        [system("pinned", cloud="h", effort_days=1000), system("flex", room="r2")],
        rooms=[room("r1"), room("r2")],
        clouds=[pool("h", capacity={"2024Q1": {"vcpu": 10, "memory_gb": 100, "storage_tb": 10}}),
                pool("p", capacity={"2024Q1": {"vcpu": 4, "memory_gb": 100, "storage_tb": 10}})],
    )
    data = planning_data(inv, scenario(resources={"team_days_per_period": 20}))
    plan = greedy_plan(data, "biggest")
    assert plan.pools["flex"] == "h" and "pinned" not in plan.moves


def _one_system_pool(id: str) -> dict[str, Any]:
    return pool(id, mlps_max=4, capacity={"2024Q1": {"vcpu": 8, "memory_gb": 16, "storage_tb": 1}})


def test_a_guide_orders_the_rooms_and_chooses_the_pools() -> None:
    """One system a quarter (5 team days): the plain greedy empties the dearer room r1 first; a guide that
    closes r2 first and puts b in the dearer pool q is followed."""
    inv = inventory([system("a"), system("b", room="r2")],
                    rooms=[room("r1", annual_cost_wan=100), room("r2", annual_cost_wan=10)],
                    clouds=[pool("p"), pool("q", vcpu_annual_cost_wan=0.5)])
    data = planning_data(inv, scenario(resources={"team_days_per_period": 5}))
    plain = greedy_plan(data, "biggest")
    assert (plain.rooms, plain.pools) == ({"r1": Q1, "r2": Q2}, {"a": "p", "b": "p"})
    guided = greedy_plan(data, "biggest", Guide(rooms={"r1": 1.5, "r2": 0.5}, networks={}, pools={"b": "q"}))
    assert (guided.rooms, guided.pools) == ({"r2": Q1, "r1": Q2}, {"a": "p", "b": "q"})


def test_a_group_a_guided_try_leaves_goes_first_in_the_next() -> None:
    """h (等保 4) fits only the one-system pools s1 and s2; the guide empties r1 first and sends e1 and e2 there:
    the first try leaves h without a pool, the second moves h first and e1 or e2 goes to the big pool."""
    inv = inventory([system("e1"), system("e2"), system("h", room="r2", mlps_level=4)],
                    rooms=[room("r1"), room("r2")],
                    clouds=[_one_system_pool("s1"), _one_system_pool("s2"), pool("big", vcpu_annual_cost_wan=0.5)])
    data = planning_data(inv, scenario())
    guide = Guide(rooms={"r1": 0.0, "r2": 1.0}, networks={}, pools={"e1": "s1", "e2": "s2"})
    assert "h" not in greedy_plan(data, "fewest-choices", guide).moves
    plans = follow_guide(data, guide)
    assert len(plans) == 1, "the second try leaves nothing undone: the first, which left h, is not offered"
    plan = plans[0]
    assert set(plan.moves) == {"e1", "e2", "h"}
    assert plan.pools["h"] in {"s1", "s2"} and sorted(plan.pools.values()).count("big") == 1
    assert set(plan.rooms) == {"r1", "r2"}


def test_the_guide_of_the_lp_relaxation_beats_every_plain_order_on_the_bundled_city() -> None:
    """The bundled city: the plain orders cost 12,579 万元 and more; following its LP relaxation's schedule costs less
    (about 11,200) and leaves nothing undone."""
    loaded = load_scenario_with_inventory(REPOSITORY / "scenarios" / "xiangtan" / "baseline.yaml")
    data = planning_data(loaded.inventory, loaded.scenario)
    model = create_model(data, Elastic(targets=True))
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    pass_model(model.prob, highs, model.columns)
    highs.setOptionValue("solve_relaxation", True)
    highs.run()
    guided = follow_guide(data, guide_from_lp(model, np.array(highs.getSolution().col_value)))[-1]
    assert set(guided.moves) == set(data.groups)

    def cost(plan: GreedyPlan) -> float:
        values = greedy_values(plan, model)
        for var in model.columns:
            var.varValue = values.get(var.name, 0.0)
        return plan_cost(model)

    assert cost(guided) < min(cost(greedy_plan(data, order)) for order in ROOM_ORDERS)


def test_following_a_guide_a_room_s_groups_leave_just_in_time() -> None:
    """Two systems a quarter (10 team days); b's only pool opens in Q2, so r1 closes in Q2 whenever a leaves.
    As early as it fits, a takes a Q1 slot and r2 closes in Q2; just in time, a leaves with b and r2 closes in Q1."""
    inv = inventory([system("a"), system("b", mlps_level=4), system("c", room="r2"), system("d", room="r2")],
                    rooms=[room("r1"), room("r2")],
                    clouds=[pool("p"), pool("late", mlps_max=4, capacity={"2024Q2": {"vcpu": 100, "memory_gb": 400, "storage_tb": 20}})])
    data = planning_data(inv, scenario(resources={"team_days_per_period": 10}))
    plan = greedy_plan(data, "biggest", Guide(rooms={"r1": 0.0, "r2": 1.0}, networks={}, pools={}))
    assert (plan.moves["a"], plan.moves["b"], plan.rooms) == (Q2, Q2, {"r1": Q2, "r2": Q1})
    plain = greedy_plan(data, "biggest")
    assert plain.moves["a"] == Q1 and plain.rooms["r2"] == Q2
