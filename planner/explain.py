"""Explaining an infeasible scenario: what must give, and by how much.

The main solve already has elastic targets with every limit hard: it gives the best
reachable KPIs and a plan that respects every limit. One more solve, limits elastic
with the targets hard, gives the limits that bind and the amount each must grow.
"""

from __future__ import annotations

from dataclasses import replace

from models.plan import Plan, SolveInfo, Violation
from models.scenario import Resources
from planner.actions import extract_actions, make_plan, plan_cost
from planner.build import create_model
from planner.data import PlanningData
from planner.events import Progress, step, tell
from planner.families import BY_NAME
from planner.greedy import greedy_plan, greedy_values
from planner.kpi import kpi_rows, target_misses
from planner.model import Elastic, Model
from planner.settings import SolverSettings
from planner.solve import run_solver

EXPLANATION_SHARE = 0.25
"""The explanation's least share of the time limit, when the first solve has used it all."""


def explanation_seconds(time_limit_s: float, spent_s: float) -> float:
    """What is left of the time limit, but at least a quarter of it: planning an infeasible
    scenario takes at most 1.25 times its limit (plus the model builds), not twice."""
    return max(time_limit_s - spent_s, EXPLANATION_SHARE * time_limit_s)


def explain_infeasible(data: PlanningData, settings: SolverSettings, info: SolveInfo, progress: Progress | None,
                       reach: Model, target_violations: list[Violation], proven: bool, spent_s: float) -> Plan:
    """``reach`` is the solved model with elastic targets: its plan respects every limit.
    ``proven``: no plan within the limits misses fewer objects (planner/reach.py); the plan is then
    ``infeasible``, else ``feasible`` with the floors it misses as violations.
    ``spent_s`` is the time the first solve took, counted against the time limit."""
    actions = extract_actions(reach)
    objective = plan_cost(reach)
    if not proven:
        target_violations = [
            v.model_copy(update={"detail": v.detail + " (not proven unreachable: the time limit came first)"})
            for v in target_violations
        ]
    seconds = explanation_seconds(settings.time_limit_s, spent_s)
    tell(progress, step(f"infeasible: re-solving with elastic limits to find what binds (at most {seconds:.0f} s)"))
    give = create_model(data, Elastic(limits=True))
    give_outcome = run_solver(give, replace(settings, time_limit_s=seconds), _unlimited_greedy_start(data, give), None)
    limit_violations: list[Violation] = []
    if give_outcome.status in ("optimal", "feasible"):
        for name, (slack, bound) in sorted(give.variables.slack.items()):
            excess = slack.varValue or 0.0
            if excess > 1e-6:
                limit_violations.append(_limit_violation(give.names.explain(name), bound, excess))
    # Largest shares of their limit first: what must give most.
    limit_violations.sort(key=lambda v: -((v.reached or 0) - (v.required or 0)) / max(abs(v.required or 0), 1.0))
    shown = ", ".join(v.detail for v in limit_violations[:3])
    more = f" and {len(limit_violations) - 3} more" if len(limit_violations) > 3 else ""
    unproven = " (time limit: amounts not proven smallest)" if give_outcome.status == "feasible" else ""
    binding = f"; binding{unproven}: {shown}{more}" if limit_violations else (
        "; no amount of capacity, team, budget or cutover slack reaches it (check freezes, stays and dependencies)"
        if give_outcome.status == "infeasible" else ""
    )
    violations = [
        Violation(constraint=v.constraint, required=v.required, reached=v.reached, detail=v.detail + binding)
        for v in target_violations
    ] + limit_violations
    # Infeasible only when proven (planner/reach.py); else the time limit came with a plan in hand that misses floors.
    return make_plan(data, "infeasible" if proven else "feasible", actions, objective, None, violations, info)


def _unlimited_greedy_start(data: PlanningData, give: Model) -> dict[str, float]:
    """A start for the elastic-limits model: the thrifty greedy with the fewest limits lifted.

    First the budget alone is lifted, then team days and cutover caps too; the first
    greedy plan that meets the targets is the start. The slack of each limit it exceeds
    follows from it, so the solver starts from a plan and only has to shrink the excess.
    """
    resources = data.scenario.resources
    liftings = (
        resources.model_copy(update={"budget_wan_per_year": {}}),
        Resources(freeze=resources.freeze),
    )
    values: dict[str, float] = {}
    for lifted in liftings:
        relaxed = replace(data, scenario=data.scenario.model_copy(update={"resources": lifted}))
        values = greedy_values(greedy_plan(relaxed, "thrifty"), give)
        for var in give.prob.variables():
            var.varValue = values.get(var.name, 0.0)
        if not target_misses(data, kpi_rows(data, extract_actions(give))):
            break
    return values


def _limit_violation(meaning: tuple[str, tuple[str, ...]] | None, bound: float, excess: float) -> Violation:
    """An exceeded limit as its family tells it (planner/families.py), or by its name and ids."""
    family, ids = meaning if meaning is not None else ("limit", ())
    registered = BY_NAME.get(family)
    if registered is not None and registered.limit is not None:
        constraint, detail = registered.limit.describe(ids, excess)
    else:
        detail = f"{family} {' '.join(ids)} exceeded by {excess:,.2f}"
        constraint = f"{family}:{':'.join(ids)}"
    return Violation(constraint=constraint, required=round(bound, 4), reached=round(bound + excess, 4), detail=detail)
