"""Real cutovers between the two test hosts: data moves, the service switches, and a
failed verification rolls back with the source intact and serving."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from playbooks import plays, yamlout
from playbooks.yamlout import unsafe_tree
from tests.integration.demo_system import DemoSystem, database_rows, file_checksums

pytestmark = [pytest.mark.integration, pytest.mark.ansible]

ROLES_DIR = Path(__file__).resolve().parents[2] / "playbooks" / "roles"
ANSIBLE_PLAYBOOK = Path(sys.executable).with_name("ansible-playbook")


def write_cutover(demo: DemoSystem, workdir: Path, source_alias: str = "sys-shebao",
                  cutover_vars: dict[str, object] | None = None) -> Path:
    """One migrate-system cutover as the generator lays it out: inventory, vars file, playbook."""
    inventory = {"all": {"children": {
        "c001_source": {"hosts": {source_alias: unsafe_tree(demo.host_vars("legacy"))}},
        "c001_target": {"hosts": {f"{source_alias}@cloud": unsafe_tree(demo.host_vars("cloud"))}},
    }}}
    yamlout.write(workdir / "inventory.yml", unsafe_tree(inventory))
    yamlout.write(workdir / "vars" / "c001.yml", unsafe_tree({**demo.cutover_vars(), **(cutover_vars or {})}))
    yamlout.write(workdir / "c001.yml", plays.migrate_system("c001", "vars/c001.yml"))
    return workdir / "c001.yml"


def run_playbook(playbook: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "ANSIBLE_ROLES_PATH": str(ROLES_DIR), "ANSIBLE_HOST_KEY_CHECKING": "False",
                   "ANSIBLE_NOCOLOR": "1", "ANSIBLE_RETRY_FILES_ENABLED": "False", "ANSIBLE_PIPELINING": "True"}
    return subprocess.run(
        [str(ANSIBLE_PLAYBOOK), "-i", str(playbook.parent / "inventory.yml"), str(playbook), *extra],
        cwd=playbook.parent, env=environment, capture_output=True, text=True, timeout=300,
    )


def test_migrate_moves_files_and_database_and_switches_service(demo: DemoSystem, tmp_path: Path) -> None:
    source_files = file_checksums(demo.data_dir("legacy"))
    source_rows = database_rows(demo.database("legacy"))
    playbook = write_cutover(demo, tmp_path / "wave")

    result = run_playbook(playbook)

    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert file_checksums(demo.data_dir("cloud")) == source_files
    assert database_rows(demo.database("cloud")) == source_rows
    assert demo.dns_address() == demo.hosts.cloud.address
    assert demo.service_running("cloud") and not demo.service_running("legacy")
    assert "社会保险业务系统" in (demo.fetch("cloud", "index.html") or "")
    assert demo.provision_log.read_text().splitlines() == ["app-vm"]
    # The source is stopped but nothing on it was touched.
    assert file_checksums(demo.data_dir("legacy")) == source_files
    assert database_rows(demo.database("legacy")) == source_rows

    second = run_playbook(playbook)
    assert second.returncode == 0, second.stdout[-4000:]
    recap = [line for line in second.stdout[second.stdout.rindex("PLAY RECAP"):].splitlines()[1:] if line.strip()]
    assert len(recap) == 3 and all("changed=0" in line for line in recap), recap
    assert demo.provision_log.read_text().splitlines() == ["app-vm"]


def test_failed_verification_rolls_back_to_an_intact_serving_source(demo: DemoSystem, tmp_path: Path) -> None:
    source_files = file_checksums(demo.data_dir("legacy"))
    source_rows = database_rows(demo.database("legacy"))
    corrupt = {"migplan_post_sync_command": f"echo corrupted >> '{demo.data_dir('cloud')}/index.html'"}
    playbook = write_cutover(demo, tmp_path / "wave", cutover_vars=corrupt)

    result = run_playbook(playbook)

    assert result.returncode != 0
    assert "Cutover failed and was rolled back" in result.stdout
    assert "target files differ from the source" in result.stdout
    assert demo.dns_address() == demo.hosts.legacy.address
    assert demo.service_running("legacy") and not demo.service_running("cloud")
    assert "社会保险业务系统" in (demo.fetch("legacy", "index.html") or "")
    assert file_checksums(demo.data_dir("legacy")) == source_files
    assert database_rows(demo.database("legacy")) == source_rows


def test_check_mode_changes_nothing(demo: DemoSystem, tmp_path: Path) -> None:
    source_files = file_checksums(demo.data_dir("legacy"))
    dns_before = demo.dns_file.read_text()
    playbook = write_cutover(demo, tmp_path / "wave")

    result = run_playbook(playbook, "--check")

    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert not demo.data_dir("cloud").exists() or not any(demo.data_dir("cloud").iterdir())
    assert demo.dns_file.read_text() == dns_before
    assert demo.service_running("legacy") and not demo.service_running("cloud")
    assert not demo.provision_log.exists()
    assert file_checksums(demo.data_dir("legacy")) == source_files
