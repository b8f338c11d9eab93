"""应迁尽迁 / 应上尽上: what a plan leaves undone at ``complete_by``, for the violations and the reports.

The rule itself is a constraint family of the MILP (``add_completion`` in planner/model.py),
and the independent checker has its own reading (planner/check.py). This module reads a
plan's actions against the planning data, so the greedy plan and the MILP's plan are
judged the same way.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from models.inventory import Inventory
from models.period import Period
from models.plan import Action, PlanWarning, Violation
from planner.data import PlanningData


@dataclass(frozen=True)
class Left:
    """Eligible objects not done by ``complete_by``."""

    due: Period
    systems: tuple[str, ...]
    networks: tuple[str, ...]
    rooms: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.systems or self.networks or self.rooms)

    @property
    def count(self) -> int:
        return len(self.systems) + len(self.networks) + len(self.rooms)


def left_undone(data: PlanningData, actions: list[Action]) -> Left | None:
    """The eligible objects the actions leave undone at ``complete_by``; None when completion is off."""
    due = data.complete_by
    if due is None:
        return None
    done = {(a.kind, a.id) for a in actions
            if a.period is not None and a.period <= due and a.action in ("migrate", "retire", "interconnect", "close")}
    systems = tuple(sid for sid in data.graph.group_of if ("system", sid) not in done)
    networks = tuple(k for k, policy in data.networks.items()
                     if policy.fate in ("migrate", "interconnect") and ("network", k) not in done)
    rooms = tuple(r for r, policy in data.rooms.items() if policy.fate == "close" and ("room", r) not in done)
    return Left(due, systems, networks, rooms)


def by_department(data: PlanningData, left: Left) -> Counter[str]:
    """Objects left per owning department."""
    inventory = data.inventory
    owners = [inventory.system_by_id[s].department for s in left.systems]
    owners += [inventory.network_by_id[k].department for k in left.networks]
    owners += [inventory.room_by_id[r].department for r in left.rooms]
    return Counter(owners)


def describe(data: PlanningData, left: Left) -> str:
    """``complete_by 2024Q2: 37 systems, 2 networks and 1 room of 12 departments left``, naming the largest departments."""
    parts = [f"{len(ids)} {noun}{'s' if len(ids) != 1 else ''}" for ids, noun in
             ((left.systems, "system"), (left.networks, "network"), (left.rooms, "room")) if ids]
    counted = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    departments = by_department(data, left)
    most = ", ".join(f"{department} {count}" for department, count in departments.most_common(5))
    more = f" and {len(departments) - 5} more" if len(departments) > 5 else ""
    plural = "s" if len(departments) != 1 else ""
    return f"complete_by {left.due}: {counted} of {len(departments)} department{plural} left ({most}{more})"


def completion_violation(data: PlanningData, actions: list[Action]) -> Violation | None:
    """One violation naming what is left at ``complete_by``, or None when everything is done (or completion is off)."""
    left = left_undone(data, actions)
    if not left:
        return None
    due_total = len(data.graph.group_of) + sum(1 for p in data.networks.values() if p.fate in ("migrate", "interconnect")) \
        + sum(1 for p in data.rooms.values() if p.fate == "close")
    soft = " (soft: each costs a penalty)" if data.scenario.targets.soft else ""
    return Violation(constraint=f"complete_by@{left.due}", required=float(due_total),
                     reached=float(due_total - left.count), detail=describe(data, left) + soft)


def warnings_by_department(warnings: tuple[PlanWarning, ...] | list[PlanWarning],
                           inventory: Inventory) -> list[tuple[str, list[PlanWarning]]]:
    """The plan's warnings grouped by the owning department's name (its id when unknown), departments in order."""
    grouped: dict[str, list[PlanWarning]] = defaultdict(list)
    for warning in warnings:
        record = (inventory.system_by_id if warning.kind == "system" else inventory.room_by_id
                  if warning.kind == "room" else inventory.network_by_id).get(warning.id)
        department_id = record.department if record is not None else ""
        department = inventory.department_by_id.get(department_id)
        grouped[department.name if department is not None else department_id or "-"].append(warning)
    return sorted(grouped.items())
