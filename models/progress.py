"""Where each planned object stands at the end of a quarter (`migplan progress`).

One row per object the plan dates (migrate, retire, interconnect, close): not started,
in progress, done, failed (the cutover failed and was rolled back) or slipped (past its
planned quarter and not done). The rows are what the quarter's re-plan, the plan diff
and the 季通报 bulletin read.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from models.errors import InputError
from models.period import Period

PROGRESS_FORMAT = "migplan-progress/1"
Status = Literal["not started", "in progress", "done", "failed", "slipped"]
STATUSES: tuple[Status, ...] = ("done", "in progress", "not started", "failed", "slipped")
STATUS_ZH: dict[str, str] = {"done": "已完成", "in progress": "进行中", "not started": "未开始",
                             "failed": "失败已回退", "slipped": "已延误"}


@dataclass(frozen=True)
class ObjectProgress:
    """One planned object at the end of the reported quarter."""

    kind: str
    id: str
    name: str
    department: str
    """Department name (its id when the inventory has no name for it)."""
    action: str
    planned: str
    """The quarter the plan dates it in."""
    status: Status
    actual: str | None = None
    """The quarter it was done in, when done."""
    owner: str = ""
    """负责人, from the ledger."""
    source: str = ""
    """Where the status comes from: journal, ledger or none."""
    why: str = ""
    """For failed and slipped objects: the failing task's message, or what the ledger says."""

    @property
    def late(self) -> bool:
        """Failed or slipped: not done by the end of its planned quarter."""
        return self.status in ("failed", "slipped")


@dataclass(frozen=True)
class Progress:
    as_of: Period
    plan: str
    """The identity (content digest) of the plan the progress is measured against."""
    objects: tuple[ObjectProgress, ...]

    def to_json(self) -> dict[str, Any]:
        return {"format": PROGRESS_FORMAT, "as_of": str(self.as_of), "plan": self.plan,
                "objects": [asdict(row) for row in self.objects]}

    def by_id(self) -> dict[tuple[str, str], ObjectProgress]:
        return {(row.kind, row.id): row for row in self.objects}


def load_progress(path: Path) -> Progress:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        if document.get("format") != PROGRESS_FORMAT:
            raise ValueError(f"format is {document.get('format')!r}, expected {PROGRESS_FORMAT}")
        return Progress(Period.parse(document["as_of"]), str(document["plan"]),
                        tuple(ObjectProgress(**row) for row in document["objects"]))
    except FileNotFoundError:
        raise InputError(f"{path}: no such progress file (write it with `migplan progress -o`)") from None
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise InputError(f"{path}: not a progress file: {error}") from None
