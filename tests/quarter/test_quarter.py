"""One quarter's loop through the CLI, with a journal as `migplan run` writes it: progress
(journal and ledger), the inventory as it now stands, the re-plan with --frozen-until,
the diff and the bulletin. The same loop with the wave really run on the test hosts is
tests/integration/test_quarter_end_to_end.py."""

from __future__ import annotations

import copy
import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest
import yaml
from click.testing import CliRunner

from planner.cli import cli
from playbooks.run import Journal
from tests.playbooks.test_cli import INVENTORY, SCENARIO

QUARTER = "2024Q1"


def quarter_inputs(folder: Path) -> tuple[Path, Path]:
    """One network, one system in one room; team days for all of it in the first quarter."""
    inventory = copy.deepcopy(INVENTORY)
    inventory["systems"] = [inventory["systems"][0] | {"id": "sys-社保", "name": "社保 <b>{{ 8*8 }}</b>"}]
    scenario = copy.deepcopy(SCENARIO)
    scenario["resources"]["team_days_per_period"] = 20
    (folder / "inventory.yaml").write_text(yaml.safe_dump(inventory, allow_unicode=True), encoding="utf-8")
    (folder / "scenario.yaml").write_text(yaml.safe_dump(scenario, allow_unicode=True), encoding="utf-8")
    return folder / "inventory.yaml", folder / "scenario.yaml"


def migplan(*arguments: str | Path) -> str:
    result = CliRunner().invoke(cli, [str(argument) for argument in arguments])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return result.output


def actions(plan: Path) -> dict[str, dict[str, str]]:
    return {action["id"]: action for action in json.loads(plan.read_text(encoding="utf-8"))["actions"]}


def journal_of_a_failed_cutover(path: Path, plan: str) -> None:
    """What `migplan run` records: the network done, the system's cutover failed and rolled back."""
    journal = Journal(path)
    common = {"wave": QUARTER, "plan": plan, "check": False}
    journal.write({**common, "kind": "network", "id": "n1", "action": "migrate", "what": "start"})
    journal.write({**common, "kind": "network", "id": "n1", "action": "migrate", "what": "end", "result": "ok"})
    journal.write({**common, "kind": "system", "id": "sys-社保", "action": "migrate", "what": "start"})
    journal.write({**common, "kind": "system", "id": "sys-社保", "action": "migrate", "what": "end", "result": "failed",
                   "host": "sys-社保@target", "task": "Verify the target",
                   "message": "target files differ from the source", "rolled_back": True})


@pytest.fixture(scope="module")
def quarter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("quarter")
    _, scenario = quarter_inputs(folder)
    migplan("plan", scenario, "-o", folder / "q0", "--quiet")
    assert {action["period"] for action in actions(folder / "q0" / "plan.json").values()} == {QUARTER}
    migplan("playbooks", folder / "q0" / "plan.json", scenario, "-o", folder / "q0" / "playbooks")
    plan = json.loads((folder / "q0" / "playbooks" / "waves.json").read_text(encoding="utf-8"))["plan"]
    journal_of_a_failed_cutover(folder / "q0" / f"journal-{QUARTER}.jsonl", plan)
    migplan("progress", folder / "q0" / "plan.json", scenario, "--as-of", QUARTER, "--journal", folder / "q0",
            "-o", folder / "progress")
    migplan("plan", folder / "progress" / "scenario.yaml", "--previous", folder / "progress" / "plan-as-run.json",
            "--frozen-until", QUARTER, "-o", folder / "q1", "--quiet")
    return folder


def test_progress_reads_the_journal(quarter: Path) -> None:
    rows = {row["id"]: row for row in
            json.loads((quarter / "progress" / "progress.json").read_text(encoding="utf-8"))["objects"]}

    assert rows["n1"]["status"] == "done" and rows["n1"]["actual"] == QUARTER
    assert rows["sys-社保"]["status"] == "failed"
    assert "Verify the target" in rows["sys-社保"]["why"] and "rolled back" in rows["sys-社保"]["why"]
    assert rows["r1"]["status"] == "slipped" and rows["r1"]["why"] == "never started"


def test_the_inventory_as_it_stands_has_the_done_work(quarter: Path) -> None:
    now = yaml.safe_load((quarter / "progress" / "inventory.yaml").read_text(encoding="utf-8"))

    assert [network["state"] for network in now["networks"]] == ["migrated"]
    assert [(system["state"], system["room"]) for system in now["systems"]] == [("legacy", "r1")]
    assert [room["state"] for room in now["rooms"]] == ["open"]


def test_the_replan_moves_the_failed_system_and_every_plan_passes_check(quarter: Path) -> None:
    replanned = actions(quarter / "q1" / "plan.json")

    assert replanned["n1"]["action"] == "done"
    assert replanned["sys-社保"]["action"] == "migrate" and replanned["sys-社保"]["period"] > QUARTER
    assert replanned["r1"]["period"] >= replanned["sys-社保"]["period"]
    migplan("check", quarter / "q0" / "plan.json", quarter / "scenario.yaml")
    migplan("check", quarter / "q1" / "plan.json", quarter / "progress" / "scenario.yaml")


def test_the_diff_says_what_moved_and_why(quarter: Path) -> None:
    output = migplan("diff", quarter / "q0" / "plan.json", quarter / "q1" / "plan.json",
                     "--progress", quarter / "progress" / "progress.json", "--old-scenario", quarter / "scenario.yaml",
                     "--new-scenario", quarter / "progress" / "scenario.yaml", "--csv", quarter / "diff.csv")

    assert f"system sys-社保: moved (调整季度): migrate {QUARTER} p1 -> migrate 2024Q2 p1" in output
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO((quarter / "diff.csv").read_text(encoding="utf-8")))}
    assert set(rows) == {"sys-社保", "r1"}  # the network was done as planned: not a change
    assert rows["sys-社保"]["old_period"] == QUARTER and rows["sys-社保"]["new_period"] == "2024Q2"
    assert rows["sys-社保"]["cause"].startswith(f"failed in {QUARTER}: Verify the target")
    assert rows["r1"]["cause"] == f"slipped in {QUARTER}: never started"
    assert "cost:" in output and f"cloud_adoption@{QUARTER}: 100.0% -> 0.0%" in output


def test_the_bulletin_names_the_failed_system(quarter: Path) -> None:
    migplan("bulletin", quarter / "q0" / "plan.json", quarter / "q1" / "plan.json", quarter / "progress" / "scenario.yaml",
            "--quarter", QUARTER, "--progress", quarter / "progress" / "progress.json", "-o", quarter / "bulletin")

    html = (quarter / "bulletin" / "bulletin.html").read_text(encoding="utf-8")
    slipped = html[html.index('id="slipped"'):html.index('id="next"')]
    assert "sys-社保" in slipped and "失败已回退" in slipped and "target files differ from the source" in slipped
    assert "社保 &lt;b&gt;{{ 8*8 }}&lt;/b&gt;" in html and "<b>{{" not in html
    finished = html[html.index('id="finished"'):html.index('id="slipped"')]
    assert "金保专网（n1）" in finished
    upcoming = html[html.index('id="next"'):]
    assert "sys-社保" in upcoming and "2024Q2" in upcoming
    workbook = openpyxl.load_workbook(quarter / "bulletin" / "bulletin.xlsx")
    slipped_ids = [row[2] for row in workbook["延误事项"].iter_rows(min_row=2, values_only=True)]
    assert sorted(slipped_ids) == ["r1", "sys-社保"]
    assert [row[1] for row in workbook["主要指标"].iter_rows(min_row=2, values_only=True)] == [1.0, 1.0, 1.0]


def test_the_ledger_columns_are_read_back(quarter: Path, tmp_path: Path) -> None:
    """A department marks the room closed in plan.xlsx: progress counts it done, with its owner."""
    ledger = tmp_path / "plan.xlsx"
    workbook = openpyxl.load_workbook(quarter / "q0" / "plan.xlsx")
    sheet = workbook["机房"]
    header = [cell.value for cell in sheet[1]]
    assert header[-3:] == ["负责人", "状态", "实际完成季度"]
    row = next(row for row in sheet.iter_rows(min_row=2) if row[header.index("编号")].value == "r1")
    row[header.index("负责人")].value = "张三"
    row[header.index("状态")].value = "已完成"
    row[header.index("实际完成季度")].value = QUARTER
    workbook.save(ledger)

    output = migplan("progress", quarter / "q0" / "plan.json", quarter / "scenario.yaml", "--as-of", QUARTER,
                     "--journal", quarter / "q0", "--ledger", ledger, "--json")
    rows = {row["id"]: row for row in json.loads(output)["objects"]}
    assert (rows["r1"]["status"], rows["r1"]["owner"], rows["r1"]["source"], rows["r1"]["actual"]) == (
        "done", "张三", "ledger", QUARTER)
    assert rows["sys-社保"]["status"] == "failed"


def test_a_bad_ledger_status_is_one_line_naming_the_row(quarter: Path, tmp_path: Path) -> None:
    ledger = tmp_path / "plan.xlsx"
    workbook = openpyxl.load_workbook(quarter / "q0" / "plan.xlsx")
    sheet = workbook["系统"]
    header = [cell.value for cell in sheet[1]]
    sheet.cell(row=2, column=header.index("状态") + 1, value="差不多")
    workbook.save(ledger)

    result = CliRunner().invoke(cli, ["progress", str(quarter / "q0" / "plan.json"), str(quarter / "scenario.yaml"),
                                      "--as-of", QUARTER, "--ledger", str(ledger)])
    assert result.exit_code == 2
    assert "(系统, row 2): 状态 '差不多' is not one of" in result.output and "Traceback" not in result.output


def test_the_report_of_the_replan_has_the_diff_section(quarter: Path) -> None:
    migplan("report", quarter / "q1" / "plan.json", quarter / "progress" / "scenario.yaml", "--quiet",
            "--previous", quarter / "q0" / "plan.json", "--progress", quarter / "progress" / "progress.json",
            "-o", quarter / "report.html")

    html = (quarter / "report.html").read_text(encoding="utf-8")
    section = html[html.index('<section id="plan-diff">'):]
    section = section[:section.index("</section>")]
    assert "sys-社保" in section and f"failed in {QUARTER}" in section and "调整季度" in section
