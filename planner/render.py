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
from planner.console import stdout_console
from planner.data import PlanningData
from planner.i18n import current_language, say, translate
from planner.quality import plan_quality, quality_line
from planner.report.labels import Labels

if TYPE_CHECKING:
    from planner.check import CheckReport, Finding


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
        header = say(column, SUMMARY_HEADERS.get(column, column))
        table.add_column(header, justify="right" if column in right_aligned else "left")
    for record in records:
        table.add_row(*(str(record[column]) for column in columns))
    return table


SUMMARY_HEADERS = {
    "id": "编号", "name": "名称", "level": "层级", "rooms": "机房", "networks": "专网", "systems": "系统",
    "department": "单位", "state": "状态", "classified": "涉密", "must_keep": "确需保留", "kind": "类型", "arch": "架构",
    "mlps_max": "最高等保", "vcpu": "vCPU", "KPI": "指标", "total": "总数", "done before horizon": "规划期前已完成",
    "notes": "说明",
}
"""Column headers of ``migplan inventory show`` in Chinese (the English ones are the summary's field names)."""


def print_inventory_summary(summary: dict[str, Any], console: Console | None = None) -> None:
    console = console or stdout_console()
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
        scope.add_column(say(column, SUMMARY_HEADERS.get(column, column)))
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


CHECK_EXAMPLES = 3
"""Messages shown per rule in ``migplan check``; ``--json`` lists every finding."""


def print_check_report(report: CheckReport, scenario: Scenario) -> None:
    """Findings grouped by rule (count, every id, a few messages), then cost and year-end KPIs against the targets.

    Plain lines, not a table, so that findings can be grepped, pasted and never wrap.
    """
    groups: dict[tuple[str, str], list[Finding]] = {}
    for finding in report.findings:
        groups.setdefault((finding.severity, finding.rule), []).append(finding)
    for (severity, rule), findings in groups.items():
        ids = list(dict.fromkeys(object_id for finding in findings for object_id in finding.object_ids))
        kind = say("error", "错误") if severity == "error" else say("warning", "警告")
        count = say(f"{len(findings)} {kind}{'s' if len(findings) > 1 else ''}", f"{len(findings)} 条{kind}")
        click.echo(f"{rule}: {count}" + (say(f"; ids: {', '.join(ids)}", f"；对象：{'、'.join(ids)}") if ids else ""))
        for finding in findings[:CHECK_EXAMPLES]:
            click.echo(f"  {translate(finding.message)}")
        if len(findings) > CHECK_EXAMPLES:
            more = len(findings) - CHECK_EXAMPLES
            click.echo(say(f"  … and {more} more (--json lists every finding)", f"  ……另有 {more} 条（--json 列出全部）"))
    reported = report.plan_objective_wan
    click.echo(
        f"min_cost: {report.objective_wan:.2f} 万元 " + say("recomputed", "（重新计算）")
        + (say(f", {reported:.2f} reported by the plan", f"，计划中为 {reported:.2f}") if reported is not None
           else say(", none reported by the plan", "，计划中没有"))
    )
    floors = scenario.targets.floors()
    year_ends: dict[int, KpiRow] = {}
    for row in report.kpis:
        year_ends[row.period.year] = row  # rows are in period order, so the last one of a year wins
    for year, row in year_ends.items():
        parts = []
        for name in KPI_NAMES:
            floor = floors[name].get(year)
            parts.append(f"{name} {getattr(row, name):.3f}"
                         + (say(f" (target {floor:.3f})", f"（目标 {floor:.3f}）") if floor is not None else ""))
        click.echo(f"{row.period}: " + ", ".join(parts))
    verdict = say("passes", "通过") if report.ok else say(f"breaks {len(report.errors)} rule(s)",
                                                        f"违反 {len(report.errors)} 条规则")
    click.echo(say(f"plan {verdict}; {len(report.warnings)} warning(s)", f"计划{verdict}；{len(report.warnings)} 条警告"))


def print_plan_summary(plan: Plan, data: PlanningData, console: Console | None = None) -> None:
    """Warnings first (what the user must change), then KPIs per year against targets, status, cost, bound
    and gap (or unproven), timings and violations."""
    console = console or stdout_console()
    labels = Labels(current_language())
    print_warnings(plan, data.inventory, console)
    status_style = {"optimal": "green", "feasible": "yellow", "infeasible": "red"}[plan.status]
    title = say(f"Plan {plan.scenario}", f"计划 {plan.scenario}")
    kpis = Table(title=f"{title}: [{status_style}]{labels.status(plan.status)}[/{status_style}]", title_justify="left")
    kpis.add_column(say("year end", "年末"))
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
    console.print(say("actions: ", "动作：") + say(", ", "，").join(
        say(f"{kind} {action} {n}", f"{labels[kind + 's']}{labels.action(action)} {n}")
        for (kind, action), n in sorted(counts.items())))
    quality = plan_quality(plan)
    console.print(quality_line(quality, labels), style=None if quality.proven or plan.status == "infeasible" else "yellow")
    if not quality.proven and plan.status != "infeasible":
        console.print(labels["unproven_note"], style="yellow")
    if plan.solve is not None:
        solve = plan.solve
        line = say(f"{solve.solver}, build {solve.build_seconds:.2f} s, solve {solve.solve_seconds:.2f} s",
                   f"{solve.solver}，建模 {solve.build_seconds:.2f} 秒，求解 {solve.solve_seconds:.2f} 秒")
        if solve.variables:
            line += say(f", {solve.variables:,} variables, {solve.constraints:,} constraints",
                        f"，{solve.variables:,} 个变量，{solve.constraints:,} 个约束")
        console.print(line, highlight=False)
    for violation in plan.violations:
        console.print(f"[red]{say('violation', '未满足')}[/red] {violation.constraint}{say(': ', '：')}"
                      f"{translate(violation.detail)}")


def print_warnings(plan: Plan, inventory: Inventory, console: Console) -> None:
    """The objects no plan can move until the data or the pools change, by department, each with what to change."""
    if not plan.warnings:
        return
    from planner.completion import warnings_by_department

    count = len(plan.warnings)
    console.print("[yellow]" + say(f"{count} object(s) cannot move (应迁尽迁 needs a change in the data or the pools):",
                                   f"{count} 个对象暂无法迁移（应迁尽迁需修改数据或资源池）：") + "[/yellow]", highlight=False)
    for department, warnings in warnings_by_department(plan.warnings, inventory):
        console.print(f"  {department}:", highlight=False)
        for warning in warnings:
            console.print(f"    {warning.kind} {warning.id}: {warning.reason}", highlight=False, markup=False)


KPI_LABELS = {
    "room_consolidation": "rooms 机房整合",
    "network_migration": "networks 专网迁移",
    "cloud_adoption": "systems 上云",
}
