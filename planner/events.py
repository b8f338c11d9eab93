"""Progress events: what the planner reports while it works, a step or a better plan, for whoever shows them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

EventKind = Literal["step", "incumbent"]


@dataclass(frozen=True)
class ProgressEvent:
    """One thing worth telling: ``step`` events each deserve a line; ``incumbent`` events (a better plan)
    replace one another, since a long solve can find dozens."""

    kind: EventKind
    text: str
    """The message, in English (the CLI translates at its edge)."""
    numbers: Mapping[str, float] = field(default_factory=dict)
    """The figures in the message, for a reader that wants them rather than the text (objective, bound...)."""


Progress = Callable[[ProgressEvent], None]
"""Where progress goes; None in its place means nobody listens."""


def step(text: str, **numbers: float) -> ProgressEvent:
    return ProgressEvent("step", text, numbers)


def better_plan(text: str, **numbers: float) -> ProgressEvent:
    return ProgressEvent("incumbent", text, numbers)


def tell(progress: Progress | None, event: ProgressEvent) -> None:
    """Send ``event`` when someone listens."""
    if progress is not None:
        progress(event)
