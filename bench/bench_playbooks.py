"""Time `migplan playbooks` on the sample city: plan it (greedy, not timed), then
generate every wave's playbooks and print the seconds. Target: under 5 s.

    .venv/bin/python bench/bench_playbooks.py [SCENARIO] [--plan PLAN.json]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from planner.api import PlanRequest, plan_scenario  # noqa: E402
from planner.output import load_plan  # noqa: E402
from planner.scenario_file import load_scenario_with_inventory  # noqa: E402
from playbooks.generate import generate  # noqa: E402

TARGET_SECONDS = 5.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", type=Path, default=REPO / "scenarios" / "xiangtan" / "baseline.yaml")
    parser.add_argument("--plan", type=Path, help="An existing plan.json; planned with the greedy solver otherwise.")
    arguments = parser.parse_args()

    loaded = load_scenario_with_inventory(arguments.scenario)
    plan = load_plan(arguments.plan) if arguments.plan else plan_scenario(loaded, PlanRequest(solver="greedy"))
    cutovers = sum(1 for action in plan.actions if action.period is not None)
    with tempfile.TemporaryDirectory(prefix="migplan-bench-") as out:
        started = time.perf_counter()
        waves = generate(plan, loaded.scenario, loaded.inventory, Path(out))
        seconds = time.perf_counter() - started
        files = sum(1 for _ in Path(out).rglob("*") if _.is_file())
    print(f"playbooks: {len(waves)} waves, {cutovers} cutovers, {files} files in {seconds:.2f} s "
          f"(target < {TARGET_SECONDS:.0f} s)")
    return 0 if seconds < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
