"""Solving the MILP (HiGHS through highspy by default, CBC as the fallback) and reading the plan back."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

import highspy
import numpy as np
import pulp

from models.errors import MigplanError
from models.inventory import inventory_sha256
from models.plan import Action, Plan, SolveInfo, Violation
from models.period import Period
from planner.kpi import kpi_rows
from planner.model import Elastic, Model, create_model
from planner.sets import PlanningData

Progress = Callable[[str], None]
NOT_SCHEDULED = "not scheduled within the horizon"


@dataclass
class SolverSettings:
    name: str = "highs"
    time_limit_s: float = 60
    mip_gap: float = 0.005
    threads: int | None = None
    verbose: bool = False


@dataclass
class SolverOutcome:
    status: str
    """optimal, feasible, infeasible or failed."""
    bound: float | None
    gap: float | None
    seconds: float


class WarmHighs(pulp.HiGHS):  # type: ignore[misc]
    """PuLP's highspy interface plus a (partial) warm start and the proved bound."""

    def __init__(self, warm: dict[str, float] | None, progress: Progress | None, offset: float, **options: object) -> None:
        super().__init__(**options)
        self.warm = warm or {}
        self.progress = progress
        self.offset = offset
        """The objective's constant, which PuLP does not pass on: given to HiGHS so that its gap is
        the gap of the whole cost, not of the part the plan can change."""
        self.bound: float | None = None
        self.gap: float | None = None

    def callSolver(self, lp: pulp.LpProblem) -> None:
        highs: highspy.Highs = lp.solverModel
        highs.changeObjectiveOffset(self.offset)
        if self.warm:
            by_name = {var.name: var.index for var in lp.variables()}
            pairs = [(by_name[name], value) for name, value in self.warm.items() if name in by_name]
            if pairs:
                indices = np.array([i for i, _ in pairs], dtype=np.int32)
                values = np.array([v for _, v in pairs], dtype=np.float64)
                highs.setSolution(len(pairs), indices, values)
        if self.progress is not None:
            highs.cbMipImprovingSolution.subscribe(self._report)
        highs.run()
        info = highs.getInfo()
        self.bound = info.mip_dual_bound if np.isfinite(info.mip_dual_bound) else None
        self.gap = info.mip_gap if np.isfinite(info.mip_gap) else None

    def _report(self, event: object) -> None:
        data = event.data_out  # type: ignore[attr-defined]
        if self.progress is not None:
            self.progress(
                f"incumbent {data.objective_function_value:,.1f} 万元, "
                f"bound {data.mip_dual_bound:,.1f}, gap {data.mip_gap:.2%}"
            )


def run_solver(model: Model, settings: SolverSettings, warm: dict[str, float] | None, progress: Progress | None) -> SolverOutcome:
    started = time.perf_counter()
    if settings.name == "highs":
        solver = WarmHighs(
            warm, progress, model.constant_cost, msg=settings.verbose, timeLimit=settings.time_limit_s,
            gapRel=settings.mip_gap, threads=settings.threads,
        )
    elif settings.name == "cbc":
        if warm:
            for var in model.prob.variables():
                if var.name in warm:
                    var.setInitialValue(warm[var.name])
        solver = pulp.PULP_CBC_CMD(
            msg=settings.verbose, timeLimit=settings.time_limit_s, gapRel=settings.mip_gap,
            threads=settings.threads, warmStart=bool(warm),
        )
    else:
        raise MigplanError(f"unknown solver {settings.name!r} (highs, cbc or greedy)")
    model.prob.solve(solver)
    seconds = time.perf_counter() - started
    has_solution = model.prob.sol_status in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible)
    status = {
        pulp.LpStatusOptimal: "optimal" if model.prob.sol_status == pulp.LpSolutionOptimal else "feasible",
        pulp.LpStatusInfeasible: "infeasible",
    }.get(model.prob.status, "feasible" if has_solution else "failed")
    if status == "optimal" and model.prob.sol_status != pulp.LpSolutionOptimal:
        status = "feasible"
    bound = getattr(solver, "bound", None)
    gap = getattr(solver, "gap", None)
    if has_solution and bound is not None:
        # The gap is recomputed from the objective of the plan read back, not taken from the solver:
        # highspy 1.16.0 can value a warm start wrongly in its presolved space and then call a plan
        # "optimal" that is above its own proved bound (see tests/planner/test_micro.py).
        objective = float(model.prob.objective.value() or 0.0)
        gap = max(objective - bound, 0.0) / max(abs(objective), 1e-9)
        if status == "optimal" and objective - bound > 1e-6 and gap > settings.mip_gap + 1e-9:
            status = "feasible"
    return SolverOutcome(status, bound, gap, seconds)


def _on(value: float | None) -> bool:
    return value is not None and value > 0.5


def extract_actions(model: Model) -> list[Action]:
    """Read the solution back as one action per inventory object."""
    data, v = model.data, model.variables
    moved: dict[str, tuple[str, Period]] = {}
    for (gid, pool, t), var in v.x.items():
        if _on(var.varValue):
            moved[gid] = (pool, t)
    copies: dict[str, str] = {}
    for (sid, pool, _t), var in v.y.items():
        if _on(var.varValue):
            copies[sid] = pool
    actions: list[Action] = []
    for sid, policy in data.systems.items():
        gid = data.graph.group_of.get(sid)
        if policy.fate in ("stay", "done"):
            actions.append(Action(kind="system", id=sid, action=policy.fate, reason=policy.reason))
        elif gid is None or gid not in moved:
            actions.append(Action(kind="system", id=sid, action="stay", reason=NOT_SCHEDULED))
        else:
            pool, t = moved[gid]
            if policy.fate == "retire":
                actions.append(Action(kind="system", id=sid, action="retire", period=t))
            else:
                actions.append(Action(kind="system", id=sid, action="migrate", target=pool, dr_target=copies.get(sid), period=t))
    actions.extend(_progress_actions(data, "network", {k: p.fate for k, p in data.networks.items()},
                                     {k: p.reason for k, p in data.networks.items()}, v.network_by))
    actions.extend(_progress_actions(data, "room", {r: p.fate for r, p in data.rooms.items()},
                                     {r: p.reason for r, p in data.rooms.items()}, v.closed_by))
    return actions


def _progress_actions(data: PlanningData, kind: str, fates: dict[str, str], reasons: dict[str, str],
                      by: dict[tuple[str, Period], pulp.LpVariable | None]) -> list[Action]:
    actions: list[Action] = []
    for object_id, fate in fates.items():
        if fate in ("stay", "keep", "done"):
            actions.append(Action(kind=kind, id=object_id, action=fate, reason=reasons[object_id]))  # type: ignore[arg-type]
            continue
        when = next((t for t in data.periods if by.get((object_id, t)) is not None and _on(by[object_id, t].varValue)), None)  # type: ignore[union-attr]
        if when is None:
            idle = "stay" if kind == "network" else "keep"
            actions.append(Action(kind=kind, id=object_id, action=idle, reason=NOT_SCHEDULED))  # type: ignore[arg-type]
        else:
            action = {"network": fate, "room": "close"}[kind]
            actions.append(Action(kind=kind, id=object_id, action=action, period=when, reason=reasons[object_id] or None))  # type: ignore[arg-type]
    return actions


def plan_cost(model: Model) -> float:
    return float(model.cost.value() or 0.0) + model.constant_cost


def make_plan(data: PlanningData, status: str, actions: list[Action], objective: float | None, bound: float | None,
              violations: list[Violation], info: SolveInfo) -> Plan:
    return Plan(
        scenario=data.scenario.name,
        inventory_sha256=inventory_sha256(data.inventory),
        status=status,  # type: ignore[arg-type]
        objective_wan=None if objective is None else round(objective, 4),
        bound_wan=None if bound is None else round(bound, 4),
        actions=tuple(actions),
        kpis=tuple(kpi_rows(data, actions)),
        violations=tuple(violations),
        solve=info,
    )


def solve_milp(data: PlanningData, settings: SolverSettings, warm: dict[str, float] | None = None,
               progress: Progress | None = None) -> Plan:
    """Build and solve the MILP; an infeasible scenario is explained, never just "infeasible".

    Hard KPI floors are modelled elastic with a penalty far above any cost. Every plan
    that meets them keeps its cost, so the optimum and the bound are those of the hard
    model, but the greedy plan, which respects every limit, is always a valid start,
    and a scenario whose targets cannot be met still yields its best reachable plan.
    """
    started = time.perf_counter()
    model = create_model(data, Elastic(targets=True))
    build_seconds = time.perf_counter() - started
    if progress:
        progress(f"model built: {len(model.prob.variables()):,} variables, {len(model.prob.constraints):,} constraints "
                 f"in {build_seconds:.1f} s")
    outcome = run_solver(model, settings, warm, progress)
    info = SolveInfo(solver=settings.name, gap=outcome.gap, build_seconds=round(build_seconds, 3),
                     solve_seconds=round(outcome.seconds, 3), variables=len(model.prob.variables()),
                     constraints=len(model.prob.constraints))
    if outcome.status not in ("optimal", "feasible"):
        raise MigplanError(f"the {settings.name} solver stopped without a plan after {outcome.seconds:.0f} s "
                           f"(raise solver.time_limit_s or try --solver cbc)")
    actions = extract_actions(model)
    misses = target_misses_of(model)
    if misses and not data.scenario.targets.soft:
        from planner.explain import explain_infeasible

        return explain_infeasible(data, settings, info, progress, model, misses, proven=outcome.status == "optimal")
    # With soft-target penalties in the objective, the solver's bound is no bound on the cost.
    bound = outcome.bound if not misses and not data.scenario.targets.soft else None
    return make_plan(data, outcome.status, actions, plan_cost(model), bound, misses, info)


def target_misses_of(model: Model) -> list[Violation]:
    """KPI floors the solution misses (their shortfall variables are positive), with what it reaches."""
    violations = []
    data = model.data
    for (kpi, year), short in sorted(model.variables.short.items()):
        missed = short.varValue or 0.0
        if missed > 1e-6:
            required = data.scenario.targets.floors()[kpi][year]
            reached = (data.floor_count(kpi, year) - missed) / data.kpi_total(kpi)
            kind = "soft target" if data.scenario.targets.soft else "best reachable"
            violations.append(Violation(constraint=f"{kpi}@{year}", required=required, reached=round(reached, 4),
                                        detail=f"{kpi}@{year} needs {required:.2f}, {kind} {reached:.2f}"))
    return violations
