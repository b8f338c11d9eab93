"""The prover: HiGHS's branch and bound on the whole model, with the primal search beside it in another thread.

HiGHS starts from the best plan so far (the completed warm start) and stops as soon as the best
plan of either is within the gap of its bound. It does not search from the search's plans: highspy
1.15 accepts a plan in its user-solution callback (status ok) and then drops it, so that callback
is not used.
"""

from __future__ import annotations

import threading
import time

import highspy
import numpy as np

from planner.events import better_plan, step
from planner.highs import give_start, relative_gap
from planner.search import Search
from planner.strategy import Attempt


def prove_with_search(attempt: Attempt) -> None:
    """The strategy for a model that does not split into blocks: branch and bound, the search beside it."""
    stop = threading.Event()
    search: Search | None = None
    thread: threading.Thread | None = None
    if attempt.settings.search and attempt.space.integer.size:
        search = Search(attempt.search_copy(), attempt.space, attempt.incumbent, stop, attempt.deadline, attempt.say,
                        follow=attempt.follow)
        thread = threading.Thread(target=search.run, name="migplan-search", daemon=True)
        thread.start()
    try:
        branch_and_bound(attempt)
    finally:
        stop.set()
        if thread is not None:
            thread.join()
    if search is not None:
        if search.error is not None:
            raise search.error
        if search.relaxation_bound is not None:
            # HiGHS may still be in its presolve at the deadline: the LP relaxation is a bound all the same
            # (on an infeasible scenario, often the one that proves it: planner/reach.py).
            attempt.raise_bound(search.relaxation_bound)
        attempt.say(step(f"search: {search.iterations} neighbourhoods, {search.improvements} better plans",
                         neighbourhoods=search.iterations, improvements=search.improvements))


def branch_and_bound(attempt: Attempt) -> None:
    """HiGHS's branch and bound on the whole model, from the best plan so far, until within the gap."""
    highs = attempt.highs
    values, _objective = attempt.incumbent.snapshot()
    if values is not None:
        give_start(highs, values)

    reported = {"bound": -np.inf, "at": 0.0}

    def report(bound: float) -> None:
        reported["bound"], reported["at"] = bound, time.perf_counter()
        _report(attempt, bound)

    def improved(event: object) -> None:
        data = event.data_out  # type: ignore[attr-defined]
        attempt.incumbent.offer(np.array(data.mip_solution), data.objective_function_value, "HiGHS")
        report(data.mip_dual_bound)

    def interrupt(event: object) -> None:
        data = event.data_out  # type: ignore[attr-defined]
        bound = data.mip_dual_bound
        if attempt.within_gap(bound):
            event.data_in.user_interrupt = True  # type: ignore[attr-defined]
        # A rising bound is progress too (the gap closes from below): told at most once a second.
        if np.isfinite(bound) and bound > reported["bound"] + 1e-9 and time.perf_counter() - reported["at"] >= 1.0:
            report(bound)

    highs.cbMipImprovingSolution.subscribe(improved)
    highs.cbMipInterrupt.subscribe(interrupt)
    highs.setOptionValue("time_limit", max(attempt.deadline - time.perf_counter(), 0.1))
    highs.run()
    info = highs.getInfo()
    if any(kind == highspy.HighsVarType.kInteger for kind in highs.getLp().integrality_):
        if np.isfinite(info.mip_dual_bound):
            attempt.raise_bound(info.mip_dual_bound)
    else:
        # No decision left (every quarter frozen, say): HiGHS solves an LP and leaves the MIP bound at 0,
        # which read as a bound made the optimal plan look 100% away from proven.
        optimal = highs.getModelStatus() == highspy.HighsModelStatus.kOptimal
        attempt.bound = info.objective_function_value if optimal else None


def _report(attempt: Attempt, bound: float) -> None:
    _values, objective = attempt.incumbent.snapshot()
    if np.isfinite(objective):
        numbers = {"objective": objective, "bound": bound}
        gap = ""
        if np.isfinite(bound):
            numbers["gap"] = relative_gap(objective, bound)
            gap = f", gap {numbers['gap']:.2%}"
        attempt.say(better_plan(f"incumbent {objective:,.1f} 万元 ({attempt.incumbent.source}), bound {bound:,.1f}{gap}",
                              **numbers))
