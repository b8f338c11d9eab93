"""The HTML report: escaped, self-contained, both languages, every section, violations up front."""

from __future__ import annotations

import re
import time
from datetime import datetime
from pathlib import Path

from click.testing import CliRunner

from models.plan import Plan, Violation
from planner.cli import cli
from planner.data import PlanningData
from planner.report.html import render_report
from planner.report.svg import esc
from tests.report.conftest import HOSTILE_DEPARTMENT, HOSTILE_ROOM, HOSTILE_SYSTEM

FIXED = datetime(2025, 1, 1, 9, 0)


def test_every_inventory_string_is_escaped(hostile: tuple[Plan, PlanningData]) -> None:
    plan, data = hostile
    page = render_report(plan, data, "zh", FIXED)
    assert page.count("<script") == 1  # the report's own filter script, nothing from the inventory
    assert "<img" not in page and "<b>&" not in page and "net-<i>" not in page and "hostile-<s>" not in page
    assert "&lt;script&gt;alert(&#x27;dept&#x27;)&lt;/script&gt;" in page
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;{{sys}}" in page
    assert "room&#x27;&lt;b&gt;&amp;&quot;{r}&quot;" in page
    for raw in (HOSTILE_DEPARTMENT, HOSTILE_SYSTEM, HOSTILE_ROOM):
        assert raw not in page


def test_the_report_is_self_contained(hostile: tuple[Plan, PlanningData]) -> None:
    page = render_report(*hostile, "zh", FIXED)
    assert not re.search(r"<link|<img|<iframe|@import|url\(|<[^>]*\b(src|href)=", page)
    # The only address in an attribute is the SVG namespace, which browsers never fetch.
    assert set(re.findall(r"=\"(https?://[^\"]+)\"", page)) == {"http://www.w3.org/2000/svg"}


def test_sections_and_charts(hostile: tuple[Plan, PlanningData]) -> None:
    plan, data = hostile
    page = render_report(plan, data, "zh", FIXED)
    for section in ("kpis", "waves", "capacity", "team", "spending", "stays"):
        assert f'<section id="{section}"' in page
    assert 'id="violations"' not in page
    kpi_section = page[page.index('id="kpis"'):page.index('id="waves"')]
    assert kpi_section.count('<polyline class="series"') == 3
    assert kpi_section.count('class="target"') == 1  # one target: cloud_adoption 2025
    capacity = page[page.index('id="capacity"'):page.index('id="team"')]
    assert capacity.count('<svg class="chart small"') == 2 * 3  # two pools, three resources
    assert "考核指标" in page and "涉密" in page and "规划期内未安排" in page


def test_english_labels(hostile: tuple[Plan, PlanningData]) -> None:
    page = render_report(*hostile, "en", FIXED)
    assert '<html lang="en">' in page
    assert "KPIs per quarter" in page and "Stays and keeps" in page and "classified" in page
    assert "考核指标" not in page


def test_an_infeasible_plan_shows_its_violations_first(hostile: tuple[Plan, PlanningData]) -> None:
    plan, data = hostile
    infeasible = plan.model_copy(update={"status": "infeasible", "violations": (
        Violation(constraint="cloud_adoption@2025", required=0.8, reached=0.5, detail="best reachable 0.50"),
        Violation(constraint="budget@2024", required=100, reached=160, detail="budget short by 60.0 万元 in 2024"),
        Violation(constraint="capacity:p1:vcpu@2024Q2", required=100, reached=130, detail="pool p1 vCPU short by 30"),
    )})
    page = render_report(infeasible, data, "zh", FIXED)
    assert '<section id="violations" class="alarm">' in page
    assert page.index('id="violations"') < page.index('id="kpis"')
    violations = page[page.index('id="violations"'):page.index('id="kpis"')]
    assert "系统上云率" in violations and "80.0%" in violations and "50.0%" in violations
    assert "年度预算" in violations and "资源池容量 p1 vCPU（核）" in violations
    assert ">60<" in violations and ">30<" in violations


def test_sample_report_is_quick_and_lists_every_department(sample_plan: tuple[Plan, PlanningData]) -> None:
    plan, data = sample_plan
    started = time.perf_counter()
    page = render_report(plan, data, "zh", FIXED)
    assert time.perf_counter() - started < 3
    scheduled = {data.inventory.system_by_id[a.id].department for a in plan.actions if a.kind == "system" and a.period}
    assert page.count('<details class="department">') >= len(scheduled)
    for action in plan.actions:
        if action.period is not None:
            assert f"({esc(action.id)})" in page  # in the wave chart's tooltips


def test_report_command(hostile_files: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "out"
    planned = runner.invoke(cli, ["plan", str(hostile_files), "-o", str(out)])
    assert planned.exit_code == 0, planned.output
    report = tmp_path / "nested" / "report.html"
    result = runner.invoke(cli, ["report", str(out / "plan.json"), str(hostile_files), "-o", str(report), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"wrote {report} (")
    assert "Government IT consolidation plan report" in report.read_text(encoding="utf-8")


def test_report_command_warns_about_another_inventory(hostile_files: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "out"
    assert runner.invoke(cli, ["plan", str(hostile_files), "-o", str(out)]).exit_code == 0
    inventory = hostile_files.parent / "inventory.yaml"
    inventory.write_text(inventory.read_text(encoding="utf-8").replace("annual_cost_wan: 40", "annual_cost_wan: 41"),
                         encoding="utf-8")
    result = runner.invoke(cli, ["report", str(out / "plan.json"), str(hostile_files), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 0
    assert "different inventory" in result.output
