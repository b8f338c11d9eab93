"""``migplan report`` and ``migplan compare``: the HTML report of a plan, and several scenarios side by side."""

from __future__ import annotations

import json
from pathlib import Path

import click

from models.errors import EveryScenarioFailed, InputError
from planner.cli.common import FiniteFloatRange, command, force_option, handle_errors, json_option, step
from planner.i18n import chosen_language, translate


@command("report")
@click.argument("plan_path", metavar="PLAN.json", type=click.Path(path_type=Path))
@click.argument("scenario", metavar="SCENARIO.yaml", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), default=Path("out/report.html"), show_default=True,
              help="HTML file to write.")
@click.option("--lang", "language", type=click.Choice(["zh", "en"]),
              help="Language of the report's labels (default: --lang, else zh).")
@click.option("--departments", "departments_dir", type=click.Path(path_type=Path),
              help="Folder for one workbook per department (default: departments/ beside the report).")
@click.option("--previous", "previous_path", type=click.Path(path_type=Path),
              help="The plan this one replaces: add a section of the changes (migplan diff).")
@click.option("--progress", "progress_path", type=click.Path(path_type=Path),
              help="With --previous: progress.json of the previous plan, for the causes of the changes.")
@click.option("--quiet", is_flag=True, help="No progress lines.")
@handle_errors
def report_command(plan_path: Path, scenario: Path, output: Path, language: str | None, departments_dir: Path | None,
                   previous_path: Path | None, progress_path: Path | None, quiet: bool) -> None:
    """Write the plan report: one self-contained HTML file (charts inline, works offline, a printable page per
    department), and one workbook per department with its tasks."""
    from inventory.outputs import check_output_file, check_output_folder
    from planner.data import planning_data
    from planner.output import load_plan
    from planner.progress import terminal_progress
    from planner.report.departments import write_department_workbooks
    from planner.report.facts import inventory_matches
    from planner.report.html import write_report
    from planner.report.labels import Labels
    from planner.scenario_file import load_scenario_with_inventory

    check_output_file(output)
    check_output_folder(departments_dir or output.parent / "departments", force=True)
    with terminal_progress(quiet) as progress:
        step(progress, translate(f"loading {plan_path} and {scenario}"))
        plan = load_plan(plan_path)
        loaded = load_scenario_with_inventory(scenario)
        data = planning_data(loaded.inventory, loaded.scenario)
        diff_section = ""
        if previous_path is not None:
            from models.progress import load_progress
            from planner.report.diff import diff_html, diff_plans

            names = {record.id: record.name for records in (loaded.inventory.systems, loaded.inventory.networks,
                                                             loaded.inventory.rooms) for record in records}
            diff_section = diff_html(diff_plans(load_plan(previous_path), plan,
                                                load_progress(progress_path) if progress_path else None, names=names))
        step(progress, translate(f"writing {output}"))
        report_language = language or chosen_language() or "zh"
        seconds = write_report(plan, data, output, report_language, diff_section)  # type: ignore[arg-type]
        folder = departments_dir or output.parent / "departments"
        workbooks = write_department_workbooks(plan, data, folder, Labels(report_language))  # type: ignore[arg-type]
    if plan.scenario != loaded.scenario.name:
        click.echo(translate(f"warning: the plan is for scenario {plan.scenario!r}, not {loaded.scenario.name!r}"), err=True)
    if not inventory_matches(plan, loaded.inventory):
        click.echo(translate("warning: the plan was made for a different inventory (inventory_sha256 differs)"), err=True)
    click.echo(translate(f"wrote {output} ({output.stat().st_size / 1024:,.0f} KB in {seconds:.2f} s)"))
    if workbooks:
        click.echo(translate(f"wrote {len(workbooks)} department workbooks into {folder}"))


@command("compare")
@click.argument("scenarios", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path), default=Path("out/compare"), show_default=True,
              help="Directory for compare.csv, compare.svg, compare.html and a folder per scenario.")
@click.option("--jobs", type=click.IntRange(min=1), help="Scenarios solved at once (default: up to 4).")
@click.option("--solver", type=click.Choice(["highs", "cbc", "greedy"]), help="Override every scenario's solver.")
@click.option("--time-limit", "time_limit_s", type=FiniteFloatRange(min=0, min_open=True), help="Solver time limit per scenario, seconds.")
@click.option("--lang", "language", type=click.Choice(["zh", "en"]),
              help="Language of the table and the pages (default: --lang, else zh).")
@click.option("--ray", "ray", metavar="auto|ADDRESS",
              help="Plan the scenarios on a Ray cluster (default: RAY_ADDRESS; needs pip install 'migplan[ray]').")
@click.option("--quiet", is_flag=True, help="No progress lines.")
@force_option
@json_option
@handle_errors
def compare_command(scenarios: tuple[Path, ...], out_dir: Path, jobs: int | None, solver: str | None,
                    time_limit_s: float | None, language: str | None, ray: str | None, quiet: bool, force: bool,
                    as_json: bool) -> None:
    """Plan each SCENARIO in parallel and compare status, cost, KPIs and binding limits."""
    from dataclasses import asdict

    from inventory.outputs import check_output_folder
    from planner.batch import compare_into, scenario_files
    from planner.cluster import ray_address
    from planner.progress import terminal_progress
    from planner.report.compare import print_comparison
    from planner.report.labels import Labels

    language = language or chosen_language() or "zh"
    paths, skipped = scenario_files(list(scenarios))
    for path in skipped:
        click.echo(translate(f"skipping {path}: an inventory, not a scenario"), err=True)
    if not paths:
        raise InputError("no scenario files to compare")
    check_output_folder(out_dir, force)
    cluster = ray_address(ray)
    labels = Labels(language)  # type: ignore[arg-type]
    with terminal_progress(quiet) as progress:
        where = (f"on the Ray cluster {cluster}" if cluster
                 else f"in {jobs or min(len(paths), 4)} processes")
        step(progress, translate(f"planning {len(paths)} scenarios {where}"))
        outcomes, written = compare_into(
            paths, labels, out_dir, force, jobs=jobs, solver=solver, time_limit_s=time_limit_s, ray=cluster,
            on_done=lambda outcome, done, total: step(progress, translate(
                f"{outcome.name}: {outcome.status} in {outcome.seconds:.0f} s ({done}/{total} done)")),
        )
    if as_json:
        click.echo(json.dumps([asdict(outcome) for outcome in outcomes], ensure_ascii=False, indent=2))
    else:
        print_comparison(outcomes, labels)
        click.echo(translate("wrote " + ", ".join(str(path) for path in written)))
    if all(outcome.status == "error" for outcome in outcomes):
        codes = {outcome.exit_code for outcome in outcomes}
        raise EveryScenarioFailed(f"every scenario failed: {', '.join(outcome.name for outcome in outcomes)}",
                                  codes.pop() if len(codes) == 1 else 1)


COMMANDS: tuple[click.Command, ...] = (report_command, compare_command)
