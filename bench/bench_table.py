"""One table of planning speed: the bundled city, the 4,200- and the 21,000-system province.

Run: ``.venv/bin/python bench/bench_table.py [--instances city,4200,21000] [--rows milp,highs,greedy]``.
One command on one machine. Each row runs in a child process of its own (spawned, so that its peak
memory is its own), one after the other. Per row: model build seconds; when the first plan within 1%
of the instance's best known cost came (:data:`BEST_KNOWN` or a cheaper plan of this run), and the
first within 1% of the instance's best proven bound (stricter); when the plan was proven within 1% and
0.5% (the plan within that share of the bound known at that moment); the final cost and bound; peak memory (max RSS of the
row's process); the solver; whether ``migplan check`` accepts the plan. Times count from the start of
planning, model build included. Rows: ``milp`` (the planner as shipped: HiGHS with the search and, on
a province, the decomposition), ``highs`` (HiGHS's own branch and bound alone: no warm start, no search
beside it) and ``greedy`` (the baseline). ``uptime`` is printed before and after. No assertion: figures only.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import resource
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

BUNDLED = Path(__file__).resolve().parents[1] / "scenarios" / "xiangtan" / "baseline.yaml"
BEST_KNOWN = {
    "bundled city (300)": 10_602.4,
    "province (4,200)": 150_145.3,
    "province (21,000)": 417_786.6,
}
"""The cheapest plan known of each instance (万元), every one accepted by ``migplan check`` (bench/RESULTS.md): the
city's from a 900 s run (``migplan plan scenarios/xiangtan/baseline.yaml --time-limit 900 --gap 0.0005``, bound
10,589.4), the 4,200-system province's from this table's run in session 14, the 21,000-system one's from this table's
planner row in session 22 (bound 413,624.4). A row that finds a cheaper plan becomes its
instance's reference."""
PLANS = ("warm start", "guided plan", "RENS plan")
"""Step events whose ``objective`` is a plan's cost (the LP relaxation's is a bound, not a plan)."""


@dataclass
class Row:
    instance: str
    kind: str
    solver: str = ""
    status: str = ""
    build_s: float | None = None
    wall_s: float = 0.0
    cost: float | None = None
    bound: float | None = None
    peak_gb: float = 0.0
    checked: str = ""
    plans: list[tuple[float, float]] = field(default_factory=list)
    bounds: list[tuple[float, float]] = field(default_factory=list)
    note: str = ""


def plan_row(scenario: str, instance: str, kind: str, time_limit: float, gap: float) -> Row:
    """Plan one instance one way (in a child process) and check the plan."""
    from models.errors import MigplanError
    from planner.api import PlanRequest, plan_milp, plan_scenario
    from planner.build import create_model, models_kept
    from planner.check import check_plan
    from planner.data import planning_data
    from planner.events import ProgressEvent
    from planner.model import Elastic
    from planner.scenario_file import load_scenario_with_inventory
    from planner.settings import SolverSettings

    loaded = load_scenario_with_inventory(scenario)
    row = Row(instance, kind)
    started = time.perf_counter()

    def progress(event: ProgressEvent) -> None:
        now = time.perf_counter() - started
        if "objective" in event.numbers and (event.kind == "incumbent" or event.text.startswith(PLANS)):
            row.plans.append((now, event.numbers["objective"]))
        if "bound" in event.numbers and math.isfinite(event.numbers["bound"]):
            row.bounds.append((now, event.numbers["bound"]))

    if kind == "greedy":
        plan = plan_scenario(loaded, PlanRequest(solver="greedy"))
    elif kind == "milp":
        plan = plan_scenario(loaded, PlanRequest(solver="highs", time_limit_s=time_limit, mip_gap=gap), progress)
    else:
        data = planning_data(loaded.inventory, loaded.scenario)
        built = time.perf_counter()
        settings = SolverSettings(time_limit_s=time_limit, mip_gap=gap, search=False)
        try:
            with models_kept():  # as plan_scenario does for the other rows
                model = create_model(data, Elastic(targets=True))
                plan = plan_milp(data, settings, None, progress, (model, time.perf_counter() - built))
        except MigplanError as error:
            row.solver, row.status, row.note = "highs alone, no start", "no plan", str(error)
            row.wall_s = time.perf_counter() - started
            row.peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2
            return row
    row.wall_s = time.perf_counter() - started
    assert plan.solve is not None
    row.solver = "greedy" if kind == "greedy" else plan.solve.solver + ("" if kind == "milp" else " alone, no start")
    row.status, row.cost, row.bound = plan.status, plan.objective_wan, plan.bound_wan
    # A time-limited plan that misses targets is "feasible" (not proven infeasible): say what it misses.
    missed = [violation for violation in plan.violations if "@" in violation.constraint]
    if missed:
        row.note = "misses " + ", ".join(
            f"{v.constraint} ({(v.required or 0) - (v.reached or 0):,.0f} objects left)" if v.constraint.startswith("complete_by@")
            else v.constraint for v in missed)
    row.build_s = plan.solve.build_seconds
    if row.cost is not None:
        row.plans.append((row.wall_s, row.cost))
    if row.bound is not None:
        row.bounds.append((row.wall_s, row.bound))
    report = check_plan(plan, loaded.scenario, loaded.inventory)
    row.checked = "ok" if report.ok else f"{len(report.errors)} errors"
    row.peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2
    return row


def relative_gap(objective: float, bound: float) -> float:
    return max(objective - bound, 0.0) / max(abs(objective), 1e-9)


def first_plan_within(row: Row, reference: float | None, share: float) -> float | None:
    """The first moment a plan cost at most ``share`` more than ``reference`` (a bound or a plan's cost)."""
    if reference is None:
        return None
    return next((s for s, cost in sorted(row.plans) if cost <= reference * (1 + share) + 1e-9), None)


def proven_within(row: Row, share: float) -> float | None:
    """The first moment the best plan so far was within ``share`` of the best bound so far."""
    best, bound = float("inf"), float("-inf")
    for seconds, kind, value in sorted([(s, 0, v) for s, v in row.plans] + [(s, 1, v) for s, v in row.bounds]):
        best, bound = (min(best, value), bound) if kind == 0 else (best, max(bound, value))
        if bound > float("-inf") and best < float("inf") and relative_gap(best, bound) <= share + 1e-9:
            return seconds
    return None


def instances(folder: Path, chosen: set[str]) -> list[tuple[str, str, float, float]]:
    """(name, scenario file, time limit, gap asked) of each chosen instance (``city``, ``4200``, ``21000``),
    generating the provinces into ``folder``."""
    from inventory.files import write_inventory
    from inventory.generate import baseline_scenario, generate
    from inventory.yamlio import write_document

    found = [("bundled city (300)", str(BUNDLED), 60.0, 0.005)] if "city" in chosen else []
    for per_city, limit in ((300, 120.0), (1500, 600.0)):
        if str(14 * per_city) not in chosen:
            continue
        path = folder / str(per_city)
        path.mkdir()
        inventory = generate(cities=14, systems_per_city=per_city, seed=1)
        write_inventory(inventory, path / "inventory.yaml")
        write_document(baseline_scenario(inventory, "inventory.yaml"), path / "baseline.yaml")
        found.append((f"province ({len(inventory.systems):,})", str(path / "baseline.yaml"), limit, 0.01))
    return found


HEADER = ("instance", "solver", "build s", "1% plan at s", "1% of bound at s", "1% proven at s", "0.5% proven at s",
          "status", "cost 万元", "bound 万元", "peak GB", "check")


def table_line(row: Row, gap: float, best_known: float | None, best_bound: float | None) -> str:
    """One row of the table: the "1% plan" columns measure against ``best_known`` (a cost) and ``best_bound``."""
    def seconds(value: float | None) -> str:
        return "-" if value is None else f"{value:.1f}"
    return "| " + " | ".join((
        row.instance, row.solver, seconds(row.build_s), seconds(first_plan_within(row, best_known, 0.01)),
        seconds(first_plan_within(row, best_bound, 0.01)),
        seconds(proven_within(row, 0.01)), seconds(proven_within(row, 0.005)),
        f"{row.status} (gap asked {gap:.1%})" + (f"; {row.note}" if row.note else ""),
        "-" if row.cost is None else f"{row.cost:,.1f}",
        "-" if row.bound is None else f"{row.bound:,.1f}", f"{row.peak_gb:.2f}", row.checked)) + " |"


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instances", default="city,4200,21000",
                        help="which instances, of city (the bundled one), 4200 and 21000 (the generated provinces)")
    parser.add_argument("--rows", default="milp,highs,greedy", help="which rows, of milp, highs and greedy")
    parser.add_argument("--highs-alone-limit", type=float, default=120,
                        help="time limit of the HiGHS-alone rows on a province (it has no plan within minutes there)")
    options = parser.parse_args()
    print(f"start: {uptime()}", flush=True)
    context = multiprocessing.get_context("spawn")
    rows: list[tuple[Row, float]] = []
    with tempfile.TemporaryDirectory() as folder:
        for name, scenario, limit, gap in instances(Path(folder), set(options.instances.split(","))):
            for kind in options.rows.split(","):
                row_limit = min(limit, options.highs_alone_limit) if kind == "highs" and "province" in name else limit
                with context.Pool(1) as pool:
                    row = pool.apply(plan_row, (scenario, name, kind, row_limit, gap))
                rows.append((row, gap))
                print(f"  {name} {kind}: {row.status} {row.cost} in {row.wall_s:.0f} s; {uptime()}", flush=True)
                print("  " + table_line(row, gap, BEST_KNOWN.get(name), row.bound), flush=True)
    print(f"end: {uptime()}\n")
    best_bound = {row.instance: max((r.bound for r, _g in rows if r.instance == row.instance and r.bound is not None),
                                    default=None) for row, _gap in rows}
    best_known: dict[str, float | None] = {}
    for row, _gap in rows:
        known = (row.cost if row.checked == "ok" else None, best_known.get(row.instance), BEST_KNOWN.get(row.instance))
        best_known[row.instance] = min((cost for cost in known if cost is not None), default=None)
    print("| " + " | ".join(HEADER) + " |")
    print("|" + "---|" * len(HEADER))
    for row, gap in rows:
        print(table_line(row, gap, best_known[row.instance], best_bound[row.instance]))
    print("\n1% plan: the first plan within 1% of the instance's best known cost ("
          + ", ".join(f"{name} {cost:,.1f}" for name, cost in best_known.items() if cost is not None)
          + "); 1% of bound: within 1% of the best bound any row proved for that instance (stricter); "
          "proven: the best plan so far within that share of the bound so far.")


if __name__ == "__main__":
    main()
