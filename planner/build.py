"""Building the MILP as a flat script: sets, variables, every registered constraint family, the objective."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import pulp

from planner.data import PlanningData
from planner.families import builders
from planner.model import Elastic, Model, Variables
from planner.names import NameRegistry
from planner.objective import cost_expression, objective
from planner.variables import add_move_variables, add_progress_variables, compute_sets


class Problem(pulp.LpProblem):
    """PuLP's problem with each variable registered once, when :meth:`add_variable` makes it.

    PuLP 3 registers a row's variables every time a row is added, a walk over each of its non-zeros
    (2.8 million on the generated 4,200-system province: 2.5 s of its 8.8 s build), and walks every row
    again in ``variables()``. Every variable of the model is made through ``add_variable``, so those
    walks find nothing new and are skipped. A row holding a variable made elsewhere has no column:
    handing the model to HiGHS (planner/highs.py ``pass_model``) then fails on its missing index.
    """

    def add_variable(self, name: str, lowBound: float | None = None, upBound: float | None = None,
                     cat: str = pulp.LpContinuous) -> pulp.LpVariable:
        variable = super().add_variable(name, lowBound, upBound, cat)
        self._register_variable(variable)
        return variable

    def _add_variables(self, variables: Iterable[pulp.LpVariable]) -> None:
        """Nothing to do: the variables of rows and objective were registered when made."""

    def get_dummyVar(self) -> pulp.LpVariable:
        """PuLP's placeholder column for a constant objective (a model with no decision left), which PuLP makes
        itself, outside ``add_variable``: registered here."""
        dummy: pulp.LpVariable = super().get_dummyVar()
        self._register_variable(dummy)
        return dummy


_keeping: list[None] = []
"""One entry per :func:`models_kept` block running."""


@contextmanager
def models_kept() -> Iterator[None]:
    """Models built inside are kept out of the cyclic garbage collector's passes until the block ends.

    A model lives until its plan is made, and each full pass of the collector walks all its objects to
    free nothing: 2.7 and 3.0 s a pass on the generated 21,000-system province (two during its set-up),
    0.65 to 1.3 s on the 4,200-system one. So what exists once a model is built is frozen (``gc.freeze``)
    and given back to the collector when the block ends (``gc.unfreeze``): a model that has been solved
    holds cycles (the bundled city's: 140,000 objects), which only the collector frees.
    """
    _keeping.append(None)
    try:
        yield
    finally:
        _keeping.pop()
        if not _keeping:
            gc.unfreeze()


def free_dropped_models() -> None:
    """Free the models no longer referenced now, frozen or not (those of :func:`models_kept` are given back to the
    collector first: a solved model's cycles are only freed by it)."""
    gc.unfreeze()
    gc.collect()


def create_model(data: PlanningData, elastic: Elastic | None = None) -> Model:
    """Build the whole MILP: sets, variables, the constraint families in registry order, the objective.

    The cyclic garbage collector is paused meanwhile: the build makes millions of objects and no
    cycles, and the collector's passes over them cost a fifth of the build's CPU time (measured on
    a generated 4,200-system province: 12.5 s with, 10.0 s without; same peak memory). Inside
    :func:`models_kept`, the built model is then frozen out of its later passes.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        model = _create_model(data, elastic or Elastic())
        if _keeping:
            gc.freeze()
        return model
    finally:
        if collecting:
            gc.enable()


def _create_model(data: PlanningData, elastic: Elastic) -> Model:
    names = NameRegistry()
    sets = compute_sets(data)
    variables = Variables()
    prob = Problem("migplan", pulp.LpMinimize)
    add_move_variables(prob, data, sets, variables, names)
    add_progress_variables(prob, data, sets, variables, names)
    m = Model(prob, data, sets, variables, names, elastic)
    for add_family in builders():
        add_family(m)
    m.cost, m.constant_cost = cost_expression(data, sets, variables)
    m.prob.setObjective(objective(data, m))
    m.columns = m.prob.variables()
    return m
