"""Terminal rendering of inventories and plans (rich tables); no planning logic here."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console
from rich.table import Table

from models.inventory import Inventory
from models.plan import KpiRow, Plan
from models.scenario import KPI_NAMES, Scenario
from planner.sets import PlanningData

if TYPE_CHECKING:
    from planner.check import CheckReport


def inventory_summary(inventory: Inventory) -> dict[str, Any]:
    """Counts by department, room, network and pool, and the in-scope total of each KPI."""
    systems_by_department = Counter(s.department for s in inventory.systems)
    rooms_by_department = Counter(r.department for r in inventory.rooms)
    networks_by_department = Counter(n.department for n in inventory.networks)
    systems_by_room = Counter(s.room for s in inventory.systems if s.room is not None)
    systems_by_network = Counter(n for s in inventory.systems for n in s.networks)
    systems_by_pool = Counter(s.current_cloud for s in inventory.systems if s.current_cloud)
    return {
        "region": inventory.region,
        "departments": [
            {
                "id": d.id,
                "name": d.name,
                "level": d.level,
                "rooms": rooms_by_department[d.id],
                "networks": networks_by_department[d.id],
                "systems": systems_by_department[d.id],
            }
            for d in inventory.departments
        ],
        "rooms": [
            {"id": r.id, "name": r.name, "department": r.department, "state": r.state,
             "classified": r.classified, "systems": systems_by_room[r.id]}
            for r in inventory.rooms
        ],
        "networks": [
            {"id": n.id, "name": n.name, "department": n.department, "state": n.state,
             "classified": n.classified, "must_keep": n.must_keep, "systems": systems_by_network[n.id]}
            for n in inventory.networks
        ],
        "clouds": [
            {"id": c.id, "name": c.name, "kind": c.kind, "arch": c.arch, "mlps_max": c.mlps_max,
             "vcpu": sum(cap.vcpu for cap in c.capacity.values()), "systems": systems_by_pool[c.id]}
            for c in inventory.clouds
        ],
        "in_scope": {
            "room_consolidation": {
                "total": sum(not r.classified for r in inventory.rooms),
                "done": sum(not r.classified and r.state == "closed" for r in inventory.rooms),
            },
            "network_migration": {
                "total": sum(not n.classified for n in inventory.networks),
                "done": sum(not n.classified and n.state == "migrated" for n in inventory.networks),
                "must_keep": sum(not n.classified and n.must_keep for n in inventory.networks),
            },
            "cloud_adoption": {
                "total": sum(not s.classified for s in inventory.systems),
                "done": sum(not s.classified and s.state == "cloud" for s in inventory.systems),
                "retire": sum(not s.classified and (s.retire or s.state == "retired") for s in inventory.systems),
                "must_stay": sum(not s.classified and s.must_stay for s in inventory.systems),
            },
        },
    }


def _record_table(title: str, records: list[dict[str, Any]], columns: tuple[str, ...],
                  right_aligned: tuple[str, ...] = ()) -> Table:
    """One row per record of an inventory summary, the given fields as columns."""
    table = Table(title=title, title_justify="left")
    for column in columns:
        table.add_column(column, justify="right" if column in right_aligned else "left")
    for record in records:
        table.add_row(*(str(record[column]) for column in columns))
    return table


def print_inventory_summary(summary: dict[str, Any], console: Console | None = None) -> None:
    console = console or Console()
    console.print(_record_table(
        f"{summary['region']} — departments 部门", summary["departments"],
        ("id", "name", "level", "rooms", "networks", "systems"), right_aligned=("rooms", "networks", "systems"),
    ))
    console.print(_record_table(
        "Machine rooms 机房", summary["rooms"], ("id", "name", "department", "state", "classified", "systems"),
    ))
    console.print(_record_table(
        "Private networks 专网", summary["networks"],
        ("id", "name", "department", "state", "classified", "must_keep", "systems"),
    ))
    console.print(_record_table(
        "Cloud pools 资源池", summary["clouds"], ("id", "name", "kind", "arch", "mlps_max", "vcpu", "systems"),
    ))
    scope = Table(title="In scope 纳入考核 (non-classified)", title_justify="left")
    for column in ("KPI", "total", "done before horizon", "notes"):
        scope.add_column(column)
    in_scope = summary["in_scope"]
    scope.add_row("room_consolidation 机房整合", str(in_scope["room_consolidation"]["total"]),
                  str(in_scope["room_consolidation"]["done"]), "")
    scope.add_row("network_migration 专网迁移", str(in_scope["network_migration"]["total"]),
                  str(in_scope["network_migration"]["done"]),
                  f"{in_scope['network_migration']['must_keep']} must keep 确需保留")
    scope.add_row("cloud_adoption 系统上云", str(in_scope["cloud_adoption"]["total"]),
                  str(in_scope["cloud_adoption"]["done"]),
                  f"{in_scope['cloud_adoption']['retire']} retire 撤并, {in_scope['cloud_adoption']['must_stay']} must stay")
    console.print(scope)


def print_check_report(report: CheckReport, scenario: Scenario) -> None:
    """Findings one per line (``rule: ids: message``), then cost and year-end KPIs against the targets.

    Plain lines, not a table, so that findings can be grepped and never wrap.
    """
    for finding in report.findings:
        click.echo(str(finding))
    reported = report.plan_objective_wan
    click.echo(
        f"min_cost: {report.objective_wan:.2f} 万元 recomputed"
        + (f", {reported:.2f} reported by the plan" if reported is not None else ", none reported by the plan")
    )
    floors = scenario.targets.floors()
    year_ends: dict[int, KpiRow] = {}
    for row in report.kpis:
        year_ends[row.period.year] = row  # rows are in period order, so the last one of a year wins
    for year, row in year_ends.items():
        parts = []
        for name in KPI_NAMES:
            floor = floors[name].get(year)
            parts.append(f"{name} {getattr(row, name):.3f}" + (f" (target {floor:.3f})" if floor is not None else ""))
        click.echo(f"{row.period}: " + ", ".join(parts))
    verdict = "passes" if report.ok else f"breaks {len(report.errors)} rule(s)"
    click.echo(f"plan {verdict}; {len(report.warnings)} warning(s)")


def print_plan_summary(plan: Plan, data: PlanningData, console: Console | None = None) -> None:
    """KPIs per year against targets, cost, status, gap, timings and violations."""
    console = console or Console()
    status_style = {"optimal": "green", "feasible": "yellow", "infeasible": "red"}[plan.status]
    kpis = Table(title=f"Plan {plan.scenario}: [{status_style}]{plan.status}[/{status_style}]", title_justify="left")
    kpis.add_column("year end")
    for name in KPI_NAMES:
        kpis.add_column(KPI_LABELS[name], justify="right")
    by_period = {row.period: row for row in plan.kpis}
    floors = data.scenario.targets.floors()
    for year, period in sorted(data.year_end.items()):
        row = by_period[period]
        cells = []
        for name in KPI_NAMES:
            value = getattr(row, name)
            target = floors[name].get(year)
            if target is None:
                cells.append(f"{value:.0%}")
            else:
                style = "green" if value + 1e-9 >= target else "red"
                cells.append(f"[{style}]{value:.0%}[/{style}] / {target:.0%}")
        kpis.add_row(str(period), *cells)
    console.print(kpis)
    counts = Counter((a.kind, a.action) for a in plan.actions)
    console.print("actions: " + ", ".join(f"{kind} {action} {n}" for (kind, action), n in sorted(counts.items())))
    cost = "n/a" if plan.objective_wan is None else f"{plan.objective_wan:,.1f} 万元"
    line = f"cost (min_cost over the horizon): {cost}"
    if plan.bound_wan is not None:
        line += f", bound {plan.bound_wan:,.1f}"
    if plan.solve is not None:
        solve = plan.solve
        gap = "" if solve.gap is None else f", gap {solve.gap:.2%}"
        line += f"; {solve.solver}{gap}, build {solve.build_seconds:.2f} s, solve {solve.solve_seconds:.2f} s"
        if solve.variables:
            line += f", {solve.variables:,} variables, {solve.constraints:,} constraints"
    console.print(line)
    for violation in plan.violations:
        console.print(f"[red]violation[/red] {violation.constraint}: {violation.detail}")


KPI_LABELS = {
    "room_consolidation": "rooms 机房整合",
    "network_migration": "networks 专网迁移",
    "cloud_adoption": "systems 上云",
}
