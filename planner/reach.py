"""What the elastic-targets solve proves about the KPI floors and the completion rule its plan misses.

Two claims, each made only when proven. Missed KPI objects and objects left undone at ``complete_by``
count in the same unit (one object, one penalty P in the objective: planner/objective.py).

- **The scenario is infeasible** (no plan within the limits meets every hard floor and the completion
  rule): every plan misses at least one object. Proven by the policy alone (a floor needs more objects
  than the policy lets count at all, or an object the completion rule asks for has no way to be done by
  ``complete_by`` in the model), or by the solver's bound B on the penalised objective: a plan missing
  nothing costs at most C_max (each group/copy at its dearest choice, nothing saved), so B > C_max
  proves that none exists. See :func:`infeasibility_proven`.
- **The plan misses as few objects as any** (its "best reachable" KPIs are the best): no plan within
  the limits misses m - 1 or fewer. Proven by the policy (the plan misses exactly what is out of its
  reach), or by B > (m - 1) P + C_max. See :func:`shortfall_proven`.

A scenario can be proven infeasible while the plan's shortfall is not proven smallest (a budget that
stops a hundred systems: the bound proves that some must stay, not exactly how many). A relative gap
on the penalised objective proves neither: with 150 rooms missed it is 1.5e8, and 1% of it is more
than one room's penalty.
"""

from __future__ import annotations

from collections import defaultdict

import pulp

from planner.model import Model
from planner.objective import MISSED_OBJECT_WAN
from planner.terms import completion_targets, kpi_terms

INTEGRALITY = 1e-6


def missed_objects(model: Model) -> float:
    """Objects the solved plan misses over every hard KPI floor, plus those it leaves undone at ``complete_by``."""
    variables = model.variables
    return sum(var.varValue or 0.0 for var in (*variables.short.values(), *variables.left.values()))


def out_of_policy_reach(model: Model) -> float:
    """Objects missed by every plan: those the floors need beyond all that the policy lets count, and those
    the completion rule asks for that no variable of the model can mark done by ``complete_by``."""
    data, sets, variables = model.data, model.sets, model.variables
    missed = 0.0
    for (kpi, year), _short in variables.short.items():
        need = data.floor_count(kpi, year) - data.kpi_done(kpi)
        reachable = sum(kpi_terms(data, sets, variables, kpi, data.year_end[year]).values())
        missed += max(need - reachable, 0.0)
    if variables.left:
        missed += sum(1 for _kind, _key, done in completion_targets(data, sets, variables, data.complete_by)
                      if done is None)
    return missed


def most_any_plan_costs(model: Model) -> float:
    """C_max: the constant cost plus, for each move group and each DR copy, its dearest choice (each happens at
    most once: sum over pools and periods of x[g,p,t] <= 1), plus every other positive cost coefficient."""
    coefficients = dict(model.cost.items())
    dearest: dict[tuple[str, str], float] = defaultdict(float)
    grouped: set[pulp.LpVariable] = set()
    for kind, variables in (("x", model.variables.x), ("y", model.variables.y)):
        for (owner, _pool, _t), var in variables.items():
            grouped.add(var)
            dearest[kind, owner] = max(dearest[kind, owner], coefficients.get(var, 0.0))
    others = sum(max(coefficient, 0.0) * (var.upBound if var.upBound is not None else 1.0)
                 for var, coefficient in coefficients.items() if var not in grouped)
    return model.constant_cost + sum(dearest.values()) + others


def infeasibility_proven(model: Model, bound: float | None) -> bool:
    """Whether every plan within the limits misses at least one object (see the module docstring)."""
    if out_of_policy_reach(model) >= 1 - INTEGRALITY:
        return True
    return bound is not None and bound > most_any_plan_costs(model) + INTEGRALITY


def shortfall_proven(model: Model, bound: float | None) -> bool:
    """Whether no plan within the limits misses fewer objects (KPI floors and completion) than the solved one
    (see the module docstring)."""
    missed = missed_objects(model)
    if missed <= INTEGRALITY:
        return True
    if missed <= out_of_policy_reach(model) + INTEGRALITY:
        return True
    if bound is None:
        return False
    return bound > (round(missed) - 1) * MISSED_OBJECT_WAN + most_any_plan_costs(model) + INTEGRALITY
