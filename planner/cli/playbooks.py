"""``migplan playbooks`` and ``migplan run``: write the Ansible playbooks of a plan, run one wave."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from planner.cli.common import command, handle_errors


@command("playbooks")
@click.argument("plan_path", metavar="PLAN.json", type=click.Path(path_type=Path))
@click.argument("scenario_path", metavar="SCENARIO.yaml", type=click.Path(path_type=Path))
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path), default=Path("out/playbooks"),
              show_default=True, help="Folder to write one directory per wave into.")
@click.option("--site", "site_path", type=click.Path(path_type=Path),
              help="Site file: group defaults and per-object host vars (connection, paths, hooks).")
@click.option("--force", is_flag=True,
              help="Write playbooks even for a plan that is infeasible, made from another inventory, "
                   "or rejected by `migplan check`, and into a non-empty folder migplan did not write.")
@handle_errors
def playbooks_command(plan_path: Path, scenario_path: Path, out_dir: Path, site_path: Path | None,
                      force: bool) -> None:
    """Write Ansible playbooks for every wave of PLAN.json; exit 6 for a plan that must not run."""
    from inventory.outputs import check_output_folder
    from planner.output import load_plan
    from planner.scenario_file import load_scenario_with_inventory
    from playbooks.generate import generate, load_site
    from playbooks.refusal import ensure_runnable

    check_output_folder(out_dir, force)  # a file, an unwritable or a foreign folder, named before any work
    started = time.perf_counter()
    plan = load_plan(plan_path)
    loaded = load_scenario_with_inventory(scenario_path)
    site = load_site(site_path)
    for reason in ensure_runnable(plan_path, plan, loaded.scenario, loaded.inventory, force):
        click.echo(f"warning: --force: {reason}", err=True)
    waves = generate(plan, loaded.scenario, loaded.inventory, out_dir, site, force)
    click.echo(f"{out_dir}: {len(waves)} waves ({', '.join(wave.name for wave in waves)}) "
               f"in {time.perf_counter() - started:.1f} s")


@command("run")
@click.option("--wave", required=True, help="The period to run, e.g. 2024Q2.")
@click.option("--check", is_flag=True, help="Ansible check mode: report, change nothing.")
@click.option("--limit", "limit_id", metavar="ID", help="Only the cutover of this object id.")
@click.option("--playbooks", "playbooks_dir", type=click.Path(path_type=Path), default=Path("out/playbooks"),
              show_default=True)
@click.option("--journal", "journal_path", type=click.Path(path_type=Path),
              help="Run journal (JSON lines); default out/journal-WAVE.jsonl next to the playbooks folder.")
@handle_errors
def run_command(wave: str, check: bool, limit_id: str | None, playbooks_dir: Path,
                journal_path: Path | None) -> None:
    """Run one wave through ansible-runner; stop at the first failed cutover (exit 5, naming the host,
    task and message); run again to resume from the journal."""
    from playbooks.run import default_progress, run_wave

    journal = journal_path or playbooks_dir.parent / f"journal-{wave}.jsonl"
    result = run_wave(playbooks_dir, wave, default_progress(), journal, check=check, limit=limit_id)
    summary = f"wave {wave}: {len(result.ok)} ok, {len(result.skipped)} already done"
    if result.failed:
        summary += (f", {result.failed} failed{' and rolled back' if result.rolled_back else ''} "
                    f"on {result.failure}, {len(result.not_run)} not run")
    click.echo(summary + f" (journal {journal})", err=result.failed is not None)
    sys.exit(result.exit_code)


COMMANDS: tuple[click.Command, ...] = (playbooks_command, run_command)
