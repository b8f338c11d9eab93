"""The console for stdout: tables people read in a terminal, or paste from a pipe or a file."""

from __future__ import annotations

from rich.console import Console


def stdout_console() -> Console:
    """A console for stdout that never cuts or wraps what goes into a pipe or a file (output people paste)."""
    console = Console()
    if not console.is_terminal:
        console = Console(width=100_000, soft_wrap=True)
    return console
