"""``migplan compare``: scenarios solved in parallel processes, infeasible ones with their violations."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import yaml
from click.testing import CliRunner
from rich.console import Console

from planner.cli import cli
from planner.report.compare import ScenarioOutcome, comparison_csv, comparison_svg, print_comparison
from planner.report.labels import Labels
from tests.report.conftest import hostile_scenario_document


def _scenario(folder: Path, stem: str, **changes: object) -> Path:
    document = {**hostile_scenario_document(), **changes}
    path = folder / f"{stem}.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def test_compare_two_scenarios_one_infeasible(hostile_files: Path, tmp_path: Path) -> None:
    """The hostile city needs 10 team days for its systems and 5 for its network; with 6 a quarter
    and every target at 100% by 2024 the second scenario cannot be met, and says what binds."""
    folder = hostile_files.parent
    infeasible = _scenario(folder, "squeezed", name="=squeezed",
                           targets={"cloud_adoption": {"2024": 1.0}, "network_migration": {"2024": 1.0}},
                           resources={"team_days_per_period": 6, "freeze": ["2024Q1", "2024Q2"]})
    out = tmp_path / "compare"
    result = CliRunner().invoke(cli, ["compare", str(hostile_files), str(infeasible), str(folder / "inventory.yaml"),
                                      "-o", str(out), "--jobs", "2"])
    assert result.exit_code == 0, result.output
    assert "skipping" in result.output and "inventory.yaml" in result.output
    assert "情景对比" in result.output and "hostile-<s>" in result.output and "不可行" in result.output
    rows = list(csv.DictReader(io.StringIO((out / "compare.csv").read_text(encoding="utf-8"))))
    assert [(row["scenario"], row["status"]) for row in rows] == [("hostile-<s>", "optimal"), ("'=squeezed", "infeasible")]
    assert rows[0]["cloud_adoption@2025"] == "0.7500" and rows[0]["target_cloud_adoption@2025"] == "0.5000"
    assert "team_days" in rows[1]["binding_limits"]
    svg = (out / "compare.svg").read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "hostile-&lt;s&gt;" in svg and "<s>" not in svg
    page = (out / "compare.html").read_text(encoding="utf-8")
    assert 'href="scenario/report.html"' in page and 'href="squeezed/report.html"' in page
    assert (out / "squeezed" / "plan.json").exists() and (out / "scenario" / "plan.xlsx").exists()


def test_compare_json_and_errors(hostile_files: Path, tmp_path: Path) -> None:
    broken = hostile_files.parent / "broken.yaml"
    broken.write_text("format: migplan-scenario/1\nname: broken\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["compare", str(hostile_files), str(broken), "-o", str(tmp_path / "c"), "--json"])
    assert result.exit_code == 0, result.output
    outcomes = json.loads(result.output)
    assert [o["status"] for o in outcomes] == ["optimal", "error"]
    assert "horizon" in outcomes[1]["error"]


def test_compare_needs_a_scenario(hostile_files: Path) -> None:
    result = CliRunner().invoke(cli, ["compare", str(hostile_files.parent / "inventory.yaml")])
    assert result.exit_code == 2
    assert "no scenario files" in result.output


def test_table_and_chart_of_outcomes() -> None:
    outcomes = [
        ScenarioOutcome(path="a.yaml", name="a", status="optimal", cost_wan=1234.5,
                        kpis={"cloud_adoption": [(2024, 0.6, 0.5), (2025, 0.81, 0.8)]}),
        ScenarioOutcome(path="b.yaml", name="b", status="infeasible", cost_wan=999.0,
                        kpis={"cloud_adoption": [(2024, 0.3, 0.5), (2025, 0.5, 0.8)]},
                        binding=[("budget", "", 3), ("capacity", "xt-x86", 2)]),
    ]
    console = Console(record=True, width=140)
    print_comparison(outcomes, Labels("en"), console)
    text = console.export_text()
    assert "1,234.5" in text and "81%/80%" in text and "50%/80%" in text and "budget×3, pool capacity xt-x86×2" in text
    svg = comparison_svg(outcomes, Labels("en"))
    assert svg.count('class="bar"') == 2 * 3 and svg.count('class="target"') == 2
    assert comparison_csv(outcomes).splitlines()[0].startswith("scenario,file,status,cost_wan")
