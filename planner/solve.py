"""Solving the MILP (HiGHS through highspy by default, CBC as the fallback) and reading the plan back."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

import highspy
import numpy as np
import pulp

from models.errors import MigplanError
from models.inventory import inventory_sha256
from models.period import Period
from models.plan import Action, Plan, SolveInfo, Violation
from planner.kpi import kpi_rows
from planner.decompose import Blocks, DantzigWolfe, quiet_highs, split_blocks
from planner.build import create_model
from planner.families import family
from planner.model import Elastic, Model
from planner.search import Incumbent, Search, SearchSpace, give_start, solve_with_fixed
from planner.data import PlanningData

Progress = Callable[[str], None]
NOT_SCHEDULED = "not scheduled within the horizon"
DECOMPOSITION_SHARE = 0.7
"""At most this share of the time goes to the decomposition's bound; the searches get the rest, and at least what is left."""


@dataclass
class SolverSettings:
    name: str = "highs"
    time_limit_s: float = 60
    mip_gap: float = 0.005
    threads: int | None = None
    verbose: bool = False
    search: bool = True
    """Run the primal search (planner/search.py) beside HiGHS."""


@dataclass
class SolverOutcome:
    status: str
    """optimal, feasible, infeasible or failed."""
    bound: float | None
    gap: float | None
    seconds: float


class WarmHighs(pulp.HiGHS):  # type: ignore[misc]
    """PuLP's highspy interface: one-call model hand-over, a warm start, a primal search beside, and the bound.

    The main thread runs HiGHS on the whole model (the prover), started from the completed
    warm start. Another thread runs :class:`planner.search.Search` on a copy (RENS, then
    fix-and-optimise). The prover is stopped as soon as the best plan of either is within the
    gap of the prover's bound, and the plan read back is the best one found. The prover does
    not search from the search's plans: highspy 1.15 accepts a plan in its user-solution
    callback (status ok) and then drops it, so that callback is not used.

    A model that splits into blocks linked by a few shared limits (a province's cities) is
    solved differently: see :meth:`_solve_by_blocks`.
    """

    def __init__(self, model: Model, warm: dict[str, float] | None, progress: Progress | None, search: bool,
                 **options: object) -> None:
        super().__init__(**options)
        self.model = model
        self.warm = warm or {}
        self.progress = progress
        self.search = search
        self.incumbent = Incumbent()
        self.bound: float | None = None
        self.gap: float | None = None
        self._progress_lock = threading.Lock()

    def buildSolverModel(self, lp: pulp.LpProblem) -> None:
        pass_model(lp, lp.solverModel)

    def callSolver(self, lp: pulp.LpProblem) -> None:
        highs: highspy.Highs = lp.solverModel
        started = time.perf_counter()
        deadline = started + (float(self.timeLimit) if self.timeLimit is not None else float("inf"))
        bounds = highs.getLp()
        space = SearchSpace.of(self.model, np.array(bounds.col_lower_), np.array(bounds.col_upper_))
        if self.warm:
            self._complete_warm_start(highs, space, deadline)
        # The decomposition proves a bound; the plans come from the search, starting from the warm start
        # (RENS alone may find none). Without both, HiGHS's own branch and bound is the safer course.
        started_from_plan = self.incumbent.snapshot()[0] is not None
        blocks = (split_blocks(bounds, linking_rows(self.model))
                  if self.search and space.integer.size and started_from_plan else None)
        if blocks is not None:
            self._solve_by_blocks(bounds, blocks, space, deadline)
            return
        stop = threading.Event()
        search: Search | None = None
        thread: threading.Thread | None = None
        if self.search and space.integer.size:
            search = Search(self._copy_of(bounds), space, self.incumbent, stop, deadline, self._say)
            thread = threading.Thread(target=search.run, name="migplan-search", daemon=True)
            thread.start()
        try:
            self._prove(highs, deadline)
        finally:
            stop.set()
            if thread is not None:
                thread.join()
        if search is not None:
            if search.error is not None:
                raise search.error
            self._say(f"search: {search.iterations} neighbourhoods, {search.improvements} better plans")

    @staticmethod
    def _copy_of(lp: highspy.HighsLp) -> highspy.Highs:
        """A quiet HiGHS of its own for a search thread."""
        helper = quiet_highs(lp)
        helper.setOptionValue("mip_rel_gap", 1e-4)
        return helper

    def _prove(self, highs: highspy.Highs, deadline: float) -> None:
        """HiGHS's branch and bound on the whole model, from the best plan so far, until within the gap."""
        values, _objective = self.incumbent.snapshot()
        if values is not None:
            give_start(highs, values)
        highs.cbMipImprovingSolution.subscribe(self._improved)
        highs.cbMipInterrupt.subscribe(self._interrupt)
        highs.setOptionValue("time_limit", max(deadline - time.perf_counter(), 0.1))
        highs.run()
        info = highs.getInfo()
        self.bound = info.mip_dual_bound if np.isfinite(info.mip_dual_bound) else None

    def _solve_by_blocks(self, lp: highspy.HighsLp, blocks: Blocks, space: SearchSpace, deadline: float) -> None:
        """The bound by Dantzig-Wolfe over the blocks (planner/decompose.py), then two searches from its LP solution.

        HiGHS's own branch and bound is skipped: on a province it does not finish its presolve and root
        LP within minutes, while the decomposition, pricing the blocks on every core, reaches the LP
        bound in under a minute. RENS from the master's LP solution then gives a plan near that bound,
        and both cores improve it.
        """
        started = time.perf_counter()
        self._say(f"decomposition: {len(blocks.columns)} blocks linked by {blocks.linking.size:,} rows")
        block_of = np.full(lp.num_col_, -1, dtype=np.int64)
        for block, columns in enumerate(blocks.columns):
            block_of[columns] = block
        space = replace(space, block_of=block_of)
        with ThreadPoolExecutor(max_workers=int(self.threads or os.cpu_count() or 1)) as workers:
            decomposition = DantzigWolfe(lp, blocks, workers)
            values, _objective = self.incumbent.snapshot()
            if values is not None:
                decomposition.propose_solution(values)
            relaxation = decomposition.run(started + DECOMPOSITION_SHARE * (deadline - started), self._within_gap, self._say)
        if np.isfinite(relaxation.bound):
            self.bound = relaxation.bound
            state = "the LP relaxation" if relaxation.converged else ": ".join(filter(None, ("not converged", decomposition.failure)))
            self._say(f"decomposition: bound {relaxation.bound:,.1f} 万元 ({state}) after {relaxation.iterations} rounds, "
                      f"{time.perf_counter() - started:.0f} s")
        if self._proved() or time.perf_counter() > deadline - 1.0:
            return
        stop = threading.Event()
        searches = [Search(self._copy_of(lp), space, self.incumbent, stop, deadline, self._say)]
        thread = threading.Thread(target=searches[0].run, args=(relaxation.values,), name="migplan-search", daemon=True)
        thread.start()
        try:
            if relaxation.converged:
                lifted = decomposition.lift(relaxation, deadline, self._lifted)
                self._lifted(lifted)
                self._say(f"decomposition: bound {lifted:,.1f} 万元 with the blocks' MILP bounds, "
                          f"{time.perf_counter() - started:.0f} s")
            if not self._proved():
                searches.append(Search(self._copy_of(lp), space, self.incumbent, stop, deadline, self._say, seed=2))
                searches[1].relaxed = relaxation.values
                searches[1].improve()
        finally:
            stop.set()
            thread.join()
        if searches[0].error is not None:
            raise searches[0].error
        self._say(f"search: {sum(s.iterations for s in searches)} neighbourhoods, "
                  f"{sum(s.improvements for s in searches)} better plans")

    def _lifted(self, bound: float) -> bool:
        """Keep a better bound from the decomposition's lift; True once the best plan is within the gap of it."""
        if self.bound is None or bound > self.bound:
            self.bound = bound
        return self._proved()

    def _proved(self) -> bool:
        return self.bound is not None and self._within_gap(self.bound)

    def _complete_warm_start(self, highs: highspy.Highs, space: SearchSpace, deadline: float) -> None:
        """The warm start gives integer values only: fix them and let HiGHS solve for the rest."""
        index = {var.name: var.index for var in self.model.prob.variables()}
        known = {index[name]: value for name, value in self.warm.items() if name in index}
        values = np.array([known.get(int(i), 0.0) for i in space.integer])
        found, _timed_out = solve_with_fixed(highs, space, space.integer, values, max(deadline - time.perf_counter(), 0.1))
        if found is not None:
            self.incumbent.offer(found[0], found[1], "warm start")
            self._say(f"warm start {found[1]:,.1f} 万元")
        highs.clearSolver()

    def findSolutionValues(self, lp: pulp.LpProblem) -> tuple[int, int]:
        """PuLP's reading, replaced by the best plan found by anyone, and "optimal" when it is within the gap."""
        values, objective = self.incumbent.snapshot()
        if values is None:
            return super().findSolutionValues(lp)  # type: ignore[no-any-return]
        for var in lp.variables():
            var.varValue = float(values[var.index])
        self.gap = relative_gap(objective, self.bound) if self.bound is not None else None
        if self.gap is not None and self.gap <= (self.gapRel or 0.0) + 1e-9:
            return pulp.LpStatusOptimal, pulp.LpSolutionOptimal
        return pulp.LpStatusOptimal, pulp.LpSolutionIntegerFeasible

    def _within_gap(self, bound: float) -> bool:
        _values, objective = self.incumbent.snapshot()
        if not (np.isfinite(objective) and np.isfinite(bound)):
            return False
        return relative_gap(objective, bound) <= (self.gapRel or 0.0)

    def _improved(self, event: object) -> None:
        data = event.data_out  # type: ignore[attr-defined]
        self.incumbent.offer(np.array(data.mip_solution), data.objective_function_value, "HiGHS")
        self._report(data.mip_dual_bound)

    def _interrupt(self, event: object) -> None:
        data = event.data_out  # type: ignore[attr-defined]
        if self._within_gap(data.mip_dual_bound):
            event.data_in.user_interrupt = True  # type: ignore[attr-defined]

    def _report(self, bound: float) -> None:
        _values, objective = self.incumbent.snapshot()
        if np.isfinite(objective):
            gap = f", gap {relative_gap(objective, bound):.2%}" if np.isfinite(bound) else ""
            self._say(f"incumbent {objective:,.1f} 万元 ({self.incumbent.source}), bound {bound:,.1f}{gap}")

    def _say(self, message: str) -> None:
        """Progress from either thread, one message at a time."""
        if self.progress is not None:
            with self._progress_lock:
                self.progress(message)


def linking_rows(model: Model) -> np.ndarray:
    """Mask of the rows whose family may tie blocks together, as the registry (planner/families.py) says.

    A row of an unregistered family is an error rather than a row that silently joins every city."""
    linking = []
    for name in model.prob.constraints:
        meaning = model.names.explain(name)
        if meaning is None:
            raise MigplanError(f"constraint {name!r} was not named through the model's name registry")
        linking.append(family(meaning[0]).links_cities)
    return np.array(linking, dtype=bool)


def relative_gap(objective: float, bound: float) -> float:
    """The gap as HiGHS and the scenario's ``mip_gap`` mean it: (plan - bound) / |plan|, never below 0."""
    return max(objective - bound, 0.0) / max(abs(objective), 1e-9)


def pass_model(lp: pulp.LpProblem, highs: highspy.Highs) -> None:
    """Hand the whole model to HiGHS in one ``passModel`` call, row-wise, with the objective's constant.

    PuLP adds columns and rows one call at a time, which takes longer than building the model on a
    province; the constant goes in as the offset so that HiGHS's gap is that of the whole cost.
    Sets ``index`` on variables and constraints exactly as PuLP does, so PuLP reads the solution back.
    """
    infinity = highspy.kHighsInf
    variables = lp.variables()
    count = len(variables)
    cost = np.zeros(count)
    lower = np.empty(count)
    upper = np.empty(count)
    for i, var in enumerate(variables):
        var.index = i
        lower[i] = -infinity if var.lowBound is None else var.lowBound
        upper[i] = infinity if var.upBound is None else var.upBound
    sign = -1.0 if lp.sense == pulp.LpMaximize else 1.0
    for var, coefficient in lp.objective.items():
        cost[var.index] = sign * coefficient
    starts = [0]
    indices: list[int] = []
    values: list[float] = []
    row_lower: list[float] = []
    row_upper: list[float] = []
    for j, constraint in enumerate(lp.constraints.values()):
        constraint.index = j
        for var, coefficient in constraint.items():
            if coefficient != 0:
                indices.append(var.index)
                values.append(coefficient)
        starts.append(len(indices))
        low, high = constraint.getLb(), constraint.getUb()
        row_lower.append(-infinity if low is None else low)
        row_upper.append(infinity if high is None else high)
    model = highspy.HighsLp()
    model.num_col_ = count
    model.num_row_ = len(row_lower)
    model.col_cost_ = cost
    model.col_lower_ = lower
    model.col_upper_ = upper
    model.row_lower_ = np.array(row_lower)
    model.row_upper_ = np.array(row_upper)
    model.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    model.a_matrix_.start_ = np.array(starts, dtype=np.int32)
    model.a_matrix_.index_ = np.array(indices, dtype=np.int32)
    model.a_matrix_.value_ = np.array(values)
    model.offset_ = sign * float(lp.objective.constant)
    model.integrality_ = [highspy.HighsVarType.kInteger if var.cat == pulp.LpInteger else highspy.HighsVarType.kContinuous
                          for var in variables]
    highs.passModel(model)


def run_solver(model: Model, settings: SolverSettings, warm: dict[str, float] | None, progress: Progress | None) -> SolverOutcome:
    started = time.perf_counter()
    if settings.name == "highs":
        solver = WarmHighs(
            model, warm, progress, settings.search, msg=settings.verbose, timeLimit=settings.time_limit_s,
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
        gap = relative_gap(objective, bound)
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
               progress: Progress | None = None, built: tuple[Model, float] | None = None) -> Plan:
    """Build and solve the MILP; an infeasible scenario is explained, never just "infeasible".

    Hard KPI floors are modelled elastic with a penalty far above any cost. Every plan
    that meets them keeps its cost, so the optimum and the bound are those of the hard
    model, but the greedy plan, which respects every limit, is always a valid start,
    and a scenario whose targets cannot be met still yields its best reachable plan.
    ``built`` is that model already built (with its build seconds), as the greedy start was read through it.
    """
    if built is None:
        started = time.perf_counter()
        model = create_model(data, Elastic(targets=True))
        build_seconds = time.perf_counter() - started
    else:
        model, build_seconds = built
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

        return explain_infeasible(data, settings, info, progress, model, misses, proven=outcome.status == "optimal",
                                  spent_s=outcome.seconds)
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
