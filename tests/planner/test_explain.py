"""The explanation of an infeasible scenario gets what is left of the time limit, at least a quarter of it."""

from __future__ import annotations

import pytest

from planner.explain import explanation_seconds


@pytest.mark.parametrize(("spent", "expected"), [(10.0, 50.0), (45.0, 15.0), (60.0, 15.0), (75.0, 15.0)])
def test_explanation_time_budget(spent: float, expected: float) -> None:
    """Limit 60 s: after 10 s the explanation has the 50 s left; after 45 s or more, a quarter (15 s)."""
    assert explanation_seconds(60.0, spent) == pytest.approx(expected)
