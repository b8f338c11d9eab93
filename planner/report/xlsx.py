"""The plan as an Excel ledger (plan.xlsx): Chinese headers, a sheet per object kind and one per wave.

Cells never hold formulas: text goes in as a string cell, and text starting with
``=``, ``+``, ``-`` or ``@`` is also quote-prefixed so that Excel keeps it text when
someone edits it (inventory names are free text).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from inventory.outputs import save_file
from inventory.spreadsheet import add_table_sheet, column_widths, guarded_cell
from models.plan import Plan
from models.scenario import KPI_NAMES
from planner.data import PlanningData
from planner.i18n import translate
from planner.policy import system_effort_days
from planner.quality import gap_text, plan_quality
from planner.report import facts
from planner.report.facts import ObjectRow
from planner.report.labels import Labels

Cell = str | float | int | None


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[ObjectRow], Cell]


def _period(row: ObjectRow) -> Cell:
    return str(row.action.period) if row.action.period is not None else None


def _field(name: str) -> Callable[[ObjectRow], Cell]:
    return lambda row: getattr(row.record, name, None)


def _reason_kind(zh: Labels) -> Callable[[ObjectRow], Cell]:
    return lambda row: zh[facts.reason_kind(row.action)] if facts.is_stay(row.action) else None


def _columns(data: PlanningData, zh: Labels) -> dict[str, list[Column]]:
    """The object sheets' columns, in order; the ``kind`` of each sheet is its key."""

    def effort(row: ObjectRow) -> Cell:
        pool = data.inventory.cloud_by_id.get(row.action.target or "")
        if row.action.action != "migrate" or pool is None or row.record is None:
            return None
        return system_effort_days(row.record, pool)  # type: ignore[arg-type]

    def pool_name(pool_id: str | None) -> Cell:
        pool = data.inventory.cloud_by_id.get(pool_id or "")
        return pool.name if pool is not None else None

    common = [
        Column("编号", lambda row: row.action.id),
        Column("名称", lambda row: row.name),
        Column("部门编号", lambda row: row.department),
        Column("部门", lambda row: row.department_name),
    ]
    outcome = [
        Column("动作", lambda row: zh.action(row.action.action)),
        Column("季度", _period),
    ]
    why = [Column("原因类别", _reason_kind(zh)),
           Column("原因", lambda row: translate(row.action.reason, "zh") if row.action.reason else None)]
    sheets = {
        "system": common + [Column("所在机房", _field("room"))] + outcome + [
            Column("目标资源池", lambda row: row.action.target),
            Column("灾备资源池", lambda row: row.action.dr_target),
        ] + why + [
            Column("等保级别", _field("mlps_level")),
            Column("架构", _field("arch")),
            Column("重要程度", _field("criticality")),
            Column("灾备方式", _field("dr")),
            Column("vCPU", _field("vcpu")),
            Column("内存(GB)", _field("memory_gb")),
            Column("存储(TB)", _field("storage_tb")),
            Column("迁移数据量(TB)", _field("data_tb")),
            Column("迁移人天(含信创适配)", effort),
            Column("迁移费用(万元)", _field("migration_cost_wan")),
            Column("目标资源池名称", lambda row: pool_name(row.action.target)),
            Column("灾备资源池名称", lambda row: pool_name(row.action.dr_target)),
        ],
        "network": common + outcome + why + [
            Column("接入点数", _field("endpoints")),
            Column("带宽(Mbps)", _field("bandwidth_mbps")),
            Column("年运行费用(万元)", _field("annual_cost_wan")),
            Column("迁移人天", _field("migration_effort_days")),
            Column("迁移费用(万元)", _field("migration_cost_wan")),
            Column("互联人天", _field("interconnect_effort_days")),
            Column("互联费用(万元)", _field("interconnect_cost_wan")),
        ],
        "room": common + outcome + why + [
            Column("机架数", _field("racks")),
            Column("年运行费用(万元)", _field("annual_cost_wan")),
            Column("关停费用(万元)", _field("close_cost_wan")),
        ],
    }
    # Filled in by the departments as the work is done, and read back by `migplan progress --ledger`.
    tracking = [Column(header, lambda row: None) for header in TRACKING_HEADERS]
    return {kind: columns + tracking for kind, columns in sheets.items()}


SHEET_NAMES = {"system": "系统", "network": "专网", "room": "机房"}
# The ledger's tracking columns: owner, status (未开始/进行中/已完成/失败已回退/已延误), quarter done.
TRACKING_HEADERS = ("负责人", "状态", "实际完成季度")
KIND_ORDER = {"network": 0, "system": 1, "room": 2}


def _wave_columns(data: PlanningData, zh: Labels) -> list[Column]:
    def effort(row: ObjectRow) -> Cell:
        action = row.action
        if action.kind == "system" and action.action == "migrate" and row.record is not None:
            pool = data.inventory.cloud_by_id.get(action.target or "")
            return system_effort_days(row.record, pool) if pool is not None else None  # type: ignore[arg-type]
        if action.kind == "network" and row.record is not None:
            return getattr(row.record, "migration_effort_days" if action.action == "migrate" else "interconnect_effort_days")
        return 0

    def cost(row: ObjectRow) -> Cell:
        action = row.action
        if row.record is None or action.action == "retire":
            return 0
        if action.kind == "room":
            return row.record.close_cost_wan
        if action.kind == "network" and action.action == "interconnect":
            return row.record.interconnect_cost_wan
        return row.record.migration_cost_wan

    return [
        Column("类别", lambda row: zh[row.action.kind]),
        Column("编号", lambda row: row.action.id),
        Column("名称", lambda row: row.name),
        Column("部门", lambda row: row.department_name or row.department),
        Column("动作", lambda row: zh.action(row.action.action)),
        Column("目标资源池", lambda row: row.action.target),
        Column("灾备资源池", lambda row: row.action.dr_target),
        Column("所在机房", lambda row: getattr(row.record, "room", None) if row.action.kind == "system" else None),
        Column("迁移数据量(TB)", lambda row: getattr(row.record, "data_tb", None) if row.action.kind == "system" else None),
        Column("人天", effort),
        Column("费用(万元)", cost),
    ]


def plan_workbook_rows(plan: Plan, data: PlanningData) -> dict[str, tuple[list[str], list[list[Cell]]]]:
    """Sheet name -> (headers, rows): the summary, the warnings (objects blocked by the data or the pools),
    one sheet per object kind, one per wave."""
    zh = Labels("zh")
    rows = facts.object_rows(plan, data.inventory)
    sheets: dict[str, tuple[list[str], list[list[Cell]]]] = {"概览": _summary(plan, data, zh)}
    if plan.warnings:
        sheets["待处理"] = _warning_rows(plan, data, zh)
    for kind, columns in _columns(data, zh).items():
        kind_rows = [row for row in rows if row.action.kind == kind]
        sheets[SHEET_NAMES[kind]] = ([c.header for c in columns], [[c.value(row) for c in columns] for row in kind_rows])
    wave_columns = _wave_columns(data, zh)
    for period in data.periods:
        wave = sorted((row for row in rows if row.action.period == period),
                      key=lambda row: (KIND_ORDER[row.action.kind], row.department_name, row.action.id))
        if wave:
            sheets[f"{period} 批次"] = ([c.header for c in wave_columns], [[c.value(row) for c in wave_columns] for row in wave])
    return sheets


def _summary(plan: Plan, data: PlanningData, zh: Labels) -> tuple[list[str], list[list[Cell]]]:
    """KPIs per quarter with the year-end targets, under the plan's key figures."""
    floors = data.scenario.targets.floors()
    headers = ["季度"] + [zh[kpi] for kpi in KPI_NAMES] + [f"{zh[kpi]}{zh['target']}" for kpi in KPI_NAMES]
    rows: list[list[Cell]] = []
    for row in plan.kpis:
        year_end = data.year_end.get(row.period.year) == row.period
        targets = [floors[kpi].get(row.period.year) if year_end else None for kpi in KPI_NAMES]
        rows.append([str(row.period), *(round(getattr(row, kpi), 4) for kpi in KPI_NAMES), *targets])
    rows.append([])
    rows.append([zh["scenario"], plan.scenario])
    quality = plan_quality(plan)
    rows.append([zh["status"], zh.status(plan.status)])
    rows.append([zh["cost"], plan.objective_wan])
    rows.append([zh["bound"], quality.bound_wan if quality.proven else zh["unproven"]])
    rows.append([zh["gap"], gap_text(quality, zh) if quality.proven or plan.status != "infeasible" else None])
    if not quality.proven and plan.status != "infeasible":
        rows.append([zh["unproven"], zh["unproven_note"]])
    complete_by = data.scenario.complete_by
    rows.append(["应迁尽迁完成期限", str(complete_by) if complete_by is not None else "off（仅考核年度指标）"])
    if plan.warnings:
        rows.append(["暂无法迁移的对象", len(plan.warnings), "见“待处理”表"])
    for violation in plan.violations:
        rows.append([zh["constraint"], violation.constraint, violation.required, violation.reached,
                     translate(violation.detail, "zh")])
    return headers, rows


def _warning_rows(plan: Plan, data: PlanningData, zh: Labels) -> tuple[list[str], list[list[Cell]]]:
    """One row per blocked object, by department: what must change in the data or the pools for it to move."""
    from planner.completion import warnings_by_department

    rows: list[list[Cell]] = [[department, zh[warning.kind], warning.id, warning.reason]
                              for department, warnings in warnings_by_department(plan.warnings, data.inventory)
                              for warning in warnings]
    return [zh["department"], "类型", zh["object"], zh["what_to_change"]], rows


def write_plan_workbook(plan: Plan, data: PlanningData, path: Path) -> None:
    """Write plan.xlsx: frozen header row, autofilter and fitted widths on every sheet; written atomically."""
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    percent_columns = {"概览": range(2, 2 + 2 * len(KPI_NAMES))}
    for name, (headers, rows) in plan_workbook_rows(plan, data).items():
        # The summary's key figures stand below its KPI table, outside the filter.
        data_rows = len(plan.kpis) if name == "概览" else len(rows)
        widths = column_widths(headers, rows, sample_rows=300, max_width=48)
        sheet = add_table_sheet(workbook, name, headers, widths, filtered_rows=data_rows)
        for index, row in enumerate(rows):
            cells = []
            for position, value in enumerate(row, start=1):
                cell = guarded_cell(sheet, value)
                if index < data_rows and position in percent_columns.get(name, ()) and isinstance(value, float):
                    cell.number_format = "0.0%"
                cells.append(cell)
            sheet.append(cells)
    save_file(path, workbook.save)
