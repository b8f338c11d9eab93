"""Solving a model that splits into blocks (a province's cities): the decomposition's bound, then searches from its LP solution.

HiGHS's own branch and bound is skipped: on a province it does not finish its presolve and root LP
within minutes, while the decomposition (planner/decompose.py), pricing the blocks on every core,
reaches the LP bound in under a minute. The greedy following the master's LP solution then gives a
plan near that bound, and RINS on the cities furthest from their cheapest at the decomposition's
prices improves it (planner/search.py), each city solved as a model of its own (planner/city_models.py).
The first search starts as soon as the bound settles (its later rounds move it little and cost as much),
beside the rest of the column generation, and goes by each newer LP point once the bound has risen by the gap
asked for since; a second joins it once the lift is done.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import numpy as np

from planner.city_models import CityModels
from planner.decompose import STALL_GAP_SHARE, STALL_SHARE, Blocks, DantzigWolfe, Relaxation, RemoteBlocks
from planner.events import step
from planner.search import CityClaims, Search
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
    """The bound by Dantzig-Wolfe over the blocks, with a search from its LP point once the bound settles, then the
    lift and a second search."""
    lp, deadline, say = attempt.lp, attempt.deadline, attempt.say
    started = time.perf_counter()
    say(step(f"decomposition: {len(blocks.columns)} blocks linked by {blocks.linking.size:,} rows",
             blocks=len(blocks.columns), linking_rows=blocks.linking.size))
    block_of = np.full(lp.num_col_, -1, dtype=np.int64)
    for block, columns in enumerate(blocks.columns):
        block_of[columns] = block
    space = replace(attempt.space, block_of=block_of)
    stop = threading.Event()
    claims = CityClaims()
    searches: list[Search] = []
    threads: list[threading.Thread] = []

    def search_from(relaxation: Relaxation) -> None:
        """The first search, on a thread of its own, from the relaxation's LP point and prices; once it runs, the newer
        point and prices it goes by from its next neighbourhood on."""
        if searches:
            searches[0].city_excess = decomposition.excess(relaxation)
            searches[0].relaxed = relaxation.values
            say(step(f"searching from the decomposition's newer LP point (bound {relaxation.bound:,.1f} 万元, "
                     f"{relaxation.iterations} rounds)"))
            return
        say(step(f"searching from the decomposition's LP point (bound {relaxation.bound:,.1f} 万元, "
                 f"{relaxation.iterations} rounds)"))
        searches.append(Search(attempt.search_copy(), space, attempt.incumbent, stop, deadline, say,
                               follow=attempt.follow, city_excess=decomposition.excess(relaxation),
                               city_models=CityModels(decomposition, space.integer), claims=claims,
                               done=attempt.proved))
        threads.append(threading.Thread(target=searches[0].run, args=(relaxation.values,), name="migplan-search",
                                        daemon=True))
        threads[0].start()

    try:
        with ThreadPoolExecutor(max_workers=int(attempt.settings.threads or os.cpu_count() or 1)) as workers:
            decomposition = DantzigWolfe(lp, blocks, workers, _on_cluster(attempt.settings.ray))
            values, _objective = attempt.incumbent.snapshot()
            if values is not None:
                decomposition.propose_solution(values)
            share = DECOMPOSITION_SHARE * (deadline - started)
            stall_share = max(STALL_SHARE, STALL_GAP_SHARE * attempt.settings.mip_gap)
            relaxation = decomposition.run(started + share, attempt.within_gap, say, stall_share,
                                           settled=(attempt.settings.mip_gap, search_from))
        if np.isfinite(relaxation.bound):
            attempt.bound = relaxation.bound
            state = ("the LP relaxation" if relaxation.converged else "stalled" if relaxation.stalled
                     else ": ".join(filter(None, ("not converged", decomposition.failure))))
            say(step(f"decomposition: bound {relaxation.bound:,.1f} 万元 ({state}) after {relaxation.iterations} "
                     f"rounds, {time.perf_counter() - started:.0f} s", bound=relaxation.bound, rounds=relaxation.iterations))
        if attempt.proved() or time.perf_counter() > deadline - 1.0:
            return
        if not searches or relaxation.values is not None:
            # A search that started from an earlier point goes by the final one now (its RINS, its choice of city).
            search_from(relaxation)
        # The lift is valid at any prices: a stalled run's are as good as they will get.
        if relaxation.converged or relaxation.stalled:
            lifted = decomposition.lift(relaxation, deadline, attempt.raise_bound, say)
            attempt.raise_bound(lifted)
            say(step(f"decomposition: bound {lifted:,.1f} 万元 with the blocks' MILP bounds, "
                     f"{time.perf_counter() - started:.0f} s", bound=lifted))
        if not attempt.proved():
            searches.append(Search(attempt.search_copy(), space, attempt.incumbent, stop, deadline, say, seed=2,
                                   city_excess=decomposition.excess(relaxation),
                                   city_models=CityModels(decomposition, space.integer), claims=claims,
                                   done=attempt.proved))
            searches[1].relaxed = relaxation.values
            # What the first has learnt of the size of the RINS neighbourhoods that solve in time holds for this one.
            searches[1].rins_columns = searches[0].rins_columns
            searches[1].improve()
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    if searches and searches[0].error is not None:
        raise searches[0].error
    say(step(f"search: {sum(s.iterations for s in searches)} neighbourhoods, "
             f"{sum(s.improvements for s in searches)} better plans"))
