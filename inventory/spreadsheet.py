"""Department ledgers (台账): an inventory as an Excel workbook or a folder of CSV files.

Layout, one sheet (or CSV file) per table, a header row, one record per row:

- ``departments``, ``rooms``, ``networks``, ``systems``, ``clouds``: one row per record,
  one column per field of FORMATS.md (list cells hold ids separated by ``;``, ``；``,
  ``,``, ``，`` or ``、``);
- ``capacity``: the nested ``clouds[].capacity`` map, one row per pool and period
  (pool, period, vcpu, memory_gb, storage_tb);
- ``extranet``: ``extranet.bandwidth_mbps``, one row per period (period, bandwidth_mbps);
- ``meta``: key/value rows for ``format`` and ``region``.

Sheet names and headers may be English (the field names) or Chinese; every alias
lives in ``TABLES`` below. Cells are converted leniently (``"32"`` is 32, 是/否 are
booleans, 信创 is ``xinchuang``) and anything that does not convert is passed
through unchanged, so that validation reports it with its sheet and row.

Written files never hold formulas: a text cell starting with ``=`` (or ``+``,
``-``, ``@``) is stored as a quote-prefixed string in a workbook and behind a
leading ``'`` in a CSV file, which the reader removes again.
"""

from __future__ import annotations

import csv
import math
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from inventory.outputs import FORMULA_STARTS, csv_cell, output_folder, save_file, unescape_csv_cell
from inventory.source import RawInventory
from models.errors import InputError, Problem, SourceError, no_such_path
from models.inventory import INVENTORY_FORMAT, LIST_NAMES, Inventory, Record

Kind = Literal["text", "number", "level", "bool", "list", "enum", "period"]


@dataclass(frozen=True)
class Column:
    """One column of a ledger table: the field it fills, its Chinese header and other accepted headers."""

    field: str
    header: str
    kind: Kind = "text"
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    """One sheet of a ledger: its canonical name, its Chinese sheet aliases and its columns."""

    name: str
    aliases: tuple[str, ...]
    columns: tuple[Column, ...]


_DEPARTMENT = Column("department", "所属单位", aliases=("所属部门", "单位", "部门", "责任单位"))
_STATE = Column("state", "状态", "enum", ("当前状态",))
_CLASSIFIED = Column("classified", "是否涉密", "bool", ("涉密",))
_ANNUAL_COST = Column("annual_cost_wan", "年运行费用(万元)", "number", ("年运维费用(万元)", "年费用(万元)"))

# The one place where ledger headers and sheet names are spelled.
TABLES: dict[str, Table] = {
    table.name: table
    for table in (
        Table("meta", ("基本信息", "说明信息"), (
            Column("key", "项目", aliases=("键", "字段")),
            Column("value", "值", aliases=("内容", "取值")),
        )),
        Table("departments", ("单位", "部门", "单位清单", "部门清单"), (
            Column("id", "单位编号", aliases=("部门编号", "编号")),
            Column("name", "单位名称", aliases=("部门名称", "名称")),
            Column("level", "单位层级", "enum", ("层级", "级别")),
            Column("region", "所属区域", aliases=("区域", "地区")),
        )),
        Table("rooms", ("机房", "机房清单"), (
            Column("id", "机房编号", aliases=("编号",)),
            Column("name", "机房名称", aliases=("名称",)),
            _DEPARTMENT,
            Column("racks", "机柜数", "number", ("机柜数量",)),
            _ANNUAL_COST,
            Column("close_cost_wan", "关停费用(万元)", "number", ("撤并费用(万元)",)),
            _CLASSIFIED,
            _STATE,
        )),
        Table("networks", ("专网", "网络", "专网清单"), (
            Column("id", "专网编号", aliases=("网络编号", "编号")),
            Column("name", "专网名称", aliases=("网络名称", "名称")),
            _DEPARTMENT,
            _CLASSIFIED,
            Column("must_keep", "确需保留", "bool", ("是否确需保留", "是否保留")),
            Column("keep_reason", "保留理由", aliases=("保留原因",)),
            Column("endpoints", "接入点数", "number", ("接入点数量", "终端数")),
            Column("bandwidth_mbps", "带宽(Mbps)", "number", ("带宽",)),
            _ANNUAL_COST,
            Column("migration_effort_days", "迁移工作量(人天)", "number", ("迁移工作量",)),
            Column("migration_cost_wan", "迁移费用(万元)", "number", ("迁移费用",)),
            Column("interconnect_effort_days", "互联工作量(人天)", "number", ("互联工作量",)),
            Column("interconnect_cost_wan", "互联费用(万元)", "number", ("互联费用",)),
            _STATE,
        )),
        Table("systems", ("系统", "信息系统", "系统清单"), (
            Column("id", "系统编号", aliases=("编号",)),
            Column("name", "系统名称", aliases=("名称",)),
            _DEPARTMENT,
            Column("room", "所在机房", aliases=("机房", "部署机房")),
            Column("networks", "使用专网", "list", ("所用专网", "专网")),
            _CLASSIFIED,
            Column("must_stay", "确需保留", "bool", ("暂不上云", "是否确需保留")),
            Column("stay_reason", "保留理由", aliases=("不上云理由", "保留原因")),
            Column("retire", "拟撤并", "bool", ("是否撤并", "撤并")),
            Column("mlps_level", "等保级别", "level", ("等级保护级别", "等保等级")),
            Column("arch", "技术架构", "enum", ("架构",)),
            Column("xinchuang_adapt_days", "信创适配工作量(人天)", "number", ("信创适配工作量", "信创适配(人天)")),
            Column("vcpu", "vCPU", "number", ("CPU核数", "虚拟CPU", "vCPU(核)")),
            Column("memory_gb", "内存(GB)", "number", ("内存",)),
            Column("storage_tb", "存储(TB)", "number", ("存储",)),
            Column("data_tb", "数据量(TB)", "number", ("数据量", "迁移数据量(TB)")),
            Column("effort_days", "迁移工作量(人天)", "number", ("迁移工作量",)),
            Column("migration_cost_wan", "迁移费用(万元)", "number", ("迁移费用",)),
            Column("criticality", "重要程度", "enum", ("重要性",)),
            Column("dr", "容灾方式", "enum", ("灾备方式", "容灾")),
            Column("requires", "依赖系统", "list", ("前置系统",)),
            Column("co_migrate", "同步迁移", "list", ("同步迁移系统",)),
            Column("cloud", "指定云", aliases=("目标云", "指定资源池")),
            _STATE,
            Column("current_cloud", "当前资源池", aliases=("所在资源池", "所在云")),
            Column("hosts", "主机", "list", ("服务器", "主机清单")),
        )),
        Table("clouds", ("资源池", "云资源池", "云平台"), (
            Column("id", "资源池编号", aliases=("编号",)),
            Column("name", "资源池名称", aliases=("名称",)),
            Column("kind", "云类型", "enum", ("类型",)),
            Column("arch", "技术架构", "enum", ("架构",)),
            Column("mlps_max", "最高等保级别", "level", ("等保级别",)),
            Column("industry", "行业部门", aliases=("行业云所属单位",)),
            Column("region", "服务区域", aliases=("区域",)),
            Column("zone", "可用区", aliases=("机房区域",)),
            Column("vcpu_annual_cost_wan", "每vCPU年费用(万元)", "number", ("vCPU年费用(万元)",)),
        )),
        Table("capacity", ("容量", "资源池容量", "资源池扩容"), (
            Column("pool", "资源池编号", aliases=("资源池", "clouds", "cloud")),
            Column("period", "起始季度", "period", ("季度", "期间")),
            Column("vcpu", "vCPU", "number", ("CPU核数", "虚拟CPU")),
            Column("memory_gb", "内存(GB)", "number", ("内存",)),
            Column("storage_tb", "存储(TB)", "number", ("存储",)),
        )),
        Table("extranet", ("政务外网", "外网", "外网带宽"), (
            Column("period", "起始季度", "period", ("季度", "期间")),
            Column("bandwidth_mbps", "带宽(Mbps)", "number", ("带宽", "新增带宽(Mbps)")),
        )),
    )
}

# Chinese spellings of enum values, by field; canonical (English) values pass through.
ENUM_ALIASES: dict[str, dict[str, str]] = {
    "level": {"市直": "city", "市级": "city", "区县": "county", "县区": "county", "县市区": "county", "园区": "park"},
    "arch": {"信创": "xinchuang", "国产": "xinchuang", "国产化": "xinchuang", "通用": "any", "不限": "any", "均可": "any"},
    "kind": {"市级": "city", "市政务云": "city", "省级": "province", "省政务云": "province",
             "行业": "industry", "行业云": "industry", "超算": "hpc", "超算中心": "hpc"},
    "criticality": {"低": "low", "一般": "low", "中": "medium", "较高": "medium", "高": "high", "重要": "high"},
    "dr": {"无": "none", "同城双活": "active-active", "双活": "active-active", "异地灾备": "backup", "灾备": "backup", "备份": "backup"},
    "state": {"在用": "open", "运行": "open", "已关停": "closed", "关停": "closed",
              "专网运行": "private", "已迁移": "migrated", "已互联": "interconnected",
              "未上云": "legacy", "本地": "legacy", "已上云": "cloud", "已撤并": "retired"},
}
# The Chinese spelling written for each enum value (export, the template's drop-downs); import reads
# each back through ENUM_ALIASES, so an exported ledger imports unchanged.
CHINESE_VALUES: dict[str, dict[str, str]] = {
    "level": {"city": "市直", "county": "区县", "park": "园区"},
    "arch": {"x86": "x86", "xinchuang": "信创", "any": "不限"},
    "kind": {"city": "市级", "province": "省级", "industry": "行业云", "hpc": "超算"},
    "criticality": {"low": "低", "medium": "中", "high": "高"},
    "dr": {"none": "无", "active-active": "同城双活", "backup": "异地灾备"},
    "state": {"open": "在用", "closed": "已关停", "private": "专网运行", "migrated": "已迁移",
              "interconnected": "已互联", "legacy": "未上云", "cloud": "已上云", "retired": "已撤并"},
}
TRUE_WORDS = {"是", "true", "yes", "y", "1", "√", "✓", "t"}
FALSE_WORDS = {"否", "false", "no", "n", "0", "×", "✗", "f"}
CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5}
LIST_SEPARATORS = ";；,，、"
HEADER_SCAN_ROWS = 10
"""A ledger may carry a title row or two above its header; the header is looked for in the first rows."""

_ABSENT = object()


def _normalize_header(text: str) -> str:
    """Headers compare without case, spaces, required-field stars or full-width brackets."""
    text = text.strip().lower().replace("（", "(").replace("）", ")").replace("*", "")
    return re.sub(r"\s+", "", text)


def _header_lookup(table: Table) -> dict[str, Column]:
    lookup: dict[str, Column] = {}
    for column in table.columns:
        for spelling in (column.field, column.header, *column.aliases):
            lookup.setdefault(_normalize_header(spelling), column)
    return lookup


HEADERS: dict[str, dict[str, Column]] = {name: _header_lookup(table) for name, table in TABLES.items()}
SHEET_NAMES: dict[str, str] = {
    _normalize_header(spelling): table.name for table in TABLES.values() for spelling in (table.name, *table.aliases)
}


# ---------------------------------------------------------------- reading


@dataclass
class Sheet:
    """The rows of one sheet or CSV file, each with its 1-based row number in the file."""

    table: str
    part: str
    """How the problem lines name it: ``sheet 系统`` or ``systems.csv``."""
    rows: list[tuple[int, tuple[Any, ...]]]


@dataclass
class _Reader:
    """Builds the FORMATS.md document from ledger sheets, remembering the row of every record."""

    source: str
    unescape_text: bool
    problems: list[Problem] = field(default_factory=list)
    rows_of: dict[str, list[int]] = field(default_factory=dict)
    part_of: dict[str, str] = field(default_factory=dict)
    capacity_row: dict[tuple[int, str], int] = field(default_factory=dict)
    columns_at: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)
    """Part -> field name (and header as written) -> (column letter, header as written)."""

    def where(self, part: str, row: int, field_name: str) -> str:
        """``系统!J7 等保级别`` (sheet, cell, header) when the field has a column there, else ``sheet 系统, row 7``."""
        column = self.columns_at.get(part, {}).get(field_name)
        if column is None:
            return f"{part}, row {row}"
        letter, header = column
        sheet = part.removeprefix("sheet ")
        return f"{sheet}!{letter}{row} {header}"

    def problem(self, part: str, row: int, object_id: str, field_name: str, message: str,
                severity: Literal["error", "warning"] = "error") -> None:
        self.problems.append(Problem(self.source, self.where(part, row, field_name), object_id, field_name, message,
                                     severity))

    def records(self, sheet: Sheet) -> list[tuple[int, dict[str, Any]]]:
        """The non-empty rows of a sheet as field -> value mappings."""
        header_index = _find_header(sheet)
        if header_index is None:
            if sheet.rows:
                row = sheet.rows[0][0]
                self.problem(sheet.part, row, "", "", "no header row found (expected headers such as "
                             + ", ".join(column.header for column in TABLES[sheet.table].columns[:3]) + ")")
            return []
        header_row, headers = sheet.rows[header_index]
        lookup = HEADERS[sheet.table]
        columns: list[Column | None] = []
        seen: set[str] = set()
        located = self.columns_at.setdefault(sheet.part, {})
        for position, header in enumerate(headers):
            text = "" if header is None else _cell_text(header)
            if text.strip():
                located.setdefault(text, (column_letter(position), text.strip()))
            column = lookup.get(_normalize_header(text)) if text.strip() else None
            if text.strip() and column is None:
                self.problem(sheet.part, header_row, "", text,
                             "unknown column; expected one of " + ", ".join(
                                 f"{c.header} ({c.field})" for c in TABLES[sheet.table].columns))
            elif column is not None and column.field in seen:
                self.problem(sheet.part, header_row, "", text, f"second column for {column.field}; keep one")
                column = None
            if column is not None:
                seen.add(column.field)
                located[column.field] = (column_letter(position), text.strip())
            columns.append(column)
        result: list[tuple[int, dict[str, Any]]] = []
        for row_number, cells in sheet.rows[header_index + 1:]:
            if all(_is_empty(cell) for cell in cells):
                continue
            record: dict[str, Any] = {}
            for column, cell in zip(columns, cells):
                if column is None:
                    continue
                if isinstance(cell, Formula):
                    cell = self.formula_value(sheet.part, row_number, column, cell)
                value = self.convert(column, cell)
                if value is not _ABSENT:
                    record[column.field] = value
            result.append((row_number, record))
        return result

    def formula_value(self, part: str, row: int, column: Column, cell: Formula) -> Any:
        """A formula cell counts by the value Excel last computed for it, with a warning; never computed, it is an error."""
        if cell.cached is None:
            self.problem(part, row, "", column.field,
                         "holds a formula that was never computed; type the value, or open and save the workbook in Excel")
        else:
            self.problem(part, row, "", column.field,
                         f"holds a formula; its value {cell.cached!r} (last computed by Excel) is used", "warning")
        return cell.cached

    def convert(self, column: Column, cell: Any) -> Any:
        if _is_empty(cell):
            return _ABSENT
        if isinstance(cell, str) and self.unescape_text:
            cell = unescape_csv_cell(cell)
        converter: Callable[[Any], Any] = {
            "text": _to_text,
            "number": _to_number,
            "level": _to_level,
            "bool": _to_bool,
            "list": _to_list,
            "period": _to_period,
            "enum": lambda value: _to_enum(column.field, value),
        }[column.kind]
        return converter(cell)

    def build(self, sheets: dict[str, Sheet]) -> dict[str, Any]:
        document: dict[str, Any] = {"format": INVENTORY_FORMAT}
        if "meta" in sheets:
            for row, record in self.records(sheets["meta"]):
                key, value = record.get("key"), record.get("value")
                if key in ("format", "格式"):
                    document["format"] = value
                elif key in ("region", "区域", "地区"):
                    document["region"] = "" if value is None else value
                else:
                    self.problem(sheets["meta"].part, row, "", str(key), "unknown key; expected format or region")
        for list_name in LIST_NAMES:
            if list_name not in sheets:
                continue
            rows = self.records(sheets[list_name])
            document[list_name] = [record for _, record in rows]
            self.rows_of[list_name] = [row for row, _ in rows]
            self.part_of[list_name] = sheets[list_name].part
        if "capacity" in sheets:
            self.part_of["capacity"] = sheets["capacity"].part
            self._attach_capacity(sheets["capacity"], document.get("clouds", []))
        if "extranet" in sheets:
            document["extranet"] = {"bandwidth_mbps": self._extranet(sheets["extranet"])}
        return document

    def _attach_capacity(self, sheet: Sheet, clouds: list[dict[str, Any]]) -> None:
        index_of: dict[Any, int] = {}
        for index, cloud in enumerate(clouds):
            index_of.setdefault(cloud.get("id"), index)
        for row, record in self.records(sheet):
            pool = record.pop("pool", None)
            period = record.pop("period", None)
            if pool not in index_of:
                self.problem(sheet.part, row, str(pool or ""), "pool",
                             f"capacity for unknown pool {pool!r} (not on the clouds sheet)")
                continue
            if period is None:
                self.problem(sheet.part, row, str(pool), "period", "missing period (a quarter like 2024Q1)")
                continue
            capacity = clouds[index_of[pool]].setdefault("capacity", {})
            key = str(period)
            if key in capacity:
                self.problem(sheet.part, row, str(pool), "period",
                             f"second capacity row for {key} (first at row {self.capacity_row[(index_of[pool], key)]}); merge them")
                continue
            capacity[key] = record
            self.capacity_row[(index_of[pool], key)] = row

    def _extranet(self, sheet: Sheet) -> dict[str, Any]:
        bandwidth: dict[str, Any] = {}
        for row, record in self.records(sheet):
            period = record.get("period")
            if period is None:
                self.problem(sheet.part, row, "", "period", "missing period (a quarter like 2024Q1)")
            elif str(period) in bandwidth:
                self.problem(sheet.part, row, "", "period", f"second bandwidth row for {period}; merge them")
            else:
                bandwidth[str(period)] = record.get("bandwidth_mbps")
        return bandwidth

    def locate(self, list_name: str, index: int, field_name: str) -> str:
        if list_name == "clouds" and field_name.startswith("capacity."):
            parts = field_name.split(".")
            row = self.capacity_row.get((index, parts[1]))
            if row is not None:
                return self.where(self.part_of["capacity"], row, parts[2] if len(parts) > 2 else "period")
        rows = self.rows_of.get(list_name, [])
        if 0 <= index < len(rows):
            return self.where(self.part_of[list_name], rows[index], field_name.split(".")[0])
        return f"{list_name}[{index}]"


@dataclass(frozen=True)
class Formula:
    """A workbook cell holding a formula, with the value Excel last computed for it (None: never computed)."""

    text: str
    cached: Any


def column_letter(position: int) -> str:
    """The spreadsheet letter of a 0-based column position (0 -> A, 26 -> AA)."""
    from openpyxl.utils import get_column_letter

    return get_column_letter(position + 1)


def _cell_text(cell: Any) -> str:
    return cell.text if isinstance(cell, Formula) else str(cell)


def _find_header(sheet: Sheet) -> int | None:
    lookup = HEADERS[sheet.table]
    for position, (_, cells) in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
        known = sum(1 for cell in cells if isinstance(cell, str) and _normalize_header(cell) in lookup)
        if known >= min(2, len(TABLES[sheet.table].columns)):
            return position
    return None


def _is_empty(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _to_text(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return value
    return str(value)  # dates and the like: their text, for validation to judge


def _to_number(value: Any) -> Any:
    if isinstance(value, bool):
        return value  # a tick box in a number column: let validation say so
    if isinstance(value, (int, float)):
        return value
    text = str(value).strip().replace(",", "").replace("，", "")
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)  # "nan" and "inf" convert and are then refused by validation as non-finite
    except ValueError:
        return value


def _to_level(value: Any) -> Any:
    """等保级别 as written in ledgers: 3, "3", "3级", "三级", "第三级", "等保三级"."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = str(value).strip()
    match = re.fullmatch(r"(?:等保)?第?([1-5一二三四五])级?", text)
    if not match:
        return _to_number(value)
    digit = match.group(1)
    return CHINESE_DIGITS.get(digit) or int(digit)


def _to_bool(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    return value


def _to_enum(field_name: str, value: Any) -> Any:
    text = str(value).strip()
    return ENUM_ALIASES.get(field_name, {}).get(text, text)


def _to_period(value: Any) -> Any:
    return str(value).strip().upper().replace("Ｑ", "Q")


def _to_list(value: Any) -> list[str]:
    if not isinstance(value, str):
        return [_to_text(value)]
    return split_list(value)


def split_list(text: str) -> list[str]:
    """Split a list cell on any separator; an item in double quotes may hold separators ("" is a quote)."""
    items: list[str] = []
    position = 0
    length = len(text)
    while position < length:
        while position < length and text[position].isspace():
            position += 1
        if position >= length:
            break
        if text[position] == '"':
            position += 1
            item = []
            while position < length:
                if text[position] == '"':
                    if position + 1 < length and text[position + 1] == '"':
                        item.append('"')
                        position += 2
                        continue
                    position += 1
                    break
                item.append(text[position])
                position += 1
            items.append("".join(item))
            while position < length and text[position] not in LIST_SEPARATORS:
                position += 1
        else:
            end = position
            while end < length and text[end] not in LIST_SEPARATORS:
                end += 1
            item_text = text[position:end].strip()
            if item_text:
                items.append(item_text)
            position = end
        position += 1  # past the separator
    return items


def join_list(items: Iterable[str]) -> str:
    """The inverse of ``split_list``: ``a; b``, quoting any item that would not survive splitting."""
    parts = []
    for item in items:
        needs_quotes = (
            not item or item != item.strip() or item.startswith('"') or any(sep in item for sep in LIST_SEPARATORS)
        )
        parts.append('"' + item.replace('"', '""') + '"' if needs_quotes else item)
    return "; ".join(parts)


def _read_sheets(named: Iterable[tuple[str, str, list[tuple[int, tuple[Any, ...]]]]], reader: _Reader) -> dict[str, Sheet]:
    """Pick the known tables among (name, part, rows); unknown ones are a warning, duplicates an error."""
    sheets: dict[str, Sheet] = {}
    for name, part, rows in named:
        table = SHEET_NAMES.get(_normalize_header(name))
        if table is None:
            reader.problems.append(Problem(reader.source, part, "", "",
                                           "ignored: not a ledger table (" + ", ".join(TABLES) + ")", "warning"))
        elif table in sheets:
            reader.problems.append(Problem(reader.source, part, "", "",
                                           f"second {table} table (first is {sheets[table].part}); merge them"))
        else:
            sheets[table] = Sheet(table, part, rows)
    return sheets


def _raw(reader: _Reader, sheets: dict[str, Sheet]) -> RawInventory:
    document = reader.build(sheets)
    return RawInventory(
        source=reader.source,
        document=document,
        locate=reader.locate,
        source_for_list=lambda list_name: reader.source,
        problems=reader.problems,
    )


def read_workbook(path: Path) -> RawInventory:
    """Read a ledger workbook (.xlsx) into a raw inventory whose problems point at sheet, row and column.

    A formula cell becomes a ``Formula`` holding the value Excel last computed for it (read from the
    workbook a second time, only when it has formulas), which the reader uses with a warning.
    """
    reader = _Reader(source=str(path), unescape_text=False)
    workbook = _open_workbook(path, data_only=False)
    named: list[tuple[str, str, list[tuple[int, tuple[Any, ...]]]]] = []
    formulas: dict[str, list[tuple[int, int, str]]] = {}
    try:
        for sheet in workbook.worksheets:
            rows = []
            for number, cells in enumerate(sheet.iter_rows(), start=1):
                for position, cell in enumerate(cells):
                    if cell.data_type == "f":
                        formulas.setdefault(sheet.title, []).append((number, position, str(cell.value)))
                rows.append((number, tuple(cell.value for cell in cells)))
            named.append((sheet.title, f"sheet {sheet.title}", rows))
    finally:
        workbook.close()
    if formulas:
        named = _with_cached_values(path, named, formulas)
    return _raw(reader, _read_sheets(named, reader))


def _open_workbook(path: Path, data_only: bool) -> Any:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    check_unpacked_sizes(path)
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=data_only)
    except FileNotFoundError:
        raise no_such_path(path) from None
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise InputError(f"{path}: not a readable .xlsx workbook ({error})") from None


def _with_cached_values(path: Path, named: list[tuple[str, str, list[tuple[int, tuple[Any, ...]]]]],
                        formulas: dict[str, list[tuple[int, int, str]]]) -> list[tuple[str, str, list[tuple[int, tuple[Any, ...]]]]]:
    """Replace each formula cell by a ``Formula`` with the value Excel stored beside it."""
    workbook = _open_workbook(path, data_only=True)
    try:
        cached = {title: list(workbook[title].iter_rows(values_only=True)) for title in formulas}
    finally:
        workbook.close()
    result = []
    for title, part, rows in named:
        if title in formulas:
            cells = {number: list(values) for number, values in rows}
            for number, position, text in formulas[title]:
                stored = cached[title][number - 1] if number - 1 < len(cached[title]) else ()
                cells[number][position] = Formula(text, stored[position] if position < len(stored) else None)
            rows = [(number, tuple(cells[number])) for number, _ in rows]
        result.append((title, part, rows))
    return result


MAX_PART_BYTES = 200 * 1024 * 1024
"""Largest part of a workbook accepted unpacked: a 10,000-system ledger's sheet is some 15 MB."""
MAX_WORKBOOK_BYTES = 400 * 1024 * 1024
"""Largest workbook accepted unpacked, all parts together."""
MAX_PACKING_RATIO = 100
"""Spreadsheet XML packs 5 to 20 times; a part packed 100 times or more (past 1 MB) is a decompression bomb."""


def check_unpacked_sizes(path: Path) -> None:
    """Refuse a workbook whose parts would unpack past the limits, before any XML is parsed.

    The sizes come from the zip directory; zipfile, which openpyxl reads through,
    stops at the size declared there and fails the CRC if the data says otherwise.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise InputError(f"{path}: not a readable .xlsx workbook ({error})") from None
    total = 0
    for part in parts:
        total += part.file_size
        kind = "sheet" if part.filename.startswith("xl/worksheets/") else "part"
        if part.file_size > MAX_PART_BYTES:
            raise InputError(f"{path}: {kind} {part.filename} unpacks to {_megabytes(part.file_size)}, "
                             f"limit {_megabytes(MAX_PART_BYTES)}")
        if part.file_size > 1024 * 1024 and part.file_size > MAX_PACKING_RATIO * max(part.compress_size, 1):
            raise InputError(f"{path}: {kind} {part.filename} unpacks to {_megabytes(part.file_size)} from "
                             f"{part.compress_size / 1024:,.0f} KB, {part.file_size // max(part.compress_size, 1):,} "
                             f"times; limit {MAX_PACKING_RATIO} times (a decompression bomb)")
    if total > MAX_WORKBOOK_BYTES:
        raise InputError(f"{path}: the workbook unpacks to {_megabytes(total)}, limit {_megabytes(MAX_WORKBOOK_BYTES)}")


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):,.0f} MB" if size >= 1024 * 1024 else f"{size / 1024:,.0f} KB"


def read_csv_folder(path: Path) -> RawInventory:
    """Read a folder of ledger CSV files (``systems.csv`` or ``系统.csv`` ...), UTF-8 (with or without BOM) or GB18030."""
    if not path.is_dir():
        raise no_such_path(path, "folder")
    reader = _Reader(source=str(path), unescape_text=True)
    named = []
    for csv_path in sorted(path.glob("*.csv")):
        named.append((csv_path.stem, csv_path.name, _read_csv_rows(csv_path)))
    if not named:
        raise InputError(f"{path}: no .csv files (expected " + ", ".join(f"{name}.csv" for name in TABLES) + ")")
    return _raw(reader, _read_sheets(named, reader))


def _read_csv_rows(path: Path) -> list[tuple[int, tuple[Any, ...]]]:
    data = path.read_bytes()
    # Excel on a Chinese Windows saves "CSV" as GB18030 unless told UTF-8.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputError(f"{path}: neither UTF-8 nor GB18030 text")
    rows: list[tuple[int, tuple[Any, ...]]] = []
    parsed = csv.reader(text.splitlines(keepends=True))
    try:
        for cells in parsed:
            # line_num counts physical lines, so a quoted cell spanning lines keeps later rows right
            rows.append((parsed.line_num, tuple(cells)))
    except csv.Error as error:
        raise InputError(f"{path}:{parsed.line_num}: invalid CSV ({error})") from None
    return _renumber_csv_rows(rows)


def _renumber_csv_rows(rows: list[tuple[int, tuple[Any, ...]]]) -> list[tuple[int, tuple[Any, ...]]]:
    """Report a record at the line it starts on, which is what an editor and Excel show."""
    renumbered = []
    previous_end = 0
    for end_line, cells in rows:
        renumbered.append((previous_end + 1, cells))
        previous_end = end_line
    return renumbered


# ---------------------------------------------------------------- writing


def _table_rows(inventory: Inventory) -> dict[str, list[list[Any]]]:
    """Every table of the ledger as rows of plain values (None for an empty cell)."""
    rows: dict[str, list[list[Any]]] = {
        "meta": [["format", inventory.format], ["region", inventory.region]],
    }
    for list_name in LIST_NAMES:
        records: tuple[Record, ...] = getattr(inventory, list_name)
        rows[list_name] = [
            [_plain(getattr(record, column.field), column) for column in TABLES[list_name].columns]
            for record in records
        ]
    rows["capacity"] = [
        [pool.id, str(period), _plain(amount.vcpu), _plain(amount.memory_gb), _plain(amount.storage_tb)]
        for pool in inventory.clouds
        for period, amount in pool.capacity.items()
    ]
    rows["extranet"] = [[str(period), _plain(mbps)] for period, mbps in inventory.extranet.bandwidth_mbps.items()]
    return rows


def _plain(value: Any, column: Column | None = None) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, tuple):
        return join_list(value) if value else None
    if column is not None and column.kind == "enum" and isinstance(value, str):
        return CHINESE_VALUES.get(column.field, {}).get(value, value)
    if isinstance(value, float) and value.is_integer() and math.isfinite(value):
        return int(value)
    return value


def _display_width(value: Any) -> int:
    text = "" if value is None else str(value)
    return sum(2 if ord(char) > 0x2E80 else 1 for char in text)


def column_widths(headers: list[str], rows: list[list[Any]], *, sample_rows: int, max_width: float) -> list[float]:
    """Widths that fit the header and the first ``sample_rows`` rows (CJK counted double), within 8..``max_width``.

    A row shorter than the header (a note under a table) does not count for the columns it lacks.
    """
    sample = rows[:sample_rows]
    widths = []
    for position, header in enumerate(headers):
        cells = [_display_width(row[position]) for row in sample if position < len(row)]
        widest = max([_display_width(header)] + cells)
        widths.append(min(max(widest + 2, 8), max_width))
    return widths


def add_table_sheet(workbook: Any, title: str, headers: list[str], widths: list[float], filtered_rows: int) -> Any:
    """A new sheet of a write-only ``workbook`` with its bold header row written; append the rows to it.

    The header row is frozen and filters the ``filtered_rows`` rows below it. Column widths
    are set here because a write-only sheet takes them only before its first row.
    """
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title)
    for position, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{filtered_rows + 1}"
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    return sheet


def write_workbook(inventory: Inventory, path: Path) -> None:
    """Write the inventory as a ledger workbook: Chinese headers, frozen header row, filters, fitted widths."""
    import openpyxl
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    tables = _table_rows(inventory)
    # Checked before anything is written: a half-streamed write-only workbook cannot be abandoned cleanly.
    for name, rows in tables.items():
        for row in rows:
            for value in row:
                if isinstance(value, str) and ILLEGAL_CHARACTERS_RE.search(value):
                    raise SourceError(f"{path}: cannot write {value!r} (sheet {name}): it holds control characters "
                                      "that .xlsx cannot store; export to a CSV folder instead")
    workbook = openpyxl.Workbook(write_only=True)
    for name, rows in tables.items():
        headers = [column.header for column in TABLES[name].columns]
        widths = column_widths(headers, rows, sample_rows=200, max_width=50)
        sheet = add_table_sheet(workbook, name, headers, widths, filtered_rows=len(rows))
        for row in rows:
            sheet.append([guarded_cell(sheet, value) for value in row])
    save_file(path, workbook.save)


def guarded_cell(sheet: Any, value: Any) -> Any:
    """A write-only cell for ``value`` whose text is always text: string type, never a formula."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True  # Excel keeps it text even when the cell is edited
    return cell


def write_csv_folder(inventory: Inventory, path: Path, force: bool = False) -> None:
    """Write the inventory as one UTF-8 (with BOM, for Excel) CSV file per table in a folder, swapped in whole."""
    with output_folder(path, force) as staging:
        for name, rows in _table_rows(inventory).items():
            headers = [column.header for column in TABLES[name].columns]
            with (staging / f"{name}.csv").open("w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(headers)
                writer.writerows([csv_cell(value) for value in row] for row in rows)
