"""Solving a model that splits into blocks (a province's cities): the decomposition's bound, then searches from its LP solution.

HiGHS's own branch and bound is skipped: on a province it does not finish its presolve and root LP
within minutes, while the decomposition (planner/decompose.py), pricing the blocks on every core,
reaches the LP bound in under a minute. The greedy following the master's LP solution then gives a
plan near that bound, and RINS on the cities furthest from their cheapest at the decomposition's
prices improves it (planner/search.py), on the second core and, once the lift is done, on both.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import numpy as np

from planner.decompose import STALL_GAP_SHARE, STALL_SHARE, Blocks, DantzigWolfe, RemoteBlocks
from planner.events import step
from planner.search import Search
from planner.strategy import Attempt

DECOMPOSITION_SHARE = 0.7
"""At most this share of the time goes to the decomposition's bound; the searches get the rest, and at least what is left."""


def _on_cluster(address: str | None) -> Callable[[DantzigWolfe], RemoteBlocks] | None:
    """Each block on a Ray actor of its own when a cluster is given (planner/cluster.py)."""
    if address is None:
        return None
    from planner.cluster import RayBlocks

    return lambda decomposition: RayBlocks(decomposition, address)


def solve_by_blocks(attempt: Attempt, blocks: Blocks) -> None:
    """The bound by Dantzig-Wolfe over the blocks, then two searches from its LP solution."""
    lp, deadline, say = attempt.lp, attempt.deadline, attempt.say
    started = time.perf_counter()
    say(step(f"decomposition: {len(blocks.columns)} blocks linked by {blocks.linking.size:,} rows",
             blocks=len(blocks.columns), linking_rows=blocks.linking.size))
    block_of = np.full(lp.num_col_, -1, dtype=np.int64)
    for block, columns in enumerate(blocks.columns):
        block_of[columns] = block
    space = replace(attempt.space, block_of=block_of)
    with ThreadPoolExecutor(max_workers=int(attempt.settings.threads or os.cpu_count() or 1)) as workers:
        decomposition = DantzigWolfe(lp, blocks, workers, _on_cluster(attempt.settings.ray))
        values, _objective = attempt.incumbent.snapshot()
        if values is not None:
            decomposition.propose_solution(values)
        share = DECOMPOSITION_SHARE * (deadline - started)
        stall_share = max(STALL_SHARE, STALL_GAP_SHARE * attempt.settings.mip_gap)
        relaxation = decomposition.run(started + share, attempt.within_gap, say, stall_share)
    if np.isfinite(relaxation.bound):
        attempt.bound = relaxation.bound
        state = ("the LP relaxation" if relaxation.converged else "stalled" if relaxation.stalled
                 else ": ".join(filter(None, ("not converged", decomposition.failure))))
        say(step(f"decomposition: bound {relaxation.bound:,.1f} 万元 ({state}) after {relaxation.iterations} rounds, "
                 f"{time.perf_counter() - started:.0f} s", bound=relaxation.bound, rounds=relaxation.iterations))
    if attempt.proved() or time.perf_counter() > deadline - 1.0:
        return
    stop = threading.Event()
    excess = decomposition.excess(relaxation)
    searches = [Search(attempt.search_copy(), space, attempt.incumbent, stop, deadline, say, follow=attempt.follow,
                       city_excess=excess)]
    thread = threading.Thread(target=searches[0].run, args=(relaxation.values,), name="migplan-search", daemon=True)
    thread.start()
    try:
        # The lift is valid at any prices: a stalled run's are as good as they will get.
        if relaxation.converged or relaxation.stalled:
            lifted = decomposition.lift(relaxation, deadline, attempt.raise_bound)
            attempt.raise_bound(lifted)
            say(step(f"decomposition: bound {lifted:,.1f} 万元 with the blocks' MILP bounds, "
                     f"{time.perf_counter() - started:.0f} s", bound=lifted))
        if not attempt.proved():
            searches.append(Search(attempt.search_copy(), space, attempt.incumbent, stop, deadline, say, seed=2,
                                   city_excess=excess))
            searches[1].relaxed = relaxation.values
            searches[1].improve()
    finally:
        stop.set()
        thread.join()
    if searches[0].error is not None:
        raise searches[0].error
    say(step(f"search: {sum(s.iterations for s in searches)} neighbourhoods, "
             f"{sum(s.improvements for s in searches)} better plans"))
