"""The run journal and the checks `run_wave` makes before it runs anything: waves the
folder vouches for, journals of the same plan, torn last lines. Real runs are in
tests/integration/test_playbooks_run.py."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from models.errors import InputError
from models.plan import Action, Plan
from playbooks.generate import generate, plan_identity
from playbooks.run import Journal, JournalMismatch, LineProgress, WaveResult, failure_message, run_wave
from tests import builders

WAVE = "2024Q2"


def _write(out: Path, network: str) -> Plan:
    """Generate a one-network wave (plan identity differs per network)."""
    plan = Plan(scenario="micro", inventory_sha256="0" * 64, status="optimal", objective_wan=0, kpis=(),
                actions=(Action(kind="network", id=network, action="migrate", period=WAVE),))
    inventory = builders.inventory([], networks=[builders.network("net-a"), builders.network("net-b")])
    generate(plan, builders.scenario(), inventory, out)
    return plan


def _record(plan: Plan, network: str, what: str, result: str | None = None) -> str:
    record = {"wave": WAVE, "plan": plan_identity(plan), "kind": "network", "id": network, "action": "migrate",
              "check": False, "what": what}
    if result is not None:
        record["result"] = result
    return json.dumps(record)


def test_a_journal_of_another_plan_refuses_to_resume_and_says_why(tmp_path: Path) -> None:
    # Wave 2024Q2 of the first plan migrated net-a; the re-plan migrates net-b instead.
    first = _write(tmp_path / "playbooks", "net-a")
    journal = tmp_path / "journal.jsonl"
    journal.write_text(_record(first, "net-a", "start") + "\n" + _record(first, "net-a", "end", "ok") + "\n",
                       encoding="utf-8")
    second = _write(tmp_path / "playbooks", "net-b")

    with pytest.raises(JournalMismatch) as raised:
        run_wave(tmp_path / "playbooks", WAVE, LineProgress(), journal)
    message = str(raised.value)
    assert plan_identity(first) in message and plan_identity(second) in message and "--journal" in message
    assert raised.value.exit_code == 2


def test_the_journal_keys_cutovers_by_object_and_action(tmp_path: Path) -> None:
    plan = _write(tmp_path / "playbooks", "net-a")
    journal = Journal(tmp_path / "journal.jsonl")
    journal.path.write_text("\n".join([_record(plan, "net-a", "end", "ok"), _record(plan, "net-b", "end", "failed")])
                            + "\n", encoding="utf-8")

    assert journal.done(WAVE, plan_identity(plan), lambda message: None) == {("network", "net-a", "migrate")}


def test_a_torn_last_line_is_skipped_with_a_warning(tmp_path: Path) -> None:
    plan = _write(tmp_path / "playbooks", "net-a")
    journal = Journal(tmp_path / "journal.jsonl")
    torn = _record(plan, "net-a", "end", "ok")[:25]
    journal.path.write_text(_record(plan, "net-a", "end", "ok") + "\n" + torn, encoding="utf-8")
    warnings: list[str] = []

    assert journal.done(WAVE, plan_identity(plan), warnings.append) == {("network", "net-a", "migrate")}
    assert len(warnings) == 1 and "journal.jsonl:2: skipping a torn last line" in warnings[0]

    journal.path.write_text(torn + "\n" + _record(plan, "net-a", "end", "ok") + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="journal.jsonl:1: not a journal record"):
        journal.done(WAVE, plan_identity(plan), warnings.append)


def test_a_wave_left_from_an_earlier_generation_is_not_run(tmp_path: Path) -> None:
    playbooks = tmp_path / "playbooks"
    _write(playbooks, "net-a")
    shutil.copytree(playbooks / WAVE, playbooks / "2025Q1")  # as an older migplan left it

    with pytest.raises(InputError, match=r"no wave '2025Q1'; the waves are: 2024Q2"):
        run_wave(playbooks, "2025Q1", LineProgress(), tmp_path / "journal.jsonl")


def test_a_wave_of_another_plan_than_the_folder_is_not_run(tmp_path: Path) -> None:
    playbooks = tmp_path / "playbooks"
    _write(playbooks, "net-a")
    manifest_path = playbooks / WAVE / "cutovers.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest_path.write_text(json.dumps(manifest | {"plan": "0123456789abcdef"}), encoding="utf-8")

    with pytest.raises(InputError, match="write the playbooks again"):
        run_wave(playbooks, WAVE, LineProgress(), tmp_path / "journal.jsonl")


def test_a_failed_wave_exits_5() -> None:
    assert WaveResult(WAVE).exit_code == 0
    assert WaveResult(WAVE, failed="system-x").exit_code == 5


@pytest.mark.parametrize(("result", "expected"), [
    ({"msg": "the hook provider needs\nmigplan_provision_command"}, "the hook provider needs migplan_provision_command"),
    ({"msg": "", "stderr": "rsync: connection refused"}, "rsync: connection refused"),
    ({"module_stderr": "Traceback ... KeyError"}, "Traceback ... KeyError"),
    ({}, "no message (see the runner's artifacts)"),
])
def test_the_failure_message_is_one_line_from_the_module_result(result: dict[str, str], expected: str) -> None:
    assert failure_message(result) == expected
