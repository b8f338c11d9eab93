"""Run one wave of generated playbooks through ansible-runner, cutover by cutover.

Progress is shown per host and task as events stream in. Every cutover's start and end
go into a run journal (JSON lines: when, what, result). The wave stops at the first
failed cutover; run it again and the cutovers the journal already records as ok (in
a real, non-check run) are skipped, so it resumes where it stopped.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol

import ansible_runner

from models.errors import PlaybookError
from playbooks.generate import CUTOVERS_FILE, ROLES_DIR


class Progress(Protocol):
    def cutover(self, cutover: dict[str, str], state: str) -> None: ...
    def task(self, cutover: dict[str, str], host: str, task: str, status: str) -> None: ...


@dataclass
class WaveResult:
    wave: str
    ok: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: str | None = None
    not_run: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 0 if self.failed is None else 1


class Journal:
    """Append-only JSON lines; one record per cutover start and end."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def write(self, what: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        record = {"when": datetime.now(timezone.utc).isoformat(timespec="seconds"), **what}
        with self.path.open("a", encoding="utf-8") as journal:
            journal.write(json.dumps(record, ensure_ascii=False) + "\n")

    def done(self, wave: str) -> set[str]:
        """Cutovers of the wave whose latest real (not --check) run ended ok."""
        latest: dict[str, str] = {}
        if not self.path.exists():
            return set()
        for line in self.path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            if record.get("wave") == wave and record.get("what") == "end" and not record.get("check"):
                latest[record["cutover"]] = record["result"]
        return {cutover for cutover, result in latest.items() if result == "ok"}


# Runner events worth a progress line, and the status they stand for.
_TASK_EVENTS = {"runner_on_ok": "ok", "runner_on_failed": "failed", "runner_on_unreachable": "unreachable",
                "runner_on_skipped": "skipped"}


def _event_handler(cutover: dict[str, str], progress: Progress) -> Callable[[dict[str, Any]], bool]:
    def handle(event: dict[str, Any]) -> bool:
        status = _TASK_EVENTS.get(event.get("event", ""))
        if status is not None:
            data = event.get("event_data", {})
            if status == "ok" and data.get("res", {}).get("changed"):
                status = "changed"
            if status == "failed" and data.get("ignore_errors"):
                status = "ignored"
            progress.task(cutover, str(data.get("host", "?")), str(data.get("task", "?")), status)
        return True  # keep the event in the artifacts too

    return handle


def run_wave(playbooks_dir: Path, wave: str, progress: Progress, journal_path: Path,
             check: bool = False, limit: str | None = None, artifacts_dir: Path | None = None) -> WaveResult:
    """Run the wave's cutovers in order; `limit` keeps only those of one object id."""
    wave_dir = playbooks_dir / wave
    manifest_path = wave_dir / CUTOVERS_FILE
    if not manifest_path.exists():
        raise PlaybookError(f"{manifest_path}: no such wave (generate it with `migplan playbooks`)")
    cutovers = json.loads(manifest_path.read_text(encoding="utf-8"))["cutovers"]
    if limit is not None:
        cutovers = [cutover for cutover in cutovers if cutover["id"] == limit]
        if not cutovers:
            raise PlaybookError(f"wave {wave} has no cutover for {limit!r}")
    journal = Journal(journal_path)
    already_done = set() if check else journal.done(wave)
    artifacts_root = artifacts_dir or journal_path.parent / "runner"
    result = WaveResult(wave)
    for position, cutover in enumerate(cutovers):
        name = cutover["cutover"]
        if name in already_done:
            result.skipped.append(name)
            progress.cutover(cutover, "skipped (ok in the journal)")
            continue
        record = {"wave": wave, "cutover": name, "kind": cutover["kind"], "id": cutover["id"],
                  "action": cutover["action"], "check": check}
        journal.write({**record, "what": "start"})
        progress.cutover(cutover, "check" if check else "start")
        # Runner keeps the command line it was given in its private data dir and reuses
        # it when given none: check runs and real runs must not share one.
        private_data_dir = artifacts_root / wave / (f"{name}-check" if check else name)
        private_data_dir.mkdir(parents=True, exist_ok=True)
        runner = ansible_runner.run(
            private_data_dir=str(private_data_dir),
            project_dir=str(wave_dir.resolve()),
            playbook=cutover["playbook"],
            inventory=str((wave_dir / "inventory.yml").resolve()),
            cmdline="--check --diff" if check else None,
            envvars={"ANSIBLE_CONFIG": str((wave_dir / "ansible.cfg").resolve()),
                     "ANSIBLE_ROLES_PATH": str(ROLES_DIR), "ANSIBLE_NOCOLOR": "1",
                     "PATH": _path_with_ansible()},
            event_handler=_event_handler(cutover, progress),
            quiet=True,
            rotate_artifacts=5,
        )
        ok = runner.status == "successful" and runner.rc == 0
        journal.write({**record, "what": "end", "result": "ok" if ok else "failed", "rc": runner.rc,
                       "status": runner.status})
        progress.cutover(cutover, "ok" if ok else f"failed ({runner.status}, rc {runner.rc})")
        if not ok:
            result.failed = name
            result.not_run = [later["cutover"] for later in cutovers[position + 1:]]
            break
        result.ok.append(name)
    return result


def _path_with_ansible() -> str:
    """PATH with the directory of the ansible-playbook installed beside this Python
    first: runner looks the command up on PATH, and a venv need not be activated."""
    path = os.environ.get("PATH", os.defpath)
    beside = Path(sys.executable).with_name("ansible-playbook")
    if beside.exists():
        return f"{beside.parent}{os.pathsep}{path}"
    if shutil.which("ansible-playbook", path=path) is None:
        raise PlaybookError("ansible-playbook not found: install ansible-core")
    return path


class LineProgress:
    """Plain lines, for logs and pipes."""

    def __init__(self, stream: Any = None) -> None:
        self.stream = stream or sys.stdout

    def cutover(self, cutover: dict[str, str], state: str) -> None:
        print(f"{cutover['cutover']} {cutover['kind']} {cutover['action']} {cutover['id']}: {state}",
              file=self.stream, flush=True)

    def task(self, cutover: dict[str, str], host: str, task: str, status: str) -> None:
        if status != "skipped":
            print(f"  {cutover['cutover']} {host} | {task} | {status}", file=self.stream, flush=True)


class RichProgress:
    """Coloured progress for a terminal: one line per task result, cutovers as rules."""

    _STYLE = {"ok": "green", "changed": "yellow", "failed": "bold red", "unreachable": "bold red",
              "ignored": "cyan", "skipped": "dim"}

    def __init__(self) -> None:
        from rich.console import Console

        self.console = Console()

    def cutover(self, cutover: dict[str, str], state: str) -> None:
        from rich.markup import escape

        self.console.rule(escape(f"{cutover['cutover']} {cutover['kind']} {cutover['action']} "
                                 f"{cutover['id']}: {state}"))

    def task(self, cutover: dict[str, str], host: str, task: str, status: str) -> None:
        from rich.markup import escape

        if status == "skipped":
            return
        style = self._STYLE.get(status, "white")
        self.console.print(f"[{style}]{status:>11}[/{style}] {escape(host)} | {escape(task)}")


def default_progress() -> Progress:
    return RichProgress() if sys.stdout.isatty() else LineProgress()
