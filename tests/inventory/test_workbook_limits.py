"""Workbook decompression bombs are refused before any XML is parsed (issue 18, item 7)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from inventory import spreadsheet
from inventory.files import load_inventory, write_inventory
from models.errors import InputError
from planner.cli import cli
from tests.builders import inventory, room, system


def _ledger(tmp_path: Path) -> Path:
    path = tmp_path / "ledger.xlsx"
    write_inventory(inventory([system("s1", room="r1")], rooms=[room("r1")]), path)
    return path


def _padded(source: Path, target: Path, part: str, padding: int) -> Path:
    """A copy of the workbook whose ``part`` carries ``padding`` bytes of XML whitespace: valid, and packed tight."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in original.infolist():
            data = original.read(info.filename)
            if info.filename == part:
                data = data.replace(b"</worksheet>", b" " * padding + b"</worksheet>")
            copy.writestr(info.filename, data)
    return target


def test_a_sheet_that_unpacks_a_thousand_fold_is_refused(tmp_path: Path) -> None:
    bomb = _padded(_ledger(tmp_path), tmp_path / "bomb.xlsx", "xl/worksheets/sheet1.xml", 20 * 1024 * 1024)
    assert bomb.stat().st_size < 200 * 1024
    with pytest.raises(InputError, match=r"sheet xl/worksheets/sheet1.xml unpacks to 20 MB from \d+ KB") as raised:
        load_inventory(bomb)
    assert raised.value.exit_code == 2
    result = CliRunner().invoke(cli, ["inventory", "validate", str(bomb)])
    assert result.exit_code == 2 and "decompression bomb" in result.output and "Traceback" not in result.output


def test_a_part_past_the_size_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spreadsheet, "MAX_PART_BYTES", 1000)
    with pytest.raises(InputError, match=r"unpacks to \d+ KB, limit 1 KB"):
        load_inventory(_ledger(tmp_path))


def test_an_ordinary_workbook_passes(tmp_path: Path) -> None:
    loaded, _ = load_inventory(_ledger(tmp_path))
    assert [s.id for s in loaded.systems] == ["s1"]


def test_a_file_that_is_no_zip_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(InputError, match="not a readable .xlsx workbook"):
        load_inventory(path)
