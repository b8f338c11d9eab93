"""What changed between two plans (the quarter's re-plan against the plan it replaces).

Per object: moved to another quarter, to another pool, another action, added (dated in
the new plan only) or dropped (dated in the old plan only); done ones (dated in the old
plan, done before the new one's horizon) are not changes. Each change gets its cause
where it is known, most specific first:
- slipped / failed: the progress of the old plan says it was not done on time;
- inventory changed: the object's record differs between the two inventories (or is
  in one only);
- limit changed: the scenarios' resources, targets, horizon or pool capacities differ;
otherwise the cause is left empty (the solver chose differently).
Then the cost and the KPI forecast, old against new, period by period.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from models.inventory import Inventory
from models.plan import Action, Plan
from models.progress import Progress
from models.scenario import Scenario

DATED_ACTIONS = ("migrate", "retire", "interconnect", "close")
CHANGE_ZH = {"moved": "调整季度", "pool": "调整资源池", "moved, pool": "调整季度和资源池", "action": "改变处置方式",
             "added": "新增", "dropped": "移出计划"}
CSV_HEADER = ("kind", "id", "name", "change", "old_action", "old_period", "old_target", "new_action",
              "new_period", "new_target", "cause")
KPI_NAMES = ("room_consolidation", "network_migration", "cloud_adoption")


@dataclass(frozen=True)
class Change:
    kind: str
    id: str
    name: str
    change: str
    """moved, pool, "moved, pool", action, added or dropped."""
    old: Action | None
    new: Action | None
    cause: str = ""

    def row(self) -> list[Any]:
        def part(action: Action | None) -> list[Any]:
            if action is None:
                return ["", "", ""]
            return [action.action, str(action.period or ""), action.target or ""]

        return [self.kind, self.id, self.name, self.change, *part(self.old), *part(self.new), self.cause]


@dataclass(frozen=True)
class KpiChange:
    period: str
    kpi: str
    old: float | None
    new: float | None


@dataclass(frozen=True)
class PlanDiff:
    changes: tuple[Change, ...]
    old_cost: float | None
    new_cost: float | None
    kpis: tuple[KpiChange, ...]

    @property
    def cost_change(self) -> float | None:
        if self.old_cost is None or self.new_cost is None:
            return None
        return self.new_cost - self.old_cost

    def to_json(self) -> dict[str, Any]:
        return {"changes": [dict(zip(CSV_HEADER, change.row(), strict=True)) for change in self.changes],
                "old_cost_wan": self.old_cost, "new_cost_wan": self.new_cost, "cost_change_wan": self.cost_change,
                "kpis": [{"period": k.period, "kpi": k.kpi, "old": k.old, "new": k.new} for k in self.kpis]}

    def rows(self) -> list[list[Any]]:
        return [change.row() for change in self.changes]


def _dated(action: Action | None) -> bool:
    return action is not None and action.action in DATED_ACTIONS and action.period is not None


def _kind_of_change(old: Action | None, new: Action | None) -> str | None:
    if _dated(old) and _dated(new):
        assert old is not None and new is not None
        if old.action != new.action:
            return "action"
        parts = [name for name, differs in (("moved", old.period != new.period),
                                            ("pool", (old.target, old.dr_target) != (new.target, new.dr_target)))
                 if differs]
        return ", ".join(parts) or None
    if _dated(old) and not (new is not None and new.action == "done"):
        return "dropped"
    if _dated(new):
        return "added"
    return None


def _limits_changed(old: Scenario, new: Scenario, old_inventory: Inventory, new_inventory: Inventory) -> list[str]:
    changed = [name for name in ("resources", "targets", "horizon")
               if getattr(old, name) != getattr(new, name)]
    old_capacity = {pool.id: pool.capacity for pool in old_inventory.clouds}
    new_capacity = {pool.id: pool.capacity for pool in new_inventory.clouds}
    if old_capacity != new_capacity:
        changed.append("pool capacity")
    if old_inventory.extranet != new_inventory.extranet:
        changed.append("extranet bandwidth")
    return changed


def _records(inventory: Inventory) -> dict[tuple[str, str], dict[str, Any]]:
    records: dict[tuple[str, str], dict[str, Any]] = {}
    for kind, items in (("system", inventory.systems), ("network", inventory.networks), ("room", inventory.rooms)):
        for item in items:
            # The state fields record progress, which is not an inventory change.
            records[(kind, item.id)] = item.model_dump(exclude={"state", "current_cloud", "room"})
    return records


def diff_plans(old: Plan, new: Plan, progress: Progress | None = None,
               old_context: tuple[Scenario, Inventory] | None = None,
               new_context: tuple[Scenario, Inventory] | None = None, names: dict[str, str] | None = None) -> PlanDiff:
    """The changes from `old` to `new`, with causes from `progress` and, when both are
    given, the two plans' scenarios and inventories."""
    old_actions = {(action.kind, action.id): action for action in old.actions}
    new_actions = {(action.kind, action.id): action for action in new.actions}
    late = {(row.kind, row.id): row for row in progress.objects if row.late} if progress else {}
    limits: list[str] = []
    old_records: dict[tuple[str, str], dict[str, Any]] = {}
    new_records: dict[tuple[str, str], dict[str, Any]] = {}
    if old_context is not None and new_context is not None:
        limits = _limits_changed(old_context[0], new_context[0], old_context[1], new_context[1])
        old_records, new_records = _records(old_context[1]), _records(new_context[1])
    names = names or {}
    changes = []
    for key in sorted(old_actions.keys() | new_actions.keys()):
        old_action, new_action = old_actions.get(key), new_actions.get(key)
        change = _kind_of_change(old_action, new_action)
        if change is None:
            continue
        cause = ""
        if key in late:
            row = late[key]
            cause = f"{row.status} in {row.planned}" + (f": {row.why}" if row.why else "")
        elif old_records and old_records.get(key) != new_records.get(key):
            cause = "inventory changed" + ("" if key in old_records and key in new_records
                                           else ": new object" if key in new_records else ": object removed")
        elif limits:
            cause = "limit changed: " + ", ".join(limits)
        changes.append(Change(key[0], key[1], names.get(key[1], ""), change, old_action, new_action, cause))
    old_kpis = {str(row.period): row for row in old.kpis}
    new_kpis = {str(row.period): row for row in new.kpis}
    kpis = []
    for period in sorted(old_kpis.keys() | new_kpis.keys()):
        for kpi in KPI_NAMES:
            before = getattr(old_kpis[period], kpi) if period in old_kpis else None
            after = getattr(new_kpis[period], kpi) if period in new_kpis else None
            if before is None or after is None or abs(before - after) > 1e-9:
                kpis.append(KpiChange(period, kpi, before, after))
    return PlanDiff(tuple(changes), old.objective_wan, new.objective_wan, tuple(kpis))


def _cell(action: Action | None) -> str:
    if action is None:
        return "—"
    text = f"{action.action} {action.period or ''}".strip()
    return text + (f" → {action.target}" if action.target else "")


def diff_html(diff: PlanDiff) -> str:
    """The diff as an HTML section (for the report and the bulletin); every value escaped."""
    from html import escape

    rows = "".join(
        f"<tr><td>{escape(c.kind)}</td><td>{escape(c.id)}</td><td>{escape(c.name)}</td>"
        f"<td>{escape(CHANGE_ZH.get(c.change, c.change))}</td><td>{escape(_cell(c.old))}</td>"
        f"<td>{escape(_cell(c.new))}</td><td>{escape(c.cause)}</td></tr>" for c in diff.changes)
    cost = ""
    if diff.cost_change is not None:
        cost = (f"<p>总费用 / cost: {diff.old_cost:,.1f} → {diff.new_cost:,.1f} 万元 "
                f"({diff.cost_change:+,.1f})</p>")
    kpis = "".join(
        f"<tr><td>{escape(k.period)}</td><td>{escape(k.kpi)}</td>"
        f"<td>{'—' if k.old is None else f'{k.old:.1%}'}</td><td>{'—' if k.new is None else f'{k.new:.1%}'}</td></tr>"
        for k in diff.kpis)
    return (
        '<section id="plan-diff"><h2>方案调整 / Changes from the previous plan</h2>' + cost
        + "<table><thead><tr><th>类别</th><th>编号</th><th>名称</th><th>调整</th><th>原方案</th><th>新方案</th>"
        "<th>原因</th></tr></thead><tbody>" + (rows or '<tr><td colspan="7">无变化 / no change</td></tr>')
        + "</tbody></table>"
        + ("<h3>指标预测变化 / KPI forecast</h3><table><thead><tr><th>季度</th><th>指标</th><th>原</th><th>新</th>"
           "</tr></thead><tbody>" + kpis + "</tbody></table>" if kpis else "")
        + "</section>")


def diff_csv(diff: PlanDiff) -> str:
    """The changes as CSV, every cell through migplan's one CSV formula guard."""
    from inventory.outputs import csv_text

    return csv_text(CSV_HEADER, diff.rows())
