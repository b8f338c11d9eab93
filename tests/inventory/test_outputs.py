"""Output sets are swapped in whole (issue 18, item 3), and every CSV cell is guarded (item 5)."""

from __future__ import annotations

import csv
import io
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from inventory.outputs import (
    MARKER,
    check_output_file,
    check_output_folder,
    csv_text,
    output_folder,
    unescape_csv_cell,
    write_file,
)
from models.errors import InputError, OutputError

REPOSITORY = Path(__file__).resolve().parents[2]


def _write_set(target: Path, files: dict[str, str], force: bool = False) -> None:
    with output_folder(target, force) as staging:
        for name, text in files.items():
            (staging / name).write_text(text, encoding="utf-8")


def _visible(folder: Path) -> set[str]:
    return {entry.name for entry in folder.iterdir() if entry.name != MARKER}


def test_a_second_set_replaces_the_first_whole(tmp_path: Path) -> None:
    target = tmp_path / "out"
    _write_set(target, {"plan.json": "1", "plan.xlsx": "1", "2023Q1": "old wave"})
    _write_set(target, {"plan.json": "2", "plan.xlsx": "2"})
    assert _visible(target) == {"plan.json", "plan.xlsx"}, "a file of the old set survived"
    assert (target / "plan.json").read_text() == "2"
    assert [entry.name for entry in tmp_path.iterdir()] == ["out"], "a temporary folder was left behind"


def test_other_commands_outputs_inside_are_kept(tmp_path: Path) -> None:
    """report.html, the playbooks and a run journal inside a plan folder belong to other commands."""
    target = tmp_path / "out"
    _write_set(target, {"plan.json": "1"})
    write_file(target / "report.html", "<html>")
    _write_set(target / "playbooks", {"2024Q1": "wave"})
    _write_set(target, {"plan.json": "2"})
    assert _visible(target) == {"plan.json", "report.html", "playbooks"}
    assert (target / "playbooks" / "2024Q1").read_text() == "wave"


def test_a_failure_leaves_the_old_set_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out"
    _write_set(target, {"plan.json": "1"})
    with pytest.raises(RuntimeError):
        with output_folder(target) as staging:
            (staging / "plan.json").write_text("half")
            raise RuntimeError("solver died")
    assert (target / "plan.json").read_text() == "1"
    assert [entry.name for entry in tmp_path.iterdir()] == ["out"]


def test_a_folder_migplan_did_not_write_is_refused_unless_forced(tmp_path: Path) -> None:
    target = tmp_path / "home"
    target.mkdir()
    (target / "thesis.docx").write_text("years of work")
    with pytest.raises(InputError, match="migplan did not write it.*--force"):
        _write_set(target, {"plan.json": "1"})
    assert _visible(target) == {"thesis.docx"}
    _write_set(target, {"plan.json": "1"}, force=True)
    assert _visible(target) == {"thesis.docx", "plan.json"}
    assert (target / "thesis.docx").read_text() == "years of work"
    _write_set(target, {"plan.json": "2"})  # now migplan's: no --force needed


def test_an_empty_folder_is_fine(tmp_path: Path) -> None:
    target = tmp_path / "empty"
    target.mkdir()
    _write_set(target, {"a.csv": "x"})
    assert _visible(target) == {"a.csv"}


def test_targets_that_cannot_be_written_are_named_before_any_work(tmp_path: Path) -> None:
    a_file = tmp_path / "plan.json"
    a_file.write_text("{}")
    with pytest.raises(InputError, match="is a file"):
        check_output_folder(a_file)
    with pytest.raises(OutputError, match="is a file, not a folder") as raised:
        check_output_folder(a_file / "out")
    assert raised.value.exit_code == 4
    with pytest.raises(OutputError):
        check_output_file(a_file / "report.html")
    with pytest.raises(InputError, match="is a folder"):
        check_output_file(tmp_path)


def test_a_place_even_root_cannot_write_is_named() -> None:
    with pytest.raises(OutputError, match="cannot write"):
        check_output_folder(Path("/proc/migplan-out"))


def test_a_killed_run_leaves_the_old_set_and_the_next_run_cleans_up(tmp_path: Path) -> None:
    """SIGKILL between the files of a set: the target keeps the whole old set."""
    target = tmp_path / "out"
    _write_set(target, {"plan.json": "old", "plan.xlsx": "old"})
    script = textwrap.dedent(f"""
        import os, signal
        from pathlib import Path
        from inventory.outputs import output_folder
        with output_folder(Path({str(target)!r})) as staging:
            (staging / "plan.json").write_text("new")
            os.kill(os.getpid(), signal.SIGKILL)
    """)
    killed = subprocess.run([sys.executable, "-c", script], cwd=REPOSITORY)
    assert killed.returncode == -signal.SIGKILL
    assert {path.name: path.read_text() for path in target.iterdir() if path.name != MARKER} == {
        "plan.json": "old", "plan.xlsx": "old"}
    assert len(list(tmp_path.iterdir())) == 2, "the killed run's temporary folder should still be there"
    _write_set(target, {"plan.json": "new", "plan.xlsx": "new"})
    assert [entry.name for entry in tmp_path.iterdir()] == ["out"], "the abandoned temporary folder was not removed"


def test_concurrent_runs_into_one_folder_never_collide(tmp_path: Path) -> None:
    """Two processes write 15 sets each into one folder: no error, and the folder holds one whole set."""
    target = tmp_path / "out"
    script = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from inventory.outputs import output_folder, write_file
        run = sys.argv[1]
        for attempt in range(15):
            with output_folder(Path({str(target)!r})) as staging:
                for name in ("plan.json", "plan.csv", "kpis.csv", "plan.xlsx"):
                    write_file(staging / name, f"{{run}}-{{attempt}}")
    """)
    runs = [subprocess.Popen([sys.executable, "-c", script, run], cwd=REPOSITORY, stderr=subprocess.PIPE, text=True)
            for run in ("a", "b")]
    errors = [run.communicate()[1] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], errors
    contents = {path.read_text() for path in target.iterdir() if path.name != MARKER}
    assert len(contents) == 1, f"files of different runs side by side: {contents}"
    assert [entry.name for entry in tmp_path.iterdir()] == ["out"]


def test_single_files_leave_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    write_file(target, "one")
    write_file(target, "two")
    assert target.read_text() == "two"
    assert sorted(entry.name for entry in tmp_path.iterdir()) == ["report.html"]


@pytest.mark.parametrize("text", ["=cmd|' /C calc'!A0", "=HYPERLINK(\"http://evil\",\"x\")", "+1+2", "-1+2",
                                  "@SUM(A1:A2)", "\t=1", "\r=1", "'quoted"])
def test_every_formula_like_cell_is_escaped(text: str) -> None:
    rows = list(csv.reader(io.StringIO(csv_text(["name"], [[text]]))))
    assert rows[1][0] == "'" + text
    assert unescape_csv_cell(rows[1][0]) == text


def test_plain_cells_are_left_alone() -> None:
    rows = list(csv.reader(io.StringIO(csv_text(["a", "b", "c"], [["社保系统", 3, None]]))))
    assert rows[1] == ["社保系统", "3", ""]
