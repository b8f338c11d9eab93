"""plan.xlsx beside plan.json: Chinese headers, a sheet per kind and per wave, frozen headers, filters, no formulas."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from models.plan import Plan
from planner.data import PlanningData
from planner.output import write_plan
from tests.report.conftest import FORMULA_NAME, HOSTILE_DEPARTMENT, HOSTILE_SYSTEM


@pytest.fixture
def workbook(hostile: tuple[Plan, PlanningData], tmp_path: Path) -> openpyxl.Workbook:
    written = write_plan(*hostile, tmp_path)
    assert tmp_path / "plan.xlsx" in written
    return openpyxl.load_workbook(tmp_path / "plan.xlsx")


def test_sheets_headers_filters_and_frozen_rows(workbook: openpyxl.Workbook) -> None:
    assert workbook.sheetnames == ["概览", "系统", "专网", "机房", "2024Q1 批次"]
    systems = workbook["系统"]
    headers = [cell.value for cell in systems[1]]
    assert headers[:8] == ["编号", "名称", "部门编号", "部门", "所在机房", "动作", "季度", "目标资源池"]
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref.startswith("A1:")
        assert all(cell.font.bold for cell in sheet[1])
    assert systems.max_row == 1 + 5
    assert systems.column_dimensions["D"].width >= 8
    wave = workbook["2024Q1 批次"]
    kinds = [row[0] for row in wave.iter_rows(min_row=2, values_only=True)]
    assert kinds == ["专网", "系统", "系统", "系统", "机房"]  # networks first, rooms close last


def test_actions_in_chinese_with_reasons(workbook: openpyxl.Workbook) -> None:
    rows = {row[0]: row for row in workbook["系统"].iter_rows(min_row=2, values_only=True)}
    assert rows[HOSTILE_SYSTEM][5:7] == ("迁移", "2024Q1")
    assert set(rows[HOSTILE_SYSTEM][7:9]) == {"p1", "p2"}  # target and DR pool, whichever way the solver ties
    assert rows["sys-old"][5] == "撤并"
    assert rows["sys-secret"][5] == "保留" and rows["sys-secret"][9] == "涉密"
    assert rows[HOSTILE_SYSTEM][3] == f"市{HOSTILE_DEPARTMENT}局"


def test_text_that_looks_like_a_formula_stays_text(workbook: openpyxl.Workbook) -> None:
    cells = {row[0].value: row for row in workbook["系统"].iter_rows(min_row=2)}
    name = cells[HOSTILE_SYSTEM][1]
    assert name.value == FORMULA_NAME and name.data_type == "s" and name.quotePrefix
    for identifier, expected in (("sys-backup", "+backup -system"), ("sys-plain", "@plain")):
        assert cells[identifier][1].value == expected and cells[identifier][1].quotePrefix
    room = next(workbook["机房"].iter_rows(min_row=2))
    assert room[1].value == "-机房 &<>" and room[1].quotePrefix
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in row)


def test_summary_holds_kpis_with_targets(workbook: openpyxl.Workbook, hostile: tuple[Plan, PlanningData]) -> None:
    plan, _ = hostile
    summary = list(workbook["概览"].iter_rows(values_only=True))
    assert summary[0][:4] == ("季度", "机房整合率", "专网迁移率", "系统上云率")
    last = summary[len(plan.kpis)]
    assert last[0] == "2025Q4" and last[6] == 0.5
    assert ("情景", plan.scenario) == summary[len(plan.kpis) + 2][:2]
