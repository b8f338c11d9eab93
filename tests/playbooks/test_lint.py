"""The roles and the playbooks built from them pass ansible-playbook --syntax-check and
ansible-lint's production profile."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from models.plan import Action, Plan
from playbooks.generate import generate
from tests import builders

REPO = Path(__file__).resolve().parents[2]
ROLES_DIR = REPO / "playbooks" / "roles"
BIN = Path(sys.executable).parent


def write_sample_wave(directory: Path) -> list[Path]:
    """A generated wave with one cutover of each kind and hostile ids; its playbooks."""
    hostile = "{{ lookup('pipe', 'id') }} $(rm -rf /) 湘潭"
    inventory = builders.inventory(
        [builders.system(f"sys-{hostile}"), builders.system("sys-old", retire=True)],
        rooms=[builders.room(f"room-{hostile}")], networks=[builders.network("net-a"), builders.network("net-b")])
    actions = (
        Action(kind="system", id=f"sys-{hostile}", action="migrate", target="p1", period="2024Q2"),
        Action(kind="system", id="sys-old", action="retire", period="2024Q2"),
        Action(kind="room", id=f"room-{hostile}", action="close", period="2024Q2"),
        Action(kind="network", id="net-a", action="migrate", period="2024Q2"),
        Action(kind="network", id="net-b", action="interconnect", period="2024Q2"))
    plan = Plan(scenario="lint", inventory_sha256="0" * 64, status="optimal", objective_wan=0, kpis=(), actions=actions)
    (wave,) = generate(plan, builders.scenario(), inventory, directory)
    return sorted(path for path in wave.glob("*.yml") if path.name != "inventory.yml")


def _environment(tmp_path: Path) -> dict[str, str]:
    # No roles path and no ansible.cfg from the environment: a wave must find its own roles.
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("ANSIBLE_ROLES_PATH", "ANSIBLE_CONFIG", "ANSIBLE_COLLECTIONS_PATH")}
    return {**environment, "ANSIBLE_HOME": str(tmp_path / "ansible-home"),
            "NO_COLOR": "1", "ANSIBLE_NOCOLOR": "1", "PATH": f"{BIN}:{os.environ.get('PATH', '')}"}


def test_syntax_check_from_another_directory(tmp_path: Path) -> None:
    """Every playbook of a wave, by absolute path, from a directory that is not the wave's."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    playbooks = write_sample_wave(tmp_path / "wave")
    for playbook in playbooks:
        result = subprocess.run([str(BIN / "ansible-playbook"), "--syntax-check", "-i",
                                 str(playbook.parent / "inventory.yml"), str(playbook)], cwd=elsewhere,
                                env=_environment(tmp_path), capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, f"{playbook.name}: {result.stdout}{result.stderr}"


@pytest.mark.parametrize("target", ["roles", "wave"])
def test_ansible_lint_production_profile(tmp_path: Path, target: str) -> None:
    if target == "wave":
        write_sample_wave(tmp_path / "wave")
        paths, cwd = [str(tmp_path / "wave")], tmp_path
        environment = _environment(tmp_path)
    else:
        paths, cwd = ["roles"], REPO / "playbooks"
        environment = {**_environment(tmp_path), "ANSIBLE_ROLES_PATH": str(ROLES_DIR)}
    result = subprocess.run(
        [str(BIN / "ansible-lint"), "--offline", "--profile", "production", "-c", str(REPO / ".ansible-lint"),
         "-f", "pep8", *paths],
        cwd=cwd, env=environment, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Profile 'production' was required, and it passed" in result.stderr + result.stdout
