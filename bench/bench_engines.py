"""Side by side: the same MILP solved by HiGHS, SCIP (pyscipopt) and CP-SAT (OR-Tools), from the same warm start.

Run: ``.venv/bin/python bench/bench_engines.py [--time-limit 60] [--engines highs,scip,cpsat] [SCENARIO.yaml]``
(``pip install ortools pyscipopt`` first for the other two engines). The model is the planner's own
(``create_model`` with elastic targets), handed over as one MPS file, so every engine sees the same rows;
the warm start is the best greedy plan. Prints, per engine: when its first plan within 1% and 0.5% of the
best cost known (the lowest any engine found, or ``--reference``) came, when its own bound proved 1% and
0.5%, its final plan and bound. No assertion: figures only. ``uptime`` is printed beside them.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

# highspy and OR-Tools 9.15 each carry their own HiGHS and cannot be loaded in one process (undefined
# symbol on import, whichever comes first), so CP-SAT runs in a child process that loads no highspy:
# the planner's modules are imported where they are used.

BUNDLED = Path(__file__).resolve().parents[1] / "scenarios" / "xiangtan" / "baseline.yaml"


@dataclass
class Trace:
    """What one engine found over time: (seconds, plan cost) and (seconds, bound)."""

    engine: str
    plans: list[tuple[float, float]] = field(default_factory=list)
    bounds: list[tuple[float, float]] = field(default_factory=list)
    note: str = ""

    def first_plan_within(self, reference: float, share: float) -> float | None:
        return next((s for s, cost in self.plans if relative_gap(cost, reference) <= share + 1e-12), None)

    def proved(self, share: float) -> float | None:
        """First time the best plan so far was within ``share`` of the bound so far."""
        events = sorted([(s, "plan", v) for s, v in self.plans] + [(s, "bound", v) for s, v in self.bounds])
        best, bound = np.inf, -np.inf
        for seconds, kind, value in events:
            best, bound = (min(best, value), bound) if kind == "plan" else (best, max(bound, value))
            if np.isfinite(best) and np.isfinite(bound) and relative_gap(best, bound) <= share + 1e-12:
                return seconds
        return None


def relative_gap(objective: float, bound: float) -> float:
    """As planner.solve.relative_gap (not imported: it would load highspy into the CP-SAT child)."""
    return max(objective - bound, 0.0) / max(abs(objective), 1e-9)


def run_highs(mps: Path, start: np.ndarray, limit: float, threads: int, gap: float) -> Trace:
    import highspy

    trace = Trace("highs")
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.readModel(str(mps))
    highs.setOptionValue("time_limit", limit)
    highs.setOptionValue("mip_rel_gap", gap)
    highs.setOptionValue("threads", threads)
    solution = highspy.HighsSolution()
    solution.col_value = list(start)
    highs.setSolution(solution)
    started = time.perf_counter()

    def improved(event: object) -> None:
        data = event.data_out  # type: ignore[attr-defined]
        trace.plans.append((time.perf_counter() - started, data.objective_function_value))
        trace.bounds.append((time.perf_counter() - started, data.mip_dual_bound))

    def interrupt(event: object) -> None:
        bound = event.data_out.mip_dual_bound  # type: ignore[attr-defined]
        if np.isfinite(bound):
            trace.bounds.append((time.perf_counter() - started, bound))

    highs.cbMipImprovingSolution.subscribe(improved)
    highs.cbMipInterrupt.subscribe(interrupt)
    highs.run()
    return trace


def run_scip(mps: Path, start: np.ndarray, names: list[str], limit: float, threads: int, gap: float) -> Trace:
    from pyscipopt import SCIP_EVENTTYPE, Eventhdlr, Model

    trace = Trace("scip")
    model = Model()
    model.hideOutput()
    model.readProblem(str(mps))
    model.setParam("limits/time", limit)
    model.setParam("limits/gap", gap)
    by_name = {var.name: var for var in model.getVars()}
    solution = model.createSol()
    for name, value in zip(names, start, strict=True):
        if name in by_name:
            model.setSolVal(solution, by_name[name], float(value))
    model.addSol(solution, free=True)
    started = time.perf_counter()

    class Watch(Eventhdlr):  # type: ignore[misc]
        def eventinit(self) -> None:
            self.model.catchEvent(SCIP_EVENTTYPE.BESTSOLFOUND | SCIP_EVENTTYPE.NODESOLVED, self)

        def eventexec(self, event: object) -> None:
            now = time.perf_counter() - started
            if event.getType() == SCIP_EVENTTYPE.BESTSOLFOUND:  # type: ignore[attr-defined]
                trace.plans.append((now, self.model.getPrimalbound()))
            bound = self.model.getDualbound()
            if abs(bound) < 1e19:
                trace.bounds.append((now, bound))

    model.includeEventhdlr(Watch(), "watch", "records plans and bounds")
    model.optimize()
    trace.note = str(model.getStatus())
    return trace


CPSAT_LINE = re.compile(r"^#(\d+|Bound|Done)\s+([0-9.]+)s best:([-0-9.e+inf]+) next:\[([-0-9.e+inf]+),")


def run_cpsat(mps: Path, start: np.ndarray, names: list[str], limit: float, threads: int, gap: float,
              extra: str = "") -> Trace:
    """CP-SAT in a child process (see the imports above); it prints its trace as lines of numbers."""
    trace = Trace("cpsat")
    np.save(mps.with_suffix(".start.npy"), start)
    (mps.with_suffix(".names")).write_text("\n".join(names))
    child = subprocess.run([sys.executable, __file__, "--cpsat-child", str(mps), "--time-limit", str(limit),
                            "--threads", str(threads), "--gap", str(gap), "--cpsat-params", extra],
                           capture_output=True, text=True, check=True)
    for line in child.stdout.splitlines():
        kind, seconds, value = line.split(" ", 2)
        if kind == "plan":
            trace.plans.append((float(seconds), float(value)))
        elif kind == "bound":
            trace.bounds.append((float(seconds), float(value)))
        else:
            trace.note = value
    return trace


def cpsat_child(mps: Path, limit: float, threads: int, gap: float, extra: str) -> None:
    """CP-SAT through OR-Tools' model builder: continuous columns are scaled to integers by its MIP import."""
    start = np.load(mps.with_suffix(".start.npy"))
    names = mps.with_suffix(".names").read_text().split("\n")
    from ortools.linear_solver.python import model_builder

    model = model_builder.Model()
    model.import_from_mps_file(str(mps))
    by_name = {var.name: var for var in model.get_variables()}
    for name, value in zip(names, start, strict=True):
        if name in by_name and by_name[name].is_integral:
            model.add_hint(by_name[name], float(round(value)))
    solver = model_builder.Solver("sat")
    solver.set_time_limit_in_seconds(limit)
    solver.set_solver_specific_parameters(
        f"num_workers:{max(threads, 1)} relative_gap_limit:{gap} log_search_progress:true {extra}")
    started = time.perf_counter()
    lines: list[str] = []
    solver.enable_output(True)
    with tempfile.TemporaryFile(mode="w+") as log:
        saved = os.dup(1)
        os.dup2(log.fileno(), 1)
        try:
            status = solver.solve(model)
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        log.seek(0)
        lines = log.read().splitlines()
    mps.with_suffix(".cpsat.log").write_text("\n".join(lines))
    for line in lines:
        found = CPSAT_LINE.match(line)
        if found:
            seconds, best, lower = float(found.group(2)), float(found.group(3)), float(found.group(4))
            if found.group(1) not in ("Bound", "Done") and np.isfinite(best):
                print("plan", seconds, best)
            if np.isfinite(lower):
                print("bound", seconds, lower)
    print("note 0", f"{status.name}, {time.perf_counter() - started:.0f} s")


ENGINES: dict[str, Callable[..., Trace]] = {"highs": run_highs, "scip": run_scip, "cpsat": run_cpsat}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", type=Path, default=BUNDLED)
    parser.add_argument("--time-limit", type=float, default=60)
    parser.add_argument("--gap", type=float, default=0.005)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--engines", default="highs,scip,cpsat")
    parser.add_argument("--reference", type=float, help="best cost known (default: the lowest found here)")
    parser.add_argument("--elastic", action="store_true",
                        help="KPI floors elastic with the planner's penalty (default: hard, as the warm start meets them)")
    parser.add_argument("--cpsat-params", default="", help="more CP-SAT parameters, as name:value text")
    parser.add_argument("--keep", type=Path, help="write the MPS file and the engines' logs into this folder")
    parser.add_argument("--cpsat-child", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.cpsat_child:
        cpsat_child(options.cpsat_child, options.time_limit, options.threads, options.gap, options.cpsat_params)
        return
    from planner.api import greedy_start
    from planner.build import create_model
    from planner.data import planning_data
    from planner.model import Elastic
    from planner.scenario_file import load_scenario_with_inventory

    loaded = load_scenario_with_inventory(options.scenario)
    started = time.perf_counter()
    data = planning_data(loaded.inventory, loaded.scenario)
    model = create_model(data, Elastic(targets=options.elastic))
    build = time.perf_counter() - started
    _plan, warm = greedy_start(data, model, build, every_order=True)
    # The MPS file carries no objective constant (rooms kept open, systems already on a cloud): added back below.
    constant = float(model.prob.objective.constant)
    with tempfile.TemporaryDirectory() as folder:
        mps = Path(options.keep or folder) / "model.mps"
        model.prob.writeMPS(str(mps))
        names, start = complete(mps, warm)
        warm_cost = start_cost(mps, start) + constant
        print(f"{options.scenario}: {len(names):,} columns, build {build:.1f} s, warm start "
              f"{warm_cost:,.1f}; load {os.getloadavg()[0]:.2f}", flush=True)
        traces = []
        for engine in options.engines.split(","):
            if engine == "highs":
                traces.append(run_highs(mps, start, options.time_limit, options.threads, options.gap))
            elif engine == "cpsat":
                traces.append(run_cpsat(mps, start, names, options.time_limit, options.threads, options.gap,
                                        options.cpsat_params))
            else:
                traces.append(ENGINES[engine](mps, start, names, options.time_limit, options.threads, options.gap))
            # Every engine was handed the warm start: that is its plan from the first moment.
            traces[-1].plans = [(0.0, warm_cost)] + [(s, cost + constant) for s, cost in traces[-1].plans]
            traces[-1].bounds = [(s, bound + constant) for s, bound in traces[-1].bounds]
            print(f"  {engine} done, load {os.getloadavg()[0]:.2f}", flush=True)
    reference = options.reference or min(min((c for _s, c in t.plans), default=np.inf) for t in traces)
    load = subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()
    print(f"\nreference (best cost known) {reference:,.1f}; uptime: {load}")
    print(f"{'engine':8} {'1% plan':>8} {'0.5% plan':>9} {'1% proved':>9} {'0.5% proved':>11} {'final plan':>11} {'bound':>10}  note")
    for trace in traces:
        def shown(value: float | None) -> str:
            return "-" if value is None else f"{value:.1f}"
        final = min((c for _s, c in trace.plans), default=np.inf)
        bound = max((b for _s, b in trace.bounds), default=-np.inf)
        print(f"{trace.engine:8} {shown(trace.first_plan_within(reference, 0.01)):>8} "
              f"{shown(trace.first_plan_within(reference, 0.005)):>9} {shown(trace.proved(0.01)):>9} "
              f"{shown(trace.proved(0.005)):>11} {final:11,.1f} {bound:10,.1f}  {trace.note}")


def complete(mps: Path, warm: dict[str, float]) -> tuple[list[str], np.ndarray]:
    """The MPS file's column names, and a full start in their order: the warm start's integers fixed,
    the rest solved for by HiGHS."""
    import highspy

    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.readModel(str(mps))
    lp = highs.getLp()
    names = [highs.getColName(i)[1] for i in range(lp.num_col_)]
    for i, kind in enumerate(lp.integrality_):
        if kind == highspy.HighsVarType.kInteger:
            value = round(warm.get(names[i], 0.0))
            highs.changeColBounds(i, value, value)
    highs.run()
    return names, np.array(highs.getSolution().col_value)


def start_cost(mps: Path, start: np.ndarray) -> float:
    import highspy

    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.readModel(str(mps))
    lp = highs.getLp()
    return float(np.dot(lp.col_cost_, start) + lp.offset_)


if __name__ == "__main__":
    main()
