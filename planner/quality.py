"""How good a plan is, said the same way everywhere: status, cost, bound and gap, or unproven.

A plan with no bound (the greedy baseline, a solve stopped before proving anything) may be far from
the best one; every view that shows its cost says it is unproven instead of letting it pass for a
good plan, and two unproven costs are not ranked against each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from models.plan import Plan

if TYPE_CHECKING:
    from planner.report.labels import Labels


@dataclass(frozen=True)
class PlanQuality:
    status: str
    """optimal, feasible or infeasible."""
    cost_wan: float | None
    bound_wan: float | None
    gap: float | None
    """(cost - bound) / cost when there is a bound, else None."""

    @property
    def proven(self) -> bool:
        """A bound says how far the plan can be from the best one."""
        return self.bound_wan is not None and self.gap is not None


def plan_quality(plan: Plan) -> PlanQuality:
    gap = plan.solve.gap if plan.solve is not None else None
    if gap is None and plan.bound_wan is not None and plan.objective_wan is not None:
        gap = max(plan.objective_wan - plan.bound_wan, 0.0) / max(abs(plan.objective_wan), 1e-9)
    return PlanQuality(plan.status, plan.objective_wan, plan.bound_wan if gap is not None else None, gap)


def cost_text(cost_wan: float | None) -> str:
    return "—" if cost_wan is None else f"{cost_wan:,.1f}"


def gap_text(quality: PlanQuality, labels: Labels) -> str:
    """``0.46%``, or the unproven mark when nothing bounds the plan."""
    return f"{quality.gap:.2%}" if quality.gap is not None else labels["unproven"]


def quality_line(quality: PlanQuality, labels: Labels) -> str:
    """``optimal · cost 10,950.8 万元 · bound 10,900.0 · gap 0.46%`` (or ``… · unproven (no bound)``)."""
    parts = [labels.status(quality.status), f"{labels['cost_short']} {cost_text(quality.cost_wan)} 万元"]
    if quality.proven:
        parts += [f"{labels['bound_short']} {cost_text(quality.bound_wan)}", f"{labels['gap_short']} {gap_text(quality, labels)}"]
    elif quality.status != "infeasible":
        parts.append(labels["unproven_long"])
    return " · ".join(parts)
