"""Where the bundled city's lower bound comes from, and why a 0.5% gap within 10 s is out of reach.

Run: ``.venv/bin/python bench/bench_bound.py [--plan out/plan.json] [SCENARIO]``.
Prints the LP relaxation and its time; with ``--plan``, the same LP with the rooms' closure
quarters fixed to that plan's (how much of the gap the room timing carries); and the bound
HiGHS proves within ``--seconds`` (10: the goal), with its defaults and with probing off, and
the cost a plan may have for the better bound to prove a 0.5% gap. No assertion: figures only.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import highspy
import numpy as np

from models.plan import Plan
from planner.build import create_model
from planner.data import planning_data
from planner.highs import PROBING_OFF, pass_model
from planner.model import Elastic, Model
from planner.output import load_plan
from planner.scenario_file import load_scenario_with_inventory

BUNDLED = Path(__file__).resolve().parents[1] / "scenarios" / "xiangtan" / "baseline.yaml"
GAP = 0.005


def quiet_highs(model: Model) -> highspy.Highs:
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    pass_model(model.prob, highs)
    return highs


def relaxation(model: Model, fixed: dict[int, float]) -> tuple[float, float]:
    """The LP relaxation's value and seconds, with the given columns fixed."""
    highs = quiet_highs(model)
    highs.setOptionValue("solve_relaxation", True)
    if fixed:
        columns = np.array(sorted(fixed), dtype=np.int32)
        values = np.array([fixed[c] for c in columns])
        highs.changeColsBounds(columns.size, columns, values, values)
    started = time.perf_counter()
    highs.run()
    return highs.getInfo().objective_function_value, time.perf_counter() - started


def room_closures(model: Model, plan: Plan) -> dict[int, float]:
    """Column -> value of every "room closed by t" variable, as the plan closes its rooms."""
    closed_in = {a.id: a.period for a in plan.actions if a.kind == "room" and a.action == "close"}
    fixed: dict[int, float] = {}
    for (room, t), var in model.variables.closed_by.items():
        if var is not None:
            period = closed_in.get(room)
            fixed[var.index] = 1.0 if period is not None and period <= t else 0.0
    return fixed


def row(label: str, value: float, note: str = "") -> None:
    print(f"  {label:<40}{value:12,.1f} 万元  {note}".rstrip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", type=Path, default=BUNDLED)
    parser.add_argument("--plan", type=Path, help="a plan of the same scenario, e.g. out/plan.json")
    parser.add_argument("--seconds", type=float, default=10.0, help="HiGHS's time for the bound")
    options = parser.parse_args()
    loaded = load_scenario_with_inventory(options.scenario)
    model = create_model(planning_data(loaded.inventory, loaded.scenario), Elastic(targets=True))
    print(f"{options.scenario}: {len(model.prob.variables()):,} variables, {len(model.prob.constraints):,} constraints")
    value, seconds = relaxation(model, {})
    row("LP relaxation", value, f"({seconds:.1f} s)")
    if options.plan is not None:
        plan = load_plan(options.plan)
        fixed_value, _ = relaxation(model, room_closures(model, plan))
        cost = "" if plan.objective_wan is None else f"(the plan costs {plan.objective_wan:,.1f})"
        row("LP, room closures as in the plan", fixed_value, cost)
    bounds = []
    for label, rules_off in (("", 0), (", probing off", PROBING_OFF)):
        highs = quiet_highs(model)
        highs.setOptionValue("presolve_rule_off", rules_off)
        highs.setOptionValue("time_limit", options.seconds)
        highs.run()
        bounds.append(highs.getInfo().mip_dual_bound)
        row(f"HiGHS's bound after {options.seconds:.0f} s{label}", bounds[-1])
    row(f"most a plan may cost for a {GAP:.1%} gap", max(bounds) / (1 - GAP))


if __name__ == "__main__":
    main()
