"""``migplan init`` and the newcomer's path: template, a small city typed in, import, plan, report."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import openpyxl
import yaml
from click.testing import CliRunner

from inventory.spreadsheet import CHINESE_VALUES, ENUM_ALIASES, TABLES
from inventory.template import LEDGER_NAME, NOTES, SCENARIO_NAME
from planner.cli import cli

YEAR = date.today().year


def _init(tmp_path: Path) -> Path:
    project = tmp_path / "湘潭"
    result = CliRunner().invoke(cli, ["init", str(project), "--region", "湘潭市"])
    assert result.exit_code == 0, result.output
    return project


def test_template_has_notes_dropdowns_and_an_example_row_per_sheet(tmp_path: Path) -> None:
    project = _init(tmp_path)
    workbook = openpyxl.load_workbook(project / LEDGER_NAME)
    assert workbook.sheetnames == [table.aliases[0] for table in TABLES.values()]
    for name, table in TABLES.items():
        sheet = workbook[table.aliases[0]]
        headers = [cell.value for cell in sheet[1]]
        assert headers == [column.header for column in table.columns]
        for cell, column in zip(sheet[1], table.columns):
            assert cell.comment is not None and NOTES[name][column.field] in cell.comment.text
        assert sheet.max_row == 2, f"{name}: one example row"
        validated = {str(ref).split(":")[0].rstrip("0123456789") for dv in sheet.data_validations.dataValidation
                     for ref in dv.sqref.ranges}
        for position, column in enumerate(table.columns):
            letter = openpyxl.utils.get_column_letter(position + 1)
            if column.kind in ("enum", "bool", "level"):
                assert letter in validated, f"{name}.{column.field} has no drop-down"


def test_dropdown_values_are_what_import_reads() -> None:
    for field, values in CHINESE_VALUES.items():
        for english, chinese in values.items():
            assert ENUM_ALIASES[field].get(chinese, chinese) == english


def test_template_example_imports_and_scenario_is_commented(tmp_path: Path) -> None:
    project = _init(tmp_path)
    result = CliRunner().invoke(cli, ["inventory", "import", str(project / LEDGER_NAME), "-o", str(project / "inventory.yaml")])
    assert result.exit_code == 0, result.output
    text = (project / SCENARIO_NAME).read_text(encoding="utf-8")
    assert text.count("#") > 20
    scenario = yaml.safe_load(text)
    assert scenario["inventory"] == "inventory.yaml"
    assert scenario["horizon"] == {"start": f"{YEAR}Q1", "end": f"{YEAR + 2}Q4"}


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    project = _init(tmp_path)
    again = CliRunner().invoke(cli, ["init", str(project)])
    assert again.exit_code == 2
    assert "already exists (use --force to overwrite)" in again.output
    assert CliRunner().invoke(cli, ["init", str(project), "--force"]).exit_code == 0


def _fill(sheet: openpyxl.worksheet.worksheet.Worksheet, rows: list[list[object]]) -> None:
    """Replace the example row by the city's rows, as a user typing into the template would."""
    sheet.delete_rows(2, sheet.max_row)
    for row in rows:
        sheet.append(row)


def test_newcomer_from_template_to_report(tmp_path: Path) -> None:
    project = _init(tmp_path)
    workbook = openpyxl.load_workbook(project / LEDGER_NAME)
    _fill(workbook["单位"], [["gongan", "市公安局", "市直", ""], ["yuhu", "雨湖区人民政府", "区县", ""]])
    _fill(workbook["机房"], [["room-ga", "公安局机房", "gongan", 10, 60, 8, "否", "在用"],
                           ["room-yh", "雨湖区机房", "yuhu", 4, 20, 3, "否", "在用"]])
    _fill(workbook["专网"], [
        ["net-ga", "公安视频专网", "gongan", "否", "是", "业务需要", 50, 100, 80, 30, 20, 5, 4, "专网运行"],
        ["net-yh", "雨湖区办公专网", "yuhu", "否", "否", "", 20, 50, 30, 10, 8, 0, 0, "专网运行"],
    ])
    system_rows = [
        ["sys-jj", "交警业务系统", "gongan", "room-ga", "net-ga", "否", "否", "", "否", "三级", "x86", 10,
         16, 64, 2, 1, 15, 12, "高", "无", "sys-auth", "", "", "未上云", "", ""],
        ["sys-auth", "统一身份认证", "gongan", "room-ga", "", "否", "否", "", "否", 3, "不限", "",
         8, 32, 1, 0.5, 8, 6, "高", "异地灾备", "", "", "", "未上云", "", ""],
        ["sys-oa", "区协同办公", "yuhu", "room-yh", "net-yh", "否", "否", "", "否", "二级", "信创", "",
         4, 16, 0.5, 0.2, 5, 4, "中", "无", "", "", "", "未上云", "", ""],
        ["sys-old", "旧门户网站", "yuhu", "room-yh", "", "否", "否", "", "是", 2, "x86", "",
         2, 4, 0.1, 0, 1, 1, "低", "无", "", "", "", "未上云", "", ""],
    ]
    _fill(workbook["系统"], system_rows)
    _fill(workbook["资源池"], [["xt-x86", "市政务云 x86", "市级", "x86", 3, "", "", "a", 0.12],
                            ["xt-xc", "市政务云 信创", "市级", "信创", 3, "", "", "b", 0.15]])
    _fill(workbook["容量"], [["xt-x86", f"{YEAR}Q1", 500, 2000, 50], ["xt-xc", f"{YEAR}Q1", 300, 1200, 30]])
    _fill(workbook["政务外网"], [[f"{YEAR}Q1", 1000]])
    workbook.save(project / LEDGER_NAME)

    runner = CliRunner()
    imported = runner.invoke(cli, ["inventory", "import", str(project / LEDGER_NAME), "-o", str(project / "inventory.yaml")])
    assert imported.exit_code == 0, imported.output
    assert "4 systems, 2 rooms, 2 networks" in imported.output
    # one of two networks must stay (interconnected), so the 80% floor needs interconnections to count
    scenario = project / SCENARIO_NAME
    text = scenario.read_text(encoding="utf-8")
    scenario.write_text(text.replace("count_interconnected_networks: false", "count_interconnected_networks: true"),
                        encoding="utf-8")
    out = project / "out"
    planned = runner.invoke(cli, ["plan", str(project / SCENARIO_NAME), "-o", str(out), "--time-limit", "30"])
    assert planned.exit_code == 0, planned.output
    plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    assert plan["status"] == "optimal"
    actions = {action["id"]: action for action in plan["actions"]}
    assert actions["sys-old"]["action"] == "retire"
    assert actions["net-ga"]["action"] == "interconnect"
    assert actions["sys-oa"]["target"] == "xt-xc"
    assert {actions["sys-auth"]["target"], actions["sys-auth"]["dr_target"]} == {"xt-x86", "xt-xc"}
    report = out / "report.html"
    reported = runner.invoke(cli, ["report", str(out / "plan.json"), str(project / SCENARIO_NAME), "-o", str(report)])
    assert reported.exit_code == 0, reported.output
    html = report.read_text(encoding="utf-8")
    for name in ("市公安局", "雨湖区人民政府", "交警业务系统", "市政务云 信创"):
        assert name in html
