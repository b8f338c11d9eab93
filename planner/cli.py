"""The ``migplan`` command: a thin click group that parses, calls and renders.

Every failure is one line on stderr and a non-zero exit code (2 input, 3
infeasible, 4 source, 5 playbooks, 6 plan breaks rules); ``--debug`` alone shows tracebacks.
"""

from __future__ import annotations

import json
import sys
from functools import wraps
from importlib.metadata import version
from pathlib import Path
from typing import Any, Callable, TypeVar

import click

from models.errors import InputError, MigplanError, ValidationFailed

F = TypeVar("F", bound=Callable[..., Any])


class Context:
    """Options every command shares."""

    def __init__(self, debug: bool) -> None:
        self.debug = debug


def handle_errors(command: F) -> F:
    """Turn migplan errors into one clear line and their exit code; tracebacks only with --debug."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        shared = click.get_current_context().find_object(Context)
        debug = shared.debug if shared is not None else False
        try:
            return command(*args, **kwargs)
        except MigplanError as error:
            if debug:
                raise
            if isinstance(error, ValidationFailed):
                for problem in error.problems:
                    click.echo(str(problem), err=True)
            else:
                click.echo(f"error: {error}", err=True)
            sys.exit(error.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)

    return wrapper  # type: ignore[return-value]


json_option = click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON instead of tables.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(version("migplan"), prog_name="migplan")
@click.option("--debug", is_flag=True, help="Show tracebacks on errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Plan the move of a city's government IT onto the government cloud and the e-government extranet."""
    ctx.obj = Context(debug)


@cli.group()
def inventory() -> None:
    """Validate, show, import and export inventories."""


@inventory.command("validate")
@click.argument("path", type=click.Path(path_type=Path))
@json_option
@handle_errors
def inventory_validate(path: Path, as_json: bool) -> None:
    """Check an inventory file (YAML, JSON, .xlsx ledger or CSV folder); exit 2 listing every problem."""
    from inventory.files import load_inventory

    loaded, warnings = load_inventory(path)
    for warning in warnings:
        click.echo(str(warning), err=True)
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
        click.echo(f"{path}: valid (" + ", ".join(f"{count} {name}" for name, count in summary.items()) + ")")


@inventory.command("show")
@click.argument("path", type=click.Path(path_type=Path))
@json_option
@handle_errors
def inventory_show(path: Path, as_json: bool) -> None:
    """Counts by department, room, network and pool, and what is in scope for each KPI."""
    from inventory.files import load_inventory
    from planner.render import inventory_summary, print_inventory_summary

    loaded, warnings = load_inventory(path)
    for warning in warnings:
        click.echo(str(warning), err=True)
    summary = inventory_summary(loaded)
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        print_inventory_summary(summary)


@cli.command("check")
@click.argument("plan_path", metavar="PLAN.json", type=click.Path(path_type=Path))
@click.argument("scenario_path", metavar="SCENARIO.yaml", type=click.Path(path_type=Path))
@json_option
@handle_errors
def check(plan_path: Path, scenario_path: Path, as_json: bool) -> None:
    """Check a plan (hand-edited ones too) against every rule; exit 6 when it breaks any."""
    from models.errors import PlanRejected
    from planner.check import check_plan
    from planner.output import load_plan
    from planner.render import print_check_report
    from planner.scenario_file import load_scenario_with_inventory

    loaded = load_scenario_with_inventory(scenario_path)
    for warning in loaded.warnings:
        click.echo(str(warning), err=True)
    report = check_plan(load_plan(plan_path), loaded.scenario, loaded.inventory)
    if as_json:
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        print_check_report(report, loaded.scenario)
    if not report.ok:
        raise PlanRejected(f"{plan_path}: the plan breaks {len(report.errors)} rule(s) of the contract")


def _progress(quiet: bool) -> Callable[[str], None] | None:
    """Progress lines on stderr when it is a terminal; silent in pipes, CI and with --quiet."""
    from rich.console import Console

    console = Console(stderr=True)
    if quiet or not console.is_terminal:
        return None
    return lambda message: console.print(f"[dim]… {message}[/dim]")


@cli.command("plan")
@click.argument("scenario", type=click.Path(path_type=Path))
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path), default=Path("out"), show_default=True,
              help="Directory for plan.json, plan.csv and kpis.csv.")
@click.option("--solver", type=click.Choice(["highs", "cbc", "greedy"]), help="Override the scenario's solver.")
@click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), help="Solver time limit, seconds.")
@click.option("--gap", type=click.FloatRange(0, 1), help="Relative MIP gap at which to stop.")
@click.option("--threads", type=click.IntRange(min=1), help="Solver threads.")
@click.option("--previous", type=click.Path(path_type=Path), help="Earlier plan.json to re-plan from.")
@click.option("--frozen-until", help="Keep the previous plan up to this quarter (e.g. 2024Q2) and re-plan the rest.")
@click.option("--no-warm-start", is_flag=True, help="Do not give the solver the greedy plan as a start.")
@click.option("--quiet", is_flag=True, help="No progress lines.")
@json_option
@handle_errors
def plan_command(scenario: Path, out_dir: Path, solver: str | None, time_limit: float | None, gap: float | None,
                 threads: int | None, previous: Path | None, frozen_until: str | None, no_warm_start: bool,
                 quiet: bool, as_json: bool) -> None:
    """Plan SCENARIO: write plan.json, plan.csv and kpis.csv and print a summary; exit 3 when infeasible."""
    from models.errors import PlanInfeasible
    from models.period import Period
    from planner.api import PlanRequest, plan_scenario
    from planner.output import load_plan, write_plan
    from planner.render import print_plan_summary
    from planner.scenario_file import load_scenario_with_inventory
    from planner.sets import planning_data

    if (previous is None) != (frozen_until is None):
        raise InputError("--previous and --frozen-until go together")
    try:
        frozen = Period.parse(frozen_until) if frozen_until else None
    except ValueError as error:
        raise InputError(f"--frozen-until: {error}") from None
    progress = _progress(quiet)
    loaded = load_scenario_with_inventory(scenario)
    for warning in loaded.warnings:
        click.echo(str(warning), err=True)
    request = PlanRequest(
        solver=solver, time_limit_s=time_limit, mip_gap=gap, threads=threads,
        previous=load_plan(previous) if previous else None, frozen_until=frozen, warm_start=not no_warm_start,
    )
    plan = plan_scenario(loaded, request, progress)
    data = planning_data(loaded.inventory, loaded.scenario)
    written = write_plan(plan, data, out_dir)
    if as_json:
        click.echo(plan.dumps())
    else:
        print_plan_summary(plan, data)
        click.echo("wrote " + ", ".join(str(path) for path in written))
    if plan.status == "infeasible":
        raise PlanInfeasible(
            f"scenario {loaded.scenario.name!r} is infeasible: "
            + "; ".join(v.detail or v.constraint for v in plan.violations[:3])
            + (f" (and {len(plan.violations) - 3} more in plan.json)" if len(plan.violations) > 3 else "")
        )


@inventory.command("import")
@click.argument("ledger", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="Inventory file to write (.yaml, .yml or .json).")
@handle_errors
def inventory_import(ledger: Path, output: Path) -> None:
    """Read a ledger workbook (.xlsx) or CSV folder, validate it and write it as an inventory file."""
    from inventory.files import load_inventory, write_inventory

    if output.suffix.lower() not in (".yaml", ".yml", ".json"):
        raise InputError(f"{output}: import writes an inventory file; use .yaml, .yml or .json")
    loaded, warnings = load_inventory(ledger)
    for warning in warnings:
        click.echo(str(warning), err=True)
    write_inventory(loaded, output)
    click.echo(f"{output}: {len(loaded.systems)} systems, {len(loaded.rooms)} rooms, {len(loaded.networks)} networks")


@inventory.command("export")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="Ledger to write: a .xlsx workbook, or a folder (no suffix) of CSV files.")
@handle_errors
def inventory_export(path: Path, output: Path) -> None:
    """Write an inventory as a ledger workbook (.xlsx) or a folder of CSV files, Chinese headers."""
    from inventory.files import load_inventory, write_inventory

    if output.suffix.lower() != ".xlsx" and output.suffix != "":
        raise InputError(f"{output}: export writes a .xlsx workbook or a folder (a name without suffix)")
    loaded, warnings = load_inventory(path)
    for warning in warnings:
        click.echo(str(warning), err=True)
    write_inventory(loaded, output)
    click.echo(f"{output}: written")


@cli.command("sample")
@click.option("--cities", type=click.IntRange(1, 14), default=1, show_default=True, help="How many cities (of Hunan's 14).")
@click.option("--systems-per-city", type=click.IntRange(1), default=300, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same inventory.")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help="Folder to write into.")
@handle_errors
def sample(cities: int, systems_per_city: int, seed: int, output: Path) -> None:
    """Generate a synthetic inventory (DIR/inventory.yaml) and a baseline scenario (DIR/baseline.yaml)."""
    from inventory.files import write_inventory
    from inventory.generate import baseline_scenario, generate
    from inventory.yamlio import write_document

    generated = generate(cities=cities, systems_per_city=systems_per_city, seed=seed)
    write_inventory(generated, output / "inventory.yaml")
    write_document(baseline_scenario(generated, "inventory.yaml"), output / "baseline.yaml")
    click.echo(f"{output}: inventory.yaml ({len(generated.systems)} systems) and baseline.yaml")


def _register_playbook_commands() -> None:
    from playbooks.cli import register

    register(cli, handle_errors)


_register_playbook_commands()


def _register_netbox_commands() -> None:
    from inventory.netbox.cli import register

    register(cli, handle_errors)


_register_netbox_commands()


def main() -> None:
    cli(prog_name="migplan")


if __name__ == "__main__":
    main()
