"""Where the bundled city's lower bound comes from, and why a 0.5% gap within 10 s is out of reach.

Run: ``.venv/bin/python bench/bench_bound.py [--plan out/plan.json] [--seconds 60] [SCENARIO]``.
Prints the LP relaxation and its time; with ``--plan``, the same LP with the rooms' closure
quarters fixed to that plan's, with its networks' cutover quarters fixed, and with both (how much
of the gap each timing carries); and HiGHS's bound over ``--seconds`` (10: the goal; more shows where it
stalls), with its defaults and with probing off, given the plan's cost as a cutoff when there is a plan,
and the cost a plan may have for the better bound at 10 s to prove a 0.5% gap. No assertion: figures only.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import highspy
import numpy as np

from models.period import Period
from models.plan import Plan
from planner.build import create_model
from planner.data import planning_data
from planner.highs import PROBING_OFF, pass_model
from planner.model import ByVariable, Elastic, Model
from planner.output import load_plan
from planner.scenario_file import load_scenario_with_inventory
from planner.terms import by_terms

BUNDLED = Path(__file__).resolve().parents[1] / "scenarios" / "xiangtan" / "baseline.yaml"
GAP = 0.005
MARKS = (5.0, 10.0, 15.0, 20.0, 30.0, 45.0, 60.0, 90.0, 120.0)
"""Over time, the bound is printed as HiGHS's first report past each of these seconds gives it (at that report's time)."""


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


def done_by(by: dict[tuple[str, Period], ByVariable], done_in: dict[str, Period]) -> dict[int, float]:
    """Column -> value of every "done by t" variable of ``by`` (rooms closed, networks cut over), as a plan does them."""
    fixed: dict[int, float] = {}
    for (key, t), value in by.items():
        period = done_in.get(key)
        for var in by_terms(value):
            fixed[var.index] = 1.0 if period is not None and period <= t else 0.0
    return fixed


def room_closures(model: Model, plan: Plan) -> dict[int, float]:
    """Column -> value of every "room closed by t" variable, as the plan closes its rooms."""
    return done_by(model.variables.closed_by,
                   {a.id: a.period for a in plan.actions if a.kind == "room" and a.action == "close" and a.period})


def network_cutovers(model: Model, plan: Plan) -> dict[int, float]:
    """Column -> value of every "network migrated or interconnected by t" variable, as the plan cuts them over."""
    return done_by(model.variables.network_by,
                   {a.id: a.period for a in plan.actions if a.kind == "network" and a.period})


def bound_over_time(model: Model, rules_off: int, seconds: float, cutoff: float | None) -> list[tuple[float, float]]:
    """HiGHS's bound as it reports it (seconds, bound), and at the end; HiGHS prunes above ``cutoff``."""
    highs = quiet_highs(model)
    highs.setOptionValue("presolve_rule_off", rules_off)
    highs.setOptionValue("time_limit", seconds)
    highs.setOptionValue("mip_rel_gap", GAP)
    if cutoff is not None:
        highs.setOptionValue("objective_bound", cutoff)
    reports: list[tuple[float, float]] = []
    started = time.perf_counter()

    def record(event: object) -> None:
        reports.append((time.perf_counter() - started, event.data_out.mip_dual_bound))  # type: ignore[attr-defined]

    highs.cbMipInterrupt.subscribe(record)
    highs.run()
    reports.append((time.perf_counter() - started, highs.getInfo().mip_dual_bound))
    return reports


def at_marks(reports: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The first report past each of :data:`MARKS`, and the last."""
    end = reports[-1]
    picked = {next(report for report in reports if report[0] >= mark) for mark in MARKS if mark < end[0]}
    return sorted(report for report in picked if end[0] - report[0] > 0.5) + [end]


def row(label: str, value: float, note: str = "") -> None:
    print(f"  {label:<40}{value:12,.1f} 万元  {note}".rstrip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", type=Path, default=BUNDLED)
    parser.add_argument("--plan", type=Path, help="a plan of the same scenario, e.g. out/plan.json")
    parser.add_argument("--seconds", type=float, default=10.0, help="HiGHS's time for the bound (at least 10)")
    options = parser.parse_args()
    loaded = load_scenario_with_inventory(options.scenario)
    model = create_model(planning_data(loaded.inventory, loaded.scenario), Elastic(targets=True))
    print(f"{options.scenario}: {len(model.prob.variables()):,} variables, {len(model.prob.constraints):,} constraints")
    value, seconds = relaxation(model, {})
    row("LP relaxation", value, f"({seconds:.1f} s)")
    plan = load_plan(options.plan) if options.plan is not None else None
    if plan is not None:
        cost = "" if plan.objective_wan is None else f"(the plan costs {plan.objective_wan:,.1f})"
        rooms, networks = room_closures(model, plan), network_cutovers(model, plan)
        row("LP, room closures as in the plan", relaxation(model, rooms)[0], cost)
        row("LP, network cutovers as in the plan", relaxation(model, networks)[0])
        row("LP, both as in the plan", relaxation(model, {**rooms, **networks})[0])
    cutoff = None if plan is None else plan.objective_wan
    at_ten = []
    for label, rules_off in (("", 0), (", probing off", PROBING_OFF)):
        reports = bound_over_time(model, rules_off, max(options.seconds, 10.0), cutoff)
        # The last report within 10 s: what a plan finished at 10 s could be proved against.
        at_ten.append(max((bound for seconds, bound in reports if seconds <= 10.0), default=-np.inf))
        row(f"HiGHS's bound after 10 s{label}", at_ten[-1])
        if options.seconds > 10.0:
            print("    over time: " + ", ".join(f"{seconds:.1f} s {bound:,.1f}" for seconds, bound in at_marks(reports)))
    row(f"most a plan may cost for a {GAP:.1%} gap at 10 s", max(at_ten) / (1 - GAP))


if __name__ == "__main__":
    main()
