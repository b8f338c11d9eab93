"""Running independent pieces of planning on a Ray cluster, when one is given.

Ray is an optional extra (``pip install migplan[ray]``). A cluster is given by ``--ray auto|ADDRESS``
or the ``RAY_ADDRESS`` environment variable; without either nothing here is used, and without the
extra asking for one is an input error naming the extra. ``auto`` joins the cluster already running
on this machine (``ray start --head --num-cpus 2``); ``local`` starts a private one for this process.

Each piece is one Ray task. A task whose worker dies (killed, out of memory, its node lost) is run
again, up to :data:`RETRIES` times, by Ray itself: the other pieces keep their results. The
decomposition of a province (planner/decompose.py) keeps each city's block on an actor of its own
(:class:`RayBlocks`), priced there every round and lifted there, all cities at once.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from importlib.util import find_spec
from typing import Any, TypeVar

import highspy
import numpy as np

from models.errors import InputError
from planner.decompose import BlockPricer, BlockResult, DantzigWolfe, milp_block_bound

RETRIES = 3
"""Runs of a piece after the first when its worker dies."""
LOCAL = "local"
"""The address that starts a private Ray instance inside this process (tests, one machine)."""
Result = TypeVar("Result")


def ray_address(option: str | None) -> str | None:
    """The cluster to use: the option, else ``RAY_ADDRESS``, else None (no cluster: plan on this machine).

    ``RAY_ADDRESS`` is ignored where the extra is not installed (nothing changes without it);
    the option is then an input error naming the extra.
    """
    installed = find_spec("ray") is not None
    if option and not installed:
        raise InputError(f"--ray {option}: Ray is not installed; install the extra with: pip install 'migplan[ray]'")
    return option or (os.environ.get("RAY_ADDRESS") or None if installed else None)


def connect(address: str) -> None:
    """Join the cluster at ``address`` (once per process); ``local`` starts one here with this machine's cores."""
    import ray

    if ray.is_initialized():
        return
    # The workers import migplan from the same installation; the driver's folder is not shipped.
    ray.init(address=None if address == LOCAL else address, include_dashboard=False, log_to_driver=False,
             configure_logging=False)


def run_all(function: Callable[..., Result], arguments: Sequence[tuple[Any, ...]], address: str,
            cpus: float = 1.0) -> Iterator[tuple[int, Result]]:
    """Run ``function(*args)`` for each tuple of ``arguments`` as Ray tasks; yield (index, result) as each ends.

    ``function`` must be importable by the workers (a module-level function). A task whose worker
    died is retried by Ray (:data:`RETRIES`); an exception raised by ``function`` is not retried and
    reaches the caller, as it would locally.
    """
    import ray

    connect(address)
    remote = ray.remote(num_cpus=cpus, max_retries=RETRIES, retry_exceptions=False)(function)
    pending = {remote.remote(*args): index for index, args in enumerate(arguments)}
    while pending:
        done, _running = ray.wait(list(pending), num_returns=1)
        for reference in done:
            yield pending.pop(reference), ray.get(reference)


def lp_arrays(lp: highspy.HighsLp) -> dict[str, Any]:
    """A HighsLp as plain arrays, to cross to a Ray worker (highspy's objects do not pickle)."""
    return {
        "num_col": lp.num_col_, "num_row": lp.num_row_, "col_cost": np.asarray(lp.col_cost_),
        "col_lower": np.asarray(lp.col_lower_), "col_upper": np.asarray(lp.col_upper_),
        "row_lower": np.asarray(lp.row_lower_), "row_upper": np.asarray(lp.row_upper_),
        "format": int(lp.a_matrix_.format_ == highspy.MatrixFormat.kRowwise), "start": np.asarray(lp.a_matrix_.start_),
        "index": np.asarray(lp.a_matrix_.index_), "value": np.asarray(lp.a_matrix_.value_),
        "integer": [kind == highspy.HighsVarType.kInteger for kind in lp.integrality_],
    }


def lp_from_arrays(arrays: dict[str, Any]) -> highspy.HighsLp:
    """The HighsLp that :func:`lp_arrays` took apart."""
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = arrays["num_col"], arrays["num_row"]
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = arrays["col_cost"], arrays["col_lower"], arrays["col_upper"]
    lp.row_lower_, lp.row_upper_ = arrays["row_lower"], arrays["row_upper"]
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise if arrays["format"] else highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = arrays["start"], arrays["index"], arrays["value"]
    if arrays["integer"]:
        lp.integrality_ = [highspy.HighsVarType.kInteger if integer else highspy.HighsVarType.kContinuous
                           for integer in arrays["integer"]]
    return lp


class BlockSolver:
    """One block of the decomposition on a Ray worker: its LP stays there between pricing rounds (solved warm or from
    scratch as :class:`planner.decompose.BlockPricer` decides)."""

    def __init__(self, lp: dict[str, Any], milp: dict[str, Any]) -> None:
        self.pricing = BlockPricer(lp_from_arrays(lp))
        self.milp = milp

    def price(self, costs: np.ndarray, time_limit: float) -> BlockResult:
        return self.pricing.price(costs, time_limit)

    def milp_bound(self, costs: np.ndarray, time_limit: float) -> float:
        return milp_block_bound(lp_from_arrays(self.milp), costs, time_limit)


class RayBlocks:
    """The decomposition's blocks as Ray actors, one per block (:class:`planner.decompose.RemoteBlocks`).

    An actor whose worker dies is started again from its block (Ray keeps the arguments) and the
    call is retried, so a lost worker costs that block's solve, not the round.
    """

    def __init__(self, decomposition: DantzigWolfe, address: str) -> None:
        import ray

        connect(address)
        # No CPU held for an actor's life (a province has 15 blocks, a small cluster fewer CPUs), spread over the
        # machines: each round's solves then run side by side wherever the blocks live.
        actor = ray.remote(num_cpus=0, max_restarts=RETRIES, max_task_retries=RETRIES,
                           scheduling_strategy="SPREAD")(BlockSolver)
        self.actors = [actor.remote(lp_arrays(decomposition.sub_lp(b, integer=False)),
                                    lp_arrays(decomposition.sub_lp(b, integer=True)))
                       for b in range(len(decomposition.blocks.columns))]

    def price(self, costs: list[np.ndarray], time_limit: float) -> list[BlockResult]:
        import ray

        return list(ray.get([a.price.remote(c, time_limit) for a, c in zip(self.actors, costs, strict=True)]))

    def milp_bounds(self, costs: list[np.ndarray], time_limit: float) -> list[float]:
        import ray

        return list(ray.get([a.milp_bound.remote(c, time_limit) for a, c in zip(self.actors, costs, strict=True)]))
