"""One exception hierarchy for every failure migplan reports to a user.

Each error renders as one clear line (the CLI prints ``str(error)`` and exits
with ``exit_code``); ``--debug`` alone shows the traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


class MigplanError(Exception):
    """Base of every error migplan raises on purpose."""

    exit_code: int = 1


class InputError(MigplanError):
    """A file, scenario or option given by the user is wrong."""

    exit_code = 2


def no_such_path(path: object, what: Literal["file", "folder"] = "file") -> InputError:
    """``x.yaml: no such file (/where/it/was/looked/for/x.yaml)``: a relative path also shows where it was looked for."""
    import os

    text = str(path)
    absolute = os.path.abspath(text)
    return InputError(f"{text}: no such {what}" + (f" ({absolute})" if absolute != text else ""))


@dataclass(frozen=True)
class Problem:
    """One problem found in an input, located precisely enough to fix it."""

    source: str
    """The file (and, for spreadsheets, the sheet) the problem is in."""
    location: str
    """Where in the source: a line number (``12``), ``row 7`` or ``systems[3]``; empty when unknown."""
    object_id: str
    """The id of the offending object, or empty for a file-level problem."""
    field: str
    """The field at fault, or empty when the whole object is at fault."""
    message: str
    """What is wrong and, where it helps, how to fix it."""
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        if self.location.isdigit():
            where = f"{self.source}:{self.location}"
        else:
            where = self.source + (f" ({self.location})" if self.location else "")
        subject = self.object_id + (f".{self.field}" if self.field else "") if self.object_id else self.field
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{where}: {prefix}{subject + ': ' if subject else ''}{self.message}"


class ValidationFailed(InputError):
    """Validation found errors; every problem is listed, one per line."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        super().__init__("\n".join(str(p) for p in errors))


class ScenarioError(InputError):
    """The scenario file is malformed or refers to something that does not exist."""


class SourceError(MigplanError):
    """An inventory source (a NetBox server, a file) could not be read or written."""

    exit_code = 4


class OutputError(MigplanError):
    """An output file or folder could not be written (a read-only or missing place, a full disk)."""

    exit_code = 4


class PlanInfeasible(MigplanError):
    """The scenario cannot be met; the plan carries the violations that say why."""

    exit_code = 3


class PlaybookError(MigplanError):
    """Playbooks could not be generated or a wave run failed."""

    exit_code = 5


class PlanRejected(MigplanError):
    """``migplan check`` found a plan breaking rules of the contract; the findings say which."""

    exit_code = 6


class EveryScenarioFailed(MigplanError):
    """``migplan compare`` got no plan at all; exits with the code the scenarios' own failures share."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code
