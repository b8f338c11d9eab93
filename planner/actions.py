"""Reading a solved model back: one action per inventory object, the plan's cost, the KPI floors missed, the plan."""

from __future__ import annotations

import pulp

from models.inventory import inventory_sha256
from models.period import Period
from models.plan import Action, Plan, SolveInfo, Violation
from planner.data import PlanningData
from planner.kpi import kpi_rows
from planner.model import Model

NOT_SCHEDULED = "not scheduled within the horizon"


def _on(value: float | None) -> bool:
    return value is not None and value > 0.5


def extract_actions(model: Model) -> list[Action]:
    """Read the solution back as one action per inventory object."""
    data, v = model.data, model.variables
    placed: dict[str, tuple[str, Period]] = {}
    for (uid, pool, t), var in v.x.items():
        if _on(var.varValue):
            placed[uid] = (pool, t)
    copies: dict[str, str] = {}
    for (sid, pool, _t), var in v.y.items():
        if _on(var.varValue):
            copies[sid] = pool
    actions: list[Action] = []
    for sid, policy in data.systems.items():
        gid = data.graph.group_of.get(sid)
        # A group moves when its first part does (co_migrate: every part in that quarter).
        moved = placed.get(data.groups[gid].parts[0].id) if gid is not None else None
        if policy.fate in ("stay", "done"):
            actions.append(Action(kind="system", id=sid, action=policy.fate, reason=policy.reason))
        elif moved is None:
            actions.append(Action(kind="system", id=sid, action="stay", reason=NOT_SCHEDULED))
        elif policy.fate == "retire":
            actions.append(Action(kind="system", id=sid, action="retire", period=moved[1]))
        else:
            pool, t = placed[data.part_of[sid]]
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
    """The FORMATS.md ``min_cost`` of the values in the model's variables (penalties left out)."""
    return float(model.cost.value() or 0.0) + model.constant_cost


def make_plan(data: PlanningData, status: str, actions: list[Action], objective: float | None, bound: float | None,
              violations: list[Violation], info: SolveInfo) -> Plan:
    """The plan as FORMATS.md defines it, its KPI rows computed from the actions."""
    return Plan(
        scenario=data.scenario.name,
        inventory_sha256=inventory_sha256(data.inventory),
        status=status,  # type: ignore[arg-type]
        objective_wan=None if objective is None else round(objective, 4),
        bound_wan=None if bound is None else round(bound, 4),
        actions=tuple(actions),
        kpis=tuple(kpi_rows(data, actions)),
        violations=tuple(violations),
        warnings=data.warnings,
        solve=info,
    )


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
