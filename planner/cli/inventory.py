"""``migplan inventory validate/show/import/export``, ``migplan init`` and ``migplan sample``: parse, call, render."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from models.errors import InputError
from planner.cli.common import allow_empty_option, command, force_option, group, handle_errors, json_option
from planner.i18n import problem_line, translate

if TYPE_CHECKING:
    from models.errors import Problem
    from models.inventory import Inventory


@group("inventory")
def inventory() -> None:
    """Validate, show, import and export inventories."""


def _load_inventory(path: Path, allow_empty: bool = False) -> tuple[Inventory, list[Problem]]:
    """Load and validate an inventory file, its warnings on stderr (stdout may be JSON); return both."""
    from inventory.files import load_inventory

    loaded, warnings = load_inventory(path, allow_empty)
    for warning in warnings:
        click.echo(problem_line(warning), err=True)
    return loaded, warnings


@inventory.command("validate")
@click.argument("path", type=click.Path(path_type=Path))
@allow_empty_option
@json_option
@handle_errors
def inventory_validate(path: Path, allow_empty: bool, as_json: bool) -> None:
    """Check an inventory file (YAML, JSON, .xlsx ledger or CSV folder); exit 2 listing every problem."""
    loaded, warnings = _load_inventory(path, allow_empty)
    summary = {
        "departments": len(loaded.departments),
        "rooms": len(loaded.rooms),
        "networks": len(loaded.networks),
        "systems": len(loaded.systems),
        "clouds": len(loaded.clouds),
        "warnings": len(warnings),
    }
    if as_json:
        click.echo(json.dumps({"valid": True, **summary}))
    else:
        click.echo(translate(f"{path}: valid (" + ", ".join(f"{count} {name}" for name, count in summary.items()) + ")"))


@inventory.command("show")
@click.argument("path", type=click.Path(path_type=Path))
@json_option
@handle_errors
def inventory_show(path: Path, as_json: bool) -> None:
    """Counts by department, room, network and pool, and what is in scope for each KPI."""
    from planner.render import inventory_summary, print_inventory_summary

    loaded, _ = _load_inventory(path, allow_empty=True)
    summary = inventory_summary(loaded)
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        print_inventory_summary(summary)


@inventory.command("import")
@click.argument("ledger", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="Inventory file to write (.yaml, .yml or .json).")
@allow_empty_option
@handle_errors
def inventory_import(ledger: Path, output: Path, allow_empty: bool) -> None:
    """Read a ledger workbook (.xlsx) or CSV folder, validate it and write it as an inventory file."""
    from inventory.files import write_inventory
    from inventory.outputs import check_output_file

    if output.suffix.lower() not in (".yaml", ".yml", ".json"):
        raise InputError(f"{output}: import writes an inventory file; use .yaml, .yml or .json")
    check_output_file(output)
    loaded, _ = _load_inventory(ledger, allow_empty)
    write_inventory(loaded, output)
    click.echo(translate(f"{output}: {len(loaded.systems)} systems, {len(loaded.rooms)} rooms, {len(loaded.networks)} networks"))


@inventory.command("export")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="Ledger to write: a .xlsx workbook, or a folder (no suffix) of CSV files.")
@allow_empty_option
@force_option
@handle_errors
def inventory_export(path: Path, output: Path, allow_empty: bool, force: bool) -> None:
    """Write an inventory as a ledger workbook (.xlsx) or a folder of CSV files, Chinese headers."""
    from inventory.files import write_inventory
    from inventory.outputs import check_output_file, check_output_folder

    if output.suffix.lower() != ".xlsx" and output.suffix != "":
        raise InputError(f"{output}: export writes a .xlsx workbook or a folder (a name without suffix)")
    if output.suffix:
        check_output_file(output)
    else:
        check_output_folder(output, force)
    loaded, _ = _load_inventory(path, allow_empty)
    write_inventory(loaded, output, force)
    click.echo(translate(f"{output}: written"))


@command("init")
@click.argument("directory", metavar="DIR", type=click.Path(path_type=Path))
@click.option("--region", default="本市", show_default=True, help="Name of the city (region), written into the template.")
@click.option("--force", is_flag=True, help="Overwrite files that already exist.")
@handle_errors
def init_command(directory: Path, region: str, force: bool) -> None:
    """Set up a city's project in DIR: a ledger template (台账模板.xlsx), a commented scenario and a README."""
    from datetime import date

    from inventory.template import init_project

    written = init_project(directory, region, date.today().year, force=force)
    click.echo(translate("wrote " + ", ".join(str(path) for path in written)))


@command("sample")
@click.option("--cities", type=click.IntRange(1, 14), default=1, show_default=True, help="How many cities (of Hunan's 14).")
@click.option("--systems-per-city", type=click.IntRange(1), default=300, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same inventory.")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help="Folder to write into.")
@force_option
@handle_errors
def sample(cities: int, systems_per_city: int, seed: int, output: Path, force: bool) -> None:
    """Generate a synthetic inventory (DIR/inventory.yaml) and a baseline scenario (DIR/baseline.yaml)."""
    from inventory.files import write_inventory
    from inventory.generate import baseline_scenario, generate
    from inventory.outputs import check_output_folder, output_folder
    from inventory.yamlio import write_document

    check_output_folder(output, force)
    generated = generate(cities=cities, systems_per_city=systems_per_city, seed=seed)
    with output_folder(output, force) as staging:
        write_inventory(generated, staging / "inventory.yaml")
        write_document(baseline_scenario(generated, "inventory.yaml"), staging / "baseline.yaml")
    click.echo(translate(f"{output}: inventory.yaml ({len(generated.systems)} systems) and baseline.yaml"))


COMMANDS: tuple[click.Command, ...] = (inventory, init_command, sample)
