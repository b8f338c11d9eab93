"""Whether a plan may become playbooks: one rule for `migplan playbooks` (and anything
else that turns a plan into work on real machines).

A plan is refused when it is infeasible, when it was made from another inventory than
the scenario's (its `inventory_sha256` differs), or when `migplan check` rejects it.
`--force` writes the playbooks anyway and says what was overridden.
"""

from __future__ import annotations

from pathlib import Path

from models.errors import PlanRejected
from models.inventory import Inventory, inventory_sha256
from models.plan import Plan
from models.scenario import Scenario


def refusals(plan: Plan, scenario: Scenario, inventory: Inventory) -> list[str]:
    """Why the plan must not be run, most fundamental first; empty when it may."""
    from planner.check import check_plan

    reasons = []
    if plan.status == "infeasible":
        first = plan.violations[0].detail or plan.violations[0].constraint if plan.violations else ""
        reasons.append("the plan is infeasible" + (f" ({first})" if first else ""))
    expected = inventory_sha256(inventory)
    if plan.inventory_sha256 != expected:
        reasons.append(f"the plan was made from another inventory (inventory_sha256 {plan.inventory_sha256[:12]}…, "
                       f"the scenario's inventory is {expected[:12]}…): re-plan")
    report = check_plan(plan, scenario, inventory)
    reasons.extend(f"migplan check: {finding}" for finding in report.errors)
    return reasons


def ensure_runnable(plan_path: Path, plan: Plan, scenario: Scenario, inventory: Inventory, force: bool) -> list[str]:
    """Raise `PlanRejected` (exit 6) naming the first reason, unless `force`; with
    `force`, return the reasons overridden so the caller can warn about each."""
    reasons = refusals(plan, scenario, inventory)
    if reasons and not force:
        more = f" (and {len(reasons) - 1} more: run `migplan check`)" if len(reasons) > 1 else ""
        raise PlanRejected(f"{plan_path}: no playbooks for this plan: {reasons[0]}{more}; "
                           "--force writes them anyway")
    return reasons
