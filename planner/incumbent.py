"""The best plan found so far by any thread (HiGHS's branch and bound, the primal search, the warm start)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np


@dataclass
class Incumbent:
    """The best complete solution found by anyone, shared between threads."""

    values: np.ndarray | None = None
    objective: float = float("inf")
    source: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def offer(self, values: np.ndarray, objective: float, source: str) -> bool:
        with self.lock:
            if objective < self.objective - 1e-7 * max(1.0, abs(objective)):
                self.values, self.objective, self.source = values.copy(), objective, source
                return True
            return False

    def snapshot(self) -> tuple[np.ndarray | None, float]:
        with self.lock:
            return self.values, self.objective
