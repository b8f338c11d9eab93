"""Plan quality in every view: status, cost, bound and gap, or unproven when nothing bounds the plan."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
from rich.console import Console

from models.plan import Plan
from planner.data import PlanningData
from planner.quality import plan_quality, quality_line
from planner.render import print_plan_summary
from planner.report.compare import ScenarioOutcome, comparison_csv, comparison_html, print_comparison
from planner.report.html import render_report
from planner.report.labels import Labels
from planner.report.xlsx import write_plan_workbook


def _summary(plan: Plan, data: PlanningData) -> str:
    console = Console(record=True, width=200)
    print_plan_summary(plan, data, console)
    return console.export_text()


def test_greedy_plan_is_unproven_in_the_summary(sample_plan: tuple[Plan, PlanningData]) -> None:
    plan, data = sample_plan
    assert plan.bound_wan is None
    text = _summary(plan, data)
    assert f"cost {plan.objective_wan:,.1f} 万元 · unproven (no bound)" in text
    assert "Unproven: no bound says how far this plan is from the best one" in text


def test_proved_plan_shows_bound_and_gap(hostile: tuple[Plan, PlanningData]) -> None:
    plan, data = hostile
    quality = plan_quality(plan)
    assert quality.proven and plan.bound_wan is not None
    line = quality_line(quality, Labels("zh"))
    assert line == f"最优 · 成本 {plan.objective_wan:,.1f} 万元 · 下界 {plan.bound_wan:,.1f} · 间隙 {quality.gap:.2%}"
    assert "unproven" not in _summary(plan, data)


def test_report_header_marks_an_unproven_plan(sample_plan: tuple[Plan, PlanningData],
                                              hostile: tuple[Plan, PlanningData]) -> None:
    unproven = render_report(*sample_plan, language="zh")
    assert '<span class="badge unproven">未经证明</span>' in unproven and "unproven-note" in unproven
    assert 'class="badge unproven"' not in render_report(*hostile, language="en")
    assert "Unproven: no bound" in render_report(*sample_plan, language="en")


def test_plan_workbook_marks_an_unproven_plan(sample_plan: tuple[Plan, PlanningData], tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    write_plan_workbook(*sample_plan, path)
    cells = {row[0]: row[1] for row in openpyxl.load_workbook(path)["概览"].iter_rows(values_only=True) if row and row[0]}
    assert cells["下界（万元）"] == "未经证明" and cells["最优性间隙"] == "未经证明"


OUTCOMES = [
    ScenarioOutcome(path="a.yaml", name="baseline", status="feasible", cost_wan=10950.8, bound_wan=10900.0,
                    gap=0.0046, kpis={"cloud_adoption": [(2025, 0.81, 0.8)]}),
    ScenarioOutcome(path="b.yaml", name="xinchuang-first", status="feasible", cost_wan=10867.8,
                    kpis={"cloud_adoption": [(2025, 0.8, 0.8)]}),
]


def test_compare_table_csv_and_page_mark_unproven_plans_and_warn() -> None:
    console = Console(record=True, width=200)
    print_comparison(OUTCOMES, Labels("en"), console)
    text = console.export_text()
    assert "10,900.0" in text and "0.46%" in text and "unproven" in text
    assert "this ordering rests on unproven plans (xinchuang-first)" in text
    rows = list(csv.DictReader(io.StringIO(comparison_csv(OUTCOMES))))
    assert [(row["bound_wan"], row["gap"], row["proven"]) for row in rows] == [("10900.00", "0.004600", "yes"),
                                                                             ("", "", "no")]
    page = comparison_html(OUTCOMES, Labels("zh"), Path("."))
    assert "未经证明" in page and "以下排序依据未经证明的计划（xinchuang-first）" in page


def test_no_warning_when_every_plan_is_proved() -> None:
    proved = [OUTCOMES[0], ScenarioOutcome(path="c.yaml", name="c", status="optimal", cost_wan=1.0, bound_wan=1.0, gap=0.0)]
    console = Console(record=True, width=200)
    print_comparison(proved, Labels("en"), console)
    assert "unproven" not in console.export_text()


def test_check_groups_findings_by_rule_with_count_and_ids(hostile_files: Path, tmp_path: Path) -> None:
    import json

    from click.testing import CliRunner

    from planner.cli import cli

    out = tmp_path / "out"
    assert CliRunner().invoke(cli, ["plan", str(hostile_files), "-o", str(out)]).exit_code == 0
    document = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    moved = [action["id"] for action in document["actions"] if action.get("period")]
    for action in document["actions"]:
        if action.get("period"):
            action["period"] = "2024Q3"  # the scenario's freeze quarter
    (out / "plan.json").write_text(json.dumps(document), encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(out / "plan.json"), str(hostile_files)])
    assert result.exit_code == 6
    freeze = [line for line in result.output.splitlines() if line.startswith("freeze: ")]
    assert freeze == [f"freeze: {len(moved)} errors; ids: {', '.join(moved)}"]
    assert sum(line.startswith("  … and ") for line in result.output.splitlines()) >= 1


def test_compare_exits_non_zero_when_every_scenario_fails(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from planner.cli import cli

    broken = []
    for name in ("a", "b"):
        path = tmp_path / f"{name}.yaml"
        path.write_text(f"format: migplan-scenario/1\nname: {name}\n", encoding="utf-8")
        broken.append(str(path))
    result = CliRunner().invoke(cli, ["compare", *broken, "-o", str(tmp_path / "c")])
    assert result.exit_code == 2
    assert result.output.rstrip().splitlines()[-1] == "error: every scenario failed: a, b"


def test_cost_breakdown_adds_up_to_the_plan_cost(sample_plan: tuple[Plan, PlanningData],
                                                 hostile: tuple[Plan, PlanningData]) -> None:
    from planner.report.costs import cost_by_department, total_cost

    for plan, data in (sample_plan, hostile):
        costs = cost_by_department(plan, data)
        total = total_cost(costs)
        assert plan.objective_wan is not None
        assert abs(total.total_wan - plan.objective_wan) < 0.01
        assert total.one_off_wan > 0 and total.stay_wan > total.running_wan
        assert total.yearly_after_wan < total.yearly_stay_wan


def test_department_pages_and_workbooks(sample_plan: tuple[Plan, PlanningData], tmp_path: Path) -> None:
    from planner.report.departments import department_pages, department_tasks, write_department_workbooks

    plan, data = sample_plan
    labels = Labels("zh")
    tasks = department_tasks(plan, data, labels)
    pool_names = {pool.name for pool in data.inventory.clouds}
    migrations = [task for items in tasks.values() for task in items if task.action == "迁移" and task.kind == "系统"]
    assert migrations and all(task.target in pool_names for task in migrations)
    stays = [task for items in tasks.values() for task in items if task.action == "保留" and task.kind == "系统"]
    assert stays and all(task.reason for task in stays)
    assert not any("no eligible pool" in task.reason for task in stays)  # reasons in Chinese
    html = department_pages(plan, data, labels)
    assert html.count('<article class="dept-page"') == len(tasks)
    written = write_department_workbooks(plan, data, tmp_path / "departments", labels)
    assert len(written) == len(tasks)
    import re

    assert {path.stem for path in written} == {
        re.sub(r"[^\w\u3400-\u9fff-]+", "_", data.inventory.department_by_id[department].name).strip("_.")
        for department in tasks
    }
    first = openpyxl.load_workbook(written[0])
    assert first.sheetnames == ["任务清单", "费用"]
    assert [cell.value for cell in first["任务清单"][1]][:5] == ["季度", "类别", "名称", "编号", "动作"]


def test_department_workbook_names_are_data_not_paths(hostile: tuple[Plan, PlanningData], tmp_path: Path) -> None:
    from planner.report.departments import write_department_workbooks

    folder = tmp_path / "departments"
    written = write_department_workbooks(*hostile, folder, Labels("en"))
    assert written and all(path.parent == folder and path.exists() for path in written)
    assert all(not set(path.name) & set("<>'\"/") for path in written)


def test_plan_workbook_names_the_pools(sample_plan: tuple[Plan, PlanningData], tmp_path: Path) -> None:
    plan, data = sample_plan
    path = tmp_path / "plan.xlsx"
    write_plan_workbook(plan, data, path)
    rows = list(openpyxl.load_workbook(path)["系统"].iter_rows(values_only=True))
    header = list(rows[0])
    target, name = header.index("目标资源池"), header.index("目标资源池名称")
    pools = {pool.id: pool.name for pool in data.inventory.clouds}
    migrated = [row for row in rows[1:] if row[target]]
    assert migrated and all(row[name] == pools[row[target]] for row in migrated)
