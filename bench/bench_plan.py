"""Planning speed and quality: the bundled city and a generated province, MILP against greedy.

Run: ``.venv/bin/python bench/bench_plan.py [--province-systems-per-city 300] [--skip-province]``.
Prints, per instance: model size, build seconds (on their own), solve seconds, status, when the first
plans within 1% and 0.5% of the final bound were found, gap, and cost of the MILP next to the
greedy baseline's. No assertion: figures only.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from inventory.files import write_inventory
from inventory.generate import baseline_scenario, generate
from inventory.yamlio import write_document
from planner.api import PlanRequest, greedy_as_plan, plan_scenario
from planner.build import create_model
from planner.data import planning_data
from planner.events import ProgressEvent
from planner.greedy import greedy_plan
from planner.highs import relative_gap
from planner.model import Elastic
from planner.scenario_file import LoadedScenario, load_scenario_with_inventory

BUNDLED = Path(__file__).resolve().parents[1] / "scenarios" / "xiangtan" / "baseline.yaml"


def first_within(events: list[tuple[float, float]], bound: float | None, share: float) -> str:
    """When the first plan within ``share`` of the final proved bound was found (from the progress messages)."""
    if bound is None:
        return "n/a"
    for seconds, cost in events:
        if relative_gap(cost, bound) <= share:
            return f"{seconds:.0f} s"
    return "never"


def measure(label: str, loaded: LoadedScenario, time_limit: float, gap: float) -> None:
    started = time.perf_counter()
    data = planning_data(loaded.inventory, loaded.scenario)
    model = create_model(data, Elastic(targets=True))
    build = time.perf_counter() - started
    greedy = plan_scenario(loaded, PlanRequest(solver="greedy"))
    engineer, _ = greedy_as_plan(data, greedy_plan(data, "biggest"), create_model(data), 0.0)
    started = time.perf_counter()
    events: list[tuple[float, float]] = []

    def progress(event: ProgressEvent) -> None:
        if event.kind == "incumbent":
            events.append((time.perf_counter() - started, event.numbers["objective"]))

    milp = plan_scenario(loaded, PlanRequest(solver="highs", time_limit_s=time_limit, mip_gap=gap), progress)
    wall = time.perf_counter() - started
    solve = milp.solve
    assert solve is not None
    print(f"\n{label}: {len(loaded.inventory.systems):,} systems, {len(data.groups):,} move groups, "
          f"{len(data.periods)} quarters")
    print(f"  model        {len(model.prob.variables()):>9,} variables {len(model.prob.constraints):>9,} constraints")
    print(f"  build        {build:9.2f} s (model alone)")
    print(f"  milp         {wall:9.2f} s wall (greedy, build and solve), solver {solve.solve_seconds:.2f} s, "
          f"status {milp.status}, gap {'n/a' if solve.gap is None else f'{solve.gap:.2%}'} (asked {gap:.1%})")
    print(f"  cost         milp {milp.objective_wan:,.1f} 万元, bound "
          f"{'n/a' if milp.bound_wan is None else f'{milp.bound_wan:,.1f}'}, greedy {greedy.objective_wan:,.1f} "
          f"({greedy.status}); the MILP saves {greedy.objective_wan - milp.objective_wan:,.1f} 万元 "
          f"({(greedy.objective_wan - milp.objective_wan) / greedy.objective_wan:.1%})")
    print(f"  found        a plan within 1% of the final bound after {first_within(events, milp.bound_wan, 0.01)}, "
          f"within 0.5% after {first_within(events, milp.bound_wan, 0.005)} (wall, from the start of planning)")
    print(f"  engineer     biggest rooms first, earliest quarter: {engineer.objective_wan:,.1f} 万元 ({engineer.status}"
          f"{', misses ' + ', '.join(v.constraint for v in engineer.violations) if engineer.violations else ''})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--city-time-limit", type=float, default=180, help="the bundled baseline's own limit")
    parser.add_argument("--province-systems-per-city", type=int, default=300)
    parser.add_argument("--province-time-limit", type=float, default=120)
    parser.add_argument("--skip-province", action="store_true")
    options = parser.parse_args()

    measure("bundled city (scenarios/xiangtan/baseline.yaml)", load_scenario_with_inventory(BUNDLED),
            options.city_time_limit, 0.005)
    if options.skip_province:
        return
    with tempfile.TemporaryDirectory() as folder:
        inventory = generate(cities=14, systems_per_city=options.province_systems_per_city, seed=1)
        write_inventory(inventory, Path(folder) / "inventory.yaml")
        write_document(baseline_scenario(inventory, "inventory.yaml"), Path(folder) / "baseline.yaml")
        measure(f"generated province (14 cities x {options.province_systems_per_city})",
                load_scenario_with_inventory(Path(folder) / "baseline.yaml"), options.province_time_limit, 0.01)


if __name__ == "__main__":
    main()
