"""A lower bound for a model made of nearly independent blocks (a province's cities), by Dantzig-Wolfe.

On a 14-city province HiGHS spends the whole 120 s in presolve (87 s) and its root LP, and the
whole model's LP relaxation alone takes 100 to 155 s on two cores. Yet the cities share only
a few limits: team days, the yearly budget, extranet bandwidth, the KPI floors and the
provincial pools. Column generation solves that LP a city at a time:

- the **blocks** are the connected parts of the model once the linking rows are set aside (the
  rows of the families registered as linking cities in planner/families.py); a linking row whose columns all lie in one
  block belongs to that block (a city's own pool), and small parts are merged into one block;
- the **master** LP keeps the linking rows, the columns in no block (pool use, KPI shortfall,
  elastic slack) and, per block, a convex combination of the block's plans found so far;
- **pricing** solves each block's LP with costs ``c - A_L^T y`` (y the master's duals of the
  linking rows); a plan cheaper than the block's convexity dual enters the master.

Every pricing round gives a valid bound, whatever y (Lagrangian relaxation of the linking rows)::

    L(y) = offset + sum_b min_{x_b in P_b} (c_b - A_b^T y) x_b + sum_{j master} min_{l_j <= z <= u_j} d_j z
           + sum_{i linking} (y_i lo_i if y_i > 0 else y_i up_i)

with P_b the block's LP polytope. It reaches the LP relaxation when no block has a plan left to
offer. :meth:`DantzigWolfe.lift` then takes P_b as the block's integer plans: each block solved as a
MILP at the converged prices, its MILP bound in place of its LP value, gives a bound above the LP
relaxation (on a province, +0.4%: each city's rooms close in whole quarters).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import Protocol

import highspy
import numpy as np

from planner.events import Progress, step
from planner.highs import AGGREGATOR_OFF, PROBING_OFF, interrupt_on_bound, limit_lp_seconds, quiet_highs

MIN_BLOCK_COLUMNS = 1000
"""Parts smaller than this (a network with no system, a lone group) are merged into one block."""
FIRST_ARTIFICIAL_COST = 1.0
ARTIFICIAL_COST = 1e7
ARTIFICIAL_GROWTH = 10.0
"""Cost per unit of the artificial columns that keep the master feasible before the blocks offer enough plans: at
first :data:`FIRST_ARTIFICIAL_COST`, times :data:`ARTIFICIAL_GROWTH` each time column generation converges or
stalls with one of them still in use, up to :data:`ARTIFICIAL_COST`. Their cost caps the linking rows' prices (a
box around 0 that widens only when the master shows it needs more). A master seeded with one plan per block is
degenerate: with the cap at 1e7 its duals ran to 1e7 and the bound stayed at the first round's for 19 of the
4,200-system province's 44 rounds; its converged prices are at most 0.52, and with the cap at 1 the bound came
within 0.03% of the LP relaxation after 20 rounds instead of 30. The bound L(y) is valid at any prices."""
SETTLE_SECONDS = 30.0
"""At most this long for the master's last solve with the artificial columns at full cost (under a second on a province)."""
QUICK_LIFT_SECONDS = 2.5
LIFT_SECONDS = 5.0
LIFT_COLUMNS = 14_000
"""The lift gives each block's MILP at most :data:`QUICK_LIFT_SECONDS` first, every block in turn, then, while time is
left, each block not yet proved again for :data:`LIFT_SECONDS`; both per :data:`LIFT_COLUMNS` columns of the block
(a city of the 4,200-system province), longer for larger ones. HiGHS's bound on such a block comes from its root's
cut rounds (it reaches no node), and each pass ends a block sooner when its bound has come (:class:`RootRounds`)."""
FIRST_ROUNDS_REPORTS = 6
"""The lift's first pass ends a block's MILP at the sixth bound HiGHS reports to its interrupt callback. HiGHS 1.15
asks the callback at the top of each of its root's cut rounds and once more after the fifth, just before its
central rounding heuristic, which it cannot interrupt: on the 4,200-system province's 14 cities (at the prices
column generation ends at, one core, nothing beside) that heuristic took 0.3 to 5 s a city, against 1.9 to 2.5 s
for everything before it. A first pass ended there raised the bound by 721 万元 in 21 s in all (with
:data:`LIFT_PRESOLVE_OFF`); ended at 2.5 s a city as it was, by 752 in 43 s (one city 7.4 s: HiGHS overran its limit
inside the heuristic)."""
STALL_REPORTS = 3
STALL_RISE_SHARE = 0.01
"""The second pass (and a cluster's one pass) ends a block's MILP once its bound rose by at most this share of its
rise so far over the last :data:`STALL_REPORTS` reports: the cut rounds after the central rounding give a few 万元
each until they stall. On the same 14 cities, given 5 s each: +856 万元 in 41.5 s in all (1.5 to 4.6 s a city)."""
TOO_BIG_SHARE = 0.9
"""Once a block's MILP ends unproved with a bound no better than the block's LP value (HiGHS still in its root LP at
the time limit), the lift skips every block with at least this share of its columns, in both passes: they are as
far from a bound in their time. On the 21,000-system province (cities of 65,000 to 71,000 columns) HiGHS spends 18
s in a city's root LP and reaches its sixth report at 29 s (+20 万元), against a first pass of 12 s: twelve cities
took 12.4 to 17.2 s each, raised the bound by 42 万元 in all, and the second search waited those two and a half
minutes."""
LIFT_PRESOLVE_OFF = PROBING_OFF | AGGREGATOR_OFF
"""HiGHS's presolve rules off in the lift's MILPs. Probing takes most of HiGHS's presolve and moves the bound least
(measured on the bundled city); the aggregator took 0.47 s of a city's 0.71 s presolve (4,200-system province),
and without it the first five cut rounds end sooner: 721 万元 in 21 s for the 14 cities, 745 in 28 s with it."""
STALL_ROUNDS = 5
STALL_SHARE = 1e-4
STALL_GAP_SHARE = 0.05
"""Column generation may stop once its bound rose by less than a share of itself over the last :data:`STALL_ROUNDS`
rounds (after twice as many rounds), the caller saying which (planner/by_blocks.py: this share of the gap asked for,
at least :data:`STALL_SHARE`). Every round's bound is valid; what the last rounds add is far below what the plan
must still gain. On the generated 4,200-system province, asked for 1%, the bound rose 148,166 -> 148,202 in rounds
20 to 28 and then by 3 万元 more in 24 rounds, a second each: stopping there (5e-4) gave the searches 12 s more. Over 5
rounds rather than 10 it stops at round 23 instead of 28 to 31, 3.5 s sooner, its bound 20 to 55 万元 lower: the lift
that follows raises the bound by about 55 万元 a city in 2.5 to 3 s (:data:`QUICK_LIFT_SECONDS`)."""
SETTLED_ROUNDS = 3
"""The bound counts as settled once it rose by less than the gap asked for over this many rounds (the master's
artificial columns out of use): its LP point then guides the search as well as it will (see :meth:`DantzigWolfe.run`)."""
WARM_SHARE = 1.0
"""A block's warm solve may take this many times what its last solve from scratch took; past that, from scratch
(:class:`BlockPricer`). Measured on the 4,200-system province's column generation, pricing in all: 25.1 s at 1, 26.3
s at 2."""
SMOOTHING = 0.8
"""Weight of the best bound's prices in the prices the blocks are priced at (Wentges smoothing). Prices that move less
from round to round are quicker to price from each block's last basis. The 4,200-system province's column generation
alone, to its stall: 11.6 to 12.6 s at 0.8 (four runs), 13.6 to 18.0 s at 0.5 (four), 12.8 and 14.1 s at 0.7, 14.0
and 14.2 s at 0.9 (to a lower bound), 21 to 33 rounds each. Whole 60 s plans, alternating: the first search from 15.8
to 18.7 s instead of 19.0 to 24.0 s, and proven within 1% in seven runs of seven (44.3 to 54.2 s) against four of
seven at 0.5. On the 21,000-system province the bound rises slower in the first rounds (405,538 万元 after 10 rounds
against 408,808) and quicker after (12 s a round instead of 28: 21 rounds in the share, 413,427), but it settles
sooner (round 9), so the first search starts from a weaker point: 4.45% and 4.26% in two runs, 3.6% to 3.9% in the
last four at 0.5 (bench/RESULTS.md, session 19)."""
INFINITY = highspy.kHighsInf



@dataclass(frozen=True)
class Blocks:
    """How the columns and rows of a model split into independent blocks and the rows linking them."""

    columns: tuple[np.ndarray, ...]
    """Per block, its column indices."""
    rows: tuple[np.ndarray, ...]
    """Per block, the rows whose columns all lie in it."""
    linking: np.ndarray
    """Rows spanning several blocks or holding a master column."""
    master: np.ndarray
    """Columns in no block: they appear in linking rows only."""


@dataclass(frozen=True)
class Relaxation:
    """What the decomposition proved: a bound, and the LP solution of the master when it converged."""

    bound: float
    values: np.ndarray | None
    """The whole model's columns, from the master's convex combination (None before the master was solved once)."""
    converged: bool
    iterations: int
    prices: np.ndarray
    """The linking rows' prices of the best bound."""
    block_values: tuple[float, ...]
    """Each block's LP minimum at those prices."""
    stalled: bool = False
    """Stopped short of converging because the bound no longer moved (see :data:`STALL_SHARE`)."""


def _stalled(history: list[float], share: float) -> bool:
    """The bound rose by less than ``share`` of itself over the last :data:`STALL_ROUNDS` rounds."""
    if len(history) < 2 * STALL_ROUNDS or not np.isfinite(history[-1 - STALL_ROUNDS]):
        return False
    return history[-1] - history[-1 - STALL_ROUNDS] <= share * abs(history[-1])


def _settled(history: list[float], share: float) -> bool:
    """The bound rose by less than ``share`` of itself over the last :data:`SETTLED_ROUNDS` rounds."""
    if len(history) <= SETTLED_ROUNDS or not np.isfinite(history[-1 - SETTLED_ROUNDS]):
        return False
    return history[-1] - history[-1 - SETTLED_ROUNDS] <= share * abs(history[-1])


def _row_major(lp: highspy.HighsLp) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(row starts, column per entry, value per entry, row per entry) of a column-wise HighsLp, entries by row."""
    start = np.asarray(lp.a_matrix_.start_, dtype=np.int64)
    index = np.asarray(lp.a_matrix_.index_, dtype=np.int64)
    value = np.asarray(lp.a_matrix_.value_, dtype=float)
    column = np.repeat(np.arange(lp.num_col_), np.diff(start))
    order = np.argsort(index, kind="stable")
    row = index[order]
    return np.searchsorted(row, np.arange(lp.num_row_ + 1)), column[order], value[order], row


def _components(count: int, column: np.ndarray, row: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """Per column, the smallest column index connected to it through the entries in ``keep`` (label propagation).

    ``column`` and ``row`` give each entry of the matrix, sorted by row.
    """
    label = np.arange(count)
    members, member_rows = column[keep], row[keep]
    if members.size == 0:
        return label
    offsets = np.flatnonzero(np.diff(member_rows, prepend=-1))
    lengths = np.diff(np.append(offsets, members.size))
    while True:
        smallest = np.minimum.reduceat(label[members], offsets)
        updated = label.copy()
        np.minimum.at(updated, members, np.repeat(smallest, lengths))
        updated = updated[updated]  # pointer jumping: follow labels to their own label
        if np.array_equal(updated, label):
            return label
        label = updated


def _row_owners(count_rows: int, row_start: np.ndarray, owner: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the smallest and largest owner of its entries (-2 and -2 for an empty row)."""
    low = np.full(count_rows, -2)
    high = np.full(count_rows, -2)
    filled = np.flatnonzero(np.diff(row_start) > 0)
    if filled.size:
        low[filled] = np.minimum.reduceat(owner, row_start[filled])
        high[filled] = np.maximum.reduceat(owner, row_start[filled])
    return low, high


def split_blocks(lp: highspy.HighsLp, linking_candidates: np.ndarray, min_columns: int = MIN_BLOCK_COLUMNS) -> Blocks | None:
    """Blocks of ``lp`` once the rows marked in ``linking_candidates`` are set aside; None for fewer than two.

    A candidate row whose block columns lie in one block, together with columns that appear in
    candidate rows only (a city pool's use), joins that block; this is repeated until nothing moves.
    """
    count = lp.num_col_
    row_start, column, _value, row = _row_major(lp)
    local_entry = ~linking_candidates[row]
    label = _components(count, column, row, local_entry)
    attached = np.zeros(count, dtype=bool)
    attached[column[local_entry]] = True
    candidates = np.flatnonzero(linking_candidates)
    moved = True
    while moved:
        moved = False
        for r in candidates:
            members = column[row_start[r]:row_start[r + 1]]
            loose = members[~attached[members]]
            if loose.size == 0:
                continue
            owners = np.unique(label[members[attached[members]]])
            if owners.size == 1:
                label[loose] = owners[0]
                attached[loose] = True
                moved = True
    labels, sizes = np.unique(label[attached], return_counts=True)
    big = labels[sizes >= min_columns]
    if big.size < 2:
        return None
    block_of = np.full(count, -1)
    block_of[attached] = big.size  # the small parts, merged
    for b, owner in enumerate(big):
        block_of[attached & (label == owner)] = b
    blocks = int(block_of.max()) + 1
    low, high = _row_owners(lp.num_row_, row_start, block_of[column])
    local = (low == high) & (low >= 0)
    return Blocks(tuple(np.flatnonzero(block_of == b) for b in range(blocks)),
                  tuple(np.flatnonzero(local & (low == b)) for b in range(blocks)),
                  np.flatnonzero(~local & (low != -2)), np.flatnonzero(block_of < 0))


def lp_part(lp: highspy.HighsLp, columns: np.ndarray, rows: np.ndarray, matrix: tuple[np.ndarray, np.ndarray, np.ndarray],
            integer: bool) -> highspy.HighsLp:
    """The part of ``lp`` on ``columns`` and ``rows`` (column-wise), with or without its integrality."""
    entry_column, entry_row, entry_value = matrix
    column_at = np.full(lp.num_col_, -1)
    column_at[columns] = np.arange(columns.size)
    row_at = np.full(lp.num_row_, -1)
    row_at[rows] = np.arange(rows.size)
    keep = (column_at[entry_column] >= 0) & (row_at[entry_row] >= 0)
    sub_column, sub_row, sub_value = column_at[entry_column[keep]], row_at[entry_row[keep]], entry_value[keep]
    order = np.lexsort((sub_row, sub_column))
    sub = highspy.HighsLp()
    sub.num_col_ = columns.size
    sub.num_row_ = rows.size
    sub.col_cost_ = np.asarray(lp.col_cost_)[columns]
    sub.col_lower_ = np.asarray(lp.col_lower_)[columns]
    sub.col_upper_ = np.asarray(lp.col_upper_)[columns]
    sub.row_lower_ = np.asarray(lp.row_lower_)[rows]
    sub.row_upper_ = np.asarray(lp.row_upper_)[rows]
    sub.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    sub.a_matrix_.start_ = np.searchsorted(sub_column[order], np.arange(columns.size + 1)).astype(np.int32)
    sub.a_matrix_.index_ = sub_row[order].astype(np.int32)
    sub.a_matrix_.value_ = sub_value[order]
    if integer and len(lp.integrality_):
        integrality = list(lp.integrality_)
        sub.integrality_ = [integrality[int(j)] for j in columns]
    return sub


BlockResult = tuple[float, np.ndarray] | str
"""A block's LP minimum and plan, or why it has none."""


class RemoteBlocks(Protocol):
    """The blocks solved elsewhere, each where it stays between rounds (planner/cluster.py)."""

    def price(self, costs: list[np.ndarray], time_limit: float) -> list[BlockResult]:
        """Each block's LP at its ``costs``, as :meth:`BlockPricer.price` gives it."""

    def milp_bounds(self, costs: list[np.ndarray], time_limit: float) -> list[float]:
        """Each block's MILP bound at its ``costs``, as :func:`milp_block_bound` gives it."""


class BlockPricer:
    """One block's LP, solved again at each round's prices: warm from its last basis, or from scratch while warm
    solves of this block have been the slower.

    Which is quicker depends on the block. A city of the 21,000-system province (67,000 columns), its costs moved by
    prices of the linking rows drawn at random: from scratch 6.1 and 4.1 s, warm (dual simplex) 10.8 and 4.7 s, warm
    with the primal simplex 26.0 and 47.5 s; its column generation's rounds took 31 to 141 s warm, 33 to 50 s from
    scratch. On the 4,200-system province (cities of 14,000 columns) warm solves are the quicker: 21 s of pricing in
    all against 50 s from scratch. HiGHS's presolve is off: on the 21,000's city it took half of a 13.4 s solve from
    scratch (6.3 s without) and the result is the same.
    """

    def __init__(self, lp: highspy.HighsLp) -> None:
        self.highs = quiet_highs(lp)
        self.highs.setOptionValue("presolve", "off")
        self.cold_seconds: float | None = None
        """How long the last solve from scratch took (None before the first)."""
        self.cold_rounds = 0
        """Rounds still to solve from scratch before a warm solve is tried again."""
        self.backoff = 1
        """Rounds from scratch after the next warm solve slower than one from scratch (doubles with each such solve,
        back to 1 after a quicker one)."""

    def price(self, costs: np.ndarray, time_limit: float) -> BlockResult:
        """The block's LP minimum and plan at ``costs``; the reason when it has none."""
        highs = self.highs
        highs.changeColsCost(costs.size, np.arange(costs.size, dtype=np.int32), costs)
        optimal = False
        if self.cold_seconds is not None and self.cold_rounds == 0:
            # Past what a solve from scratch took (or stalled numerically): from scratch.
            seconds, optimal = self._run(min(time_limit, WARM_SHARE * self.cold_seconds + 0.05))
            if seconds > self.cold_seconds:
                self.cold_rounds, self.backoff = self.backoff, 2 * self.backoff
            else:
                self.backoff = 1
        else:
            self.cold_rounds = max(self.cold_rounds - 1, 0)
        if not optimal:
            highs.clearSolver()
            self.cold_seconds, optimal = self._run(time_limit)
        if not optimal:
            return str(highs.modelStatusToString(highs.getModelStatus()))
        return float(highs.getInfo().objective_function_value), np.array(highs.getSolution().col_value)

    def _run(self, time_limit: float) -> tuple[float, bool]:
        """Seconds the solve took and whether it ended optimal."""
        limit_lp_seconds(self.highs, time_limit)
        started = time.perf_counter()
        self.highs.run()
        return time.perf_counter() - started, self.highs.getModelStatus() == highspy.HighsModelStatus.kOptimal


class RootRounds:
    """Whether a block's MILP has given the lift what it will, from the bounds HiGHS reports to its interrupt
    callback: in the first pass the :data:`FIRST_ROUNDS_REPORTS`-th, later once the bound stalls
    (:data:`STALL_RISE_SHARE`)."""

    def __init__(self, first_rounds: bool) -> None:
        self.first_rounds = first_rounds
        self.bounds: list[float] = []

    def enough(self, bound: float) -> bool:
        """Take the bound HiGHS reports now (-inf before its root LP); True when the solve may end."""
        if not np.isfinite(bound):
            return False
        self.bounds.append(bound)
        if self.first_rounds:
            return len(self.bounds) >= FIRST_ROUNDS_REPORTS
        if len(self.bounds) <= max(STALL_REPORTS, FIRST_ROUNDS_REPORTS):
            return False
        rise = self.bounds[-1] - self.bounds[0]
        return self.bounds[-1] - self.bounds[-1 - STALL_REPORTS] <= STALL_RISE_SHARE * rise


def milp_block_bound(sub: highspy.HighsLp, costs: np.ndarray, time_limit: float) -> float:
    """The bound HiGHS proves on one block's MILP at ``costs`` within ``time_limit``, ended once the bound stalls
    (-inf when none)."""
    return milp_block_solve(sub, costs, time_limit)[0]


def milp_block_solve(sub: highspy.HighsLp, costs: np.ndarray, time_limit: float,
                     interrupted: Callable[[], bool] = lambda: False, first_rounds: bool = False) -> tuple[float, bool]:
    """:func:`milp_block_bound`, and whether HiGHS proved the block's optimum (more time cannot raise that bound);
    ``interrupted`` is asked while it runs and ends the solve when True; ``first_rounds`` ends it after the root's
    first cut rounds (:class:`RootRounds`)."""
    sub.col_cost_ = costs
    highs = quiet_highs(sub)
    highs.setOptionValue("time_limit", time_limit)
    highs.setOptionValue("presolve_rule_off", LIFT_PRESOLVE_OFF)
    rounds = RootRounds(first_rounds)
    # Both asked each time: the rounds must see every bound HiGHS reports.
    interrupt_on_bound(highs, lambda bound: rounds.enough(bound) | interrupted())
    highs.run()
    bound = highs.getInfo().mip_dual_bound
    finished = highs.getModelStatus() in (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kInfeasible)
    return (float(bound) if np.isfinite(bound) else -np.inf), finished


class DantzigWolfe:
    """Column generation over :class:`Blocks`; see the module docstring for the bound it proves."""

    def __init__(self, lp: highspy.HighsLp, blocks: Blocks, workers: ThreadPoolExecutor,
                 remote: Callable[[DantzigWolfe], RemoteBlocks] | None = None) -> None:
        self.lp = lp
        self.workers = workers
        """Threads the blocks are priced in: highspy releases the GIL while it solves."""
        self.blocks = blocks
        self.cost = np.asarray(lp.col_cost_, dtype=float)
        self.lower = np.asarray(lp.col_lower_, dtype=float)
        self.upper = np.asarray(lp.col_upper_, dtype=float)
        self.offset = float(lp.offset_)
        starts = np.asarray(lp.a_matrix_.start_, dtype=np.int64)
        entry_row = np.asarray(lp.a_matrix_.index_, dtype=np.int64)
        entry_value = np.asarray(lp.a_matrix_.value_, dtype=float)
        entry_column = np.repeat(np.arange(lp.num_col_), np.diff(starts))
        self.matrix = (entry_column, entry_row, entry_value)
        linking_at = np.full(lp.num_row_, -1)
        linking_at[blocks.linking] = np.arange(blocks.linking.size)
        on_link = linking_at[entry_row] >= 0
        # The linking rows' entries: (column, linking position, value), for prices and the master's columns.
        self.link_column = entry_column[on_link]
        self.link_row = linking_at[entry_row[on_link]]
        self.link_value = entry_value[on_link]
        self.link_lower = np.asarray(lp.row_lower_, dtype=float)[blocks.linking]
        self.link_upper = np.asarray(lp.row_upper_, dtype=float)[blocks.linking]
        self.remote = remote(self) if remote is not None else None
        """Where the blocks are solved when not here (planner/cluster.py: one Ray actor per block)."""
        self.pricing = [] if self.remote is not None else [
            BlockPricer(lp_part(lp, cols, rows, self.matrix, integer=False))
            for cols, rows in zip(blocks.columns, blocks.rows, strict=True)]
        self.proposals: list[tuple[int, np.ndarray]] = []
        self.solution: np.ndarray | None = None
        """The master's columns at its last optimal solve (plans proposed since then are not in it)."""
        self.failure = ""
        """Why the last run stopped before converging, when a solve failed."""
        self.master = highspy.Highs()
        self.master.setOptionValue("output_flag", False)
        self._build_master()

    def _build_master(self) -> None:
        links, blocks = self.blocks.linking.size, len(self.blocks.columns)
        self.artificial_cost = FIRST_ARTIFICIAL_COST
        empty_int = np.array([], dtype=np.int32)
        self.master.addRows(links, self.link_lower, self.link_upper, 0, np.zeros(links, dtype=np.int32), empty_int, np.array([]))
        self.master.addRows(blocks, np.ones(blocks), np.ones(blocks), 0, np.zeros(blocks, dtype=np.int32), empty_int, np.array([]))
        order = np.argsort(self.link_column, kind="stable")
        starts = np.searchsorted(self.link_column[order], self.blocks.master)
        ends = np.searchsorted(self.link_column[order], self.blocks.master, side="right")
        for j, start, end in zip(self.blocks.master, starts, ends, strict=True):
            mine = order[start:end]
            self._add_column(self.cost[j], self.lower[j], self.upper[j], self.link_row[mine], self.link_value[mine])
        self.first_artificial = self.master.getNumCol()
        for r in range(links):
            if np.isfinite(self.link_lower[r]):
                self._add_column(self.artificial_cost, 0.0, INFINITY, np.array([r]), np.array([1.0]))
            if np.isfinite(self.link_upper[r]):
                self._add_column(self.artificial_cost, 0.0, INFINITY, np.array([r]), np.array([-1.0]))
        self.first_proposal = self.master.getNumCol()

    def _add_column(self, cost: float, lower: float, upper: float, rows: np.ndarray, values: np.ndarray) -> None:
        self.master.addCol(float(cost), float(lower), float(upper), rows.size, rows.astype(np.int32), values.astype(float))

    def _activity(self, block: int, values: np.ndarray) -> np.ndarray:
        """What a plan of ``block`` puts into each linking row."""
        full = np.zeros(self.lp.num_col_)
        full[self.blocks.columns[block]] = values
        return np.bincount(self.link_row, weights=self.link_value * full[self.link_column], minlength=self.blocks.linking.size)

    def propose(self, block: int, values: np.ndarray) -> None:
        """Add a plan of ``block`` (its columns' values) to the master."""
        columns = self.blocks.columns[block]
        activity = self._activity(block, values)
        rows = np.flatnonzero(np.abs(activity) > 1e-12)
        convexity = self.blocks.linking.size + block
        self._add_column(float(self.cost[columns] @ values), 0.0, INFINITY,
                         np.append(rows, convexity), np.append(activity[rows], 1.0))
        self.proposals.append((block, values.copy()))

    def propose_solution(self, values: np.ndarray) -> None:
        """Seed the master with a whole plan (the warm start): one proposal per block."""
        for block, columns in enumerate(self.blocks.columns):
            self.propose(block, values[columns])

    def reduced_costs(self, prices: np.ndarray) -> np.ndarray:
        """c - A_L^T y for every column of the model."""
        return self.cost - np.bincount(self.link_column, weights=self.link_value * prices[self.link_row],
                                       minlength=self.lp.num_col_)

    def _valid(self, prices: np.ndarray) -> np.ndarray:
        """Prices with the sign their row allows (a price on a missing bound would make the bound -inf)."""
        prices = np.where(np.isfinite(self.link_lower), prices, np.minimum(prices, 0.0))
        return np.where(np.isfinite(self.link_upper), prices, np.maximum(prices, 0.0))

    def lagrangian(self, prices: np.ndarray, block_values: list[float]) -> float:
        """L(y) from each block's minimum at these prices (any valid lower bound of it will do)."""
        reduced = self.reduced_costs(prices)[self.blocks.master]
        lower, upper = self.lower[self.blocks.master], self.upper[self.blocks.master]
        if np.any((reduced < -1e-9) & ~np.isfinite(upper)) or np.any((reduced > 1e-9) & ~np.isfinite(lower)):
            return -np.inf
        master = np.where(reduced >= 0, reduced * np.where(np.isfinite(lower), lower, 0.0),
                          reduced * np.where(np.isfinite(upper), upper, 0.0))
        rows = np.where(prices > 0, prices * np.where(np.isfinite(self.link_lower), self.link_lower, 0.0),
                        prices * np.where(np.isfinite(self.link_upper), self.link_upper, 0.0))
        return self.offset + float(sum(block_values)) + float(master.sum()) + float(rows.sum())

    def _price(self, prices: np.ndarray, deadline: float) -> tuple[list[float], list[np.ndarray]] | None:
        """Each block's LP minimum and plan at ``prices``, the blocks shared among the workers (or priced on the
        cluster); None if one fails."""
        reduced = self.reduced_costs(prices)
        costs = [reduced[columns] for columns in self.blocks.columns]
        if self.remote is not None:
            solved = self.remote.price(costs, max(deadline - time.perf_counter(), 0.05))
        else:
            solved = list(self.workers.map(
                lambda b: self.pricing[b].price(costs[b], max(deadline - time.perf_counter(), 0.05)),
                range(len(self.pricing))))
        failed = next((b for b, result in enumerate(solved) if isinstance(result, str)), None)
        if failed is not None:
            self.failure = f"block {failed + 1}'s LP: {solved[failed]}"  # numbered from 1, as the lift's lines
            return None
        return [result[0] for result in solved], [result[1] for result in solved]  # type: ignore[index]

    def run(self, deadline: float, should_stop: Callable[[float], bool], say: Progress,
            stall_share: float | None = None, settled: tuple[float, Callable[[Relaxation], None]] | None = None
            ) -> Relaxation:
        """Generate columns until no block offers a cheaper plan, the deadline, or ``should_stop(bound)``; with a
        ``stall_share``, also once the bound rises by less than that share (:func:`_stalled`) with the prices uncapped.

        ``settled`` is (a share, a callback): the callback gets the relaxation so far in the first round where the
        bound rose by less than that share (:func:`_settled`) and the master uses no artificial column, and again in
        each round where the bound has risen by more than that share since it last got one.
        The rounds after it move the bound little and its LP point less: the caller starts searching from that
        point while they run (the 4,200-system province: at round 12 or 13 of about 25), and goes by each newer one
        (on the 21,000-system province the bound settled at round 9 in some runs, 2.6% below where it ended). A
        master still using an artificial column hands nothing over: the 21,000-system province's does through all its
        7 or 8 rounds, and its point at round 4, solved apart with them at full cost, led the greedy to leave groups
        undone.

        Blocks are priced at a mix of the master's duals and the prices of the best bound so far
        (Wentges smoothing): the master's duals swing wildly while it has few plans, and the mix
        keeps the bound rising. When the mix finds no plan to add, the master's own duals are tried.
        """
        links = self.blocks.linking.size
        master_prices, convexity = np.zeros(links), np.full(len(self.blocks.columns), np.inf)
        if self.proposals and not self._solve_master(deadline):
            return Relaxation(-np.inf, None, False, 0, np.zeros(links), ())
        if self.proposals:
            master_prices, convexity = self._master_duals()
        # The first round prices nothing: its bound is finite, unlike that of a master seeded with one plan.
        best, center, center_values = -np.inf, np.zeros(links), ()
        iterations = 0
        started = time.perf_counter()
        history: list[float] = []
        """The best bound after each round."""
        handed_over = -np.inf  # the bound the settled callback last got
        while time.perf_counter() < deadline:
            smoothed = SMOOTHING * center + (1 - SMOOTHING) * master_prices if np.isfinite(best) else center
            entering: list[tuple[int, np.ndarray]] = []
            for prices in (smoothed, master_prices) if smoothed is not master_prices else (master_prices,):
                priced = self._price(prices, deadline)
                if priced is None:
                    return Relaxation(best, self._master_values(), False, iterations, center, center_values)
                values, plans = priced
                iterations += 1
                bound = self.lagrangian(prices, values)
                if bound > best:
                    best, center, center_values = bound, prices, tuple(values)
                entering = [(b, plan) for b, plan in enumerate(plans)
                            if self._reduced_cost(b, plan, master_prices, convexity[b]) < -1e-7 * max(1.0, abs(values[b]))]
                if entering:
                    break
            if not entering and self._widen_artificial_cost():
                if not self._solve_master(deadline):
                    break
                master_prices, convexity = self._master_duals()
                continue
            if not entering:
                return Relaxation(best, self._master_values(), True, iterations, center, center_values)
            for b, plan in entering:
                self.propose(b, plan)
            if iterations % 10 < 2 and np.isfinite(best):
                say(step(f"decomposition: bound {best:,.1f} 万元 after {iterations} rounds, {time.perf_counter() - started:.0f} s",
                         bound=best, rounds=iterations))
            history.append(best)
            if (settled is not None and self.solution is not None and not self._artificial_in_use()
                    and (best - handed_over > settled[0] * abs(best) if np.isfinite(handed_over)
                         else _settled(history, settled[0]))):
                settled[1](Relaxation(best, self._master_values(), False, iterations, center, center_values))
                handed_over = best
            stalled = stall_share is not None and _stalled(history, stall_share)
            if stalled and self._widen_artificial_cost():
                history.clear()  # capped prices stall the bound: the wider cap starts a new count
            elif stalled:
                say(step(f"decomposition: bound {best:,.1f} 万元 moved less than {stall_share:.0e} in {STALL_ROUNDS} rounds: "
                         "stopping", bound=best, rounds=iterations))
                return Relaxation(best, self._master_values(), False, iterations, center, center_values, stalled=True)
            if should_stop(best) or not self._solve_master(deadline):
                break
            master_prices, convexity = self._master_duals()
        return Relaxation(best, self._master_values(), False, iterations, center, center_values)

    def _widen_artificial_cost(self, cost: float | None = None) -> bool:
        """Raise the artificial columns' cost (to ``cost``, by default :data:`ARTIFICIAL_GROWTH` times) when the master
        still uses one and it may grow, at most to :data:`ARTIFICIAL_COST`; whether it rose."""
        if self.artificial_cost >= ARTIFICIAL_COST or not self._artificial_in_use():
            return False
        self.artificial_cost = min(cost or self.artificial_cost * ARTIFICIAL_GROWTH, ARTIFICIAL_COST)
        count = self.first_proposal - self.first_artificial
        self.master.changeColsCost(count, np.arange(self.first_artificial, self.first_proposal, dtype=np.int32),
                                   np.full(count, self.artificial_cost))
        return True

    def _artificial_in_use(self) -> bool:
        return self.solution is not None and bool(np.any(self.solution[self.first_artificial:self.first_proposal] > 1e-9))

    def _solve_master(self, deadline: float) -> bool:
        limit_lp_seconds(self.master, deadline - time.perf_counter())
        self.master.run()
        if self.master.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            self.master.clearSolver()
            self.master.run()
        status = self.master.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            self.failure = f"the master LP: {self.master.modelStatusToString(status)}"
            return False
        self.solution = np.asarray(self.master.getSolution().col_value)
        return True

    def _master_duals(self) -> tuple[np.ndarray, np.ndarray]:
        """The linking rows' prices (with their allowed signs) and the blocks' convexity duals."""
        duals = np.asarray(self.master.getSolution().row_dual)
        links = self.blocks.linking.size
        return self._valid(duals[:links]), duals[links:]

    def _reduced_cost(self, block: int, plan: np.ndarray, prices: np.ndarray, convexity: float) -> float:
        """A block plan's reduced cost in the master: c x - y A x - mu_b."""
        activity = self._activity(block, plan)
        return float(self.cost[self.blocks.columns[block]] @ plan - prices @ activity - convexity)

    def _master_values(self) -> np.ndarray | None:
        """The master's last solution mapped back to the model's columns (None if it was never solved).

        Short of convergence it is no LP optimum, but a point of the LP (artificial columns aside) made of the
        blocks' plans: RENS still fixes what it sets integral. While the artificial columns are cheap the master
        may break the linking rows at their price, and a schedule followed from such a point leaves work undone
        (measured on the 21,000-system province six rounds in: a guided plan of 13 million 万元, groups left): the
        master is then solved once more with them at their full cost."""
        if self._widen_artificial_cost(ARTIFICIAL_COST):
            self._solve_master(time.perf_counter() + SETTLE_SECONDS)
        solution = self.solution
        if solution is None:
            return None
        values = np.zeros(self.lp.num_col_)
        values[self.blocks.master] = solution[:self.blocks.master.size]
        weights = solution[self.first_proposal:]
        for (block, plan), weight in zip(self.proposals[:weights.size], weights, strict=True):
            if weight > 0:
                values[self.blocks.columns[block]] += weight * plan
        return values

    def excess(self, relaxation: Relaxation) -> Callable[[np.ndarray], np.ndarray] | None:
        """Plan -> per block, ``(c_b - A_b^T y) x_b`` minus the block's LP minimum at the relaxation's prices ``y``.

        Each is at least 0, and with what the linking rows' slack is worth at ``y`` they add up to the plan's cost
        minus L(y): the blocks with the largest share are where a plan can gain most. None before any bound."""
        if not relaxation.block_values:
            return None
        reduced = self.reduced_costs(relaxation.prices)
        minimum = np.asarray(relaxation.block_values)
        return lambda values: np.array([reduced[columns] @ values[columns] for columns in self.blocks.columns]) - minimum

    def lift(self, relaxation: Relaxation, deadline: float, should_stop: Callable[[float], bool],
             say: Progress | None = None) -> float:
        """L(y) at the relaxation's prices with each block's MILP bound in place of its LP value.

        Blocks are solved one after the other (the other cores search meanwhile), in two passes: each block for at
        most :data:`QUICK_LIFT_SECONDS` first, then each not yet proved for at most :data:`LIFT_SECONDS` (per
        :data:`LIFT_COLUMNS` columns), each ended sooner when its bound has come (:class:`RootRounds`). A block not
        yet solved keeps its LP value, still a valid bound of it, so the bound after each block is valid (a block
        whose MILP gave nothing above its LP value in its time ends the lift of blocks about as large:
        :data:`TOO_BIG_SHARE`):
        ``should_stop`` sees it before and while each block is solved and may end the lift early (the plan may come
        within the gap of it meanwhile); ``say`` hears it after each.
        """
        reduced = self.reduced_costs(relaxation.prices)
        values = list(relaxation.block_values)
        bound = self.lagrangian(relaxation.prices, values)
        if self.remote is not None:
            # On a cluster every block's MILP runs at once, each on a CPU of its own.
            left = deadline - time.perf_counter()
            if left < 1.0 or should_stop(bound):
                return bound
            costs = [reduced[columns] for columns in self.blocks.columns]
            for b, block_bound in enumerate(self.remote.milp_bounds(costs, min(LIFT_SECONDS, left))):
                values[b] = max(values[b], block_bound)
            return self.lagrangian(relaxation.prices, values)
        proved = [False] * len(self.blocks.columns)
        too_big = np.inf  # blocks with at least this many columns are skipped (TOO_BIG_SHARE)
        for first_pass, seconds in ((True, QUICK_LIFT_SECONDS), (False, LIFT_SECONDS)):
            for b, columns in enumerate(self.blocks.columns):
                if proved[b] or columns.size >= too_big:
                    continue
                left = deadline - time.perf_counter()
                if left < 1.0 or should_stop(bound):
                    return bound
                limit = min(seconds * max(1.0, columns.size / LIFT_COLUMNS), left)
                started = time.perf_counter()
                block_bound, proved[b] = milp_block_solve(self.sub_lp(b, integer=True), reduced[columns], limit,
                                                          partial(should_stop, bound),
                                                          first_rounds=first_pass)
                if not proved[b] and block_bound <= relaxation.block_values[b]:
                    too_big = min(too_big, TOO_BIG_SHARE * columns.size)
                values[b] = max(values[b], block_bound)
                bound = self.lagrangian(relaxation.prices, values)
                if say is not None:
                    say(step(f"decomposition: bound {bound:,.1f} 万元 with the MILP bound of block {b + 1} of "
                             f"{len(values)} ({'first' if first_pass else 'second'} pass, "
                             f"{time.perf_counter() - started:.1f} s)", bound=bound))
        return bound

    def sub_lp(self, block: int, integer: bool) -> highspy.HighsLp:
        """The block's own rows and columns, as an LP or (``integer``) with its integrality."""
        return lp_part(self.lp, self.blocks.columns[block], self.blocks.rows[block], self.matrix, integer=integer)
