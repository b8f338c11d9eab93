"""The quarter's loop (月调度、季通报): ``migplan progress``, ``migplan diff`` and ``migplan bulletin``."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import click

from planner.cli.common import command, handle_errors, json_option

STATUS_ORDER = ("done", "in progress", "not started", "failed", "slipped")


def _quarter(text: str, option: str) -> object:
    from models.errors import InputError
    from models.period import Period

    try:
        return Period.parse(text)
    except ValueError as error:
        raise InputError(f"{option}: {error}") from None


@command("progress")
@click.argument("plan_path", metavar="PLAN.json", type=click.Path(path_type=Path))
@click.argument("scenario_path", metavar="SCENARIO.yaml", type=click.Path(path_type=Path))
@click.option("--as-of", "as_of", required=True, help="The quarter just ended, e.g. 2024Q1: what is not done by then slipped.")
@click.option("--journal", "journals", multiple=True, type=click.Path(path_type=Path),
              help="Run journal file, or a folder of journal-*.jsonl (repeatable).")
@click.option("--ledger", type=click.Path(path_type=Path),
              help="plan.xlsx with its 负责人/状态/实际完成季度 columns filled in.")
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path),
              help="Write progress.json, progress.csv, the inventory as it now stands (inventory.yaml), a scenario "
                   "reading it (scenario.yaml) and the plan as it ran (plan-as-run.json) for the re-plan.")
@json_option
@handle_errors
def progress_command(plan_path: Path, scenario_path: Path, as_of: str, journals: tuple[Path, ...],
                     ledger: Path | None, out_dir: Path | None, as_json: bool) -> None:
    """Where each planned object stands at the end of a quarter, by department; with -o, the inventory as it now stands."""
    from planner.output import load_plan
    from planner.scenario_file import load_scenario_with_inventory
    from playbooks.progress import journal_states, ledger_states, measure, write_progress

    quarter = _quarter(as_of, "--as-of")
    plan = load_plan(plan_path)
    loaded = load_scenario_with_inventory(scenario_path)
    warn = lambda message: click.echo(f"warning: {message}", err=True)  # noqa: E731
    progress = measure(plan, loaded.inventory, quarter, journal_states(journals, warn),  # type: ignore[arg-type]
                       ledger_states(ledger) if ledger else None)
    if as_json:
        click.echo(json.dumps(progress.to_json(), ensure_ascii=False, indent=2))
    else:
        counts: dict[str, Counter[str]] = {}
        for row in progress.objects:
            counts.setdefault(row.department, Counter())[row.status] += 1
        click.echo(f"progress at the end of {quarter} (plan {progress.plan})")
        click.echo("department".ljust(28) + "".join(status.rjust(13) for status in STATUS_ORDER))
        for department in sorted(counts):
            click.echo(department.ljust(28) + "".join(str(counts[department][s]).rjust(13) for s in STATUS_ORDER))
        for row in progress.objects:
            if row.late:
                click.echo(f"{row.status}: {row.kind} {row.id} ({row.department}, planned {row.planned}): {row.why}")
    if out_dir is not None:
        written = write_progress(progress, plan, loaded, out_dir)
        click.echo("wrote " + ", ".join(str(path) for path in written), err=as_json)


@command("diff")
@click.argument("old_path", metavar="OLD.json", type=click.Path(path_type=Path))
@click.argument("new_path", metavar="NEW.json", type=click.Path(path_type=Path))
@click.option("--progress", "progress_path", type=click.Path(path_type=Path),
              help="progress.json of the old plan: slipped and failed objects get that cause.")
@click.option("--old-scenario", type=click.Path(path_type=Path), help="The old plan's scenario (with --new-scenario: "
              "inventory and limit changes as causes).")
@click.option("--new-scenario", type=click.Path(path_type=Path), help="The new plan's scenario.")
@click.option("--csv", "csv_path", type=click.Path(path_type=Path), help="Write the changes as CSV.")
@click.option("--html", "html_path", type=click.Path(path_type=Path),
              help="Write the changes as an HTML section (for the report or the bulletin).")
@json_option
@handle_errors
def diff_command(old_path: Path, new_path: Path, progress_path: Path | None, old_scenario: Path | None,
                 new_scenario: Path | None, csv_path: Path | None, html_path: Path | None, as_json: bool) -> None:
    """What changed between two plans: quarter, pool, added, dropped, cost and KPI forecast, each with its cause."""
    from models.errors import InputError
    from models.progress import load_progress
    from planner.atomic import write_atomically
    from planner.output import load_plan
    from planner.report.diff import CHANGE_ZH, diff_csv, diff_html, diff_plans
    from planner.scenario_file import load_scenario_with_inventory

    if (old_scenario is None) != (new_scenario is None):
        raise InputError("--old-scenario and --new-scenario go together")
    old_context = new_context = None
    names: dict[str, str] = {}
    if old_scenario is not None and new_scenario is not None:
        old_loaded, new_loaded = load_scenario_with_inventory(old_scenario), load_scenario_with_inventory(new_scenario)
        old_context = (old_loaded.scenario, old_loaded.inventory)
        new_context = (new_loaded.scenario, new_loaded.inventory)
        for inventory in (old_loaded.inventory, new_loaded.inventory):
            names |= {record.id: record.name for records in (inventory.systems, inventory.networks, inventory.rooms)
                      for record in records}
    diff = diff_plans(load_plan(old_path), load_plan(new_path),
                      load_progress(progress_path) if progress_path else None, old_context, new_context, names)
    if as_json:
        click.echo(json.dumps(diff.to_json(), ensure_ascii=False, indent=2))
    else:
        for change in diff.changes:
            old = f"{change.old.action} {change.old.period or ''} {change.old.target or ''}".strip() if change.old else "-"
            new = f"{change.new.action} {change.new.period or ''} {change.new.target or ''}".strip() if change.new else "-"
            click.echo(f"{change.kind} {change.id}: {change.change} ({CHANGE_ZH.get(change.change, '')}): "
                       f"{old} -> {new}" + (f"; cause: {change.cause}" if change.cause else ""))
        if diff.cost_change is not None:
            click.echo(f"cost: {diff.old_cost:,.1f} -> {diff.new_cost:,.1f} 万元 ({diff.cost_change:+,.1f})")
        for kpi in diff.kpis:
            before = "-" if kpi.old is None else f"{kpi.old:.1%}"
            after = "-" if kpi.new is None else f"{kpi.new:.1%}"
            click.echo(f"{kpi.kpi}@{kpi.period}: {before} -> {after}")
        click.echo(f"{len(diff.changes)} changes")
    if csv_path is not None:
        write_atomically(csv_path, diff_csv(diff))
    if html_path is not None:
        write_atomically(html_path, diff_html(diff))



@command("bulletin")
@click.argument("previous_path", metavar="PREVIOUS.json", type=click.Path(path_type=Path))
@click.argument("replanned_path", metavar="REPLANNED.json", type=click.Path(path_type=Path))
@click.argument("scenario_path", metavar="SCENARIO.yaml", type=click.Path(path_type=Path))
@click.option("--quarter", required=True, help="The quarter reported, e.g. 2024Q1.")
@click.option("--progress", "progress_path", required=True, type=click.Path(path_type=Path),
              help="progress.json written by `migplan progress -o`.")
@click.option("--diff/--no-diff", "with_diff", default=True, show_default=True,
              help="Add the changes from PREVIOUS.json to REPLANNED.json.")
@click.option("--pdf", "with_pdf", is_flag=True, help="Also print bulletin.pdf with headless Chromium.")
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path), default=Path("out/bulletin"),
              show_default=True, help="Folder for bulletin.html, bulletin.xlsx (and bulletin.pdf).")
@handle_errors
def bulletin_command(previous_path: Path, replanned_path: Path, scenario_path: Path, quarter: str,
                     progress_path: Path, with_diff: bool, with_pdf: bool, out_dir: Path) -> None:
    """The 季通报 of a quarter: KPIs against target, each department's work done and slipped, next quarter's work.

    PREVIOUS.json is the plan the quarter ran on; REPLANNED.json and SCENARIO.yaml the re-plan made after it.
    """
    from models.progress import load_progress
    from planner.output import load_plan
    from planner.report.bulletin import build_bulletin, print_pdf, write_bulletin
    from planner.report.diff import diff_plans
    from planner.scenario_file import load_scenario_with_inventory

    period = _quarter(quarter, "--quarter")
    previous, replanned = load_plan(previous_path), load_plan(replanned_path)
    progress = load_progress(progress_path)
    loaded = load_scenario_with_inventory(scenario_path)
    names = {record.id: record.name for records in (loaded.inventory.systems, loaded.inventory.networks,
                                                     loaded.inventory.rooms) for record in records}
    diff = diff_plans(previous, replanned, progress, names=names) if with_diff else None
    bulletin = build_bulletin(period, previous, replanned, progress, loaded.scenario, loaded.inventory, diff)  # type: ignore[arg-type]
    written = write_bulletin(bulletin, out_dir)
    if with_pdf:
        written.append(print_pdf(written[0], out_dir / "bulletin.pdf"))
    click.echo(f"{period}: {sum(len(d.done) for d in bulletin.departments)} done, {len(bulletin.slipped)} slipped, "
               f"{len(bulletin.next_work)} planned for {bulletin.next_quarter}; wrote "
               + ", ".join(str(path) for path in written))


COMMANDS: tuple[click.Command, ...] = (progress_command, diff_command, bulletin_command)
