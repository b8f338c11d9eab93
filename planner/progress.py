"""Progress in the terminal: a spinner with the latest step and the time elapsed, and a line per step.

Quiet (no output at all) when stderr is not a terminal (pipes, CI, tests) or with --quiet,
so that machine-read output never carries progress text.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.markup import escape
from rich.progress import Progress as Spinner
from rich.progress import SpinnerColumn, TextColumn, TimeElapsedColumn

from planner.events import Progress, ProgressEvent
from planner.i18n import translate


@contextmanager
def terminal_progress(quiet: bool = False, console: Console | None = None) -> Iterator[Progress | None]:
    """Yield a sink for progress events, or None when nothing should be shown.

    A step gets a line; a better plan (an ``incumbent`` event) only replaces the spinner's text."""
    console = console or Console(stderr=True)
    if quiet or not console.is_terminal:
        yield None
        return
    started = time.perf_counter()
    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with Spinner(*columns, console=console, transient=True) as spinner:
        task = spinner.add_task("…", total=None)

        def report(event: ProgressEvent) -> None:
            shown = translate(event.text)
            if event.kind != "incumbent":
                spinner.console.print(f"[dim]{time.perf_counter() - started:6.1f} s  {escape(shown)}[/dim]", highlight=False)
            spinner.update(task, description=escape(shown))

        yield report
