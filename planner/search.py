"""Primal search beside HiGHS: RENS, then large-neighbourhood search, on the second core.

HiGHS proves bounds well on this model but finds good plans slowly: on the bundled city its
presolve and root take about 25 s before it improves on the greedy start, and the last 1% of
cost needs minutes. Meanwhile this search, on its own copy of the model in another thread:

1. solves the LP relaxation and fixes every integer variable that the LP sets to 0 or 1
   (RENS, relaxation enforced neighbourhood search), then solves the small MILP left;
2. repeatedly frees a neighbourhood of the best plan (the groups of a few machine rooms, the
   moves of every group in a window of quarters, or the variables where the LP and the plan
   disagree), fixes every other integer variable to the plan's value, and solves that
   sub-MILP for a few seconds (fix-and-optimise).

Plans found by either are shared through :class:`Incumbent`; the prover in the main thread
stops as soon as the best plan is within the gap of its bound. highspy releases the GIL while
it solves, so both cores work.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import highspy
import numpy as np
import pulp

from planner.city_models import CityModels
from planner.data import RETIRE
from planner.events import Progress, better_plan, step
from planner.highs import PROBING_OFF, interrupt_when, solve_with_fixed
from planner.incumbent import Incumbent
from planner.model import Model
from planner.objective import MISSED_OBJECT_WAN

SUB_MIP_SECONDS = 3.0
"""Time for one neighbourhood: long enough for a few thousand free binaries, short enough to move on."""
SUB_MIP_COLUMNS = 300_000
"""Models with more columns give each neighbourhood proportionally more time: HiGHS presolves the whole model with
the fixed columns in it, 3.7 s on the 943,138-column province however little is freed, so at 3 s every one of its
neighbourhoods timed out with nothing (102 of 102 in one run). A neighbourhood within one city of a province is
solved on the city's own model (planner/city_models.py), sized by that: 67,000 columns on the same province, where
the search then tried 272 neighbourhoods in 300 s instead of 17 in 190 s."""
RELAXATION_SHARE = 0.15
RELAXATION_SECONDS = 10.0
"""The LP relaxation gets the smaller of this share of the time left and these seconds (1.5 s on the
bundled city). A province's takes 90 s or more: there the decomposition by city (planner/decompose.py)
hands the search its LP solution instead, and this limit applies only if it could not."""
MAX_FRACTIONAL_FREED = 2000
"""Room neighbourhoods free what the LP leaves fractional only up to this many columns (the bundled city: 519 of 11,264)."""
RENS_SHARE = 0.4
"""RENS gets at most this share of the time left: on the bundled city it needs 7 to 20 s of 55; on a province
(thousands of columns left fractional) it rarely finishes, and the time is better spent on neighbourhoods."""
QUICK_RENS_SECONDS = 3.0
"""RENS first runs without HiGHS's probing for at most this long (see :meth:`Search.rens`)."""
REPAIR_ROUNDS = 6
LATE_QUARTERS = 4
REPAIR_SECONDS = 6.0
"""Sub-MILPs the repair of a plan that leaves groups undone may take, and the time of each."""
DISAGREE_SHARE = 0.9
"""The share of neighbourhoods that are RINS (what the LP and the plan disagree on, nothing more; on a province, on
one city): on the 4,200-system province they solve in 1 to 3 s and gain from nearly every try (16 of 20 in one run,
150 to 950 万元 each) where the other kinds, spanning cities or freeing rooms, time out and gain tens. On the bundled
city (with :data:`PATIENCE_LIMIT`) three 60 s runs ended at 10,645.5 to 10,652.2 万元, within 1% of the bound after 34 to
57 s, where four with the four kinds drawn alike ended at 10,651 to 10,697.5, within 1% once (after 56 s)."""
PATIENCE_LIMIT = 4.0
"""On a model of one piece, a neighbourhood that timed out with nothing gives the next twice its time, up to this many
times the usual; one that finishes or gains, the usual time again. On the bundled city RINS frees 1,300 to 2,500
columns, which the groups' count does not shrink: at 3 s the first eight tries of a 40 s run timed out with nothing
(two later gains of under 1 万元); given 6 s the same neighbourhood gained 40 万元, and the next, from the new plan,
solved in 1.3 s. Three 60 s runs ended at 10,645.5 to 10,652.2 万元 with it, two at 10,666.1 and 10,697.5 without. A
province keeps 1: there a neighbourhood of the whole model takes up to 9.4 s already, and those of one city seldom
time out."""
CITY_RETRY = 0.3
"""After a neighbourhood on a city finds nothing, or a RINS there finishes within its time, that city's excess counts
for this share when the next is chosen (back to whole after a try there gains, unless it was a whole RINS that finished)."""
FIRST_GROUPS = 25
"""Move groups freed in the first neighbourhood; more when sub-MILPs solve fast, fewer when they time out."""
RINS_SHRINK = 0.6
RINS_GROWTH = 1.25
MIN_RINS_COLUMNS = 250
"""On a province, a RINS try that timed out with nothing makes the next free at most this share of what it freed (a part
of the disagreements, by room: :meth:`Search._rins_part`), down to the least; one that finished in a third of its time
lets the next free this much more. On the 4,200-system province a city's RINS frees 1,000 to 1,300 columns and
solves in 0.5 to 3 s; on the 21,000-system one it frees 3,600 to 4,600 (a pair 7,600 to 8,900), and in one 600 s run
64 tries of 71 timed out at 3 s with nothing; the seven that gained had freed 1,056 to 3,623 and finished in time."""


def neighbourhood_seconds(columns: int) -> float:
    """Time for one neighbourhood of a model of ``columns`` columns (see :data:`SUB_MIP_COLUMNS`)."""
    return SUB_MIP_SECONDS * max(1.0, columns / SUB_MIP_COLUMNS)


@dataclass(frozen=True)
class SearchSpace:
    """The integer columns of the model handed to HiGHS and how they are grouped into neighbourhoods."""

    integer: np.ndarray
    """Column indices of the integer variables."""
    lower: np.ndarray
    upper: np.ndarray
    """Every column's own bounds, to restore after fixing."""
    period: np.ndarray
    """Per column, the period's position in the horizon (-1 for columns without one)."""
    room_groups: tuple[tuple[int, ...], ...]
    """Per machine room, the move groups with a system in it (as positions in ``group_columns``)."""
    group_columns: tuple[np.ndarray, ...]
    """Per move group, the columns of its moves and of its systems' DR copies."""
    always_free: np.ndarray
    """Mask of the network and room progress columns: few, and freed in every neighbourhood."""
    closed_column: np.ndarray
    """Per entry of ``room_groups``, the column of "closed by the last period", or -1 if it cannot close."""
    block_of: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    """Per column, its block (a province's city: planner/decompose.py), -1 for none; empty for a model of one piece."""
    left_columns: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    left_groups: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    """The columns ``left[group, g]`` (elastic completion) and their groups (positions in ``group_columns``)."""
    column_pool: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    column_group: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    """Per column, the pool (an index) and the group (a position) of a move or DR copy column; -1 for others."""

    @classmethod
    def of(cls, model: Model, lower: np.ndarray, upper: np.ndarray) -> SearchSpace:
        """Read from the model once PuLP's variables carry their column ``index``."""
        data, v = model.data, model.variables
        position = {t: i for i, t in enumerate(data.periods)}
        count = lower.size
        period = np.full(count, -1, dtype=np.int32)
        columns: dict[str, list[int]] = {gid: [] for gid in data.groups}
        order = {gid: i for i, gid in enumerate(columns)}
        pool_code: dict[str, int] = {}
        column_pool = np.full(count, -1, dtype=np.int64)
        column_group = np.full(count, -1, dtype=np.int64)
        for group, pool, t, var in [(data.parts[uid].group, pool, t, var) for (uid, pool, t), var in v.x.items()] + \
                [(data.graph.group_of[sid], pool, t, var) for (sid, pool, t), var in v.y.items()]:
            columns[group].append(var.index)
            period[var.index] = position[t]
            column_group[var.index] = order[group]
            if pool != RETIRE:
                column_pool[var.index] = pool_code.setdefault(pool, len(pool_code))
        always_free = np.zeros(count, dtype=bool)
        for by in (v.closed_by, v.network_by):
            for (_key, t), var in by.items():
                if var is not None:
                    always_free[var.index] = True
                    period[var.index] = position[t]
        by_room = sorted(model.sets.groups_by_room.items())
        rooms = [tuple(order[g] for g in groups) for _room, groups in by_room]
        last = data.periods[-1]
        closed = [v.closed_by[room, last].index if v.closed_by.get((room, last)) is not None else -1  # type: ignore[union-attr]
                  for room, _groups in by_room]
        in_a_room = {g for groups in rooms for g in groups}
        # A group with no machine room (systems hosted elsewhere) is a neighbourhood unit of its own.
        alone = [(i,) for i in range(len(order)) if i not in in_a_room]
        integer = np.array(sorted(var.index for var in model.columns if var.cat == pulp.LpInteger), dtype=np.int32)
        left = [(var.index, order[key]) for (kind, key), var in v.left.items() if kind == "group"]
        return cls(integer, lower, upper, period, tuple(rooms + alone),
                   tuple(np.array(c, dtype=np.int32) for c in columns.values()), always_free,
                   np.array(closed + [-1] * len(alone), dtype=np.int64),
                   left_columns=np.array([c for c, _g in left], dtype=np.int64),
                   left_groups=np.array([g for _c, g in left], dtype=np.int64),
                   column_pool=column_pool, column_group=column_group)


@dataclass
class CityClaims:
    """The cities each search of a province is working on (one, or a pair). Choosing by the same excess, two searches
    would otherwise solve the same neighbourhood at once: in a 60 s run on the 4,200-system province, 3 of the 18 tries."""

    by_search: dict[int, tuple[int, ...]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def choose(self, search: int, scores: np.ndarray) -> int:
        """The best-scoring city no other search holds (the best of all when they hold every one), held for ``search``."""
        with self.lock:
            city = self._best(search, scores, ())
            self.by_search[search] = (city,)
            return city

    def partner(self, search: int, city: int, scores: np.ndarray) -> int:
        """The best-scoring city other than ``city`` that no other search holds (-1 when there is none), held for
        ``search`` with ``city``."""
        with self.lock:
            if scores.size < 2:
                return -1
            partner = self._best(search, scores, (city,))
            self.by_search[search] = (city, partner)
            return partner

    def _best(self, search: int, scores: np.ndarray, mine: tuple[int, ...]) -> int:
        held = [city for other, cities in self.by_search.items() if other != search for city in cities]
        scores = scores.copy()
        if len(set(held) | set(mine)) < scores.size:
            scores[held] = -np.inf
        scores[list(mine)] = -np.inf
        return int(np.argmax(scores))

    def release(self, search: int) -> None:
        with self.lock:
            self.by_search.pop(search, None)


class Search:
    """RENS then fix-and-optimise on ``highs`` (a copy of the model), until ``stop`` is set or the deadline."""

    def __init__(self, highs: highspy.Highs, space: SearchSpace, incumbent: Incumbent, stop: threading.Event,
                 deadline: float, say: Progress | None = None, seed: int = 1,
                 follow: Callable[[np.ndarray], list[np.ndarray]] | None = None,
                 city_excess: Callable[[np.ndarray], np.ndarray] | None = None,
                 city_models: CityModels | None = None, claims: CityClaims | None = None,
                 done: Callable[[], bool] = lambda: False) -> None:
        self.highs = highs
        self.done = done
        """True once the best plan is proved within the gap asked for: the search ends (on a province nothing else
        ends it before the deadline; on a model of one piece HiGHS's branch and bound sets ``stop``)."""
        self.claims = claims or CityClaims()
        """Shared with the other searches of the same province: the city each is working on."""
        self.city_models = city_models
        """On a province, each city as a model of its own: a neighbourhood within one city is solved there."""
        self.follow = follow
        """LP solution -> the integer columns of plans that follow it (:meth:`planner.strategy.Attempt.follow`)."""
        self.city_excess = city_excess
        """On a province, plan -> per city (block), how far the plan's city is from its cheapest at the decomposition's
        prices (planner/decompose.py ``DantzigWolfe.excess``); the neighbourhoods go where it is largest."""
        self.city_weight = np.ones(int(space.block_of.max()) + 1 if space.block_of.size else 1)
        """Per city, the share of its excess that counts: lowered by :data:`CITY_RETRY` after each try that fails (a
        model of one piece counts as one city: below 1, its RINS frees groups by room as well)."""
        self.last_cities: tuple[int, ...] = ()
        """The cities of the last neighbourhood: one, a pair (:meth:`neighbourhood`), or none when it spanned the whole
        province (a model of one piece counts as city 0)."""
        self.last_kind = ""
        """The kind of the last neighbourhood (see :meth:`neighbourhood`)."""
        self.sub_seconds = neighbourhood_seconds(space.lower.size)
        """Time for one neighbourhood of the whole model."""
        self.patience = 1.0
        """The next neighbourhood's time as a multiple of ``sub_seconds`` (see :data:`PATIENCE_LIMIT`)."""
        self.rins_columns = np.inf
        """On a province, the most integer columns a RINS neighbourhood frees (see :data:`RINS_SHRINK`)."""
        self.rins_freed = 0
        self.rins_partial = False
        """The integer columns the last RINS neighbourhood on a province freed, and whether that was a part of the
        disagreements only."""
        self.space = space
        self.incumbent = incumbent
        self.stop = stop
        self.deadline = deadline
        self.random = random.Random(seed)
        self.relaxed: np.ndarray | None = None
        self.relaxation_bound: float | None = None
        """The optimal value of the LP relaxation when the search solved it: a lower bound of the MILP."""
        self.say: Progress = say or (lambda _event: None)
        """Progress, called from the search thread: it must be thread-safe."""
        self.iterations = 0
        self.improvements = 0
        self.error: BaseException | None = None
        self.room_block = np.array([space.block_of[space.group_columns[groups[0]][0]] if space.block_of.size and groups else -1
                                    for groups in space.room_groups], dtype=np.int64)
        """Per entry of ``space.room_groups``, the block of its first group (when the model has blocks)."""
        self.live_source: str | None = None
        """While RENS or a neighbourhood is solved on ``highs``: the name its plans are offered under as HiGHS finds
        them, not only when the sub-MILP ends (on the bundled city RENS's first plan comes after 0.3 s of its 8, one
        within 1% of the best known after 2 to 5 s)."""
        self.live_gained = False
        """Whether a plan offered while the last sub-MILP ran was the best so far."""
        # Only the MILP hooks: simplex hooks fire every iteration, and each call takes the GIL from the prover.
        interrupt_when(highs, self._stopping)
        highs.cbMipImprovingSolution.subscribe(self._improving)
        if city_models is not None:
            city_models.interrupted, city_models.found = self._stopping, self._offer_live

    def _stopping(self) -> bool:
        return self.stop.is_set() or time.perf_counter() > self.deadline or self.done()

    def _improving(self, event: object) -> None:
        data = event.data_out  # type: ignore[attr-defined]
        self._offer_live(np.array(data.mip_solution), float(data.objective_function_value))

    def _offer_live(self, values: np.ndarray, objective: float) -> None:
        """A plan HiGHS found while a sub-MILP of :attr:`live_source` runs: the best plan at once when it is better."""
        source = self.live_source
        if source is not None and self.incumbent.offer(values, objective, source):
            self.live_gained = True
            self.say(better_plan(f"incumbent {objective:,.1f} 万元 ({source})", objective=objective))

    def run(self, relaxed: np.ndarray | None = None) -> None:
        """RENS (from ``relaxed``, the LP relaxation's solution, when it is known), then fix-and-optimise."""
        try:
            self.relax_and_fix(relaxed)
            self.improve()
        except BaseException as error:  # noqa: BLE001 - reported by the main thread, never lost in a thread
            self.error = error

    def _running(self) -> bool:
        return not self._stopping() and time.perf_counter() < self.deadline - 0.1

    def _solve(self, fixed: np.ndarray, values: np.ndarray, seconds: float, start: np.ndarray | None,
               live: str | None = None) -> tuple[tuple[np.ndarray, float] | None, bool]:
        """:func:`solve_with_fixed` within the deadline; with ``live``, each better plan HiGHS finds meanwhile is offered
        under that name at once (:attr:`live_gained` says whether one was the best so far)."""
        self.live_source, self.live_gained = live, False
        try:
            return solve_with_fixed(self.highs, self.space.lower, self.space.upper, fixed, values,
                                    self._seconds(seconds), start)
        finally:
            self.live_source = None

    def _seconds(self, seconds: float) -> float:
        """``seconds``, or what is left before the deadline when that is less."""
        return max(min(seconds, self.deadline - time.perf_counter()), 0.05)

    def relax_and_fix(self, relaxed: np.ndarray | None = None) -> None:
        """The LP relaxation (unless given), then RENS: fix what the LP sets integral and solve the MILP left."""
        highs, space = self.highs, self.space
        if relaxed is None:
            started = time.perf_counter()
            highs.setOptionValue("solve_relaxation", True)
            highs.setOptionValue("time_limit", max(min((self.deadline - started) * RELAXATION_SHARE, RELAXATION_SECONDS), 0.05))
            try:
                highs.run()
            finally:
                highs.setOptionValue("solve_relaxation", False)
            if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
                self.say(step(f"LP relaxation unsolved after {time.perf_counter() - started:.1f} s; searching from the start"))
                return
            relaxed = np.array(highs.getSolution().col_value)
            value = highs.getInfo().objective_function_value
            self.relaxation_bound = value
            self.say(step(f"LP relaxation {value:,.1f} 万元 in {time.perf_counter() - started:.1f} s", objective=value))
        self.relaxed = relaxed
        province = bool(space.block_of.size)
        if province and self.follow is not None and self.follow_relaxation(relaxed):
            # A province: RENS leaves thousands of columns free and, in the time it may take, finds at best a plan
            # that still leaves groups undone (7.8 s for one such on the 4,200-system province); RINS on the
            # cities gains from the guided plan at once.
            return
        # RENS; on a model of one piece before the guided greedy, which runs only if RENS finds no plan: RENS's first
        # plans beat the greedy's within a second (bundled city: 10,833 万元 after 0.7 s against 11,031).
        if not self.rens(relaxed) and not province and self.follow is not None:
            self.follow_relaxation(relaxed)

    def rens(self, relaxed: np.ndarray) -> bool:
        """Fix what the LP solution ``relaxed`` sets integral and solve the MILP left; whether it found a plan."""
        highs, space = self.highs, self.space
        values = relaxed[space.integer]
        integral = np.abs(values - np.round(values)) < 1e-6
        fixed, fixed_values = space.integer[integral], np.round(values[integral])
        started = time.perf_counter()
        seconds = RENS_SHARE * (self.deadline - started)
        # First without probing, for a few seconds: its first plans come sooner (bundled city: within 1% of the best
        # known after 2.1 to 3.0 s against 4.1 to 5.2 s with probing). Then, unless that finished, with probing: the
        # plan it ends at led the search further (bundled city, 60 s: 10,640 to 10,646 万元 against 10,650 to 10,659).
        highs.setOptionValue("presolve_rule_off", PROBING_OFF)
        try:
            found, timed_out = self._solve(fixed, fixed_values, min(QUICK_RENS_SECONDS, seconds), None, live="RENS")
        finally:
            highs.setOptionValue("presolve_rule_off", 0)
        gained = self.live_gained
        if timed_out and self._running():
            finished, timed_out = self._solve(fixed, fixed_values, seconds - (time.perf_counter() - started), None,
                                              live="RENS")
            found, gained = finished or found, gained or self.live_gained
        free = f"{int((~integral).sum()):,} integer variables free"
        if found is not None and (self.incumbent.offer(found[0], found[1], "RENS") or gained):
            self.say(step(f"RENS plan {found[1]:,.1f} 万元 ({free}) in {time.perf_counter() - started:.1f} s",
                          objective=found[1]))
        elif timed_out:
            self.say(step(f"RENS: no better plan in {time.perf_counter() - started:.0f} s ({free}); searching around the best"))
        return found is not None

    def follow_relaxation(self, relaxed: np.ndarray) -> bool:
        """Greedy plans that follow the LP's schedule (planner/greedy.py ``Guide``), the best complete one offered.

        On a province, whose RENS rarely finishes, the first plan near the bound; on a model of one piece, a plan when
        RENS found none (bundled city: 11,031 万元 in 0.6 s against the plain greedy's 12,579).
        What a plan leaves undone is repaired only when no plan is complete, and only until one is: on the
        4,200-system province the repair of the first try took up to 36 s and still left a group, time the
        neighbourhoods use better.
        True once a plan was offered.
        """
        assert self.follow is not None
        started = time.perf_counter()
        plans = [found for integer in self.follow(relaxed)
                 if (found := self._solve(self.space.integer, integer, self.deadline - time.perf_counter(), None)[0])]
        if not plans:
            return False
        candidates = [plan for plan in plans if not self._stranded(plan[0]).size]
        if not candidates:
            # The plan that leaves least first: once one is repaired whole, the others' repairs are not worth it.
            for plan in sorted(plans, key=lambda plan: self._stranded(plan[0]).size):
                candidates.append(self._repair(*plan))
                if not self._stranded(candidates[-1][0]).size:
                    break
        values, objective = min(candidates, key=lambda plan: plan[1])
        self.incumbent.offer(values, objective, "guided greedy")
        self.say(step(f"guided plan {objective:,.1f} 万元 (the greedy following the LP's schedule) in "
                      f"{time.perf_counter() - started:.1f} s", objective=objective))
        return True

    def _stranded(self, values: np.ndarray) -> np.ndarray:
        """The groups (positions in ``space.group_columns``) a plan leaves undone at ``complete_by``."""
        return self.space.left_groups[values[self.space.left_columns] > 0.5]

    def _repair(self, values: np.ndarray, objective: float) -> tuple[np.ndarray, float]:
        """Place the groups a plan leaves undone: each round frees them with the groups in their pools (``left``),
        and the rooms and networks of their cities; a round that places none frees twice as many rivals next, and
        every move of their cities in the last quarters (where a department's cutovers or the team days ran out)."""
        space = self.space
        rivals = FIRST_GROUPS
        late = False
        for _round in range(REPAIR_ROUNDS):
            stranded = self._stranded(values)
            if not stranded.size or not self._running():
                break
            chosen = self._left_and_rivals(values, stranded, max(int(stranded.size), rivals))
            free = space.always_free.copy()
            if space.block_of.size:
                cities = np.unique(space.block_of[np.concatenate([space.group_columns[g] for g in stranded])])
                free &= np.isin(space.block_of, cities)
            for group in chosen:
                free[space.group_columns[group]] = True
            if late:
                moves = space.column_group >= 0
                if space.block_of.size:
                    moves &= np.isin(space.block_of, cities)
                free |= moves & (space.period > space.period.max() - LATE_QUARTERS)
            fixed = space.integer[~free[space.integer]]
            found, _timed_out = self._solve(fixed, values[fixed], REPAIR_SECONDS, values)
            if found is None or found[1] >= objective - 1.0:
                rivals, late = rivals * 2, True
                continue
            values, objective = found
        return values, objective

    def improve(self) -> None:
        """Fix-and-optimise around the best plan, one neighbourhood at a time."""
        space = self.space
        groups = float(FIRST_GROUPS)
        while self._running():
            best, objective = self.incumbent.snapshot()
            if best is None:
                return
            free = self.neighbourhood(best, objective, int(groups))
            started = time.perf_counter()
            self.live_gained = False
            try:
                if self.city_models is not None and self.last_cities:
                    seconds = neighbourhood_seconds(self.city_models.columns(self.last_cities))
                    self.live_source = "search"
                    found, timed_out = self.city_models.solve(self.last_cities, best, free, self._seconds(seconds))
                else:
                    seconds = self.sub_seconds * self.patience
                    fixed = space.integer[~free[space.integer]]
                    found, timed_out = self._solve(fixed, best[fixed], seconds, best, live="search")
            finally:
                self.live_source = None
                self.claims.release(id(self))
            self.iterations += 1
            offered = found is not None and self.incumbent.offer(found[0], found[1], "search")
            if offered:
                self.say(better_plan(f"incumbent {found[1]:,.1f} 万元 (search)", objective=found[1]))
            gained = offered or self.live_gained
            if gained:
                self.improvements += 1
            # A RINS try that finished within its time found the best plan of a neighbourhood holding every column
            # where that plan and the LP disagree: the next RINS there, from that plan, frees part of the same and
            # cannot gain (on the 4,200-system province every other try repeated the plan of the one before).
            exhausted = self.last_kind == "disagree" and not timed_out and not self.rins_partial
            for city in self.last_cities:
                self.city_weight[city] = 1.0 if gained and not exhausted else self.city_weight[city] * CITY_RETRY
            if not space.block_of.size:
                self.patience = min(self.patience * 2.0, PATIENCE_LIMIT) if timed_out and not gained else 1.0
            # Aim at sub-MILPs that HiGHS finishes within the time given, whatever the model's size.
            quick = time.perf_counter() - started < seconds / 3
            groups = max(3.0, groups * 0.85) if timed_out else min(groups * 1.1, 400.0) if quick else groups
            if self.last_kind == "disagree" and space.block_of.size:
                if timed_out and not gained:
                    self.rins_columns = max(float(MIN_RINS_COLUMNS), RINS_SHRINK * self.rins_freed)
                elif quick:
                    self.rins_columns *= RINS_GROWTH

    def neighbourhood(self, best: np.ndarray, best_objective: float, groups: int) -> np.ndarray:
        """A mask of free columns around ``best``: the moves of about ``groups`` move groups, and more.

        - rooms: every group with a system in a few random rooms, and what the LP leaves fractional
          (on a province, rooms of one city and what the LP leaves fractional there);
        - open rooms: the same, but two to four of the rooms are rooms the plan leaves open: the
          way to close more rooms, or other ones (on a province, the way to reach the room target);
        - window: ten times as many groups, but only their moves in 2 to 4 consecutive quarters;
        - disagree (nine times in ten): the variables where the LP and the plan differ, nothing more until a try
          fails, then half as many groups by room as well (on a province, those of one city: RINS on the city; once
          a try there found nothing or finished, those of that city and of a partner, the next city by excess: RINS
          on the pair, see :meth:`_partner`; once a RINS try timed out with nothing, a part of them, by room, see
          :meth:`_rins_part`);
        On a province the city is the one of largest excess (:meth:`_city`) when the decomposition gave prices.
        - left: groups the plan leaves undone at ``complete_by`` (each costs 1e6), with as many groups again
          that the plan puts in the pools they may use (their moves and DR copies): what keeps them out.
        The network and room progress columns are free in each (on a province, those of the city).
        """
        space = self.space
        free = space.always_free.copy()
        kinds = ["rooms", "open rooms", "window"] + (["disagree"] if self.relaxed is not None else [])
        stranded = self._stranded(best)
        # While the best plan misses a hard target, placing what is left, closing more rooms or moving more
        # groups is what pays.
        if stranded.size and self.random.random() < 0.7:
            kind = "left"
        elif best_objective >= MISSED_OBJECT_WAN and self.random.random() < 0.7:
            kind = "open rooms"
        elif self.relaxed is not None and self.random.random() < DISAGREE_SHARE:
            kind = "disagree"
        else:
            kind = self.random.choice(kinds)
        window: tuple[int, int] | None = None
        rooms = list(range(len(space.room_groups)))
        self.random.shuffle(rooms)
        city = partner = -1
        if space.block_of.size and kind in ("rooms", "open rooms", "disagree"):
            # A province: rooms of one city, whose plan interacts with the others' through shared limits only.
            city = self._city(best)
            rooms = [r for r in rooms if self.room_block[r] == city]
            free &= space.block_of == city
        chosen: set[int] = set()
        if kind == "left":
            chosen = self._left_and_rivals(best, stranded, groups)
        elif kind == "open rooms":
            closable = space.closed_column >= 0
            is_open = np.zeros(len(space.room_groups), dtype=bool)
            is_open[closable] = best[space.closed_column[closable]] < 0.5
            for room in [r for r in rooms if is_open[r]][:self.random.choice((2, 3, 4))]:
                chosen.update(space.room_groups[room])
        if kind in ("rooms", "open rooms") and self.relaxed is not None:
            relaxed = self.relaxed[space.integer]
            fractional = space.integer[np.abs(relaxed - np.round(relaxed)) > 1e-6]
            if city >= 0:
                fractional = fractional[space.block_of[fractional] == city]
            # A province's LP leaves thousands fractional: freeing them all makes every sub-MILP time out.
            if fractional.size <= MAX_FRACTIONAL_FREED:
                free[fractional] = True
        elif kind == "window":
            width = self.random.choice((3, 4, 5, 6, 8))
            first = self.random.randrange(max(int(space.period.max()) + 2 - width, 1))
            window = (first, first + width)
            groups *= 10
        elif kind == "disagree":
            assert self.relaxed is not None
            disagree = np.abs(self.relaxed - best) > 0.1
            spent = self.city_weight[max(city, 0)] < 1.0
            # All the disagreements (on a province, one city's, the other cities fixed: RINS on the city). Nothing
            # more while it gains there (about 1 s a sub-MILP on a province's city). Once a try there found nothing,
            # the same RINS would find nothing again: on a province the disagreements of a pair of cities instead
            # (:meth:`_partner`), on a model of one piece half as many groups by room as well (3 s or more).
            partner = self._partner(best, city) if spent and city >= 0 else -1
            if city >= 0:
                chosen_cities = (city,) if partner < 0 else (city, partner)
                cities = np.isin(space.block_of, chosen_cities)
                disagree = self._rins_part(disagree & cities, chosen_cities)
                free |= space.always_free & cities
            free[disagree] = True
            groups = groups // 2 if spent and partner < 0 else 0
        self.last_kind = kind
        self.last_cities = tuple(c for c in (city, partner) if c >= 0) if space.block_of.size else (0,)
        for room in rooms:
            if len(chosen) >= groups:
                break
            chosen.update(space.room_groups[room])
        for group in chosen:
            columns = space.group_columns[group]
            if window is not None:
                columns = columns[(space.period[columns] >= window[0]) & (space.period[columns] < window[1])]
            free[columns] = True
        return free

    def _rins_part(self, disagree: np.ndarray, cities: tuple[int, ...]) -> np.ndarray:
        """``disagree`` (a mask of the columns where the LP and the plan disagree in ``cities``) when it holds at most
        :attr:`rins_columns` integer columns; else the disagreements of the groups of rooms of those cities, rooms drawn
        at random until that many (and of no group: room and network columns, freed anyway)."""
        space = self.space
        self.rins_freed = int(np.count_nonzero(disagree[space.integer]))
        self.rins_partial = self.rins_freed > self.rins_columns
        if not self.rins_partial:
            return disagree
        part = disagree & (space.column_group < 0)
        rooms = [room for room in range(len(space.room_groups)) if self.room_block[room] in cities]
        self.random.shuffle(rooms)
        taken: set[int] = set()
        freed = int(np.count_nonzero(part[space.integer]))
        for room in rooms:
            if freed >= self.rins_columns:
                break
            for group in set(space.room_groups[room]) - taken:
                taken.add(group)
                columns = space.group_columns[group]
                columns = columns[disagree[columns]]
                part[columns] = True
                freed += columns.size
        self.rins_freed = freed
        return part

    def _city(self, best: np.ndarray) -> int:
        """The city to search in: where ``best`` is furthest from its cheapest at the decomposition's prices (its
        excess, discounted by the tries there that found nothing), or any city when the excess is not known.

        On the 4,200-system province a few cities hold most of the excess of the first plan (1,230 and 1,034 万元
        where most hold 100 to 300) and their neighbourhoods gain most; drawn at random they came up 22nd and 24th."""
        if self.city_excess is None:
            return self.random.randrange(self.city_weight.size)
        return self.claims.choose(id(self), self._scores(best))

    def _partner(self, best: np.ndarray, city: int) -> int:
        """The city to pair with ``city`` once RINS on ``city`` alone found nothing or finished: the next by weighted
        excess, or any other when the excess is not known; -1 for a province of one city.

        The pair's RINS is solved on a model of both (planner/city_models.py): they may trade what they share (team
        days, budget, provincial pools), which RINS on one city, the others fixed, cannot. On the 4,200-system province
        at a 60 s limit, after the first round of RINS on every city, tries on one city (RINS alone, then with half as
        many groups by room) gained 0 to 23 万元 each; tries on pairs 0 to 202, median 48 (37 tries in 13 runs)."""
        if self.city_excess is None:
            others = [other for other in range(self.city_weight.size) if other != city]
            return self.random.choice(others) if others else -1
        return self.claims.partner(id(self), city, self._scores(best))

    def _scores(self, best: np.ndarray) -> np.ndarray:
        assert self.city_excess is not None
        return np.maximum(self.city_excess(best), 0.0) * self.city_weight

    def _left_and_rivals(self, best: np.ndarray, stranded: np.ndarray, groups: int) -> set[int]:
        """Up to ``groups`` of the groups left undone, and up to as many again of the groups the plan moves into
        (or copies into) a pool one of those may use: freed together, a rival can make room or go elsewhere."""
        space = self.space
        left = [int(g) for g in stranded]
        self.random.shuffle(left)
        chosen = set(left[:max(groups, 1)])
        columns = np.concatenate([space.group_columns[g] for g in chosen])
        pools = np.unique(space.column_pool[columns])
        pools = pools[pools >= 0]
        taken = np.flatnonzero((best > 0.5) & np.isin(space.column_pool, pools))
        rivals = [int(g) for g in np.unique(space.column_group[taken]) if g >= 0 and g not in chosen]
        self.random.shuffle(rivals)
        chosen.update(rivals[:max(groups, len(chosen))])
        return chosen
