"""Progress is shown on a terminal and nowhere else."""

from __future__ import annotations

import io
import re

from rich.console import Console

from planner.events import better_plan, step
from planner.progress import terminal_progress


def test_quiet_when_not_a_terminal() -> None:
    with terminal_progress(console=Console(file=io.StringIO())) as progress:
        assert progress is None


def test_quiet_flag_wins_on_a_terminal() -> None:
    with terminal_progress(quiet=True, console=Console(file=io.StringIO(), force_terminal=True)) as progress:
        assert progress is None


def test_steps_are_printed_and_solver_updates_only_shown() -> None:
    buffer = io.StringIO()
    with terminal_progress(console=Console(file=buffer, force_terminal=True, width=100)) as progress:
        assert progress is not None
        progress(step("model built: 10 variables"))
        progress(better_plan("incumbent 12.0 万元, bound 10.0, gap 16.67%", objective=12.0, bound=10.0))
        progress(step("writing [files]"))
    output = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", buffer.getvalue())
    assert "model built: 10 variables" in output and "writing [files]" in output
    # The spinner is transient; an incumbent never gets a line of its own.
    assert "s  incumbent" not in output
