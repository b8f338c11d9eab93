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
from typing import TYPE_CHECKING, Any, Callable, TypeVar

import click

from models.errors import InputError, MigplanError, ValidationFailed
from planner.i18n import LANGUAGES, problem_line, translate
from planner.i18n.cli import LocalizedGroup

if TYPE_CHECKING:
    from models.errors import Problem
    from models.inventory import Inventory
    from planner.progress import Reporter

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
                    click.echo(problem_line(problem), err=True)
            else:
                click.echo(translate("error: ") + translate(str(error)), err=True)
            sys.exit(error.exit_code)
        except KeyboardInterrupt:
            click.echo(translate("interrupted"), err=True)
            sys.exit(130)

    return wrapper  # type: ignore[return-value]


json_option = click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON instead of tables.")


@click.group("migplan", cls=LocalizedGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(version("migplan"), prog_name="migplan")
@click.option("--debug", is_flag=True, help="Show tracebacks on errors.")
@click.option("--lang", "language", type=click.Choice(LANGUAGES), expose_value=False,
              help="Language of messages: zh (Chinese) or en (English); default from the locale (LANG).")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Plan the move of a city's government IT onto the government cloud and the e-government extranet.

    A new city starts with `migplan init DIR`: a ledger template, a scenario template and a README.
    The file formats are described in docs/formats.md.
    """
    ctx.obj = Context(debug)


@cli.group()
def inventory() -> None:
    """Validate, show, import and export inventories."""


def _load_inventory(path: Path) -> tuple[Inventory, list[Problem]]:
    """Load and validate an inventory file, its warnings on stderr (stdout may be JSON); return both."""
    from inventory.files import load_inventory

    loaded, warnings = load_inventory(path)
    for warning in warnings:
        click.echo(str(warning), err=True)
    return loaded, warnings


@inventory.command("validate")
@click.argument("path", type=click.Path(path_type=Path))
@json_option
@handle_errors
def inventory_validate(path: Path, as_json: bool) -> None:
    """Check an inventory file (YAML, JSON, .xlsx ledger or CSV folder); exit 2 listing every problem."""
    loaded, warnings = _load_inventory(path)
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
    from planner.render import inventory_summary, print_inventory_summary

    loaded, _ = _load_inventory(path)
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


@cli.command("plan")
@click.argument("scenario", type=click.Path(path_type=Path))
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path), default=Path("out"), show_default=True,
              help="Directory for plan.json, plan.csv, kpis.csv and plan.xlsx.")
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
    """Plan SCENARIO: write plan.json, plan.csv, kpis.csv and plan.xlsx and print a summary; exit 3 when infeasible."""
    from models.errors import PlanInfeasible
    from models.period import Period
    from planner.api import PlanRequest, plan_scenario
    from planner.output import load_plan, write_plan
    from planner.progress import terminal_progress
    from planner.render import print_plan_summary
    from planner.scenario_file import load_scenario_with_inventory
    from planner.sets import planning_data

    if (previous is None) != (frozen_until is None):
        raise InputError("--previous and --frozen-until go together")
    try:
        frozen = Period.parse(frozen_until) if frozen_until else None
    except ValueError as error:
        raise InputError(f"--frozen-until: {error}") from None
    with terminal_progress(quiet) as progress:
        _step(progress, f"loading {scenario}")
        loaded = load_scenario_with_inventory(scenario)
        request = PlanRequest(
            solver=solver, time_limit_s=time_limit, mip_gap=gap, threads=threads,
            previous=load_plan(previous) if previous else None, frozen_until=frozen, warm_start=not no_warm_start,
        )
        _step(progress, f"planning {len(loaded.inventory.systems):,} systems with {request.solver or loaded.scenario.solver.name}")
        plan = plan_scenario(loaded, request, progress)
        data = planning_data(loaded.inventory, loaded.scenario)
        _step(progress, f"writing plan files into {out_dir}")
        written = write_plan(plan, data, out_dir)
    for warning in loaded.warnings:
        click.echo(str(warning), err=True)
    if as_json:
        click.echo(plan.dumps())
    else:
        print_plan_summary(plan, data)
        click.echo("wrote " + ", ".join(str(path) for path in written))
    if plan.status == "infeasible":
        targets = [v for v in plan.violations if "@" in v.constraint and ":" not in v.constraint]
        first = targets[0].detail if targets else plan.violations[0].detail
        others = f" (and {len(targets) - 1} more targets in plan.json)" if len(targets) > 1 else ""
        raise PlanInfeasible(f"scenario {loaded.scenario.name!r} is infeasible: {first}{others}")


@inventory.command("import")
@click.argument("ledger", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="Inventory file to write (.yaml, .yml or .json).")
@handle_errors
def inventory_import(ledger: Path, output: Path) -> None:
    """Read a ledger workbook (.xlsx) or CSV folder, validate it and write it as an inventory file."""
    from inventory.files import write_inventory

    if output.suffix.lower() not in (".yaml", ".yml", ".json"):
        raise InputError(f"{output}: import writes an inventory file; use .yaml, .yml or .json")
    loaded, _ = _load_inventory(ledger)
    write_inventory(loaded, output)
    click.echo(f"{output}: {len(loaded.systems)} systems, {len(loaded.rooms)} rooms, {len(loaded.networks)} networks")


@inventory.command("export")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="Ledger to write: a .xlsx workbook, or a folder (no suffix) of CSV files.")
@handle_errors
def inventory_export(path: Path, output: Path) -> None:
    """Write an inventory as a ledger workbook (.xlsx) or a folder of CSV files, Chinese headers."""
    from inventory.files import write_inventory

    if output.suffix.lower() != ".xlsx" and output.suffix != "":
        raise InputError(f"{output}: export writes a .xlsx workbook or a folder (a name without suffix)")
    loaded, _ = _load_inventory(path)
    write_inventory(loaded, output)
    click.echo(f"{output}: written")


@cli.command("init")
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


def _step(progress: Reporter | None, message: str) -> None:
    if progress is not None:
        progress(message)


@cli.command("report")
@click.argument("plan_path", metavar="PLAN.json", type=click.Path(path_type=Path))
@click.argument("scenario", metavar="SCENARIO.yaml", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), default=Path("out/report.html"), show_default=True,
              help="HTML file to write.")
@click.option("--lang", "language", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of the report's labels.")
@click.option("--quiet", is_flag=True, help="No progress lines.")
@handle_errors
def report_command(plan_path: Path, scenario: Path, output: Path, language: str, quiet: bool) -> None:
    """Write the plan report: one self-contained HTML file (charts inline, works offline)."""
    from planner.output import load_plan
    from planner.progress import terminal_progress
    from planner.report.facts import inventory_matches
    from planner.report.html import write_report
    from planner.scenario_file import load_scenario_with_inventory
    from planner.sets import planning_data

    with terminal_progress(quiet) as progress:
        _step(progress, f"loading {plan_path} and {scenario}")
        plan = load_plan(plan_path)
        loaded = load_scenario_with_inventory(scenario)
        data = planning_data(loaded.inventory, loaded.scenario)
        _step(progress, f"writing {output}")
        seconds = write_report(plan, data, output, language)  # type: ignore[arg-type]
    if plan.scenario != loaded.scenario.name:
        click.echo(f"warning: the plan is for scenario {plan.scenario!r}, not {loaded.scenario.name!r}", err=True)
    if not inventory_matches(plan, loaded.inventory):
        click.echo("warning: the plan was made for a different inventory (inventory_sha256 differs)", err=True)
    click.echo(f"wrote {output} ({output.stat().st_size / 1024:,.0f} KB in {seconds:.2f} s)")


@cli.command("compare")
@click.argument("scenarios", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path), default=Path("out/compare"), show_default=True,
              help="Directory for compare.csv, compare.svg, compare.html and a folder per scenario.")
@click.option("--jobs", type=click.IntRange(min=1), help="Scenarios solved at once (default: up to 4).")
@click.option("--solver", type=click.Choice(["highs", "cbc", "greedy"]), help="Override every scenario's solver.")
@click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), help="Solver time limit per scenario, seconds.")
@click.option("--lang", "language", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("--quiet", is_flag=True, help="No progress lines.")
@json_option
@handle_errors
def compare_command(scenarios: tuple[Path, ...], out_dir: Path, jobs: int | None, solver: str | None,
                    time_limit: float | None, language: str, quiet: bool, as_json: bool) -> None:
    """Plan each SCENARIO in parallel and compare status, cost, KPIs and binding limits."""
    from dataclasses import asdict

    from planner.progress import terminal_progress
    from planner.report.compare import compare_scenarios, print_comparison, scenario_files, write_comparison
    from planner.report.labels import Labels

    paths, skipped = scenario_files(list(scenarios))
    for path in skipped:
        click.echo(f"skipping {path}: an inventory, not a scenario", err=True)
    if not paths:
        raise InputError("no scenario files to compare")
    with terminal_progress(quiet) as progress:
        _step(progress, f"planning {len(paths)} scenarios in {jobs or min(len(paths), 4)} processes")
        outcomes = compare_scenarios(
            paths, jobs=jobs, out_dir=out_dir, solver=solver, time_limit_s=time_limit, language=language,  # type: ignore[arg-type]
            on_done=lambda outcome, done, total: _step(
                progress, f"{outcome.name}: {outcome.status} in {outcome.seconds:.0f} s ({done}/{total} done)"),
        )
        labels = Labels(language)  # type: ignore[arg-type]
        written = write_comparison(outcomes, labels, out_dir)
    if as_json:
        click.echo(json.dumps([asdict(outcome) for outcome in outcomes], ensure_ascii=False, indent=2))
    else:
        print_comparison(outcomes, labels)
        click.echo("wrote " + ", ".join(str(path) for path in written))


def main() -> None:
    cli(prog_name="migplan")


if __name__ == "__main__":
    main()
