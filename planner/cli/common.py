"""What every migplan command shares: the error handling with its exit codes, ``--debug`` and ``--json``."""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

import click

from models.errors import MigplanError, ValidationFailed
from planner import events
from planner.events import Progress, tell
from planner.i18n import problem_line, translate
from planner.i18n.cli import LocalizedCommand, LocalizedGroup

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class Context:
    """Options every command shares."""

    debug: bool = False


def command(name: str, **attributes: Any) -> Callable[[Callable[..., Any]], click.Command]:
    """A top-level command, with help and errors in the user's language (``planner.i18n.cli``)."""
    return click.command(name, cls=LocalizedCommand, **attributes)


def group(name: str, **attributes: Any) -> Callable[[Callable[..., Any]], click.Group]:
    """A command group whose commands have help and errors in the user's language."""
    return click.group(name, cls=LocalizedGroup, **attributes)


json_option = click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON instead of tables.")
force_option = click.option("--force", is_flag=True,
                            help="Write into a non-empty folder migplan did not write (its files are kept).")
allow_empty_option = click.option("--allow-empty", is_flag=True,
                                  help="Accept an inventory without systems (otherwise exit 2).")


class FiniteFloatRange(click.FloatRange):
    """A float range that also refuses nan and inf (click's own range lets nan through: it compares false)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number.", param, ctx)
        return number


def clamped_threads(threads: int | None) -> int | None:
    """``--threads``, at most the machine's cores, with a warning on stderr when clamped."""
    from planner.scenario_file import clamp_threads

    usable, why = clamp_threads(threads)
    if why:
        click.echo(translate("warning: ") + why, err=True)
    return usable


def handle_errors(command: F) -> F:
    """Turn migplan errors into one clear line and their exit code; tracebacks only with --debug."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        shared = click.get_current_context().find_object(Context)
        debug = shared.debug if shared is not None else False
        try:
            return command(*args, **kwargs)
        except MigplanError as error:
            if debug:
                raise
            if isinstance(error, ValidationFailed):
                for problem in error.problems:
                    click.echo(problem_line(problem), err=True)
            else:
                click.echo(translate("error: ") + translate(str(error)), err=True)
            sys.exit(error.exit_code)
        except OSError as error:
            # A file system failure no check could foresee (a disk filling up, a file removed mid-run):
            # still one line, and exit 4, a failing source or output.
            if debug:
                raise
            where = f"{error.filename}: " if error.filename else ""
            click.echo(translate("error: ") + f"{where}{error.strerror or error}", err=True)
            sys.exit(4)
        except KeyboardInterrupt:
            click.echo(translate("interrupted"), err=True)
            sys.exit(130)

    return wrapper  # type: ignore[return-value]


def step(progress: Progress | None, message: str) -> None:
    """One progress line, when progress is shown."""
    tell(progress, events.step(message))
