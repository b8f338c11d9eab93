"""The draft ledger adopt writes: what NetBox holds for migplan, with what it cannot give marked.

A ledger workbook (the layout of inventory/spreadsheet.py, Chinese headers) of every object
migplan manages. A planning field NetBox has no value for (costs, efforts, 等保 level, pool
capacity ...) holds MISSING on a yellow cell: importing the workbook before each is filled fails
on that cell, with its sheet and row, so nothing unplanned slips through as a zero.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from inventory.spreadsheet import TABLES, add_table_sheet, column_widths, guarded_cell, join_list
from models.errors import SourceError
from models.inventory import LIST_NAMES, RECORD_TYPES

MISSING = "待填"
"""What a cell to fill holds (待填: to be filled)."""
MISSING_FILL = "FFFF00"


def missing_fields(list_name: str, row: dict[str, Any]) -> list[str]:
    """The fields of `row` an inventory needs and the row lacks."""
    model_fields = RECORD_TYPES[list_name].model_fields
    missing = [name for name, info in model_fields.items() if info.is_required() and row.get(name) is None]
    # A system still running in a room must say which (inventory.validate's state rule).
    if list_name == "systems" and row.get("state", "legacy") == "legacy" and row.get("room") is None \
            and not row.get("classified"):
        missing.insert(missing.index("mlps_level") if "mlps_level" in missing else len(missing), "room")
    return missing


def count_missing(document: dict[str, Any]) -> int:
    """How many cells of the draft are to be filled."""
    cells = sum(len(missing_fields(list_name, row)) for list_name in LIST_NAMES for row in document.get(list_name, []))
    cells += sum(4 for cloud in document.get("clouds", []) if not cloud.get("capacity"))
    cells += 0 if (document.get("extranet") or {}).get("bandwidth_mbps") else 2
    return cells


def _cell(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (list, tuple)):
        return join_list(value) if value else None
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    return value


def _tables(document: dict[str, Any]) -> dict[str, list[list[Any]]]:
    """Every table's rows; MISSING where a required value is absent."""
    tables: dict[str, list[list[Any]]] = {"meta": [["format", document["format"]], ["region", document.get("region") or None]]}
    for list_name in LIST_NAMES:
        rows = []
        for row in document.get(list_name, []):
            missing = set(missing_fields(list_name, row))
            rows.append([MISSING if column.field in missing else _cell(row.get(column.field))
                         for column in TABLES[list_name].columns])
        tables[list_name] = rows
    capacity: list[list[Any]] = []
    for cloud in document.get("clouds", []):
        periods = cloud.get("capacity") or {}
        if not periods:
            capacity.append([cloud["id"], MISSING, MISSING, MISSING, MISSING])
        for period, amount in periods.items():
            capacity.append([cloud["id"], period, _cell(amount.get("vcpu")), _cell(amount.get("memory_gb")),
                             _cell(amount.get("storage_tb"))])
    tables["capacity"] = capacity
    bandwidth = (document.get("extranet") or {}).get("bandwidth_mbps") or {}
    tables["extranet"] = [[period, _cell(mbps)] for period, mbps in bandwidth.items()] or [[MISSING, MISSING]]
    return tables


def write_draft_ledger(document: dict[str, Any], path: Path) -> None:
    """Write the draft ledger workbook (see the module docstring) atomically."""
    import openpyxl
    from openpyxl.styles import PatternFill

    if path.suffix.lower() != ".xlsx":
        raise SourceError(f"{path}: the draft ledger is a workbook; name it .xlsx")
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    tables = _tables(document)
    for name, rows in tables.items():
        for row in rows:
            for value in row:
                if isinstance(value, str) and ILLEGAL_CHARACTERS_RE.search(value):
                    raise SourceError(f"{path}: cannot write {value!r} (sheet {name}): it holds control characters "
                                      "that .xlsx cannot store; rename the object in NetBox")
    fill = PatternFill(start_color=MISSING_FILL, end_color=MISSING_FILL, fill_type="solid")
    workbook = openpyxl.Workbook(write_only=True)
    for name, rows in tables.items():
        headers = [column.header for column in TABLES[name].columns]
        sheet = add_table_sheet(workbook, name, headers, column_widths(headers, rows, sample_rows=200, max_width=50),
                                filtered_rows=len(rows))
        for row in rows:
            cells = [guarded_cell(sheet, value) for value in row]
            for cell, value in zip(cells, row):
                if value == MISSING:
                    cell.fill = fill
            sheet.append(cells)
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        workbook.save(temporary)
        temporary.replace(path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise SourceError(f"{path}: cannot write ({error.strerror or error})") from None
