"""The 季通报: the quarterly bulletin sent to every department, as HTML (printable, A4)
and as an xlsx workbook.

It shows, for the quarter reported:
- the KPIs at its end: planned (the previous plan's forecast), actual (what was done,
  as the re-plan counts it) and the year's target;
- what each department finished this quarter, against what the plan had for it;
- what slipped (failed and rolled back, or not done), and why;
- next quarter's work, per department, from the re-plan;
- optionally the changes from the previous plan (`planner.report.diff`).
Every text from the inventory is escaped for HTML and written to the workbook as text.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from models.inventory import Inventory
from models.period import Period
from models.plan import Plan
from models.progress import STATUS_ZH, ObjectProgress, Progress
from models.scenario import KPI_NAMES, Scenario
from planner.report.diff import PlanDiff, diff_html

KPI_ZH = {"room_consolidation": "机房整合率", "network_migration": "专网迁移率", "cloud_adoption": "系统上云率"}
ACTION_ZH = {"migrate": "迁移", "retire": "撤并", "interconnect": "互联", "close": "关停"}
KIND_ZH = {"system": "系统", "network": "专网", "room": "机房"}


@dataclass(frozen=True)
class KpiLine:
    kpi: str
    planned: float | None
    actual: float | None
    target: float | None


@dataclass(frozen=True)
class DepartmentQuarter:
    department: str
    planned: int
    done: tuple[ObjectProgress, ...]


@dataclass(frozen=True)
class NextWork:
    department: str
    kind: str
    id: str
    name: str
    action: str
    target: str


@dataclass(frozen=True)
class Bulletin:
    quarter: Period
    scenario: str
    kpis: tuple[KpiLine, ...]
    departments: tuple[DepartmentQuarter, ...]
    slipped: tuple[ObjectProgress, ...]
    next_quarter: Period
    next_work: tuple[NextWork, ...]
    diff: PlanDiff | None = None


def build_bulletin(quarter: Period, previous: Plan, replanned: Plan, progress: Progress, scenario: Scenario,
                   inventory: Inventory, diff: PlanDiff | None = None) -> Bulletin:
    """`previous` is the plan the quarter ran on, `replanned` the re-plan made after it
    (its KPIs at `quarter` count what was really done), `inventory` the one it was made from."""
    planned_kpis = {row.period: row for row in previous.kpis}
    actual_kpis = {row.period: row for row in replanned.kpis}
    floors = scenario.targets.floors()
    kpis = tuple(KpiLine(kpi, getattr(planned_kpis[quarter], kpi) if quarter in planned_kpis else None,
                         getattr(actual_kpis[quarter], kpi) if quarter in actual_kpis else None,
                         floors.get(kpi, {}).get(quarter.year)) for kpi in KPI_NAMES)
    by_department: dict[str, list[ObjectProgress]] = defaultdict(list)
    planned_count: dict[str, int] = defaultdict(int)
    for row in progress.objects:
        if row.planned == str(quarter):
            planned_count[row.department] += 1
        if row.status == "done" and (row.actual or row.planned) == str(quarter):
            by_department[row.department].append(row)
    departments = tuple(DepartmentQuarter(name, planned_count.get(name, 0), tuple(by_department.get(name, ())))
                        for name in sorted(planned_count.keys() | by_department.keys()))
    slipped = tuple(sorted((row for row in progress.objects if row.late), key=lambda row: (row.department, row.id)))
    next_quarter = quarter + 1
    next_work = tuple(sorted((_next_work(inventory, action) for action in replanned.actions
                              if action.period == next_quarter), key=lambda work: (work.department, work.kind, work.id)))
    return Bulletin(quarter, scenario.name, kpis, departments, slipped, next_quarter, next_work, diff)


def _next_work(inventory: Inventory, action: Any) -> NextWork:
    records: dict[str, Any] = {"system": inventory.system_by_id, "network": inventory.network_by_id,
                               "room": inventory.room_by_id}[action.kind]
    record = records.get(action.id)
    department = ""
    if record is not None:
        owner = inventory.department_by_id.get(record.department)
        department = owner.name if owner is not None else record.department
    return NextWork(department, action.kind, action.id, record.name if record is not None else action.id,
                    action.action, action.target or "")


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


_STYLE = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;margin:2em;color:#222}
h1{font-size:1.6em;border-bottom:3px solid #b91c1c;padding-bottom:.3em}
h2{font-size:1.2em;margin-top:1.6em;color:#b91c1c}
table{border-collapse:collapse;width:100%;margin:.5em 0;font-size:.92em}
th,td{border:1px solid #999;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#f3f4f6}
.late{color:#b91c1c;font-weight:bold}
@page{size:A4;margin:15mm}
@media print{body{margin:0}section{break-inside:avoid-page}}
"""


def bulletin_html(bulletin: Bulletin) -> str:
    b = bulletin
    kpi_rows = "".join(
        f"<tr><td>{KPI_ZH[line.kpi]}</td><td>{_percent(line.planned)}</td><td>{_percent(line.actual)}</td>"
        f"<td>{_percent(line.target)}</td></tr>" for line in b.kpis)
    department_rows = "".join(
        f"<tr><td>{escape(d.department)}</td><td>{d.planned}</td><td>{len(d.done)}</td><td>"
        + "、".join(f"{escape(row.name)}（{escape(row.id)}）" for row in d.done) + "</td></tr>"
        for d in b.departments)
    slipped_rows = "".join(
        f"<tr><td>{escape(row.department)}</td><td>{KIND_ZH.get(row.kind, row.kind)}</td><td>{escape(row.id)}</td>"
        f"<td>{escape(row.name)}</td><td>{escape(row.planned)}</td>"
        f"<td class=\"late\">{STATUS_ZH.get(row.status, row.status)}</td><td>{escape(row.why)}</td>"
        f"<td>{escape(row.owner)}</td></tr>" for row in b.slipped)
    next_rows = "".join(
        f"<tr><td>{escape(work.department)}</td><td>{KIND_ZH.get(work.kind, work.kind)}</td><td>{escape(work.id)}</td>"
        f"<td>{escape(work.name)}</td><td>{ACTION_ZH.get(work.action, work.action)}</td>"
        f"<td>{escape(work.target)}</td></tr>" for work in b.next_work)
    empty = '<tr><td colspan="{}">无 / none</td></tr>'
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>{escape(str(b.quarter))} 季通报 · {escape(b.scenario)}</title><style>{_STYLE}</style></head>
<body>
<h1>{escape(str(b.quarter))} 政务信息化迁移季通报 <small>Quarterly bulletin · {escape(b.scenario)}</small></h1>
<section id="kpis"><h2>一、主要指标 / KPIs at the end of {escape(str(b.quarter))}</h2>
<table><thead><tr><th>指标</th><th>计划 / planned</th><th>实际 / actual</th><th>年度目标 / year target</th></tr></thead>
<tbody>{kpi_rows}</tbody></table></section>
<section id="finished"><h2>二、各部门本季完成情况 / Finished this quarter, per department</h2>
<table><thead><tr><th>部门</th><th>计划数</th><th>完成数</th><th>完成事项</th></tr></thead>
<tbody>{department_rows or empty.format(4)}</tbody></table></section>
<section id="slipped"><h2>三、延误事项及原因 / What slipped, and why</h2>
<table><thead><tr><th>部门</th><th>类别</th><th>编号</th><th>名称</th><th>计划季度</th><th>状态</th><th>原因</th><th>负责人</th></tr></thead>
<tbody>{slipped_rows or empty.format(8)}</tbody></table></section>
<section id="next"><h2>四、{escape(str(b.next_quarter))} 工作安排 / Next quarter's work, per department</h2>
<table><thead><tr><th>部门</th><th>类别</th><th>编号</th><th>名称</th><th>动作</th><th>目标资源池</th></tr></thead>
<tbody>{next_rows or empty.format(6)}</tbody></table></section>
{diff_html(b.diff) if b.diff is not None else ""}
</body></html>
"""


def bulletin_sheets(bulletin: Bulletin) -> dict[str, tuple[list[str], list[list[Any]]]]:
    b = bulletin
    return {
        "主要指标": (["指标", "计划", "实际", "年度目标"],
                 [[KPI_ZH[line.kpi], line.planned, line.actual, line.target] for line in b.kpis]),
        "本季完成": (["部门", "计划数", "完成数", "完成事项"],
                 [[d.department, d.planned, len(d.done), "、".join(f"{row.name}（{row.id}）" for row in d.done)]
                  for d in b.departments]),
        "延误事项": (["部门", "类别", "编号", "名称", "计划季度", "状态", "原因", "负责人"],
                 [[row.department, KIND_ZH.get(row.kind, row.kind), row.id, row.name, row.planned,
                   STATUS_ZH.get(row.status, row.status), row.why, row.owner] for row in b.slipped]),
        f"{b.next_quarter} 工作": (["部门", "类别", "编号", "名称", "动作", "目标资源池"],
                                 [[w.department, KIND_ZH.get(w.kind, w.kind), w.id, w.name,
                                   ACTION_ZH.get(w.action, w.action), w.target] for w in b.next_work]),
    }


def write_bulletin(bulletin: Bulletin, out_dir: Path) -> list[Path]:
    """bulletin.html and bulletin.xlsx in `out_dir`; returns the paths."""
    from openpyxl import Workbook

    from inventory.spreadsheet import guarded_cell

    out_dir.mkdir(parents=True, exist_ok=True)
    html_path = out_dir / "bulletin.html"
    html_path.write_text(bulletin_html(bulletin), encoding="utf-8")
    workbook = Workbook(write_only=True)
    for title, (headers, rows) in bulletin_sheets(bulletin).items():
        sheet = workbook.create_sheet(title)
        sheet.append(headers)
        for row in rows:
            sheet.append([guarded_cell(sheet, value) for value in row])
    xlsx_path = out_dir / "bulletin.xlsx"
    workbook.save(xlsx_path)
    return [html_path, xlsx_path]


def print_pdf(html_path: Path, pdf_path: Path, chromium: str | None = None) -> Path:
    """Print the bulletin to PDF with headless Chromium (A4, from the page's print CSS)."""
    import shutil
    import subprocess
    import tempfile

    from models.errors import SourceError

    browser = chromium or shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if browser is None:
        raise SourceError("no Chromium found to print the PDF: install chromium, or print bulletin.html from a browser")
    with tempfile.TemporaryDirectory(prefix="migplan-chromium-") as profile:
        result = subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}", "--no-pdf-header-footer",
             f"--print-to-pdf={pdf_path.resolve()}", html_path.resolve().as_uri()],
            capture_output=True, text=True, timeout=180)
    if result.returncode != 0 or not pdf_path.exists():
        raise SourceError(f"{pdf_path}: Chromium could not print the bulletin: {result.stderr.strip()[-300:]}")
    return pdf_path
