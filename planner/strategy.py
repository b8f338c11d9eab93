"""What every solving strategy works on (the model in HiGHS, the settings, the shared best plan, the bound), and the gap test.

A strategy is a function ``(attempt) -> None`` (planner/prover.py, planner/by_blocks.py): it works until
the deadline or until the best plan is within the gap of the bound, leaving plans in
``attempt.incumbent`` and the bound it proved in ``attempt.bound``. planner/solve.py builds the
attempt from the model and the settings and turns it into an outcome.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import highspy
import numpy as np

from planner.events import Progress, ProgressEvent
from planner.greedy import follow_guide, greedy_values, guide_from_lp
from planner.highs import quiet_highs, relative_gap
from planner.incumbent import Incumbent
from planner.model import Model
from planner.search import SearchSpace
from planner.settings import SolverSettings


@dataclass
class Attempt:
    """One solve in progress."""

    model: Model
    settings: SolverSettings
    highs: highspy.Highs
    """The whole model, as handed to HiGHS (the prover runs on it)."""
    lp: highspy.HighsLp
    """The model as HiGHS holds it, for copies (the searches, the decomposition's blocks)."""
    space: SearchSpace
    incumbent: Incumbent
    deadline: float
    """``time.perf_counter()`` value at which to stop."""
    progress: Progress | None = None
    bound: float | None = None
    """The best lower bound proved so far."""
    _progress_lock: threading.Lock = field(default_factory=threading.Lock)

    def say(self, event: ProgressEvent) -> None:
        """Progress from any thread, one event at a time."""
        if self.progress is not None:
            with self._progress_lock:
                self.progress(event)

    def within_gap(self, bound: float) -> bool:
        """The best plan is within the settings' gap of ``bound``."""
        _values, objective = self.incumbent.snapshot()
        if not (np.isfinite(objective) and np.isfinite(bound)):
            return False
        return relative_gap(objective, bound) <= self.settings.mip_gap

    def proved(self) -> bool:
        return self.bound is not None and self.within_gap(self.bound)

    def raise_bound(self, bound: float) -> bool:
        """Keep ``bound`` when it is better; True once the best plan is within the gap of the bound."""
        if self.bound is None or bound > self.bound:
            self.bound = bound
        return self.proved()

    def integer_values(self, named: dict[str, float]) -> np.ndarray:
        """Values by variable name (a greedy plan's: planner/greedy.py ``greedy_values``) as the integer columns
        (``space.integer``), 0 where a name is missing; names the model does not have are left out."""
        values = np.zeros(self.lp.num_col_)
        index = self._column_of_name
        for name, value in named.items():
            if name in index:
                values[index[name]] = value
        return values[self.space.integer]

    @cached_property
    def _column_of_name(self) -> dict[str, int]:
        # Built once: the warm start and every guided plan map their names through it (943,138 on a big province).
        return {var.name: var.index for var in self.model.columns}

    def follow(self, relaxed: np.ndarray) -> list[np.ndarray]:
        """The integer columns of the greedy plans that follow the LP solution ``relaxed``
        (:func:`planner.greedy.follow_guide`)."""
        model = self.model
        return [self.integer_values(greedy_values(greedy, model))
                for greedy in follow_guide(model.data, guide_from_lp(model, relaxed), until=self.deadline)]

    def search_copy(self) -> highspy.Highs:
        """A quiet HiGHS of its own for a search thread."""
        helper = quiet_highs(self.lp)
        helper.setOptionValue("mip_rel_gap", 1e-4)
        return helper


Strategy = Callable[[Attempt], None]
