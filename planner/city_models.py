"""A province's cities as MILPs of their own, for the search's neighbourhoods on one city (or a pair of cities).

A neighbourhood on one city (RINS on the city, planner/search.py) fixes the integer columns of every
other city. Solved on the whole model, HiGHS presolves all of it each time however little is free:
on the 21,000-system province (943,138 columns) each neighbourhood was given 9.4 s and most of it
went there. Here each city is a model of its own: the city's columns and the master's (columns in no
block: pool use, KPI shortfall, slack), the city's own rows, and the linking rows with what the other
cities' columns contribute at the best plan moved into their bounds. Within those the sub-MILP is the
same problem: a plan of it, put back into the best plan, is a plan of the whole model. A pair of cities is one
such model holding both: what one city gives up of a shared limit (team days, budget, a provincial pool) the other
may take, a trade no neighbourhood of one city can make.

The other cities' continuous columns keep their values here, where the whole model lets them move: a
sub-MILP here may find less than on the whole model, never a plan that breaks a row. On two generated
cities the same neighbourhoods cost the same either way (tests/planner/test_city_models.py).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

import highspy
import numpy as np

from planner.decompose import DantzigWolfe, lp_part
from planner.highs import SOLUTION_FEASIBLE, give_start, interrupt_when, quiet_highs

CITY_MIP_GAP = 1e-3
"""A neighbourhood's sub-MILP ends once its plan is within this share of its bound (a city of the 4,200-system province
costs about 10,000 万元: 10 万元). At 1e-4 the first round of RINS over that province's 14 cities, beside the lift at a
60 s limit, ended 46 to 59 s in and the plan was proven within 1% by 60 s in two runs of seven; at 1e-3 it ended 42 to
49 s in, proven in nine runs of thirteen (both with the pairs of planner/search.py ``Search._partner``)."""
SEVERAL_CITIES_KEPT = 2
"""Models of several cities kept once built (the most recently used): there are 91 pairs of 14 cities, each model as
large as two cities (the 21,000-system province: 134,000 columns), and the search seldom takes the same pair twice
in a row."""


class CityModels:
    """One HiGHS per city of ``decomposition``'s blocks, built when first asked for and kept; one per set of several
    cities, of which the last :data:`SEVERAL_CITIES_KEPT` are kept.

    Not thread-safe: each search thread has its own.
    """

    def __init__(self, decomposition: DantzigWolfe, integer: np.ndarray) -> None:
        self.decomposition = decomposition
        self.is_integer = np.zeros(decomposition.lp.num_col_, dtype=bool)
        self.is_integer[integer] = True
        self._models: dict[tuple[int, ...], _CityModel] = {}
        self._several: OrderedDict[tuple[int, ...], _CityModel] = OrderedDict()
        """Models of one city, and the most recently used of several (in the order used)."""
        self.interrupted: Callable[[], bool] = lambda: False
        """Asked while a city's sub-MILP runs: True ends it (the search's stop, deadline or a proved plan)."""
        self.found: Callable[[np.ndarray, float], None] | None = None
        """Told each better plan of the whole model HiGHS finds while a city's sub-MILP runs (its values, its cost)."""

    def columns(self, cities: tuple[int, ...]) -> int:
        """How many columns the model of ``cities`` has."""
        blocks = self.decomposition.blocks
        return int(sum(blocks.columns[city].size for city in cities) + blocks.master.size)

    def solve(self, cities: tuple[int, ...], best: np.ndarray, free: np.ndarray, seconds: float
              ) -> tuple[tuple[np.ndarray, float] | None, bool]:
        """The best plan with the integer columns of ``cities`` outside ``free`` (a mask of all columns) fixed, and
        every other city's columns as in ``best``: the whole plan and its objective (None without one), and whether
        the time ran out. ``free`` must not free an integer column of another city."""
        return self._model(tuple(sorted(cities))).solve(best, free, self.is_integer, seconds)

    def _model(self, cities: tuple[int, ...]) -> _CityModel:
        kept = self._models if len(cities) == 1 else self._several
        model = kept.pop(cities, None) or _CityModel(self.decomposition, cities, self)
        kept[cities] = model
        while len(self._several) > SEVERAL_CITIES_KEPT:
            self._several.popitem(last=False)
        return model


class _CityModel:
    """The MILP of one city or several: their columns and the master's, their rows and the linking rows that touch them."""

    def __init__(self, decomposition: DantzigWolfe, cities: tuple[int, ...], owner: CityModels) -> None:
        blocks, lp = decomposition.blocks, decomposition.lp
        self.owner = owner
        self.decomposition = decomposition
        self.columns = np.concatenate([blocks.columns[city] for city in cities] + [blocks.master])
        inside = np.zeros(lp.num_col_, dtype=bool)
        inside[self.columns] = True
        self.inside_entry = inside[decomposition.link_column]
        """Per entry of the linking rows, whether its column is in this model."""
        self.links = np.unique(decomposition.link_row[self.inside_entry])
        """The linking rows (positions in ``blocks.linking``) this model keeps: those with an entry in it."""
        own_rows = np.concatenate([blocks.rows[city] for city in cities])
        rows = np.concatenate((own_rows, blocks.linking[self.links]))
        self.link_positions = np.arange(own_rows.size, rows.size, dtype=np.int32)
        """Where the kept linking rows are among the model's rows."""
        self.highs = quiet_highs(lp_part(lp, self.columns, rows, decomposition.matrix, integer=True))
        self.highs.setOptionValue("mip_rel_gap", CITY_MIP_GAP)
        self.lower = decomposition.lower[self.columns]
        self.upper = decomposition.upper[self.columns]
        self.best: np.ndarray | None = None
        """The whole plan the running sub-MILP starts from: its plans are this with the city's columns replaced."""
        # Only the MILP hooks (simplex hooks fire every iteration). The interrupt asks the owner at each call: the
        # search that owns the models may set its hook after they exist.
        interrupt_when(self.highs, lambda: owner.interrupted())
        self.highs.cbMipImprovingSolution.subscribe(self._improving)

    def _improving(self, event: object) -> None:
        if self.owner.found is not None and self.best is not None:
            self.owner.found(*self._whole(self.best, np.array(event.data_out.mip_solution)))  # type: ignore[attr-defined]

    def _whole(self, best: np.ndarray, own: np.ndarray) -> tuple[np.ndarray, float]:
        """The whole plan ``best`` with this city's columns at ``own``, and its cost."""
        values = best.copy()
        values[self.columns] = own
        return values, float(self.decomposition.cost @ values + self.decomposition.offset)

    def solve(self, best: np.ndarray, free: np.ndarray, is_integer: np.ndarray, seconds: float
              ) -> tuple[tuple[np.ndarray, float] | None, bool]:
        w = self.decomposition
        outside = ~self.inside_entry
        others = np.bincount(w.link_row[outside], weights=w.link_value[outside] * best[w.link_column[outside]],
                             minlength=w.blocks.linking.size)[self.links]
        # inf - finite stays inf: an open side stays open.
        self.highs.changeRowsBounds(self.links.size, self.link_positions, w.link_lower[self.links] - others,
                                    w.link_upper[self.links] - others)
        fixed = is_integer[self.columns] & ~free[self.columns]
        own = best[self.columns]
        self.highs.changeColsBounds(self.columns.size, np.arange(self.columns.size, dtype=np.int32),
                                    np.where(fixed, own, self.lower), np.where(fixed, own, self.upper))
        give_start(self.highs, own)
        self.highs.setOptionValue("time_limit", seconds)
        self.best = best
        try:
            self.highs.run()
        finally:
            self.best = None
        timed_out = self.highs.getModelStatus() == highspy.HighsModelStatus.kTimeLimit
        if self.highs.getInfo().primal_solution_status != SOLUTION_FEASIBLE:
            return None, timed_out
        return self._whole(best, np.asarray(self.highs.getSolution().col_value)), timed_out
