"""Solving the MILP: HiGHS by default (with the strategy the model calls for), CBC as the fallback.

:func:`run_solver` takes the model and the settings and returns an outcome, the plan left in the
model's variables. With HiGHS, the warm start is completed first; then a model that splits into
blocks linked by a few shared limits (a province's cities) is solved by the decomposition
(planner/by_blocks.py), any other by HiGHS's branch and bound with the primal search beside it
(planner/prover.py).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import highspy
import numpy as np
import pulp

from models.errors import MigplanError
from models.plan import SolveInfo
from planner.build import create_model
from planner.by_blocks import solve_by_blocks
from planner.data import PlanningData
from planner.decompose import split_blocks
from planner.events import Progress, step, tell
from planner.families import family
from planner.highs import PulpHighs, RunResult, relative_gap, solve_with_fixed
from planner.incumbent import Incumbent
from planner.model import Elastic, Model
from planner.prover import prove_with_search
from planner.search import SearchSpace
from planner.settings import SolverOutcome, SolverSettings
from planner.strategy import Attempt


@dataclass(frozen=True)
class Solved:
    """A solved MILP: the model (its variables hold the plan), how the solve ended, and the plan's solve record."""

    model: Model
    outcome: SolverOutcome
    info: SolveInfo


def run_highs(model: Model, settings: SolverSettings, warm: dict[str, float] | None, progress: Progress | None,
              highs: highspy.Highs) -> RunResult:
    """Solve the model already handed to ``highs``: complete the warm start, then the strategy that fits."""
    started = time.perf_counter()
    lp = highs.getLp()
    attempt = Attempt(model, settings, highs, lp,
                      SearchSpace.of(model, np.array(lp.col_lower_), np.array(lp.col_upper_)), Incumbent(),
                      deadline=started + float(settings.time_limit_s), progress=progress)
    if warm:
        complete_warm_start(attempt, warm)
    # The decomposition proves a bound; the plans come from the search, starting from the warm start
    # (RENS alone may find none). Without both, HiGHS's own branch and bound is the safer course.
    started_from_plan = attempt.incumbent.snapshot()[0] is not None
    blocks = (split_blocks(lp, linking_rows(model))
              if settings.search and attempt.space.integer.size and started_from_plan else None)
    if blocks is not None:
        solve_by_blocks(attempt, blocks)
    else:
        prove_with_search(attempt)
    values, objective = attempt.incumbent.snapshot()
    return RunResult(values, objective, attempt.bound)


def complete_warm_start(attempt: Attempt, warm: dict[str, float]) -> None:
    """The warm start gives integer values only: fix them and let HiGHS solve for the rest."""
    space, highs = attempt.space, attempt.highs
    values = attempt.integer_values(warm)
    found, _timed_out = solve_with_fixed(highs, space.lower, space.upper, space.integer, values,
                                         max(attempt.deadline - time.perf_counter(), 0.1))
    if found is not None:
        attempt.incumbent.offer(found[0], found[1], "warm start")
        attempt.say(step(f"warm start {found[1]:,.1f} 万元", objective=found[1]))
    highs.clearSolver()


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


def run_solver(model: Model, settings: SolverSettings, warm: dict[str, float] | None,
               progress: Progress | None) -> SolverOutcome:
    """Solve ``model`` with the settings' solver, from the warm start (variable name -> value) when given."""
    started = time.perf_counter()
    solver: pulp.LpSolver
    if settings.name == "highs":
        solver = PulpHighs(settings, lambda highs: run_highs(model, settings, warm, progress, highs), model.columns)
    elif settings.name == "cbc":
        if warm:
            for var in model.columns:
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


def solve_milp(data: PlanningData, settings: SolverSettings, warm: dict[str, float] | None = None,
               progress: Progress | None = None, built: tuple[Model, float] | None = None) -> Solved:
    """Build (unless ``built``, with its build seconds) and solve the MILP with elastic KPI floors.

    Hard KPI floors are modelled elastic with a penalty far above any cost. Every plan
    that meets them keeps its cost, so the optimum and the bound are those of the hard
    model, but the greedy plan, which respects every limit, is always a valid start,
    and a scenario whose targets cannot be met still yields its best reachable plan.
    """
    if built is None:
        started = time.perf_counter()
        model = create_model(data, Elastic(targets=True))
        build_seconds = time.perf_counter() - started
    else:
        model, build_seconds = built
    tell(progress, step(f"model built: {len(model.columns):,} variables, {len(model.prob.constraints):,} "
                        f"constraints in {build_seconds:.1f} s"))
    outcome = run_solver(model, settings, warm, progress)
    info = SolveInfo(solver=settings.name, gap=outcome.gap, build_seconds=round(build_seconds, 3),
                     solve_seconds=round(outcome.seconds, 3), variables=len(model.columns),
                     constraints=len(model.prob.constraints))
    if outcome.status not in ("optimal", "feasible"):
        raise MigplanError(f"the {settings.name} solver stopped without a plan after {outcome.seconds:.0f} s "
                           f"(raise solver.time_limit_s or try --solver cbc)")
    return Solved(model, outcome, info)
