"""Progress in the terminal: a spinner with the latest step and the time elapsed, and a line per step.

Quiet (no output at all) when stderr is not a terminal (pipes, CI, tests) or with --quiet,
so that machine-read output never carries progress text.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from typing import Callable, Iterator

from rich.console import Console
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from planner.i18n import translate

Reporter = Callable[[str], None]
SOLVER_UPDATE = "incumbent "
"""Prefix of the solver's improving-solution messages (planner/solve.py): they replace one another in
the spinner instead of each printing a line, since a long solve can find dozens."""


@contextmanager
def terminal_progress(quiet: bool = False, console: Console | None = None) -> Iterator[Reporter | None]:
    """Yield a reporter for step messages, or None when nothing should be shown."""
    console = console or Console(stderr=True)
    if quiet or not console.is_terminal:
        yield None
        return
    started = time.perf_counter()
    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("…", total=None)

        def report(message: str) -> None:
            shown = translate(message)  # the prefix test reads the English message, the user the translation
            if not message.startswith(SOLVER_UPDATE):
                progress.console.print(f"[dim]{time.perf_counter() - started:6.1f} s  {escape(shown)}[/dim]", highlight=False)
            progress.update(task, description=escape(shown))

        yield report
