"""Generated playbooks, run for real through `migplan run` (ansible-runner) on the test
hosts, with ids, names and paths full of Jinja and shell payloads."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from models.plan import Action, Plan
from planner.cli import cli
from playbooks.generate import generate
from playbooks.run import LineProgress, run_wave
from tests import builders
from tests.integration.ansible_hosts import TestHosts
from tests.integration.demo_system import DemoSystem, database_rows, file_checksums

pytestmark = [pytest.mark.integration, pytest.mark.ansible]

WAVE = "2024Q2"
# No ':' '[' ',' so it is used as the host alias itself; each payload, if evaluated,
# leaves a trace: a file, or 49 in place of the expression.
SYSTEM_ID = "sys-{{ 7*7 }}-{% raw %}$(touch PWNED_DIR/sys-subst)`touch PWNED_DIR/sys-tick`'\"湘潭 系统"
ROOM_ID = "room-{{ lookup('pipe', 'touch PWNED_DIR/room-lookup') }};$(touch PWNED_DIR/room-subst)"
APP_DIR = "app {{ 6*7 }} $(touch PWNED_DIR/path-subst) `touch PWNED_DIR/path-tick` 'x"


@pytest.fixture()
def pwned_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "pwned"
    directory.mkdir()
    return directory


@pytest.fixture()
def demo(ansible_test_hosts: TestHosts, tmp_path: Path, pwned_dir: Path) -> Iterator[DemoSystem]:
    system = DemoSystem(ansible_test_hosts, tmp_path / "controller", app_dir=APP_DIR.replace("PWNED_DIR", str(pwned_dir)))
    system.lay_out()
    yield system
    for role in ("legacy", "cloud"):
        system.stop_service(role)


def _ids(pwned_dir: Path) -> tuple[str, str]:
    return SYSTEM_ID.replace("PWNED_DIR", str(pwned_dir)), ROOM_ID.replace("PWNED_DIR", str(pwned_dir))


def write_wave(demo: DemoSystem, out_dir: Path, pwned_dir: Path, room_command: str = "true") -> Path:
    system_id, room_id = _ids(pwned_dir)
    inventory = builders.inventory(
        [builders.system(system_id, name=f"社保 {{{{ 8*8 }}}} $(touch {pwned_dir}/name)", room=room_id, data_tb=0.001)],
        rooms=[builders.room(room_id)])
    plan = Plan(scenario="micro", inventory_sha256="0" * 64, status="optimal", objective_wan=0, kpis=(), actions=(
        Action(kind="system", id=system_id, action="migrate", target="p1", period=WAVE),
        Action(kind="room", id=room_id, action="close", period=WAVE)))
    site = {
        "systems": {system_id: {"source": demo.host_vars("legacy"), "target": demo.host_vars("cloud"),
                                "cutover": demo.cutover_vars()}},
        "rooms": {room_id: {"migplan_checklist_dir": str(out_dir / "checklists"),
                            "migplan_equipment": [{"name": "机柜 A {{ 9*9 }}", "rack": "A1", "serial": "SN1"}],
                            "migplan_decommission_command": room_command,
                            "migplan_decommission_confirmed": True}},
    }
    generate(plan, builders.scenario(), inventory, out_dir / "playbooks", site)
    return out_dir / "playbooks"


def test_generated_wave_runs_and_treats_hostile_strings_as_data(demo: DemoSystem, tmp_path: Path,
                                                                  pwned_dir: Path) -> None:
    source_files = file_checksums(demo.data_dir("legacy"))
    source_rows = database_rows(demo.database("legacy"))
    playbooks_dir = write_wave(demo, tmp_path, pwned_dir)
    journal = tmp_path / "journal.jsonl"

    check_output = io.StringIO()
    checked = run_wave(playbooks_dir, WAVE, LineProgress(check_output), journal, check=True)
    assert checked.failed is None, check_output.getvalue()[-3000:]
    assert demo.dns_address() == demo.hosts.legacy.address and not demo.service_running("cloud")

    output = io.StringIO()
    result = run_wave(playbooks_dir, WAVE, LineProgress(output), journal)

    assert result.failed is None and len(result.ok) == 2, output.getvalue()[-3000:]
    assert sorted(path.name for path in pwned_dir.iterdir()) == []
    assert file_checksums(demo.data_dir("cloud")) == source_files
    assert database_rows(demo.database("cloud")) == source_rows
    assert demo.dns_address() == demo.hosts.cloud.address
    assert demo.service_running("cloud") and not demo.service_running("legacy")
    assert file_checksums(demo.data_dir("legacy")) == source_files
    (checklist,) = (tmp_path / "checklists").iterdir()
    text = checklist.read_text(encoding="utf-8")
    system_id, room_id = _ids(pwned_dir)
    assert room_id in text and system_id in text and "{{ 8*8 }}" in text and "机柜 A {{ 9*9 }}" in text
    # The hostile ids hold the test's own path (pytest-249 once failed this): look for the numbers outside it.
    rendered = text.replace(str(tmp_path), "")
    assert "49" not in rendered and "64" not in rendered and "81" not in rendered
    # Progress came from runner events, per host and task.
    assert f"1 {system_id} | Push to the target with rsync" in output.getvalue()
    records = [json.loads(line) for line in journal.read_text(encoding="utf-8").splitlines()]
    assert [(r["kind"], r["what"], r.get("result"), r["check"]) for r in records] == [
        ("system", "start", None, True), ("system", "end", "ok", True), ("room", "start", None, True),
        ("room", "end", "ok", True), ("system", "start", None, False), ("system", "end", "ok", False),
        ("room", "start", None, False), ("room", "end", "ok", False)]
    assert records[4]["id"] == system_id and records[6]["id"] == room_id


def test_wave_stops_at_first_failure_and_resumes_from_the_journal(demo: DemoSystem, tmp_path: Path,
                                                                    pwned_dir: Path) -> None:
    playbooks_dir = write_wave(demo, tmp_path, pwned_dir, room_command="exit 3")
    journal = tmp_path / "journal.jsonl"
    arguments = ["run", "--wave", WAVE, "--playbooks", str(playbooks_dir), "--journal", str(journal)]

    first = CliRunner().invoke(cli, arguments)

    assert first.exit_code == 5, first.output
    assert "1 ok" in first.output and "room-" in first.output
    # The failing host, task and message, not only "failed".
    assert "host localhost, task 'Run the retirement command'" in first.output, first.output
    assert "non-zero return code" in first.output
    assert demo.dns_address() == demo.hosts.cloud.address

    # Fixed by editing the wave's vars (the same plan): the journal still matches.
    room_vars = next((playbooks_dir / WAVE / "vars").glob("room-*.yml"))
    room_vars.write_text(room_vars.read_text(encoding="utf-8").replace("exit 3", "exit 0"), encoding="utf-8")
    second = CliRunner().invoke(cli, arguments)

    assert second.exit_code == 0, second.output
    assert "1 system migrate" in second.output and "skipped (done in the journal)" in second.output
    assert "wave 2024Q2: 1 ok, 1 already done" in second.output
    ends = [json.loads(line) for line in journal.read_text(encoding="utf-8").splitlines()]
    assert [(r["kind"], r["result"]) for r in ends if r["what"] == "end"] == [
        ("system", "ok"), ("room", "failed"), ("room", "ok")]

    limited = CliRunner().invoke(cli, [*arguments, "--limit", "no-such-id"])
    assert limited.exit_code == 2 and "no cutover for 'no-such-id'" in limited.output
