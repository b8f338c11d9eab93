"""Inventory sources sit behind one small protocol: ``load() -> Inventory``.

A source reads its medium (a file, a spreadsheet, a NetBox server) into a
``RawInventory``: plain data plus a way to say where each record came from, so
that validation, which happens once for every source, can point at the line,
row or object of each problem.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from models.errors import Problem
from models.inventory import Inventory

Locator = Callable[[str, int, str], str]
"""(list name, index in the list, field or "") -> location text such as ``line 12`` or ``row 7``."""


def no_location(list_name: str, index: int, field_name: str) -> str:
    return f"{list_name}[{index}]"


@dataclass
class RawInventory:
    """An inventory document as read, before validation."""

    source: str
    """What it was read from, as shown in problem lines (a path, ``ledger.xlsx``, a URL)."""
    document: dict[str, Any]
    """The FORMATS.md document as plain data."""
    locate: Locator = no_location
    """Where a record (and one of its fields) sits in the source."""
    source_for_list: Callable[[str], str] | None = None
    """For sources split by list (a workbook's sheets, a CSV folder): the part that holds a list."""
    problems: list[Problem] = field(default_factory=list)
    """What reading itself found (an unknown column, capacity for an unknown pool); validation reports them too."""

    def where(self, list_name: str) -> str:
        return self.source_for_list(list_name) if self.source_for_list else self.source


@runtime_checkable
class InventorySource(Protocol):
    """Anything that can produce a validated inventory."""

    def load(self) -> Inventory: ...


@dataclass
class LoadReport:
    """What a load noticed that did not stop it (one-sided co_migrate and the like)."""

    warnings: list[Problem] = field(default_factory=list)
