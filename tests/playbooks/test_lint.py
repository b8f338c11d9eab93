"""The roles and the playbooks built from them pass ansible-playbook --syntax-check and
ansible-lint's production profile."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from playbooks import plays, yamlout

REPO = Path(__file__).resolve().parents[2]
ROLES_DIR = REPO / "playbooks" / "roles"
BIN = Path(sys.executable).parent


def write_sample_wave(directory: Path) -> list[Path]:
    """One playbook of each kind, as the generator writes them, with hostile vars files."""
    playbook_plays = {
        "c001.yml": plays.migrate_system("c001", "vars/c001.yml"),
        "c002.yml": plays.retire_system("c002", "vars/c002.yml"),
        "c003.yml": plays.decommission("room", "vars/c003.yml"),
        "c004.yml": plays.decommission("network", "vars/c004.yml"),
    }
    for name, content in playbook_plays.items():
        yamlout.write(directory / name, content)
        hostile = {"migplan_object_id": "{{ lookup('pipe', 'id') }} $(rm -rf /) 湘潭"}
        yamlout.write(directory / "vars" / name, yamlout.unsafe_tree(hostile))
    yamlout.write(directory / "site.yml", plays.site(list(playbook_plays)))
    return [directory / "site.yml", *(directory / name for name in playbook_plays)]


def _environment(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "ANSIBLE_ROLES_PATH": str(ROLES_DIR), "ANSIBLE_HOME": str(tmp_path / "ansible-home"),
            "NO_COLOR": "1", "ANSIBLE_NOCOLOR": "1", "PATH": f"{BIN}:{os.environ.get('PATH', '')}"}


def test_syntax_check(tmp_path: Path) -> None:
    for playbook in write_sample_wave(tmp_path / "wave"):
        result = subprocess.run([str(BIN / "ansible-playbook"), "--syntax-check", "-i", "localhost,", str(playbook)],
                                env=_environment(tmp_path), capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, f"{playbook.name}: {result.stdout}{result.stderr}"


@pytest.mark.parametrize("target", ["roles", "wave"])
def test_ansible_lint_production_profile(tmp_path: Path, target: str) -> None:
    if target == "wave":
        write_sample_wave(tmp_path / "wave")
        paths, cwd = [str(tmp_path / "wave")], tmp_path
    else:
        paths, cwd = ["roles"], REPO / "playbooks"
    result = subprocess.run(
        [str(BIN / "ansible-lint"), "--offline", "--profile", "production", "-c", str(REPO / ".ansible-lint"),
         "-f", "pep8", *paths],
        cwd=cwd, env=_environment(tmp_path), capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Profile 'production' was required, and it passed" in result.stderr + result.stdout
