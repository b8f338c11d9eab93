"""The plan's files: plan.csv guards formula-like names (issue 18, item 5), and the set is written whole (item 3)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from models.plan import Plan
from planner.data import PlanningData
from planner.output import PLAN_FILES, write_plan
from tests.report.conftest import FORMULA_NAME, HOSTILE_SYSTEM


def test_plan_csv_keeps_formulas_text(hostile: tuple[Plan, PlanningData], tmp_path: Path) -> None:
    plan, data = hostile
    write_plan(plan, data, tmp_path / "out")
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO((tmp_path / "out" / "plan.csv").read_text("utf-8")))}
    assert rows[HOSTILE_SYSTEM]["name"] == "'" + FORMULA_NAME
    assert rows["sys-backup"]["name"] == "'+backup -system"
    assert rows["sys-plain"]["name"] == "'@plain"
    assert rows["sys-old"]["name"] == "旧系统"


def test_replanning_into_a_folder_leaves_no_file_of_the_old_plan(hostile: tuple[Plan, PlanningData],
                                                                  tmp_path: Path) -> None:
    plan, data = hostile
    out = tmp_path / "out"
    write_plan(plan, data, out)
    (out / "plan.xlsx").unlink()  # as if an older migplan had written only some files
    (out / "report.html").write_text("<html>", encoding="utf-8")
    written = write_plan(plan, data, out)
    assert [path.name for path in written] == list(PLAN_FILES)
    assert all(path.is_file() for path in written)
    assert (out / "report.html").is_file(), "another command's output inside the folder must survive"
