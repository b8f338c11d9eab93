"""Progress back: where each planned object stands, from the run journals and the ledger,
and the inventory as it now stands, ready for the quarter's re-plan.

Sources, in the order they are trusted:
- the run journals (`migplan run`): the latest real (not --check) record of an object's
  action says done (ended ok), failed (ended failed, with the failing task's message and
  whether it rolled back) or in progress (started, never ended);
- the ledger (plan.xlsx, the 系统/专网/机房 sheets): its 负责人, 状态 and 实际完成季度 columns,
  filled in by the departments for work done outside Ansible. A ledger that says 已完成
  counts as done even when no journal saw it.
An object that neither source has seen is not started. An object not done by the end of
its planned quarter (at or before `as_of`) is slipped, unless it failed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from models.errors import InputError
from models.inventory import Inventory
from models.period import Period
from models.plan import Action, Plan
from models.progress import ObjectProgress, Progress, Status
from planner.scenario_file import LoadedScenario
from playbooks.generate import plan_identity
from playbooks.run import Journal

# What the ledger's 状态 column may say, in Chinese or English.
LEDGER_STATUSES: dict[str, Status] = {
    "未开始": "not started", "进行中": "in progress", "已完成": "done", "完成": "done",
    "失败": "failed", "失败已回退": "failed", "已回退": "failed", "已延误": "slipped", "延误": "slipped",
    "not started": "not started", "in progress": "in progress", "done": "done", "failed": "failed",
    "slipped": "slipped",
}
LEDGER_SHEETS = {"系统": "system", "专网": "network", "机房": "room"}
TRACKING_COLUMNS = ("负责人", "状态", "实际完成季度")
PROGRESS_COLUMNS = tuple(field.name for field in fields(ObjectProgress))
DATED = {("system", "migrate"), ("system", "retire"), ("network", "migrate"), ("network", "interconnect"),
         ("room", "close")}


@dataclass(frozen=True)
class Observed:
    """What one source says about one object."""

    status: Status
    quarter: str | None = None
    owner: str = ""
    why: str = ""


def journal_states(paths: Iterable[Path], warn: Callable[[str], None]) -> dict[tuple[str, str, str], Observed]:
    """(kind, id, action) -> its latest real run across the journals, whatever plan ran it."""
    latest: dict[tuple[str, str, str], tuple[str, dict[str, Any]]] = {}
    for path in _journal_files(paths):
        for record in Journal(path).records(warn):
            if record.get("check") or not {"kind", "id", "action", "what"} <= record.keys():
                continue
            key = (str(record["kind"]), str(record["id"]), str(record["action"]))
            when = str(record.get("when", ""))
            if key not in latest or when >= latest[key][0]:
                latest[key] = (when, record)
    states = {}
    for key, (_, record) in latest.items():
        if record["what"] == "start":
            states[key] = Observed("in progress", str(record.get("wave")))
        elif record.get("result") == "ok":
            states[key] = Observed("done", str(record.get("wave")))
        else:
            rolled = " (rolled back)" if record.get("rolled_back") else ""
            why = f"{record.get('task', '?')} on {record.get('host', '?')}: {record.get('message', 'failed')}{rolled}"
            states[key] = Observed("failed", str(record.get("wave")), why=why)
    return states


def _journal_files(paths: Iterable[Path]) -> list[Path]:
    files = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(path.glob("journal-*.jsonl")))
        elif path.is_file():
            files.append(path)
        else:
            raise InputError(f"{path}: no such journal file or folder")
    return files


def ledger_states(path: Path) -> dict[tuple[str, str], Observed]:
    """(kind, id) -> what the ledger's tracking columns say; rows left blank say nothing."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (OSError, ValueError, KeyError) as error:
        raise InputError(f"{path}: cannot read the ledger: {error}") from None
    states: dict[tuple[str, str], Observed] = {}
    try:
        for sheet_name, kind in LEDGER_SHEETS.items():
            if sheet_name not in workbook.sheetnames:
                continue
            rows = workbook[sheet_name].iter_rows(values_only=True)
            header = [str(cell).strip() if cell is not None else "" for cell in next(rows, ())]
            if "编号" not in header or "状态" not in header:
                raise InputError(f"{path} ({sheet_name}): no 编号 and 状态 columns; use the plan.xlsx migplan wrote")
            column = {name: header.index(name) for name in ("编号", *TRACKING_COLUMNS) if name in header}
            for number, row in enumerate(rows, start=2):
                cells = {name: row[index] if index < len(row) else None for name, index in column.items()}
                status_text = str(cells.get("状态") or "").strip()
                if cells["编号"] is None or not status_text:
                    continue
                status = LEDGER_STATUSES.get(status_text.lower()) or LEDGER_STATUSES.get(status_text)
                if status is None:
                    raise InputError(f"{path} ({sheet_name}, row {number}): 状态 {status_text!r} is not one of "
                                     "未开始, 进行中, 已完成, 失败已回退, 已延误")
                quarter = str(cells.get("实际完成季度") or "").strip() or None
                if quarter is not None:
                    try:
                        quarter = str(Period.parse(quarter))
                    except ValueError:
                        raise InputError(f"{path} ({sheet_name}, row {number}): 实际完成季度 {quarter!r} "
                                         "is not a quarter like 2024Q1") from None
                states[(kind, str(cells["编号"]))] = Observed(status, quarter, str(cells.get("负责人") or "").strip(),
                                                            why="the ledger says so" if status != "done" else "")
    finally:
        workbook.close()
    return states


def measure(plan: Plan, inventory: Inventory, as_of: Period,
            journal: dict[tuple[str, str, str], Observed] | None = None,
            ledger: dict[tuple[str, str], Observed] | None = None) -> Progress:
    """Each dated action of the plan, with its status at the end of `as_of`."""
    journal, ledger = journal or {}, ledger or {}
    rows = []
    for action in plan.actions:
        if action.period is None or (action.kind, action.action) not in DATED:
            continue
        name, department = _describe(inventory, action)
        ran = journal.get((action.kind, action.id, action.action))
        noted = ledger.get((action.kind, action.id))
        status: Status = "not started"
        actual, why, source = None, "", "none"
        if noted is not None and noted.status == "done":
            status, actual, source = "done", noted.quarter or (ran.quarter if ran else None) or str(action.period), "ledger"
        elif ran is not None:
            status, source, why = ran.status, "journal", ran.why
            actual = ran.quarter if ran.status == "done" else None
        elif noted is not None:
            status, source, why = noted.status, "ledger", noted.why
        if status != "done" and status != "failed" and action.period <= as_of:
            why = why or ("never started" if status == "not started" else "started, not finished")
            status = "slipped"
        rows.append(ObjectProgress(action.kind, action.id, name, department, action.action, str(action.period),
                                   status, actual, noted.owner if noted else "", source, why))
    return Progress(as_of, plan_identity(plan), tuple(rows))


def _describe(inventory: Inventory, action: Action) -> tuple[str, str]:
    records: dict[str, Any] = {"system": inventory.system_by_id, "network": inventory.network_by_id,
                               "room": inventory.room_by_id}[action.kind]
    record = records.get(action.id)
    if record is None:
        return action.id, ""
    department = inventory.department_by_id.get(record.department)
    return record.name, department.name if department is not None else record.department


def inventory_as_it_stands(inventory: Inventory, plan: Plan, progress: Progress) -> Inventory:
    """The inventory with every done object in its new state: systems on their pool (or
    retired), networks migrated or interconnected, rooms closed."""
    done = {(row.kind, row.id) for row in progress.objects if row.status == "done"}
    actions = {(action.kind, action.id): action for action in plan.actions}
    document = inventory.to_document()
    for system in document["systems"]:
        action = actions.get(("system", system["id"]))
        if ("system", system["id"]) in done and action is not None:
            if action.action == "migrate":
                system.update(state="cloud", current_cloud=action.target, room=None)
            else:
                system.update(state="retired", room=None)
    for network in document["networks"]:
        action = actions.get(("network", network["id"]))
        if ("network", network["id"]) in done and action is not None:
            network["state"] = "migrated" if action.action == "migrate" else "interconnected"
    for room in document["rooms"]:
        if ("room", room["id"]) in done:
            room["state"] = "closed"
    return Inventory.model_validate(document)


def plan_as_run(plan: Plan, progress: Progress) -> Plan:
    """The plan as it ran up to `progress.as_of`: what was done keeps its quarter, what was
    not done by then has no quarter (it stays, with the reason), so a re-plan with
    `--previous` and `--frozen-until` keeps what happened and moves what did not."""
    late = {(row.kind, row.id): row for row in progress.objects if row.late}
    actions = []
    for action in plan.actions:
        row = late.get((action.kind, action.id))
        if row is None or action.period is None or action.period > progress.as_of:
            actions.append(action)
            continue
        kept = "keep" if action.kind == "room" else "stay"
        actions.append(Action(kind=action.kind, id=action.id, action=kept,
                              reason=f"{row.status} in {row.planned}: {row.why}"))
    return plan.model_copy(update={"actions": tuple(actions)})


def write_progress(progress: Progress, plan: Plan, loaded: LoadedScenario, out_dir: Path) -> list[Path]:
    """Everything the quarter's re-plan needs, in `out_dir`:
    progress.json and progress.csv; inventory.yaml, the inventory as it now stands (the
    scenario's overrides applied); scenario.yaml, the scenario reading it (overrides
    dropped, since they are in it); plan-as-run.json, for `--previous`."""
    from inventory.files import write_inventory
    from inventory.outputs import csv_text
    from inventory.yamlio import parse_document, write_document
    from planner.atomic import write_atomically

    out_dir.mkdir(parents=True, exist_ok=True)
    written = [out_dir / name for name in ("progress.json", "progress.csv", "inventory.yaml", "scenario.yaml",
                                           "plan-as-run.json")]
    write_atomically(written[0], json.dumps(progress.to_json(), ensure_ascii=False, indent=2) + "\n")
    write_atomically(written[1], csv_text(PROGRESS_COLUMNS, [[getattr(row, column) for column in PROGRESS_COLUMNS]
                                                            for row in progress.objects]))
    write_inventory(inventory_as_it_stands(loaded.inventory, plan, progress), written[2])
    document, _ = parse_document(loaded.path)
    scenario = {key: value for key, value in dict(document).items() if key not in ("inventory", "netbox", "overrides")}
    scenario["inventory"] = written[2].name
    write_document(scenario, written[3])
    write_atomically(written[4], plan_as_run(plan, progress).dumps())
    return written
