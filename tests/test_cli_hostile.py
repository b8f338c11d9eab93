"""Hostile command lines: one line and exit 2 or 4, before any solving, never a traceback (issue 18, items 3, 8-10)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from inventory.files import write_inventory
from inventory.outputs import MARKER
from planner.cli import cli
from tests.builders import inventory, system

UNWRITABLE = "/proc/migplan-out"


def _files(folder: Path, **changes: Any) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    write_inventory(inventory([system("s1"), system("s2")]), folder / "inventory.yaml")
    document: dict[str, Any] = {"format": "migplan-scenario/1", "name": "micro", "inventory": "inventory.yaml",
                                "horizon": {"start": "2024Q1", "end": "2024Q4"}, "solver": {"name": "greedy"}}
    document.update(changes)
    path = folder / "baseline.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def _run(*arguments: str) -> Result:
    result = CliRunner().invoke(cli, [*arguments])
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.exception
    return result


def _one_error_line(result: Result) -> str:
    errors = [line for line in result.output.splitlines() if line.startswith(("error", "错误"))]
    assert len(errors) == 1, result.output
    return errors[0]


@pytest.fixture
def plan_file(tmp_path: Path) -> tuple[Path, Path]:
    scenario = _files(tmp_path / "in")
    result = _run("plan", str(scenario), "-o", str(tmp_path / "out"), "--quiet")
    assert result.exit_code == 0, result.output
    return tmp_path / "out" / "plan.json", scenario


def test_plan_into_a_file_fails_before_loading_anything(tmp_path: Path) -> None:
    a_file = tmp_path / "taken"
    a_file.write_text("x")
    # The scenario does not even exist: the output is checked first, so that no solve is wasted.
    result = _run("plan", str(tmp_path / "missing.yaml"), "-o", str(a_file), "--quiet")
    assert result.exit_code == 2
    assert "is a file; give a folder" in _one_error_line(result)


def test_plan_into_an_unwritable_place_is_exit_4(tmp_path: Path) -> None:
    result = _run("plan", str(tmp_path / "missing.yaml"), "-o", UNWRITABLE, "--quiet")
    assert result.exit_code == 4
    assert "cannot write there" in _one_error_line(result)


def test_plan_refuses_a_folder_it_did_not_write_unless_forced(tmp_path: Path) -> None:
    scenario = _files(tmp_path / "in")
    # the scenario's own folder: swapping it would move the inputs aside
    result = _run("plan", str(scenario), "-o", str(scenario.parent), "--quiet")
    assert result.exit_code == 2 and "--force" in _one_error_line(result)
    forced = _run("plan", str(scenario), "-o", str(scenario.parent), "--quiet", "--force")
    assert forced.exit_code == 0, forced.output
    assert {"baseline.yaml", "inventory.yaml", "plan.json", "plan.xlsx", MARKER} <= {p.name for p in scenario.parent.iterdir()}


def test_replanning_leaves_no_stale_file_and_keeps_other_outputs(tmp_path: Path) -> None:
    scenario = _files(tmp_path / "in")
    out = tmp_path / "out"
    assert _run("plan", str(scenario), "-o", str(out), "--quiet").exit_code == 0
    (out / "stale-from-an-old-migplan.csv").write_text("x")
    assert _run("report", str(out / "plan.json"), str(scenario), "-o", str(out / "report.html"), "--quiet").exit_code == 0
    # The stale file sits in a folder migplan marked but is in no set's list: another command's, so kept.
    # What goes is a file of plan's own set that the new set lacks:
    marker = (out / MARKER).read_text()
    (out / MARKER).write_text(marker.replace('"kpis.csv"', '"kpis.csv", "plan-old.csv"'))
    (out / "plan-old.csv").write_text("old")
    assert _run("plan", str(scenario), "-o", str(out), "--quiet").exit_code == 0
    names = {p.name for p in out.iterdir()}
    assert "plan-old.csv" not in names and {"report.html", "stale-from-an-old-migplan.csv", "plan.json"} <= names


@pytest.mark.parametrize("option", [["--time-limit", "nan"], ["--time-limit", "inf"], ["--gap", "nan"]])
def test_nan_and_infinite_solver_limits_are_refused(tmp_path: Path, option: list[str]) -> None:
    result = _run("plan", str(_files(tmp_path)), "-o", str(tmp_path / "out"), "--quiet", *option)
    assert result.exit_code == 2 and "is not a finite number" in result.output


def test_threads_past_the_cores_are_clamped_with_a_warning(tmp_path: Path) -> None:
    result = _run("plan", str(_files(tmp_path)), "-o", str(tmp_path / "out"), "--quiet", "--threads", "100000")
    assert result.exit_code == 0, result.output
    assert f"this machine has {os.cpu_count()} cores: using {os.cpu_count()}" in result.output


def test_report_into_a_folder_or_under_a_file(plan_file: tuple[Path, Path], tmp_path: Path) -> None:
    plan, scenario = plan_file
    into_folder = _run("report", str(plan), str(scenario), "-o", str(tmp_path), "--quiet")
    assert into_folder.exit_code == 2 and "is a folder" in _one_error_line(into_folder)
    under_file = _run("report", str(plan), str(scenario), "-o", str(plan / "report.html"), "--quiet")
    assert under_file.exit_code == 4 and "is a file, not a folder" in _one_error_line(under_file)


def test_playbooks_into_a_file(plan_file: tuple[Path, Path]) -> None:
    plan, scenario = plan_file
    result = _run("playbooks", str(plan), str(scenario), "-o", str(plan))
    assert result.exit_code == 2 and "is a file" in _one_error_line(result)


def test_sample_into_a_file_or_someone_elses_folder(tmp_path: Path) -> None:
    a_file = tmp_path / "file"
    a_file.write_text("x")
    assert _run("sample", "-o", str(a_file), "--systems-per-city", "5").exit_code == 2
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (theirs / "notes.txt").write_text("mine")
    refused = _run("sample", "-o", str(theirs), "--systems-per-city", "5")
    assert refused.exit_code == 2 and "--force" in refused.output
    forced = _run("sample", "-o", str(theirs), "--systems-per-city", "5", "--force")
    assert forced.exit_code == 0, forced.output
    assert {"notes.txt", "inventory.yaml", "baseline.yaml"} <= {p.name for p in theirs.iterdir()}
    assert _run("sample", "-o", str(UNWRITABLE), "--systems-per-city", "5").exit_code == 4


def test_inventory_export_and_import_check_their_output_first(tmp_path: Path) -> None:
    source = _files(tmp_path / "in").parent / "inventory.yaml"
    a_file = tmp_path / "ledger"
    a_file.write_text("x")
    assert _run("inventory", "export", str(source), "-o", str(a_file)).exit_code == 2
    assert _run("inventory", "export", str(source), "-o", str(tmp_path)).exit_code == 2  # not migplan's folder
    assert _run("inventory", "export", str(source), "-o", UNWRITABLE + ".xlsx").exit_code == 4
    assert _run("inventory", "import", str(source), "-o", str(tmp_path / "in")).exit_code == 2


def test_an_inventory_without_systems_is_an_error_unless_allowed(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("format: migplan-inventory/1\ndepartments: [{id: d1, name: D}]\n", encoding="utf-8")
    refused = _run("inventory", "validate", str(path))
    assert refused.exit_code == 2 and "no systems" in refused.output and "--allow-empty" in refused.output
    allowed = _run("inventory", "validate", str(path), "--allow-empty")
    assert allowed.exit_code == 0 and "warning" in allowed.output and "no systems" in allowed.output


def test_a_workbook_without_a_systems_sheet_is_an_error(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.xlsx"
    write_inventory(inventory([], rooms=[]), ledger)
    result = _run("inventory", "validate", str(ledger))
    assert result.exit_code == 2 and "no systems" in result.output


def test_deep_json_and_long_integers_in_an_inventory_are_one_line(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text('{"format": "migplan-inventory/1", "systems": ' + "[" * 1000 + "]" * 1000 + "}")
    result = _run("inventory", "validate", str(deep))
    assert result.exit_code == 2 and "nested deeper than 64 levels" in result.output
    long = tmp_path / "long.json"
    long.write_text('{"format": "migplan-inventory/1", "region": ' + "9" * 5000 + "}")
    assert _run("inventory", "validate", str(long)).exit_code == 2


def test_control_characters_stop_at_validation_not_in_the_workbook(tmp_path: Path) -> None:
    """NUL in a name used to pass validation and crash writing plan.xlsx after plan.json was written."""
    scenario = _files(tmp_path / "in")
    inventory_path = scenario.parent / "inventory.yaml"
    inventory_path.write_text(inventory_path.read_text(encoding="utf-8").replace("name: System s1", 'name: "S\\0"'),
                              encoding="utf-8")
    result = _run("plan", str(scenario), "-o", str(tmp_path / "out"), "--quiet")
    assert result.exit_code == 2 and "s1.name: holds a control character (U+0000 NUL)" in result.output
    assert not (tmp_path / "out").exists()


def test_compare_gives_two_scenarios_of_one_name_two_folders(tmp_path: Path) -> None:
    first, second = _files(tmp_path / "a"), _files(tmp_path / "b", name="other")
    out = tmp_path / "compare"
    result = _run("compare", str(first), str(second), "-o", str(out), "--quiet", "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert (out / "baseline" / "plan.json").is_file() and (out / "baseline-2" / "plan.json").is_file()
    assert '"scenario": "other"' in (out / "baseline-2" / "plan.json").read_text(encoding="utf-8")


def test_an_unforeseen_file_system_failure_is_one_line_and_exit_4(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A disk that fills up while the plan is written: exit 4, and no half-written folder."""
    import errno

    import planner.output

    def disk_full(*_arguments: object, **_options: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "out" / "plan.json"))

    monkeypatch.setattr(planner.output, "write_plan_files", disk_full)
    result = _run("plan", str(_files(tmp_path / "in")), "-o", str(tmp_path / "out"), "--quiet")
    assert result.exit_code == 4
    assert "No space left on device" in _one_error_line(result)
    assert not (tmp_path / "out").exists()


def test_the_safety_net_turns_any_os_error_into_one_line(plan_file: tuple[Path, Path],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Under every command: an OSError that no edge turned into a migplan error (an I/O error reading)."""
    import errno

    import planner.output

    def io_error(path: object) -> None:
        raise OSError(errno.EIO, "Input/output error", str(path))

    monkeypatch.setattr(planner.output, "load_plan", io_error)
    plan, scenario = plan_file
    result = _run("check", str(plan), str(scenario))
    assert result.exit_code == 4
    assert _one_error_line(result) == f"error: {plan}: Input/output error"


def test_the_output_checks_speak_chinese(tmp_path: Path) -> None:
    a_file = tmp_path / "taken"
    a_file.write_text("x")
    result = _run("--lang", "zh", "plan", str(tmp_path / "missing.yaml"), "-o", str(a_file), "--quiet")
    assert result.exit_code == 2
    assert f"{a_file}：这是一个文件；请给出要写入的文件夹" in result.output


def test_report_leaves_no_temporary_file_beside_its_workbooks(plan_file: tuple[Path, Path], tmp_path: Path) -> None:
    plan, scenario = plan_file
    for _ in range(2):
        result = _run("report", str(plan), str(scenario), "-o", str(tmp_path / "r" / "report.html"), "--quiet")
        assert result.exit_code == 0, result.output
    names = [path.name for path in (tmp_path / "r" / "departments").iterdir()]
    assert names and all(name.endswith(".xlsx") and not name.startswith(".") for name in names), names
