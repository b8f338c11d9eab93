"""``migplan inventory import/export/validate`` and ``migplan sample`` through click."""

from __future__ import annotations

from pathlib import Path

import yaml
from click.testing import CliRunner

from inventory.files import load_inventory
from models.scenario import Scenario
from planner.cli import cli

BROKEN = """format: migplan-inventory/1
departments:
  - {id: d1, name: D1}
  - {id: d1, name: D1}
"""


def test_import_export_round_trip(sample_path: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    for ledger in (tmp_path / "ledger.xlsx", tmp_path / "csv"):
        exported = runner.invoke(cli, ["inventory", "export", str(sample_path), "-o", str(ledger)])
        assert exported.exit_code == 0, exported.output
        back = tmp_path / "back.yaml"
        imported = runner.invoke(cli, ["inventory", "import", str(ledger), "-o", str(back)])
        assert imported.exit_code == 0, imported.output
        assert load_inventory(back)[0] == load_inventory(sample_path)[0]


def test_broken_inventory_exits_2_with_lines_and_no_traceback(tmp_path: Path) -> None:
    path = tmp_path / "inv.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    result = CliRunner().invoke(cli, ["inventory", "import", str(path), "-o", str(tmp_path / "out.yaml")])
    assert result.exit_code == 2
    assert result.output == f"{path}:4: d1.id: duplicate id in departments (first at line 3)\n"
    assert "Traceback" not in result.output
    assert not (tmp_path / "out.yaml").exists()


def test_broken_ledger_exits_2(tmp_path: Path) -> None:
    runner = CliRunner()
    path = tmp_path / "inv.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    ledger = tmp_path / "ledger.xlsx"
    # export validates first, so write the broken ledger by hand
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "departments"
    sheet.append(["单位编号", "单位名称"])
    sheet.append(["d1", "D1"])
    sheet.append(["d1", "D1"])
    workbook.save(ledger)
    result = runner.invoke(cli, ["inventory", "validate", str(ledger)])
    assert result.exit_code == 2
    assert result.output == (
        f"{ledger} (departments!A3 单位编号): d1.id: duplicate id in departments (first at sheet departments, row 2)\n"
    )


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    path = tmp_path / "inv.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    result = CliRunner().invoke(cli, ["--debug", "inventory", "validate", str(path)])
    assert result.exit_code != 0
    assert type(result.exception).__name__ == "ValidationFailed"


def test_export_refuses_an_unknown_suffix(sample_path: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["inventory", "export", str(sample_path), "-o", str(tmp_path / "x.ods")])
    assert result.exit_code == 2
    assert "export writes a .xlsx workbook or a folder" in result.output


def test_sample_writes_inventory_and_baseline(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["sample", "--cities", "2", "--systems-per-city", "50", "--seed", "3",
                                      "-o", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    inventory, warnings = load_inventory(tmp_path / "s" / "inventory.yaml")
    assert len(inventory.systems) == 100 and warnings == []
    scenario = Scenario.model_validate(yaml.safe_load((tmp_path / "s" / "baseline.yaml").read_text(encoding="utf-8")))
    assert scenario.inventory == "inventory.yaml"
    assert scenario.targets.cloud_adoption[2025] == 0.8


def test_piped_output_is_never_cut(tmp_path: Path) -> None:
    """stdout that is not a terminal gets every id and name whole, however long (output people paste)."""
    long_id = "net-jinbao-" + "长" * 60
    path = tmp_path / "inv.yaml"
    path.write_text(yaml.safe_dump({
        "format": "migplan-inventory/1", "region": "湘潭市",
        "departments": [{"id": "d1", "name": "市人力资源社会保障局" * 4}],
        "networks": [{"id": long_id, "name": "人社金保专网" * 5, "department": "d1", "bandwidth_mbps": 1,
                      "annual_cost_wan": 1, "migration_effort_days": 1, "migration_cost_wan": 1}],
    }, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(cli, ["inventory", "show", str(path)])
    assert result.exit_code == 0, result.output
    assert long_id in result.output and "人社金保专网" * 5 in result.output and "…" not in result.output
