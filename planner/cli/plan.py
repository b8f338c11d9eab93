"""``migplan plan`` and ``migplan check``: plan a scenario, check a plan; parse, call, render."""

from __future__ import annotations

import json
from pathlib import Path

import click

from models.errors import InputError
from planner.cli.common import FiniteFloatRange, clamped_threads, command, force_option, handle_errors, json_option, step
from planner.i18n import problem_line, translate


@command("check")
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
        click.echo(problem_line(warning), err=True)
    report = check_plan(load_plan(plan_path), loaded.scenario, loaded.inventory)
    if as_json:
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        print_check_report(report, loaded.scenario)
    if not report.ok:
        raise PlanRejected(f"{plan_path}: the plan breaks {len(report.errors)} rule(s) of the contract")


@command("plan")
@click.argument("scenario", type=click.Path(path_type=Path))
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path), default=Path("out"), show_default=True,
              help="Directory for plan.json, plan.csv, kpis.csv and plan.xlsx.")
@click.option("--solver", type=click.Choice(["highs", "cbc", "greedy"]), help="Override the scenario's solver.")
@click.option("--time-limit", "time_limit_s", type=FiniteFloatRange(min=0, min_open=True), help="Solver time limit, seconds.")
@click.option("--gap", type=FiniteFloatRange(0, 1), help="Relative MIP gap at which to stop.")
@click.option("--threads", type=click.IntRange(min=1), help="Solver threads (at most the machine's cores).")
@click.option("--previous", type=click.Path(path_type=Path), help="Earlier plan.json to re-plan from.")
@click.option("--frozen-until", help="Keep the previous plan up to this quarter (e.g. 2024Q2) and re-plan the rest.")
@click.option("--no-warm-start", is_flag=True, help="Do not give the solver the greedy plan as a start.")
@click.option("--ray", "ray", metavar="auto|ADDRESS",
              help="Price a province's cities on a Ray cluster (default: RAY_ADDRESS; needs pip install 'migplan[ray]').")
@click.option("--quiet", is_flag=True, help="No progress lines.")
@force_option
@json_option
@handle_errors
def plan_command(scenario: Path, out_dir: Path, solver: str | None, time_limit_s: float | None, gap: float | None,
                 threads: int | None, previous: Path | None, frozen_until: str | None, no_warm_start: bool,
                 ray: str | None, quiet: bool, force: bool, as_json: bool) -> None:
    """Plan SCENARIO: write plan.json, plan.csv, kpis.csv and plan.xlsx and print a summary; exit 3 when infeasible."""
    from inventory.outputs import check_output_folder
    from models.errors import PlanInfeasible
    from models.period import Period
    from planner.api import PlanRequest, plan_scenario
    from planner.cluster import ray_address
    from planner.data import planning_data
    from planner.output import load_plan, write_plan
    from planner.progress import terminal_progress
    from planner.render import print_plan_summary
    from planner.scenario_file import load_scenario_with_inventory

    if (previous is None) != (frozen_until is None):
        raise InputError("--previous and --frozen-until go together")
    try:
        frozen = Period.parse(frozen_until) if frozen_until else None
    except ValueError as error:
        raise InputError(f"--frozen-until: {error}") from None
    check_output_folder(out_dir, force)  # before minutes of solving, not after
    threads = clamped_threads(threads)
    with terminal_progress(quiet) as progress:
        step(progress, translate(f"loading {scenario}"))
        loaded = load_scenario_with_inventory(scenario)
        request = PlanRequest(
            solver=solver, time_limit_s=time_limit_s, mip_gap=gap, threads=threads,
            previous=load_plan(previous) if previous else None, frozen_until=frozen, warm_start=not no_warm_start,
            ray=ray_address(ray),
        )
        step(progress, translate(
            f"planning {len(loaded.inventory.systems):,} systems with {request.solver or loaded.scenario.solver.name}"))
        plan = plan_scenario(loaded, request, progress)
        data = planning_data(loaded.inventory, loaded.scenario)
        step(progress, translate(f"writing plan files into {out_dir}"))
        written = write_plan(plan, data, out_dir, force)
    for warning in loaded.warnings:
        click.echo(problem_line(warning), err=True)
    if as_json:
        click.echo(plan.dumps())
    else:
        print_plan_summary(plan, data)
        click.echo(translate("wrote " + ", ".join(str(path) for path in written)))
    if plan.status == "infeasible":
        targets = [v for v in plan.violations if "@" in v.constraint and ":" not in v.constraint]
        first = targets[0].detail if targets else plan.violations[0].detail
        others = f" (and {len(targets) - 1} more targets in plan.json)" if len(targets) > 1 else ""
        raise PlanInfeasible(f"scenario {loaded.scenario.name!r} is infeasible: {first}{others}")


COMMANDS: tuple[click.Command, ...] = (plan_command, check)
