"""Writing a plan: plan.json (FORMATS.md) with plan.csv, kpis.csv and the plan.xlsx ledger beside it."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from inventory.outputs import csv_text, output_folder, write_file
from inventory.yamlio import parse_json, read_text
from models.errors import InputError
from models.inventory import Inventory
from models.plan import Plan
from planner.data import PlanningData
from planner.report.xlsx import write_plan_workbook

PLAN_COLUMNS = ("kind", "id", "name", "department", "action", "period", "target", "dr_target", "reason")


def plan_csv(plan: Plan, inventory: Inventory) -> str:
    """One row per action, with names and departments for people reading it in a spreadsheet."""
    lookup = {
        "system": inventory.system_by_id,
        "network": inventory.network_by_id,
        "room": inventory.room_by_id,
    }
    rows = []
    for action in plan.actions:
        record = lookup[action.kind].get(action.id)
        rows.append([
            action.kind, action.id, getattr(record, "name", ""), getattr(record, "department", ""), action.action,
            str(action.period or ""), action.target or "", action.dr_target or "", action.reason or "",
        ])
    return csv_text(PLAN_COLUMNS, rows)


def kpis_csv(plan: Plan, data: PlanningData) -> str:
    """KPIs per period, with the year-end targets beside them."""
    floors = data.scenario.targets.floors()
    rows = []
    for row in plan.kpis:
        year_end = data.year_end.get(row.period.year) == row.period
        targets = [floors[k].get(row.period.year, "") if year_end else "" for k in
                   ("room_consolidation", "network_migration", "cloud_adoption")]
        rows.append([str(row.period), f"{row.room_consolidation:.4f}", f"{row.network_migration:.4f}",
                     f"{row.cloud_adoption:.4f}", *targets])
    header = ["period", "room_consolidation", "network_migration", "cloud_adoption",
              "target_room_consolidation", "target_network_migration", "target_cloud_adoption"]
    return csv_text(header, rows)


PLAN_FILES = ("plan.json", "plan.csv", "kpis.csv", "plan.xlsx")


def write_plan_files(plan: Plan, data: PlanningData, folder: Path) -> None:
    """Write plan.json, plan.csv, kpis.csv and the plan.xlsx ledger into ``folder`` as they are."""
    for name, text in (
        ("plan.json", plan.dumps()),
        ("plan.csv", plan_csv(plan, data.inventory)),
        ("kpis.csv", kpis_csv(plan, data)),
    ):
        write_file(folder / name, text)
    write_plan_workbook(plan, data, folder / "plan.xlsx")


def write_plan(plan: Plan, data: PlanningData, out_dir: Path, force: bool = False) -> list[Path]:
    """Write the plan files into ``out_dir`` as one set, swapped in whole; return the paths written.

    ``force`` writes into a non-empty folder that migplan did not write (its entries are kept).
    """
    with output_folder(out_dir, force) as staging:
        write_plan_files(plan, data, staging)
    return [out_dir / name for name in PLAN_FILES]


def describe_validation_error(source: str, error: ValidationError) -> str:
    """Every pydantic error of a document as ``source: field.path: message`` lines, not just the first."""
    lines = []
    for detail in error.errors(include_url=False):
        field_path = ".".join(str(part) for part in detail["loc"]) or "(document)"
        if detail["type"] == "extra_forbidden":
            message = "unknown field (check the spelling against docs/formats.md)"
        elif detail["type"] == "missing":
            message = "missing required field"
        else:
            message = detail["msg"]
            if "input" in detail and not isinstance(detail["input"], (dict, list)):
                message += f", found {detail['input']!r}"
        lines.append(f"{source}: {field_path}: {message}")
    return "\n".join(lines)


def load_plan(path: Path | str) -> Plan:
    """Read a plan JSON file; ``InputError`` names the file and each bad field."""
    plan_path = Path(path)
    document = parse_json(plan_path, read_text(plan_path), allow_nan=True)
    if not isinstance(document, dict):
        raise InputError(f"{plan_path}: the file does not hold a JSON object (a plan document)")
    try:
        return Plan.model_validate(document)
    except ValidationError as error:
        raise InputError(describe_validation_error(str(plan_path), error)) from None
