"""Planning several scenarios at once, each in its own process, for the comparison (planner/report/compare.py draws it).

A child process plans one scenario with ``plan_scenario`` (an infeasible one still
returns its violations), writes that scenario's plan files and report into its own
folder, and sends back a small picklable summary.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import replace
from multiprocessing import get_context
from pathlib import Path

from inventory.outputs import output_folder
from models.errors import MigplanError
from planner.report.compare import ScenarioOutcome, write_comparison
from planner.report.labels import Labels, Language

NOT_A_SCENARIO = re.compile(r"migplan-inventory/\d")


def plan_one(path: str, folder_path: str | None, solver: str | None, time_limit_s: float | None,
             language: Language) -> ScenarioOutcome:
    """Plan one scenario (in a child process) and write its files into ``folder_path``;
    a migplan error becomes an ``error`` outcome, never an exception."""
    from planner.api import PlanRequest, plan_scenario
    from planner.data import planning_data
    from planner.output import write_plan_files
    from planner.quality import plan_quality
    from planner.report import facts
    from planner.report.html import write_report
    from planner.scenario_file import load_scenario_with_inventory

    started = time.perf_counter()
    try:
        loaded = load_scenario_with_inventory(path)
        plan = plan_scenario(loaded, PlanRequest(solver=solver, time_limit_s=time_limit_s))
        data = planning_data(loaded.inventory, loaded.scenario)
        folder = None
        if folder_path is not None:
            folder = Path(folder_path)
            write_plan_files(plan, data, folder)
            write_report(plan, data, folder / "report.html", language)
        targets, limits = facts.split_violations(plan.violations)
        quality = plan_quality(plan)
        completion = next((v for v in plan.violations if facts.is_completion(v)), None)
        complete_by = loaded.scenario.complete_by
        return ScenarioOutcome(
            path=path, name=plan.scenario, status=plan.status, cost_wan=plan.objective_wan,
            bound_wan=quality.bound_wan, gap=quality.gap,
            kpis=facts.kpi_at_target_years(plan, data), binding=facts.binding_summary(limits),
            targets_missed=[f"{miss.kpi}@{miss.year}" for miss in targets],
            complete_by=str(complete_by) if complete_by is not None else "off",
            left=int((completion.required or 0) - (completion.reached or 0)) if completion is not None else 0,
            warnings=len(plan.warnings),
            seconds=time.perf_counter() - started, out_dir=str(folder) if folder is not None else None,
        )
    except MigplanError as error:
        return ScenarioOutcome(path=path, name=Path(path).stem, status="error", error=str(error).splitlines()[0],
                               exit_code=error.exit_code, seconds=time.perf_counter() - started)


def scenario_files(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """(scenarios, skipped): a shell glob like ``scenarios/xiangtan/*.yaml`` also matches the inventory."""
    scenarios, skipped = [], []
    for path in paths:
        try:
            head = path.read_text(encoding="utf-8", errors="replace")[:4096]
        except OSError:
            scenarios.append(path)  # the child reports the missing or unreadable file as its error
            continue
        (skipped if NOT_A_SCENARIO.search(head) and "migplan-scenario/" not in head else scenarios).append(path)
    return scenarios, skipped


def compare_scenarios(paths: list[Path], *, jobs: int | None = None, out_dir: Path | None = None,
                      solver: str | None = None, time_limit_s: float | None = None, language: Language = "zh",
                      on_done: Callable[[ScenarioOutcome, int, int], None] | None = None,
                      ray: str | None = None) -> list[ScenarioOutcome]:
    """Plan every scenario in parallel processes, or as tasks on the Ray cluster at ``ray`` (planner/cluster.py),
    each into its own folder of ``out_dir`` as it is; outcomes in the order of ``paths``."""
    folders = [str(out_dir / name) if out_dir else None for name in scenario_folders(paths)]
    arguments = [(str(path), folder, solver, time_limit_s, language)
                 for path, folder in zip(paths, folders, strict=True)]
    outcomes: dict[int, ScenarioOutcome] = {}
    if ray is not None:
        from planner.cluster import run_all

        for index, outcome in run_all(plan_one, arguments, ray):
            outcomes[index] = outcome
            if on_done is not None:
                on_done(outcome, len(outcomes), len(paths))
        return [outcomes[index] for index in range(len(paths))]
    # spawn, not fork: the parent may run a progress thread, and HiGHS threads do not survive a fork.
    context = get_context("spawn")
    with ProcessPoolExecutor(max_workers=jobs or min(len(paths), 4) or 1, mp_context=context) as pool:
        futures = {pool.submit(plan_one, *args): index for index, args in enumerate(arguments)}
        for future in as_completed(futures):
            outcome = future.result()
            outcomes[futures[future]] = outcome
            if on_done is not None:
                on_done(outcome, len(outcomes), len(paths))
    return [outcomes[index] for index in range(len(paths))]


def scenario_folders(paths: list[Path]) -> list[str]:
    """One folder name per scenario, unique even when two files share a name (``baseline``, ``baseline-2``)."""
    names: list[str] = []
    taken: set[str] = set()
    for path in paths:
        stem = path.stem or "scenario"
        name, number = stem, 1
        while name.casefold() in taken:  # casefold: a case-insensitive file system would merge them
            number += 1
            name = f"{stem}-{number}"
        taken.add(name.casefold())
        names.append(name)
    return names


def compare_into(paths: list[Path], labels: Labels, out_dir: Path, force: bool = False, *, jobs: int | None = None,
                 solver: str | None = None, time_limit_s: float | None = None,
                 on_done: Callable[[ScenarioOutcome, int, int], None] | None = None, ray: str | None = None,
                 ) -> tuple[list[ScenarioOutcome], list[Path]]:
    """Compare the scenarios and write everything into ``out_dir`` as one set, swapped in whole;
    return the outcomes and the comparison files written."""
    with output_folder(out_dir, force) as staging:
        outcomes = compare_scenarios(paths, jobs=jobs, out_dir=staging, solver=solver, time_limit_s=time_limit_s,
                                     language=labels.language, on_done=on_done, ray=ray)
        names = write_comparison(outcomes, labels, staging)
    moved = [outcome if outcome.out_dir is None else replace(outcome, out_dir=str(out_dir / Path(outcome.out_dir).name))
             for outcome in outcomes]
    return moved, [out_dir / path.name for path in names]
