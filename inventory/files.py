"""The file source: an inventory in YAML or JSON (FORMATS.md), a ledger workbook or a CSV folder."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from inventory.source import RawInventory
from inventory.validate import validate
from inventory.yamlio import read_raw, write_document
from models.errors import InputError, Problem, ValidationFailed
from models.inventory import Inventory


@dataclass
class FileSource:
    """Reads an inventory from a file or folder; ``warnings`` holds what the load noticed."""

    path: Path
    warnings: list[Problem] = field(default_factory=list)

    def read(self) -> RawInventory:
        suffix = self.path.suffix.lower()
        if self.path.is_dir():
            from inventory.spreadsheet import read_csv_folder

            return read_csv_folder(self.path)
        if suffix == ".xlsx":
            from inventory.spreadsheet import read_workbook

            return read_workbook(self.path)
        if suffix in (".yaml", ".yml", ".json"):
            return read_raw(self.path)
        raise InputError(f"{self.path}: unknown inventory format (use .yaml, .yml, .json, .xlsx or a CSV folder)")

    allow_empty: bool = False
    """An inventory without systems is an error (a missing or misnamed sheet, most likely) unless this is set."""

    def load(self) -> Inventory:
        raw = self.read()
        inventory, self.warnings = validate(raw)
        if not inventory.systems:
            problem = Problem(
                raw.where("systems"), "", "", "systems",
                "no systems: the systems list (a ledger's systems sheet) is missing or empty"
                + ("" if self.allow_empty else "; pass --allow-empty if that is meant"),
                severity="warning" if self.allow_empty else "error",
            )
            if not self.allow_empty:
                raise ValidationFailed([*self.warnings, problem])
            self.warnings.append(problem)
        return inventory


def load_inventory(path: Path | str, allow_empty: bool = False) -> tuple[Inventory, list[Problem]]:
    """Load and validate an inventory file; raise ``ValidationFailed`` listing every error.

    An inventory without systems is one of them unless ``allow_empty`` (then a warning)."""
    source = FileSource(Path(path), allow_empty=allow_empty)
    inventory = source.load()
    return inventory, source.warnings


def write_inventory(inventory: Inventory, path: Path | str, force: bool = False) -> None:
    """Write an inventory as YAML or JSON (by suffix), a workbook (.xlsx) or a CSV folder (no suffix).

    ``force`` lets a CSV folder go into a non-empty folder that migplan did not write."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix == ".xlsx":
        from inventory.spreadsheet import write_workbook

        write_workbook(inventory, target)
    elif suffix in (".yaml", ".yml", ".json"):
        write_document(inventory.to_document(), target)
    elif suffix == "":
        from inventory.spreadsheet import write_csv_folder

        write_csv_folder(inventory, target, force)
    else:
        raise InputError(f"{target}: unknown inventory format (use .yaml, .yml, .json, .xlsx or a folder for CSV)")
