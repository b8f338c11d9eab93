"""A page per department for the people who do the work: its task list, its costs and its dependency
picture in the report (printable, a page each), and the same task list as one workbook per department
to send out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from inventory.outputs import save_file
from models.plan import Plan
from planner.data import PlanningData
from planner.i18n import translate
from planner.report import facts
from planner.report.costs import DepartmentCost, cost_by_department
from planner.report.dependencies import dependency_svg
from planner.report.labels import Labels
from planner.report.svg import esc

KIND_ORDER = {"system": 0, "network": 1, "room": 2}


@dataclass(frozen=True)
class Task:
    """One line of a department's list: what happens to one of its objects, when and where."""

    period: str
    kind: str
    object_id: str
    name: str
    action: str
    target: str
    """The target pool's name (not its id)."""
    dr_target: str
    reason: str


def department_tasks(plan: Plan, data: PlanningData, labels: Labels) -> dict[str, list[Task]]:
    """Each department's tasks, dated ones by quarter first, then what stays; objects done before are left out."""
    pool_names = {pool.id: pool.name for pool in data.inventory.clouds}
    tasks: dict[str, list[Task]] = {department.id: [] for department in data.inventory.departments}
    rows = sorted(facts.object_rows(plan, data.inventory),
                  key=lambda row: (row.action.period is None, str(row.action.period or ""),
                                   KIND_ORDER.get(row.action.kind, 3), row.name, row.action.id))
    for row in rows:
        action = row.action
        if action.action == "done" or not row.department:
            continue
        reason = ""
        if facts.is_stay(action):
            why = labels[facts.reason_kind(action)]
            detail = translate(action.reason or "", labels.language)
            reason = why if not detail or detail == why else f"{why}：{detail}" if labels.language == "zh" else f"{why}: {detail}"
        tasks.setdefault(row.department, []).append(Task(
            str(action.period or ""), labels[action.kind], action.id, row.name, labels.action(action.action),
            pool_names.get(action.target or "", action.target or ""), pool_names.get(action.dr_target or "", action.dr_target or ""),
            reason))
    return {department: items for department, items in tasks.items() if items}


TASK_COLUMNS = ("period", "kind", "name", "id", "action", "target_pool", "dr_pool", "reason")


def _task_values(task: Task) -> list[str]:
    return [task.period, task.kind, task.name, task.object_id, task.action, task.target, task.dr_target, task.reason]


def _cost_line(cost: DepartmentCost | None, labels: Labels) -> str:
    if cost is None:
        return ""
    items = [(labels["one_off"], cost.one_off_wan), (labels["running"], cost.running_wan),
             (labels["stay_on_premises"], cost.stay_wan), (labels["yearly_after"], cost.yearly_after_wan),
             (labels["yearly_stay"], cost.yearly_stay_wan)]
    return '<p class="dept-costs">' + " · ".join(f"{esc(name)} <b>{value:,.1f}</b>" for name, value in items) + " 万元</p>"


def department_pages(plan: Plan, data: PlanningData, labels: Labels) -> str:
    """The report's section with one printable page per department."""
    tasks = department_tasks(plan, data, labels)
    if not tasks:
        return ""
    costs = cost_by_department(plan, data)
    actions = {(action.kind, action.id): action for action in plan.actions}
    names = {department.id: department.name for department in data.inventory.departments}
    header = "".join(f"<th>{esc(labels[key])}</th>" for key in TASK_COLUMNS)
    pages = []
    for index, (department, items) in enumerate(tasks.items()):
        rows = "".join("<tr>" + "".join(f"<td>{esc(value)}</td>" for value in _task_values(task)) + "</tr>" for task in items)
        picture = dependency_svg(department, data.inventory, actions, labels)
        figure = (f'<figure><figcaption>{esc(labels["dependencies"])}</figcaption><div class="scroll">{picture}</div></figure>'
                  if picture else "")
        pages.append(
            f'<article class="dept-page" id="dept-{index}"><h3>{esc(names.get(department, department))} '
            f"<small>({esc(department)})</small></h3>{_cost_line(costs.get(department), labels)}"
            f"<table class=tasks><tr>{header}</tr>{rows}</table>{figure}</article>"
        )
    return (f'<section id="departments"><h2>{esc(labels["section_departments"])}</h2>'
            f'<p class="lead">{esc(labels["departments_lead"])}</p>' + "".join(pages) + "</section>")


def _file_name(name: str, department: str, taken: set[str]) -> str:
    """A file name from the department's name (any Unicode id is data, never a path)."""
    base = re.sub(r"[^\w\u3400-\u9fff-]+", "_", name or department).strip("_.") or "department"
    candidate = base[:60]
    suffix = 2
    while candidate in taken:
        candidate = f"{base[:56]}-{suffix}"
        suffix += 1
    taken.add(candidate)
    return candidate + ".xlsx"


def write_department_workbooks(plan: Plan, data: PlanningData, folder: Path, labels: Labels) -> list[Path]:
    """One workbook per department with its task list and costs, to send out; return the files written."""
    import openpyxl

    from inventory.spreadsheet import add_table_sheet, column_widths, guarded_cell

    tasks = department_tasks(plan, data, labels)
    costs = cost_by_department(plan, data)
    names = {department.id: department.name for department in data.inventory.departments}
    headers = [labels[key] for key in TASK_COLUMNS]
    written: list[Path] = []
    taken: set[str] = set()
    folder.mkdir(parents=True, exist_ok=True)
    for department, items in tasks.items():
        rows: list[list[object]] = [_task_values(task) for task in items]
        workbook = openpyxl.Workbook(write_only=True)
        sheet = add_table_sheet(workbook, labels["tasks_sheet"], headers,
                                column_widths(headers, rows, sample_rows=200, max_width=48), filtered_rows=len(rows))
        for row in rows:
            sheet.append([guarded_cell(sheet, value) for value in row])
        cost = costs.get(department)
        if cost is not None:
            summary = add_table_sheet(workbook, labels["costs_sheet"], [labels["item"], labels["cost_wan"]],
                                      [40, 16], filtered_rows=0)
            for key, value in (("one_off", cost.one_off_wan), ("running", cost.running_wan),
                               ("stay_on_premises", cost.stay_wan), ("yearly_after", cost.yearly_after_wan),
                               ("yearly_stay", cost.yearly_stay_wan)):
                summary.append([guarded_cell(summary, labels[key]), round(value, 2)])
        path = folder / _file_name(names.get(department, department), department, taken)
        save_file(path, workbook.save)  # a temporary name of its own: concurrent reports do not collide
        written.append(path)
    return written
