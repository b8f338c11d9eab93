"""When a missed KPI floor is proven unreachable (planner/reach.py): by the policy, or by the solver's bound."""

from __future__ import annotations

import pytest

from models.plan import Plan
from planner.actions import extract_actions, target_misses_of
from planner.api import PlanRequest, plan_scenario
from planner.build import create_model
from planner.completion import completion_violation
from planner.data import planning_data
from planner.explain import explain_infeasible
from planner.model import Elastic
from planner.objective import MISSED_OBJECT_WAN
from planner.reach import infeasibility_proven, most_any_plan_costs, out_of_policy_reach, shortfall_proven
from planner.settings import SolverSettings
from planner.solve import Solved, solve_milp
from tests.builders import inventory, loaded, pool, scenario, system

ROOM_BY_2024 = {"room_consolidation": {"2024": 1.0}}


def test_the_dearest_plan_moves_in_the_first_quarter_and_closes_nothing() -> None:
    """One system (8 vCPU, 0.1 万元/vCPU-year, migration 3) in one room (40 万元/year, closing 5), four quarters.

    The dearest plan keeps the room open all year (4 x 10 = 40) and moves the system in 2024Q1
    (3 + 8 x 0.1 / 4 x 4 = 3.8): 43.8. Every room-closure column saves more rent than the closure costs.
    """
    model = create_model(planning_data(inventory([system("a")]), scenario()), Elastic(targets=True))
    assert most_any_plan_costs(model) == pytest.approx(43.8)


def test_a_room_hosting_a_staying_system_is_out_of_policy_reach() -> None:
    """The only room hosts a must-stay system: closing it by 2024 is missed by every plan, whatever the limits."""
    inv = inventory([system("a"), system("k", must_stay=True)])
    plan = plan_scenario(loaded(inv, scenario(targets=ROOM_BY_2024)), PlanRequest(mip_gap=0.0))
    assert plan.status == "infeasible"
    assert plan.solve is not None and plan.solve.gap is None
    assert [v.constraint for v in plan.violations][0] == "room_consolidation@2024"
    assert "not proven" not in plan.violations[0].detail
    model = create_model(planning_data(inv, scenario(targets=ROOM_BY_2024)), Elastic(targets=True))
    assert out_of_policy_reach(model) == 1


def test_a_shortfall_within_the_policy_needs_the_bound() -> None:
    """The room could close, so one missed room is proven only by a bound above (1 - 1) x P + C_max = 43.8."""
    model = create_model(planning_data(inventory([system("a")]), scenario(targets=ROOM_BY_2024)), Elastic(targets=True))
    assert out_of_policy_reach(model) == 0
    (short,) = model.variables.short.values()
    short.varValue = 1.0
    assert not shortfall_proven(model, None)
    assert not shortfall_proven(model, 43.8 - 1)
    assert shortfall_proven(model, 43.8 + 1)
    short.varValue = 2.0
    assert not shortfall_proven(model, 43.8 + 1)
    assert shortfall_proven(model, MISSED_OBJECT_WAN + 43.8 + 1)
    short.varValue = 0.0
    assert shortfall_proven(model, None), "a plan that misses nothing needs no proof"


def test_team_days_too_few_for_the_room_is_proven_by_the_bound() -> None:
    """5 team days a quarter, the system needs 10: it cannot move, the room cannot close. The policy allows it,
    so the proof is HiGHS's bound: the plan misses 1 room and costs 40 (rent), bound 1e6 + 40 > 0 x P + 43.8."""
    inv = inventory([system("a", effort_days=10)])
    scn = scenario(targets=ROOM_BY_2024, resources={"team_days_per_period": 5})
    plan = plan_scenario(loaded(inv, scn), PlanRequest(mip_gap=0.0))
    assert plan.status == "infeasible"
    assert "not proven" not in plan.violations[0].detail


def test_an_unproven_shortfall_is_a_feasible_plan_that_names_the_missed_floor() -> None:
    """The team-days case again, read as if the time limit had come before the proof: not claimed infeasible."""
    inv = inventory([system("a", effort_days=10)])
    scn = scenario(targets=ROOM_BY_2024, resources={"team_days_per_period": 5})
    data = planning_data(inv, scn)
    settings = SolverSettings(mip_gap=0.0, time_limit_s=10)
    solved = solve_milp(data, settings)
    misses = target_misses_of(solved.model)
    plan = explain_infeasible(data, settings, solved.info, None, solved.model, misses, infeasible=False, fewest=False,
                              spent_s=1.0)
    assert plan.status == "feasible" and plan.bound_wan is None
    assert plan.violations[0].constraint == "room_consolidation@2024"
    assert "not proven unreachable" in plan.violations[0].detail


TWO_SYSTEMS_ONE_POOL = {"complete_by": "2024Q2"}


def test_objects_left_at_complete_by_count_as_missed_and_need_the_bound() -> None:
    """Completion off the floors: a and b must be on the cloud by 2024Q2. Reading the plan as one that left
    b and the room undone (2 objects), the proof needs a bound above (2 - 1) x P + C_max; a plan that
    leaves nothing needs none."""
    inv = inventory([system("a"), system("b")])
    model = create_model(planning_data(inv, scenario(targets=TWO_SYSTEMS_ONE_POOL)), Elastic(targets=True))
    assert out_of_policy_reach(model) == 0
    left = model.variables.left
    assert set(left) == {("group", "a"), ("group", "b"), ("room", "r1")}
    left["group", "b"].varValue = 1.0
    left["room", "r1"].varValue = 1.0
    ceiling = MISSED_OBJECT_WAN + most_any_plan_costs(model)
    assert not shortfall_proven(model, None)
    assert not shortfall_proven(model, ceiling - 1)
    assert shortfall_proven(model, ceiling + 1)
    # Infeasibility needs less: that no plan misses nothing, a bound above C_max.
    assert not infeasibility_proven(model, None)
    assert not infeasibility_proven(model, most_any_plan_costs(model) - 1)
    assert infeasibility_proven(model, most_any_plan_costs(model) + 1)
    for var in left.values():
        var.varValue = 0.0
    assert shortfall_proven(model, None)


def one_system_left_by_2024q2(infeasible: bool, fewest: bool) -> tuple[Solved, Plan]:
    """Pool p1 holds 10 vCPU until 2024Q4; a and b need 8 each; complete_by 2024Q2: one system and the room are
    left. Solved to optimality, then explained as if the proofs were those given."""
    clouds = [pool("p1", capacity={"2024Q1": {"vcpu": 10, "memory_gb": 400, "storage_tb": 20},
                                   "2024Q4": {"vcpu": 10}})]
    inv = inventory([system("a"), system("b")], clouds=clouds)
    data = planning_data(inv, scenario(targets=TWO_SYSTEMS_ONE_POOL))
    settings = SolverSettings(mip_gap=0.0, time_limit_s=10)
    solved = solve_milp(data, settings)
    misses = [completion_violation(data, extract_actions(solved.model))]
    return solved, explain_infeasible(data, settings, solved.info, None, solved.model, misses, infeasible=infeasible,
                                      fewest=fewest, spent_s=1.0)


def completion_detail(plan: Plan) -> str:
    (completion,) = [v for v in plan.violations if v.constraint == "complete_by@2024Q2"]
    return completion.detail


def test_completion_the_time_limit_cut_short_is_a_feasible_plan_naming_what_is_left() -> None:
    """Solved to optimality the bound proves the shortfall (infeasible, tests/planner/test_completion.py); read
    as if the time limit had come first, the plan is feasible and its violation says so."""
    solved, plan = one_system_left_by_2024q2(infeasible=False, fewest=False)
    assert infeasibility_proven(solved.model, solved.outcome.bound)
    assert shortfall_proven(solved.model, solved.outcome.bound)
    assert not shortfall_proven(solved.model, None)
    assert plan.status == "feasible" and plan.bound_wan is None
    assert "1 system and 1 room of 1 department left" in completion_detail(plan)
    assert "not proven unreachable" in completion_detail(plan)


def test_proven_infeasible_with_a_shortfall_not_proven_smallest() -> None:
    """The bound proves that some object must be left (above C_max) but not that one more could not be
    done (below P + C_max): infeasible, and the violation says its count is not proven best."""
    _solved, plan = one_system_left_by_2024q2(infeasible=True, fewest=False)
    assert plan.status == "infeasible"
    assert "(time limit: not proven best)" in completion_detail(plan)
    assert "not proven unreachable" not in completion_detail(plan)
