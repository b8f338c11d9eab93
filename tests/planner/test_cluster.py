"""Planning on a Ray cluster: a local Ray with 2 CPUs, started here, gives the plans a local run gives,
and a worker killed mid-sweep costs only its own piece's retry."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from inventory.files import write_inventory
from models.errors import InputError
from planner import cluster
from planner.cli import cli
from planner.decompose import DantzigWolfe
from planner.greedy import greedy_plan, greedy_values
from planner.model import Model
from tests.planner.test_decompose import never, quiet, two_cities
from tests.report.conftest import hostile_inventory, hostile_scenario_document

ray = pytest.importorskip("ray", reason="the Ray extra (pip install 'migplan[ray]') is not installed")


@pytest.fixture(scope="module")
def local_ray() -> Iterator[str]:
    """A Ray instance of this test process with 2 CPUs; its address is what ``--ray`` is given."""
    context = ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    try:
        yield str(context.address_info["gcs_address"])
    finally:
        ray.shutdown()


@pytest.fixture
def city_files(tmp_path: Path) -> Path:
    """The hostile city's inventory and scenario as files; returns the scenario."""
    write_inventory(hostile_inventory(), tmp_path / "inventory.yaml")
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump(hostile_scenario_document(), allow_unicode=True), encoding="utf-8")
    return path


def count_attempt(name: str, folder: str, victim: str) -> tuple[str, int, int]:
    """A piece that records each run of itself; the victim's first run waits to be killed."""
    runs = len(list(Path(folder).glob(f"{name}.run*"))) + 1
    (Path(folder) / f"{name}.run{runs}").write_text(str(os.getpid()), encoding="utf-8")
    if name == victim and runs == 1:
        time.sleep(120)
    return name, runs, os.getpid()


def test_a_killed_worker_costs_only_its_own_piece(local_ray: str, tmp_path: Path) -> None:
    names = ["a", "b", "victim", "c"]

    def kill_the_victim() -> None:
        started = time.monotonic()
        while not (tmp_path / "victim.run1").exists() and time.monotonic() - started < 60:
            time.sleep(0.05)
        os.kill(int((tmp_path / "victim.run1").read_text(encoding="utf-8")), signal.SIGKILL)

    killer = threading.Thread(target=kill_the_victim)
    killer.start()
    results = dict(cluster.run_all(count_attempt, [(name, str(tmp_path), "victim") for name in names], local_ray))
    killer.join()
    runs = {name: found_runs for name, found_runs, _pid in results.values()}
    assert sorted(results) == [0, 1, 2, 3]
    assert runs == {"a": 1, "b": 1, "victim": 2, "c": 1}
    assert sorted(path.name for path in tmp_path.iterdir()) == ["a.run1", "b.run1", "c.run1", "victim.run1", "victim.run2"]


def _plans(out: Path) -> dict[str, object]:
    """Each scenario's plan as written, without the timings."""
    plans = {}
    for path in sorted(out.glob("*/plan.json")):
        plan = json.loads(path.read_text(encoding="utf-8"))
        plan.pop("solve", None)
        plans[path.parent.name] = plan
    return plans


@pytest.mark.parametrize("solver", ["greedy", "highs"])
def test_compare_on_ray_gives_the_local_plans(local_ray: str, city_files: Path, tmp_path: Path, solver: str) -> None:
    """The hostile city's scenario and a squeezed one (infeasible), planned locally and on the cluster.

    The greedy planner is deterministic: every plan is the same to the last action. The MILP is too
    where its optimum is unique; the squeezed scenario's elastic-limits plan has ties of equal cost
    (which pool holds a system and which its copy), resolved by whichever of HiGHS and the search
    thread finds one first, so there the cost, KPIs and violations must agree.
    """
    squeezed = city_files.parent / "squeezed.yaml"
    squeezed.write_text(yaml.safe_dump({
        **hostile_scenario_document(), "name": "squeezed",
        "targets": {"cloud_adoption": {"2024": 1.0}, "network_migration": {"2024": 1.0}},
        "resources": {"team_days_per_period": 6, "freeze": ["2024Q1", "2024Q2"]},
    }, allow_unicode=True), encoding="utf-8")
    runs = {}
    for where, extra in (("local", ["--jobs", "2"]), ("ray", ["--ray", local_ray])):
        result = CliRunner().invoke(cli, ["compare", str(city_files), str(squeezed), "-o", str(tmp_path / where),
                                          "--json", "--solver", solver, *extra])
        assert result.exit_code == 0, result.output
        runs[where] = [(o["name"], o["status"], o["cost_wan"], o["kpis"]) for o in json.loads(result.output)]
    assert runs["ray"] == runs["local"]
    assert [status for _name, status, _cost, _kpis in runs["local"]][1] == "infeasible"
    local, on_ray = _plans(tmp_path / "local"), _plans(tmp_path / "ray")
    assert sorted(local) == sorted(on_ray) == ["scenario", "squeezed"]
    assert on_ray["scenario"] == local["scenario"]
    if solver == "greedy":
        assert on_ray["squeezed"] == local["squeezed"]
    else:
        assert {**on_ray["squeezed"], "actions": None} == {**local["squeezed"], "actions": None}


def test_the_decomposition_priced_on_ray_converges_as_here(local_ray: str) -> None:
    """Two generated cities: the column generation with each block on a Ray actor reaches the same LP bound as with
    the blocks priced in this process, and the lift on the cluster gives a valid bound. The rounds may differ: each
    block is solved warm or from scratch by how long its solves took (planner/decompose.py ``BlockPricer``), and the
    two can end at different plans of the same cost."""
    _scn, _inv, model, lp, blocks = two_cities()
    with ThreadPoolExecutor(max_workers=2) as workers:
        here = DantzigWolfe(lp, blocks, workers).run(float("inf"), never, quiet)
        remote = DantzigWolfe(lp, blocks, workers, lambda decomposition: cluster.RayBlocks(decomposition, local_ray))
        there = remote.run(float("inf"), never, quiet)
        lifted = remote.lift(there, time.perf_counter() + 30, never)
    assert here.converged and there.converged
    assert there.bound == pytest.approx(here.bound, rel=1e-9)
    assert there.bound - 1e-6 <= lifted <= greedy_objective(model) + 1e-6


def greedy_objective(model: Model) -> float:
    """The objective of the thrifty greedy plan in ``model``: a plan, so the MILP optimum is at most this."""
    values = greedy_values(greedy_plan(model.data, "thrifty"), model)
    for var in model.prob.variables():
        var.varValue = values.get(var.name, 0.0)
    return float(model.prob.objective.value())


def test_ray_address_from_the_option_or_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    assert cluster.ray_address(None) is None
    monkeypatch.setenv("RAY_ADDRESS", "10.1.2.3:6379")
    assert cluster.ray_address(None) == "10.1.2.3:6379"
    assert cluster.ray_address("auto") == "auto"


def test_without_the_extra_the_option_names_it_and_the_environment_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cluster, "find_spec", lambda name: None)
    monkeypatch.setenv("RAY_ADDRESS", "auto")
    assert cluster.ray_address(None) is None
    with pytest.raises(InputError, match=r"pip install 'migplan\[ray\]'"):
        cluster.ray_address("auto")
