"""Run one wave of generated playbooks through ansible-runner, cutover by cutover.

Progress is shown per host and task as events stream in; a failed task shows its host,
task and message. Every cutover's start and end go into a run journal (JSON lines),
keyed by wave, object kind, id, action and the identity of the plan the playbooks were
written for. The wave stops at the first failed cutover; run it again and the cutovers
the journal records as done (in a real, non-check run) are skipped, so it resumes where
it stopped. A journal written for another plan's playbooks is refused, never trusted.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import ansible_runner

from models.errors import InputError, PlaybookError
from playbooks.generate import CUTOVERS_FILE, WAVES_FILE

# One line of a message is enough on a terminal; the runner's artifacts keep all of it.
_MESSAGE_LENGTH = 400


class Progress(Protocol):
    def cutover(self, cutover: dict[str, Any], state: str) -> None: ...
    def task(self, cutover: dict[str, Any], host: str, task: str, status: str, message: str = "") -> None: ...
    def warning(self, message: str) -> None: ...


class JournalMismatch(InputError):
    """The journal records another plan's playbooks for this wave: resuming from it
    could skip cutovers that never ran."""


@dataclass(frozen=True)
class Failure:
    """Where and why a cutover failed."""

    host: str
    task: str
    message: str

    def __str__(self) -> str:
        return f"host {self.host}, task {self.task!r}: {self.message}"


@dataclass
class WaveResult:
    wave: str
    ok: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: str | None = None
    failure: Failure | None = None
    rolled_back: bool = False
    not_run: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """0, or 5: a failed wave (the README's exit codes)."""
        return 0 if self.failed is None else PlaybookError.exit_code


def object_key(record: dict[str, Any]) -> tuple[str, str, str]:
    """What a journal entry is about: the object (kind and id) and the action."""
    return (str(record["kind"]), str(record["id"]), str(record["action"]))


class Journal:
    """Append-only JSON lines; one record per cutover start and end."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def write(self, what: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        record = {"when": datetime.now(UTC).isoformat(timespec="seconds"), **what}
        with self.path.open("a", encoding="utf-8") as journal:
            journal.write(json.dumps(record, ensure_ascii=False) + "\n")
            journal.flush()
            os.fsync(journal.fileno())

    def records(self, warn: Callable[[str], None]) -> list[dict[str, Any]]:
        """Every record. A torn last line (the run was killed while writing it) is
        skipped with a warning; a bad line before the last is an error."""
        if not self.path.exists():
            return []
        lines = self.path.read_text(encoding="utf-8", errors="replace").splitlines()
        records = []
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                if not isinstance(record, dict):
                    raise ValueError("not a JSON object")
            except ValueError as error:
                if number == len(lines):
                    warn(f"{self.path}:{number}: skipping a torn last line ({error})")
                    continue
                raise InputError(f"{self.path}:{number}: not a journal record ({error}); "
                                 "move the journal aside to start a new one") from None
            records.append(record)
        return records

    def done(self, wave: str, plan: str, warn: Callable[[str], None]) -> set[tuple[str, str, str]]:
        """(kind, id, action) of the wave's cutovers whose latest real (not --check) run
        ended ok; refuses a journal whose records of this wave are for another plan."""
        latest: dict[tuple[str, str, str], str] = {}
        for record in self.records(warn):
            if record.get("wave") != wave or record.get("check"):
                continue
            if record.get("plan") != plan:
                raise JournalMismatch(
                    f"{self.path}: the journal records wave {wave} of plan {record.get('plan') or 'unknown'}, "
                    f"but the playbooks in this folder are for plan {plan}: resuming from it could skip "
                    "cutovers that never ran; give a new journal with --journal to run this plan's wave")
            if record.get("what") == "end":
                latest[object_key(record)] = str(record.get("result"))
        return {key for key, result in latest.items() if result == "ok"}


# Runner events worth a progress line, and the status they stand for.
_TASK_EVENTS = {"runner_on_ok": "ok", "runner_on_failed": "failed", "runner_on_unreachable": "unreachable",
                "runner_on_skipped": "skipped"}


def failure_message(result: dict[str, Any]) -> str:
    """The one line that says why a task failed, from its module result."""
    for key in ("msg", "stderr", "module_stderr", "stdout", "reason"):
        value = result.get(key)
        if value:
            text = " ".join(str(value).split())
            return text if len(text) <= _MESSAGE_LENGTH else text[:_MESSAGE_LENGTH] + "…"
    return "no message (see the runner's artifacts)"


@dataclass
class _Events:
    """What a cutover's events told: its failures, in order, and whether it rolled back."""

    failures: list[Failure] = field(default_factory=list)
    rolled_back: bool = False


def _event_handler(cutover: dict[str, Any], progress: Progress, seen: _Events) -> Callable[[dict[str, Any]], bool]:
    def handle(event: dict[str, Any]) -> bool:
        status = _TASK_EVENTS.get(event.get("event", ""))
        if status is not None:
            data = event.get("event_data", {})
            result = data.get("res", {}) if isinstance(data.get("res"), dict) else {}
            message = ""
            if status == "ok" and result.get("changed"):
                status = "changed"
            if status == "failed" and data.get("ignore_errors"):
                status = "ignored"
            if status in ("ok", "changed") and data.get("role") == "rollback":
                seen.rolled_back = True
            if status in ("failed", "unreachable"):
                message = failure_message(result)
                seen.failures.append(Failure(str(data.get("host", "?")), str(data.get("task", "?")), message))
            progress.task(cutover, str(data.get("host", "?")), str(data.get("task", "?")), status, message)
        return True  # keep the event in the artifacts too

    return handle


def wave_names(playbooks_dir: Path) -> list[str]:
    """The waves the latest `migplan playbooks` wrote into the folder."""
    try:
        return list(json.loads((playbooks_dir / WAVES_FILE).read_text(encoding="utf-8"))["waves"])
    except (OSError, ValueError, KeyError, TypeError):
        return []


def load_wave(playbooks_dir: Path, wave: str) -> dict[str, Any]:
    """The wave's manifest, once the folder's `waves.json` vouches for it: a wave left
    over from an earlier generation is never run."""
    waves_path = playbooks_dir / WAVES_FILE
    try:
        waves = json.loads(waves_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{waves_path}: no playbooks here (write them with `migplan playbooks -o {playbooks_dir}`)") from None
    except (OSError, ValueError) as error:
        raise InputError(f"{waves_path}: cannot read the list of waves: {error}") from None
    if wave not in waves.get("waves", []):
        existing = ", ".join(waves.get("waves", [])) or "none"
        raise InputError(f"{playbooks_dir}: no wave {wave!r}; the waves are: {existing}")
    manifest_path = playbooks_dir / wave / CUTOVERS_FILE
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise InputError(f"{manifest_path}: cannot read the wave: {error}") from None
    if manifest.get("plan") != waves.get("plan"):
        raise InputError(f"{manifest_path}: this wave was written for plan {manifest.get('plan')}, the folder's "
                         f"waves for plan {waves.get('plan')}: write the playbooks again")
    return manifest


def run_wave(playbooks_dir: Path, wave: str, progress: Progress, journal_path: Path,
             check: bool = False, limit: str | None = None, artifacts_dir: Path | None = None) -> WaveResult:
    """Run the wave's cutovers in order; `limit` keeps only those of one object id."""
    wave_dir = playbooks_dir / wave
    manifest = load_wave(playbooks_dir, wave)
    plan = str(manifest["plan"])
    cutovers = manifest["cutovers"]
    if limit is not None:
        cutovers = [cutover for cutover in cutovers if cutover["id"] == limit]
        if not cutovers:
            raise InputError(f"wave {wave} has no cutover for {limit!r}")
    journal = Journal(journal_path)
    already_done = set() if check else journal.done(wave, plan, progress.warning)
    artifacts_root = artifacts_dir or journal_path.parent / "runner"
    result = WaveResult(wave)
    for position, cutover in enumerate(cutovers):
        name = cutover["name"]
        if object_key(cutover) in already_done:
            result.skipped.append(name)
            progress.cutover(cutover, "skipped (done in the journal)")
            continue
        record = {"wave": wave, "plan": plan, "kind": cutover["kind"], "id": cutover["id"],
                  "action": cutover["action"], "playbook": cutover["playbook"], "check": check}
        journal.write({**record, "what": "start"})
        progress.cutover(cutover, "check" if check else "start")
        # Runner keeps the command line it was given in its private data dir and reuses
        # it when given none: check runs and real runs must not share one.
        private_data_dir = artifacts_root / wave / (f"{name}-check" if check else name)
        private_data_dir.mkdir(parents=True, exist_ok=True)
        seen = _Events()
        runner = ansible_runner.run(
            private_data_dir=str(private_data_dir),
            project_dir=str(wave_dir.resolve()),
            playbook=cutover["playbook"],
            inventory=str((wave_dir / "inventory.yml").resolve()),
            cmdline="--check --diff" if check else None,
            envvars={"ANSIBLE_CONFIG": str((wave_dir / "ansible.cfg").resolve()), "ANSIBLE_NOCOLOR": "1",
                     "PATH": _path_with_ansible()},
            event_handler=_event_handler(cutover, progress, seen),
            quiet=True,
            rotate_artifacts=5,
        )
        ok = runner.status == "successful" and runner.rc == 0
        end = {**record, "what": "end", "result": "ok" if ok else "failed", "rc": runner.rc, "status": runner.status}
        if not ok:
            failure = seen.failures[0] if seen.failures else Failure(
                "?", "?", f"ansible-playbook ended {runner.status}, rc {runner.rc}")
            end |= {"host": failure.host, "task": failure.task, "message": failure.message,
                    "rolled_back": seen.rolled_back}
        journal.write(end)
        if ok:
            progress.cutover(cutover, "ok")
            result.ok.append(name)
            continue
        result.failed, result.failure, result.rolled_back = name, failure, seen.rolled_back
        result.not_run = [later["name"] for later in cutovers[position + 1:]]
        progress.cutover(cutover, f"failed{', rolled back' if seen.rolled_back else ''}: {failure}")
        break
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

    def cutover(self, cutover: dict[str, Any], state: str) -> None:
        print(f"{cutover['step']} {cutover['kind']} {cutover['action']} {cutover['id']}: {state}",
              file=self.stream, flush=True)

    def task(self, cutover: dict[str, Any], host: str, task: str, status: str, message: str = "") -> None:
        if status != "skipped":
            print(f"  {cutover['step']} {host} | {task} | {status}" + (f" | {message}" if message else ""),
                  file=self.stream, flush=True)

    def warning(self, message: str) -> None:
        print(f"warning: {message}", file=sys.stderr, flush=True)


class RichProgress:
    """Coloured progress for a terminal: one line per task result, cutovers as rules."""

    _STYLE = {"ok": "green", "changed": "yellow", "failed": "bold red", "unreachable": "bold red",
              "ignored": "cyan", "skipped": "dim"}

    def __init__(self) -> None:
        from rich.console import Console

        self.console = Console()

    def cutover(self, cutover: dict[str, Any], state: str) -> None:
        from rich.markup import escape

        self.console.rule(escape(f"{cutover['step']} {cutover['kind']} {cutover['action']} "
                                 f"{cutover['id']}: {state}"))

    def task(self, cutover: dict[str, Any], host: str, task: str, status: str, message: str = "") -> None:
        from rich.markup import escape

        if status == "skipped":
            return
        style = self._STYLE.get(status, "white")
        self.console.print(f"[{style}]{status:>11}[/{style}] {escape(host)} | {escape(task)}"
                           + (f" | {escape(message)}" if message else ""))

    def warning(self, message: str) -> None:
        from rich.markup import escape

        self.console.print(f"[yellow]warning:[/yellow] {escape(message)}")


def default_progress() -> Progress:
    return RichProgress() if sys.stdout.isatty() else LineProgress()
