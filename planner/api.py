"""One entry point for planning a scenario, shared by the CLI, the comparison and the benchmarks."""

from __future__ import annotations

import time
from dataclasses import dataclass

from models.period import Period
from models.plan import Plan, SolveInfo
from planner.actions import extract_actions, make_plan, plan_cost, target_misses_of
from planner.build import create_model, models_kept
from planner.completion import completion_violation
from planner.data import PlanningData, planning_data
from planner.events import Progress, step, tell
from planner.explain import explain_infeasible
from planner.greedy import ROOM_ORDERS, GreedyPlan, greedy_plan, greedy_values
from planner.kpi import kpi_rows, target_misses
from planner.model import Elastic, Model
from planner.reach import infeasibility_proven, shortfall_proven
from planner.scenario_file import LoadedScenario, clamp_threads
from planner.settings import SolverOutcome, SolverSettings
from planner.solve import solve_milp


@dataclass(frozen=True)
class PlanRequest:
    """How to plan: the solver and its limits (scenario values unless overridden), and re-planning."""

    solver: str | None = None
    time_limit_s: float | None = None
    mip_gap: float | None = None
    threads: int | None = None
    previous: Plan | None = None
    frozen_until: Period | None = None
    warm_start: bool = True
    verbose: bool = False
    ray: str | None = None
    """A Ray cluster for a province's per-city work (planner/cluster.py), already resolved from --ray or RAY_ADDRESS."""


def settings_for(loaded: LoadedScenario, request: PlanRequest) -> SolverSettings:
    """The scenario's solver section with the request's overrides: the one settings object the solver reads."""
    options = loaded.scenario.solver
    threads, _warning = clamp_threads(request.threads or options.threads)  # the CLI and the loader warn
    return SolverSettings(
        name=request.solver or options.name,
        time_limit_s=request.time_limit_s or options.time_limit_s,
        mip_gap=options.mip_gap if request.mip_gap is None else request.mip_gap,
        threads=threads,
        verbose=request.verbose,
        ray=request.ray,
    )


def plan_scenario(loaded: LoadedScenario, request: PlanRequest, progress: Progress | None = None) -> Plan:
    """Plan a loaded scenario with the greedy baseline or the MILP (greedy warm start)."""
    with models_kept():
        return _plan_scenario(loaded, request, progress)


def _plan_scenario(loaded: LoadedScenario, request: PlanRequest, progress: Progress | None) -> Plan:
    settings = settings_for(loaded, request)
    data = planning_data(loaded.inventory, loaded.scenario, request.previous, request.frozen_until)
    tell(progress, step(f"{len(data.groups):,} move groups, {len(data.active)} quarters open for cutovers"))
    if settings.name != "greedy" and not request.warm_start:
        return plan_milp(data, settings, None, progress)
    started = time.perf_counter()
    # One model serves both: the greedy plans are read through it, then the MILP solves it.
    model = create_model(data, Elastic(targets=True))
    build = time.perf_counter() - started
    best = greedy_start(data, model, build, every_order=settings.name == "greedy")
    if settings.name == "greedy":
        return best[0]
    return plan_milp(data, settings, best[1], progress, (model, build))


def greedy_start(data: PlanningData, model: Model, build: float, every_order: bool) -> tuple[Plan, dict[str, float]]:
    """The best greedy plan of the room orders (fewest violations, then cost), with its values as a warm start.

    Unless ``every_order``, the orders are tried thrifty first and the first plan without a violation is taken:
    a warm start only has to be feasible, and each order costs 1.5 to 2.5 s on the 4,200-system province, 7 to 12 s
    on the 21,000-system one. The thrifty plan is the cheapest of the three on the bundled city and the 4,200-system
    province; on the 21,000-system one it leaves 10 systems of three big rooms undone and the biggest-first plan
    (471,141 万元) is taken, the fewest-choices one (481,907) no longer tried.
    """
    orders = ROOM_ORDERS if every_order else sorted(ROOM_ORDERS, key=lambda order: order != "thrifty")
    best: tuple[Plan, dict[str, float]] | None = None
    for order in orders:
        found = greedy_as_plan(data, greedy_plan(data, order), model, build)
        best = found if best is None or _rank(found[0]) < _rank(best[0]) else best
        if not every_order and not best[0].violations:
            break
    assert best is not None
    return best


def _rank(plan: Plan) -> tuple[int, float]:
    """Greedy plans compare by their violations first, then by cost."""
    return len(plan.violations), plan.objective_wan


def plan_milp(data: PlanningData, settings: SolverSettings, warm: dict[str, float] | None = None,
              progress: Progress | None = None, built: tuple[Model, float] | None = None) -> Plan:
    """Solve the MILP (planner/solve.py) and make its plan; an infeasible scenario is explained, never just "infeasible"."""
    solved = solve_milp(data, settings, warm, progress, built)
    model, outcome = solved.model, solved.outcome
    actions = extract_actions(model)
    misses = target_misses_of(model)
    left = completion_violation(data, actions)
    if left is not None:
        misses.append(left)
    if misses and not data.scenario.targets.soft:
        # The solver's gap is that of the penalised objective (cost + 1e6 per missed object): no measure of the plan.
        info = solved.info.model_copy(update={"gap": None})
        bound = _proved_bound(model, settings, outcome)
        return explain_infeasible(data, settings, info, progress, model, misses,
                                  infeasible=infeasibility_proven(model, bound), fewest=shortfall_proven(model, bound),
                                  spent_s=outcome.seconds)
    # With soft-target penalties in the objective, the solver's bound is no bound on the cost.
    bound = outcome.bound if not misses and not data.scenario.targets.soft else None
    return make_plan(data, outcome.status, actions, plan_cost(model), bound, misses, solved.info)


def _proved_bound(model: Model, settings: SolverSettings, outcome: SolverOutcome) -> float | None:
    """The solver's bound on the penalised objective; CBC reports none, but its "optimal" is within the gap of one."""
    if outcome.bound is not None or outcome.status != "optimal":
        return outcome.bound
    objective = float(model.prob.objective.value() or 0.0)
    return objective - settings.mip_gap * abs(objective)


def greedy_as_plan(data: PlanningData, greedy: GreedyPlan, model: Model, build: float) -> tuple[Plan, dict[str, float]]:
    """The greedy decisions read through the model, so cost and actions are defined once; and as a warm start."""
    started = time.perf_counter()
    values = greedy_values(greedy, model)
    for var in model.columns:
        var.varValue = values.get(var.name, 0.0)
    actions = extract_actions(model)
    info = SolveInfo(solver="greedy", build_seconds=round(build, 3), solve_seconds=round(time.perf_counter() - started, 3))
    missed = target_misses(data, kpi_rows(data, actions))
    left = completion_violation(data, actions)
    if left is not None:
        missed.append(left)
    status = "infeasible" if missed and not data.scenario.targets.soft else "feasible"
    return make_plan(data, status, actions, plan_cost(model), None, missed, info), values
