"""Explaining an infeasible scenario: what must give, and by how much.

The main solve already has elastic targets with every limit hard: it gives the best
reachable KPIs and a plan that respects every limit. One more solve, limits elastic
with the targets hard, gives the limits that bind and the amount each must grow.
When the completion rule (``complete_by``) is what cannot be met, a third solve finds
the earliest quarter by which everything can be done with today's limits; the two
then share the explanation's time.
"""

from __future__ import annotations

from dataclasses import replace

from models.period import Period
from models.plan import Plan, SolveInfo, Violation
from models.scenario import Resources, Targets
from planner.actions import extract_actions, make_plan, plan_cost
from planner.build import create_model, free_dropped_models
from planner.completion import completion_violation
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
                       reach: Model, target_violations: list[Violation], infeasible: bool, fewest: bool,
                       spent_s: float) -> Plan:
    """``reach`` is the solved model with elastic targets: its plan respects every limit.
    ``infeasible``: every plan within the limits misses some object (planner/reach.py); the plan is then
    ``infeasible``, else ``feasible`` with what it misses as violations, each saying the time limit came
    first. ``fewest``: no plan misses fewer objects; when not, each violation says its "best reachable"
    is not proven best. ``spent_s`` is the time the first solve took, counted against the time limit."""
    actions = extract_actions(reach)
    objective = plan_cost(reach)
    qualifier = ("" if infeasible and fewest else " (time limit: not proven best)" if infeasible
                 else " (not proven unreachable: the time limit came first)")
    if qualifier:
        target_violations = [v.model_copy(update={"detail": v.detail + qualifier}) for v in target_violations]
    seconds = explanation_seconds(settings.time_limit_s, spent_s)
    completing = any(v.constraint.startswith("complete_by@") for v in target_violations)
    if completing:
        seconds /= 2  # the other half finds the earliest quarter by which everything can be done
    tell(progress, step(f"infeasible: re-solving with elastic limits to find what binds (at most {seconds:.0f} s)"))
    give = create_model(data, Elastic(limits=True))
    give_outcome = run_solver(give, replace(settings, time_limit_s=seconds), _unlimited_greedy_start(data, give), None)
    limit_violations: list[Violation] = []
    if give_outcome.status in ("optimal", "feasible"):
        for name, (slack, bound) in sorted(give.variables.slack.items()):
            excess = slack.varValue or 0.0
            if excess > 1e-6:
                limit_violations.append(_limit_violation(give.names.explain(name), bound, excess))
    if give_outcome.status in ("optimal", "feasible") and not limit_violations:
        # Within every limit after all: the first solve ran out of time before it found this plan.
        found = extract_actions(give)
        if not target_misses(data, kpi_rows(data, found)) and completion_violation(data, found) is None:
            tell(progress, step("the elastic-limits solve found a plan within every limit: the scenario is feasible"))
            return make_plan(data, "feasible", found, plan_cost(give), None, [], info)
    # Largest shares of their limit first: what must give most.
    limit_violations.sort(key=lambda v: -((v.reached or 0) - (v.required or 0)) / max(abs(v.required or 0), 1.0))
    shown = ", ".join(v.detail for v in limit_violations[:3])
    more = f" and {len(limit_violations) - 3} more" if len(limit_violations) > 3 else ""
    unproven = " (time limit: amounts not proven smallest)" if give_outcome.status == "feasible" else ""
    binding = f"; binding{unproven}: {shown}{more}" if limit_violations else (
        "; no amount of capacity, team, budget or cutover slack reaches it (check freezes, stays and dependencies)"
        if give_outcome.status == "infeasible" else ""
    )
    # The elastic model is done with: freed before the earliest-completion model is built (a generated
    # 21,000-system province held three models at once, peak 13.7 GB). The solve's search threads leave
    # reference cycles around it, and the build pauses the collector and then freezes it: collected here.
    del give
    free_dropped_models()
    finish = _finish_text(data, settings, seconds, progress) if completing else ""
    violations = [
        Violation(constraint=v.constraint, required=v.required, reached=v.reached,
                  detail=v.detail + binding + (finish if v.constraint.startswith("complete_by@") else ""))
        for v in target_violations
    ] + limit_violations
    # Infeasible only when proven (planner/reach.py); else the time limit came with a plan in hand that misses floors.
    return make_plan(data, "infeasible" if infeasible else "feasible", actions, objective, None, violations, info)


def _finish_text(data: PlanningData, settings: SolverSettings, seconds: float, progress: Progress | None) -> str:
    tell(progress, step(f"complete_by cannot be met: finding the earliest quarter it can be (at most {seconds:.0f} s)"))
    earliest, proven = earliest_completion(data, replace(settings, time_limit_s=seconds))
    if earliest is None:
        return (f"; with today's limits not everything is done by the horizon's end {data.periods[-1]}"
                + ("" if proven else " (time limit: not proven)"))
    return f"; with today's limits everything is done by {earliest}" + ("" if proven else " (time limit: not proven earliest)")


def earliest_completion(data: PlanningData, settings: SolverSettings) -> tuple[Period | None, bool]:
    """The earliest quarter by which every eligible object can be done with today's limits (KPI floors
    aside), or None when not within the horizon; and whether the solver proved it.

    The scenario's model with the floors and the completion rule left out, plus the family
    ``add_finished`` (planner/constraints.py): one binary F[t] per quarter, 1 once everything is done,
    maximised. The first quarter with F = 1 is the answer.
    """
    free = replace(data, scenario=data.scenario.model_copy(update={"targets": Targets(complete_by="off")}),
                   complete_by=None)
    model = create_model(free, Elastic(finish=True))
    v = model.variables
    greedy = greedy_plan(free)
    warm = greedy_values(greedy, model)
    dates = [greedy.moves.get(gid) for gid in free.groups] + [greedy.networks.get(k) for k in model.sets.movable_networks] \
        + [greedy.rooms.get(r) for r in model.sets.closable_rooms]
    finish = max(dates, default=None) if all(dates) else None  # type: ignore[type-var]
    for t, var in v.finished.items():
        warm[var.name] = 1.0 if finish is not None and finish <= t else 0.0
    outcome = run_solver(model, settings, warm, None)
    if outcome.status not in ("optimal", "feasible"):
        return None, False
    earliest = next((t for t, var in v.finished.items() if (var.varValue or 0) > 0.5), None)
    return earliest, outcome.status == "optimal"


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
        for var in give.columns:
            var.varValue = values.get(var.name, 0.0)
        actions = extract_actions(give)
        if not target_misses(data, kpi_rows(data, actions)) and completion_violation(data, actions) is None:
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
