"""One quarter end to end, on the Ansible test hosts: plan, run the first wave with its
system cutover failing and rolling back, record progress, re-plan with --frozen-until,
write the diff and the bulletin. And a wave copied to another path, run with an Ansible
that is not migplan's, from another directory."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from planner.cli import cli
from tests.integration.demo_system import DemoSystem, database_rows, file_checksums
from tests.quarter.test_quarter import QUARTER, actions, quarter_inputs

pytestmark = [pytest.mark.integration, pytest.mark.ansible]

SYSTEM = "sys-社保"
CONTROL_NODE_CACHE = Path(os.environ.get("MIGPLAN_CACHE", "/var/cache/migplan"))


def migplan(*arguments: str | Path, exit_code: int = 0) -> str:
    result = CliRunner().invoke(cli, [str(argument) for argument in arguments])
    assert result.exit_code == exit_code, result.output
    assert "Traceback" not in result.output
    return result.output


def write_site(demo: DemoSystem, folder: Path, cutover: dict[str, object] | None = None) -> Path:
    checklists = {"migplan_checklist_dir": str(folder / "checklists")}
    site = {"systems": {SYSTEM: {"source": demo.host_vars("legacy"), "target": demo.host_vars("cloud"),
                                 "cutover": demo.cutover_vars() | (cutover or {})}},
            "networks": {"n1": checklists}, "rooms": {"r1": checklists}}
    path = folder / "site.yaml"
    path.write_text(yaml.safe_dump(site, allow_unicode=True), encoding="utf-8")
    return path


def test_one_quarter_plan_run_fail_progress_replan_diff_bulletin(demo: DemoSystem, tmp_path: Path) -> None:
    _, scenario = quarter_inputs(tmp_path)
    source_files = file_checksums(demo.data_dir("legacy"))
    source_rows = database_rows(demo.database("legacy"))
    migplan("plan", scenario, "-o", tmp_path / "q0", "--quiet")
    assert {action["period"] for action in actions(tmp_path / "q0" / "plan.json").values()} == {QUARTER}
    # The copy on the target is corrupted after the sync: verification fails, the cutover rolls back.
    corrupt = {"migplan_post_sync_command": f"echo corrupted >> '{demo.data_dir('cloud')}/index.html'"}
    site = write_site(demo, tmp_path, corrupt)
    migplan("playbooks", tmp_path / "q0" / "plan.json", scenario, "--site", site, "-o", tmp_path / "q0" / "playbooks")

    run = migplan("run", "--wave", QUARTER, "--playbooks", tmp_path / "q0" / "playbooks", exit_code=5)

    assert f"system migrate {SYSTEM}: failed, rolled back: host {SYSTEM}@target" in run
    assert "target files differ from the source" in run
    assert demo.dns_address() == demo.hosts.legacy.address
    assert demo.service_running("legacy") and not demo.service_running("cloud")
    assert file_checksums(demo.data_dir("legacy")) == source_files
    assert database_rows(demo.database("legacy")) == source_rows

    progress = migplan("progress", tmp_path / "q0" / "plan.json", scenario, "--as-of", QUARTER,
                       "--journal", tmp_path / "q0", "-o", tmp_path / "progress")
    assert f"failed: system {SYSTEM}" in progress and "slipped: room r1" in progress
    migplan("plan", tmp_path / "progress" / "scenario.yaml", "--previous", tmp_path / "progress" / "plan-as-run.json",
            "--frozen-until", QUARTER, "-o", tmp_path / "q1", "--quiet")
    migplan("check", tmp_path / "q0" / "plan.json", scenario)
    migplan("check", tmp_path / "q1" / "plan.json", tmp_path / "progress" / "scenario.yaml")

    migplan("diff", tmp_path / "q0" / "plan.json", tmp_path / "q1" / "plan.json",
            "--progress", tmp_path / "progress" / "progress.json", "--csv", tmp_path / "diff.csv")
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO((tmp_path / "diff.csv").read_text(encoding="utf-8")))}
    assert rows[SYSTEM]["change"] == "moved" and rows[SYSTEM]["old_period"] == QUARTER
    assert rows[SYSTEM]["new_period"] > QUARTER
    assert rows[SYSTEM]["cause"].startswith(f"failed in {QUARTER}") and "rolled back" in rows[SYSTEM]["cause"]

    migplan("bulletin", tmp_path / "q0" / "plan.json", tmp_path / "q1" / "plan.json",
            tmp_path / "progress" / "scenario.yaml", "--quarter", QUARTER,
            "--progress", tmp_path / "progress" / "progress.json", "-o", tmp_path / "bulletin")
    html = (tmp_path / "bulletin" / "bulletin.html").read_text(encoding="utf-8")
    slipped = html[html.index('id="slipped"'):html.index('id="next"')]
    assert SYSTEM in slipped and "target files differ from the source" in slipped
    assert SYSTEM in html[html.index('id="next"'):]


def control_node_ansible() -> Path:
    """ansible-playbook from a virtualenv holding ansible-core alone (the version migplan's
    has), as on a control node without migplan; cached between sessions."""
    from importlib.metadata import version

    wanted = version("ansible-core")
    venv = CONTROL_NODE_CACHE / f"control-node-ansible-core-{wanted}"
    complete = venv / "migplan-complete"  # written last: a killed build is built again
    if not complete.exists():
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", f"ansible-core=={wanted}"],
                       check=True, capture_output=True, timeout=900)
        complete.touch()
    return venv / "bin" / "ansible-playbook"


def test_a_copied_wave_runs_from_another_directory_without_migplan(demo: DemoSystem, tmp_path: Path) -> None:
    _, scenario = quarter_inputs(tmp_path)
    migplan("plan", scenario, "-o", tmp_path / "q0", "--quiet")
    migplan("playbooks", tmp_path / "q0" / "plan.json", scenario, "--site", write_site(demo, tmp_path),
            "-o", tmp_path / "q0" / "playbooks")
    copy = tmp_path / "control node" / "波次 copy"
    shutil.copytree(tmp_path / "q0" / "playbooks" / QUARTER, copy)
    shutil.rmtree(tmp_path / "q0" / "playbooks")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    ansible_playbook = control_node_ansible()
    migplan_bin = str(Path(sys.executable).parent)
    path = os.pathsep.join([str(ansible_playbook.parent)] + [entry for entry in os.environ.get("PATH", "").split(
        os.pathsep) if entry and Path(entry).resolve() != Path(migplan_bin).resolve()])
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith(("ANSIBLE_", "PYTHON", "VIRTUAL_ENV"))}
    environment |= {"PATH": path, "ANSIBLE_HOME": str(tmp_path / "ansible-home"), "ANSIBLE_NOCOLOR": "1"}
    probe = subprocess.run(["python3", "-c", "import planner"], env=environment, cwd=elsewhere, capture_output=True)
    assert probe.returncode != 0, "migplan must not be importable on the control node"

    result = subprocess.run([str(ansible_playbook), "-i", str(copy / "inventory.yml"), str(copy / "site.yml")],
                            env=environment, cwd=elsewhere, capture_output=True, text=True, timeout=900)

    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert demo.dns_address() == demo.hosts.cloud.address
    assert demo.service_running("cloud") and not demo.service_running("legacy")
    assert file_checksums(demo.data_dir("cloud")) == file_checksums(demo.data_dir("legacy"))
    assert sorted(path.name for path in (tmp_path / "checklists").iterdir()) == ["network-n1.md", "room-r1.md"]
