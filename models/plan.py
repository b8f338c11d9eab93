"""The plan (FORMATS.md section 3): one action per object in scope, KPIs per period, violations."""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from models.period import Period

PLAN_FORMAT = "migplan-plan/1"
ObjectKind = Literal["system", "network", "room"]
ActionName = Literal["migrate", "retire", "stay", "interconnect", "close", "keep", "done"]
PlanStatus = Literal["optimal", "feasible", "infeasible"]


class PlanRecord(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)


class Action(PlanRecord):
    """What happens to one inventory object."""

    kind: ObjectKind
    """system, network or room."""
    id: str
    """The object's inventory id."""
    action: ActionName
    """system: migrate, retire, stay or done; network: migrate, interconnect, stay or done; room: close, keep or done."""
    target: str | None = None
    """Pool a migrating system goes to."""
    dr_target: str | None = None
    """Pool of its active-active copy or backup, when it has one."""
    period: Period | None = None
    """Quarter it happens in; none for stay, keep and done."""
    reason: str | None = None
    """Why an object stays, is kept or is done."""

    def to_json(self) -> dict[str, Any]:
        document: dict[str, Any] = {"kind": self.kind, "id": self.id, "action": self.action}
        if self.action == "migrate" and self.kind == "system":
            document["target"] = self.target
            document["dr_target"] = self.dr_target
        if self.period is not None:
            document["period"] = str(self.period)
        if self.reason is not None:
            document["reason"] = self.reason
        return document


class KpiRow(PlanRecord):
    """The three KPIs at the end of one period."""

    period: Period
    """The quarter."""
    room_consolidation: float
    """Closed non-classified rooms / non-classified rooms."""
    network_migration: float
    """Migrated (and, if counted, interconnected) non-classified networks / non-classified networks."""
    cloud_adoption: float
    """Non-classified systems on a cloud (and, if counted, retired) / non-classified systems."""


class PlanWarning(PlanRecord):
    """An object eligible in principle that the inventory or the pools keep from moving (应迁尽迁 cannot reach it)."""

    kind: ObjectKind
    """system or room (a room kept only for blocked systems)."""
    id: str
    """The object's inventory id."""
    reason: str
    """Why it cannot move, and what in the data or the pools must change for it to."""


class Violation(PlanRecord):
    """A target or limit the plan could not meet, and by how much."""

    constraint: str
    """What could not be met, e.g. cloud_adoption@2025 or pool:xt-x86:vcpu@2025Q2."""
    required: float | None = None
    """The floor or limit."""
    reached: float | None = None
    """What the best plan reaches."""
    detail: str = ""
    """Extension: a sentence an engineer can act on."""


class SolveInfo(PlanRecord):
    """Extension: how the plan was made."""

    solver: str
    """highs, cbc or greedy."""
    gap: float | None = None
    """Relative gap between objective and bound."""
    build_seconds: float = 0
    """Model build time."""
    solve_seconds: float = 0
    """Solver time."""
    variables: int = 0
    """Model size: variables."""
    constraints: int = 0
    """Model size: constraints."""


class Plan(PlanRecord):
    """A migration plan."""

    format: Literal["migplan-plan/1"] = PLAN_FORMAT
    """Always migplan-plan/1."""
    scenario: str
    """Scenario name."""
    inventory_sha256: str
    """Digest of the inventory the plan was made for."""
    status: PlanStatus
    """optimal, feasible or infeasible."""
    objective_wan: float | None
    """FORMATS.md min_cost total, 万元."""
    bound_wan: float | None = None
    """Best lower bound the solver proved."""
    actions: tuple[Action, ...]
    """One per object in scope."""
    kpis: tuple[KpiRow, ...]
    """One row per period of the horizon."""
    violations: tuple[Violation, ...] = ()
    """What could not be met."""
    warnings: tuple[PlanWarning, ...] = ()
    """Objects blocked by the inventory or the pools: they stay, and the user must change the data for them to move."""
    solve: SolveInfo | None = None
    """Extension: solver, gap, timings, model size."""

    def to_json(self) -> dict[str, Any]:
        document: dict[str, Any] = {
            "format": self.format,
            "scenario": self.scenario,
            "inventory_sha256": self.inventory_sha256,
            "status": self.status,
            "objective_wan": self.objective_wan,
            "bound_wan": self.bound_wan,
            "actions": [a.to_json() for a in self.actions],
            "kpis": [k.model_dump(mode="json") for k in self.kpis],
            "violations": [v.model_dump(mode="json") for v in self.violations],
            "warnings": [w.model_dump(mode="json") for w in self.warnings],
        }
        if self.solve is not None:
            document["solve"] = self.solve.model_dump(mode="json")
        return document

    def dumps(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, indent=2) + "\n"

    def action_for(self, kind: ObjectKind, object_id: str) -> Action | None:
        for action in self.actions:
            if action.kind == kind and action.id == object_id:
                return action
        return None
