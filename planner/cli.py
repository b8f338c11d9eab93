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

from models.errors import MigplanError, ValidationFailed

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
    from planner.check import check_plan, load_plan
    from planner.render import print_check_report
    from planner.scenario_file import load_scenario, resolve_inventory

    scenario = load_scenario(scenario_path)
    inventory = resolve_inventory(scenario, scenario_path)
    report = check_plan(load_plan(plan_path), scenario, inventory)
    if as_json:
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        print_check_report(report, scenario)
    if not report.ok:
        raise PlanRejected(f"{plan_path}: the plan breaks {len(report.errors)} rule(s) of the contract")


def main() -> None:
    cli(prog_name="migplan")


if __name__ == "__main__":
    main()
