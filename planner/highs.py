"""The HiGHS adapter: the model handed over in one call, the options, warm starts, fixed solves, the gap.

Everything migplan asks of highspy goes through here, and :class:`PulpHighs` is the one place PuLP's
solver interface is bent: the model goes to HiGHS through :func:`pass_model`, the solving is done
by whatever ``run`` it is given (planner/solve.py picks the strategy), and the plan read back is
the best one that run found.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import highspy
import numpy as np
import pulp

from planner.settings import SolverSettings

SOLUTION_FEASIBLE = 2
"""HiGHS's kSolutionStatusFeasible."""
PROBING_OFF = 2**15
"""HiGHS's ``presolve_rule_off`` bit for probing (its log lists the bits at ``log_dev_level`` 1)."""
AGGREGATOR_OFF = 2**12
"""The same for the aggregator (substituting out columns of doubleton equations and the like)."""


def apply_options(highs: highspy.Highs, settings: SolverSettings) -> None:
    """The settings as HiGHS options: log, gap, threads and the time limit (``time_limit_s``)."""
    if not settings.verbose:
        highs.setOptionValue("output_flag", False)
    highs.setOptionValue("mip_rel_gap", settings.mip_gap)
    if settings.threads is not None:
        highs.setOptionValue("threads", settings.threads)
    highs.setOptionValue("time_limit", float(settings.time_limit_s))


def quiet_highs(lp: highspy.HighsLp) -> highspy.Highs:
    """A HiGHS of its own for ``lp``, with its log off."""
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.passModel(lp)
    return highs


def interrupt_when(highs: highspy.Highs, stop: Callable[[], bool]) -> None:
    """End each MIP solve of ``highs`` as soon as ``stop()`` is True (HiGHS asks through its interrupt callback)."""
    interrupt_on_bound(highs, lambda _bound: stop())


def interrupt_on_bound(highs: highspy.Highs, stop: Callable[[float], bool]) -> None:
    """:func:`interrupt_when`, ``stop`` given the bound HiGHS reports at each call (-inf before its root LP)."""

    def interrupt(event: object) -> None:
        if stop(event.data_out.mip_dual_bound):  # type: ignore[attr-defined]
            event.data_in.user_interrupt = True  # type: ignore[attr-defined]

    highs.cbMipInterrupt.subscribe(interrupt)


def limit_lp_seconds(highs: highspy.Highs, seconds: float) -> None:
    """Let the next LP solve of ``highs`` take ``seconds`` more.

    HiGHS (highspy 1.15) holds an LP's ``time_limit`` against the object's run clock, which runs on across solves:
    a block's LP re-solved each pricing round at "the seconds left" stopped at once ("Time limit reached", no
    iteration) once its solves had added up to more. A MIP's limit counts from the start of its own run.
    """
    highs.setOptionValue("time_limit", highs.getRunTime() + max(seconds, 0.05))


def give_start(highs: highspy.Highs, values: np.ndarray) -> None:
    """A complete MIP start.

    On the bundled city, highspy 1.15 ignored a sparse ``setSolution`` (integer columns only) in
    neighbourhood solves, silently: HiGHS's log had no "MIP start" line and the sub-MILPs returned
    plans far worse than their start. The complete vector is always taken.
    """
    solution = highspy.HighsSolution()
    solution.col_value = values
    solution.value_valid = True
    highs.setSolution(solution)


def solve_with_fixed(highs: highspy.Highs, lower: np.ndarray, upper: np.ndarray, fixed: np.ndarray, values: np.ndarray,
                     seconds: float, start: np.ndarray | None = None) -> tuple[tuple[np.ndarray, float] | None, bool]:
    """Solve with the columns ``fixed`` at ``values``, then give them their own bounds (``lower``, ``upper``) back.

    Returns the solution and its objective (None without one), and whether the time ran out;
    both are read before the bounds change back, since changing the model discards them.
    """
    highs.changeColsBounds(fixed.size, fixed, values, values)
    highs.setOptionValue("time_limit", seconds)
    try:
        if start is not None:
            give_start(highs, start)
        highs.run()
        timed_out = highs.getModelStatus() == highspy.HighsModelStatus.kTimeLimit
        info = highs.getInfo()
        if info.primal_solution_status != SOLUTION_FEASIBLE:
            return None, timed_out
        return (np.array(highs.getSolution().col_value), float(info.objective_function_value)), timed_out
    finally:
        highs.changeColsBounds(fixed.size, fixed, lower[fixed], upper[fixed])


def relative_gap(objective: float, bound: float) -> float:
    """The gap as HiGHS and the scenario's ``mip_gap`` mean it: (plan - bound) / |plan|, never below 0."""
    return max(objective - bound, 0.0) / max(abs(objective), 1e-9)


def pass_model(lp: pulp.LpProblem, highs: highspy.Highs, variables: list[pulp.LpVariable] | None = None) -> None:
    """Hand the whole model to HiGHS in one ``passModel`` call, row-wise, with the objective's constant.

    PuLP adds columns and rows one call at a time, which takes longer than building the model on a
    province; the constant goes in as the offset so that HiGHS's gap is that of the whole cost.
    Sets ``index`` on variables and constraints exactly as PuLP does, so PuLP reads the solution back.
    ``variables`` is ``lp.variables()`` when the caller has it already (a built model's ``columns``).
    """
    infinity = highspy.kHighsInf
    if variables is None:
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
    constraints = list(lp.constraints.values())
    lengths = np.empty(len(constraints), dtype=np.int64)
    senses = np.empty(len(constraints), dtype=np.int64)
    constants = np.empty(len(constraints))
    indices: list[int] = []
    values: list[float] = []
    # Whole rows at a time: a loop over every entry in Python took longer than the rest of the hand-over.
    for j, constraint in enumerate(constraints):
        constraint.index = j
        indices += [var.index for var in constraint.keys()]
        values += constraint.values()
        lengths[j] = len(constraint)
        senses[j] = constraint.sense
        constants[j] = constraint.constant
    index = np.array(indices, dtype=np.int32)
    value = np.array(values, dtype=float)
    nonzero = value != 0
    if not nonzero.all():
        lengths = np.bincount(np.repeat(np.arange(len(constraints)), lengths)[nonzero], minlength=len(constraints))
        index, value = index[nonzero], value[nonzero]
    starts = np.concatenate(([0], np.cumsum(lengths))).astype(np.int32)
    # PuLP's getLb / getUb: a row is "expression + constant (sense) 0".
    row_lower = np.where((senses == pulp.LpConstraintGE) | (senses == pulp.LpConstraintEQ), -constants, -infinity)
    row_upper = np.where((senses == pulp.LpConstraintLE) | (senses == pulp.LpConstraintEQ), -constants, infinity)
    model = highspy.HighsLp()
    model.num_col_ = count
    model.num_row_ = len(constraints)
    model.col_cost_ = cost
    model.col_lower_ = lower
    model.col_upper_ = upper
    model.row_lower_ = row_lower
    model.row_upper_ = row_upper
    model.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    model.a_matrix_.start_ = starts
    model.a_matrix_.index_ = index
    model.a_matrix_.value_ = value
    model.offset_ = sign * float(lp.objective.constant)
    model.integrality_ = [highspy.HighsVarType.kInteger if var.cat == pulp.LpInteger else highspy.HighsVarType.kContinuous
                          for var in variables]
    highs.passModel(model)


@dataclass(frozen=True)
class RunResult:
    """What a run found: the best plan's column values and objective (None: no plan), and the bound it proved."""

    values: np.ndarray | None
    objective: float
    bound: float | None


class PulpHighs(pulp.HiGHS):  # type: ignore[misc]
    """PuLP's highspy interface with its three hooks replaced: options from the settings, the model in one
    ``passModel`` call, the solving by ``run``. Without a plan from ``run``, PuLP reads HiGHS's own
    solution and status as usual.
    """

    def __init__(self, settings: SolverSettings, run: Callable[[highspy.Highs], RunResult],
                 columns: list[pulp.LpVariable] | None = None) -> None:
        super().__init__(msg=settings.verbose)
        self.settings = settings
        self.run = run
        self.columns = columns
        """The problem's ``variables()`` when known: each call walks every row again."""
        self.result: RunResult | None = None
        self.gap: float | None = None
        self.bound: float | None = None

    def createAndConfigureSolver(self, lp: pulp.LpProblem) -> None:
        lp.solverModel = highspy.Highs()
        apply_options(lp.solverModel, self.settings)

    def actualSolve(self, lp: pulp.LpProblem) -> int:
        """PuLP's sequence of hooks, without its second walk over every row for the variables."""
        self.createAndConfigureSolver(lp)
        self.buildSolverModel(lp)
        self.callSolver(lp)
        status, sol_status = self.findSolutionValues(lp)
        # Nothing asks the solved HiGHS again: released, so that an explanation's second model is not
        # built beside this one's solver data (its presolved model and search tree).
        lp.solverModel = None
        for var in self._columns(lp):
            var.modified = False
        for constraint in lp.constraints.values():
            constraint.modifier = False
        lp.assignStatus(status, sol_status)
        return status  # type: ignore[no-any-return]

    def _columns(self, lp: pulp.LpProblem) -> list[pulp.LpVariable]:
        """The known columns, unless PuLP gave a constant objective its dummy variable (a model with no decision)."""
        dummy = getattr(lp, "dummyVar", None)
        if self.columns is None or (dummy is not None and dummy in lp.objective):
            return lp.variables()  # type: ignore[no-any-return]
        return self.columns

    def buildSolverModel(self, lp: pulp.LpProblem) -> None:
        pass_model(lp, lp.solverModel, self._columns(lp))

    def callSolver(self, lp: pulp.LpProblem) -> None:
        self.result = self.run(lp.solverModel)
        self.bound = self.result.bound

    def findSolutionValues(self, lp: pulp.LpProblem) -> tuple[int, int]:
        """PuLP's reading, replaced by the best plan of the run, and "optimal" when it is within the gap."""
        result = self.result
        if result is None or result.values is None:
            return super().findSolutionValues(lp)  # type: ignore[no-any-return]
        for var in self._columns(lp):
            var.varValue = float(result.values[var.index])
        self.gap = relative_gap(result.objective, self.bound) if self.bound is not None else None
        if self.gap is not None and self.gap <= self.settings.mip_gap + 1e-9:
            return pulp.LpStatusOptimal, pulp.LpSolutionOptimal
        return pulp.LpStatusOptimal, pulp.LpSolutionIntegerFeasible
