"""`migplan playbooks` refuses plans that must not run (exit 6, unless --force), and
`migplan run` says which waves exist; through click's CliRunner on a small inventory."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from planner.cli import cli

INVENTORY = {
    "format": "migplan-inventory/1",
    "region": "湘潭市",
    "departments": [{"id": "d1", "name": "市人社局", "region": "湘潭市"}],
    "rooms": [{"id": "r1", "name": "人社机房", "department": "d1", "annual_cost_wan": 40, "close_cost_wan": 5}],
    "networks": [{"id": "n1", "name": "金保专网", "department": "d1", "bandwidth_mbps": 10, "annual_cost_wan": 8,
                  "migration_effort_days": 5, "migration_cost_wan": 2}],
    "systems": [{"id": f"s{index}", "name": f"系统 {index}", "department": "d1", "room": "r1", "networks": ["n1"],
                 "mlps_level": 2, "vcpu": 8, "memory_gb": 16, "storage_tb": 1, "effort_days": 5,
                 "migration_cost_wan": 3} for index in (1, 2)],
    "clouds": [{"id": "p1", "name": "市政务云", "kind": "city", "arch": "x86", "mlps_max": 3, "zone": "a",
                "capacity": {"2024Q1": {"vcpu": 100, "memory_gb": 400, "storage_tb": 20}},
                "vcpu_annual_cost_wan": 0.1}],
    "extranet": {"bandwidth_mbps": {"2024Q1": 100}},
}
SCENARIO = {"format": "migplan-scenario/1", "name": "micro", "inventory": "inventory.yaml",
            "horizon": {"start": "2024Q1", "end": "2024Q4"},
            "resources": {"team_days_per_period": 12, "budget_wan_per_year": {"2024": 100}},
            "solver": {"name": "highs", "time_limit_s": 20}}


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with inventory.yaml, scenario.yaml and plan.json made by `migplan plan`."""
    folder = tmp_path_factory.mktemp("micro")
    (folder / "inventory.yaml").write_text(yaml.safe_dump(INVENTORY, allow_unicode=True), encoding="utf-8")
    (folder / "scenario.yaml").write_text(yaml.safe_dump(SCENARIO, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(cli, ["plan", str(folder / "scenario.yaml"), "-o", str(folder / "plan"), "--quiet"])
    assert result.exit_code == 0, result.output
    return folder


def _playbooks(folder: Path, plan: Path, *options: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["playbooks", str(plan), str(folder / "scenario.yaml"),
                                      "-o", str(folder / "playbooks"), *options])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def _edited_plan(planned: Path, tmp_path: Path, edit: dict[str, object]) -> Path:
    document = json.loads((planned / "plan" / "plan.json").read_text(encoding="utf-8")) | edit
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_checked_plan_gets_its_playbooks(planned: Path) -> None:
    code, output = _playbooks(planned, planned / "plan" / "plan.json")

    assert code == 0, output
    assert json.loads((planned / "playbooks" / "waves.json").read_text(encoding="utf-8"))["waves"]


def test_an_infeasible_plan_is_refused_unless_forced(planned: Path, tmp_path: Path) -> None:
    plan = _edited_plan(planned, tmp_path, {"status": "infeasible"})

    code, output = _playbooks(planned, plan)
    assert code == 6 and "the plan is infeasible" in output and "--force" in output

    forced, output = _playbooks(planned, plan, "--force")
    assert forced == 0 and "warning: --force: the plan is infeasible" in output


def test_a_plan_from_another_inventory_is_refused(planned: Path, tmp_path: Path) -> None:
    plan = _edited_plan(planned, tmp_path, {"inventory_sha256": "f" * 64})

    code, output = _playbooks(planned, plan)
    assert code == 6 and "made from another inventory" in output


def test_a_plan_the_checker_rejects_is_refused_with_its_message(planned: Path, tmp_path: Path) -> None:
    document = json.loads((planned / "plan" / "plan.json").read_text(encoding="utf-8"))
    moved = [action | {"period": "2031Q1"} if action.get("period") and action["kind"] == "system" else action
             for action in document["actions"]]
    plan = _edited_plan(planned, tmp_path, {"actions": moved})

    code, output = _playbooks(planned, plan)
    assert code == 6 and "migplan check:" in output


def test_run_of_an_unknown_wave_lists_the_waves(planned: Path) -> None:
    code, _ = _playbooks(planned, planned / "plan" / "plan.json")
    assert code == 0
    waves = json.loads((planned / "playbooks" / "waves.json").read_text(encoding="utf-8"))["waves"]

    result = CliRunner().invoke(cli, ["run", "--wave", "2031Q5", "--playbooks", str(planned / "playbooks")])
    assert result.exit_code == 2
    assert f"no wave '2031Q5'; the waves are: {', '.join(waves)}" in result.output
