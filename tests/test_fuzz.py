"""Fuzzing the edges (issue 18, "Done when"): random bytes and random structures written into inventory,
scenario and plan files. Every outcome is exit 0, 2, 3 or 6 with one clear message, never a traceback.

Bounded to well under a minute: a few hundred small cases, each a real ``migplan`` command through click.
"""

from __future__ import annotations

import copy
import functools
import json
import tempfile
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inventory.yamlio import dump_yaml
from planner.api import PlanRequest, plan_scenario
from planner.cli import cli
from tests.builders import inventory, loaded, network, pool, room, scenario, system

OUTCOMES = {0, 2, 3, 6}
FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
                derandomize=True, database=None)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**20), 10**20) | st.floats() | st.text(max_size=12)
    | st.sampled_from(["2024Q1", "2099Q4", "city", "x86", "migrate", "d1", "r1", "s1", "p1", "-1", "=1+1", "1e400"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=12,
)


def _inventory_document() -> dict[str, Any]:
    return inventory([system("s1", networks=["n1"], co_migrate=["s2"]), system("s2", co_migrate=["s1"]),
                      system("s3", requires=["s1"], dr="backup")],
                     rooms=[room("r1")], networks=[network("n1")],
                     clouds=[pool("p1"), pool("p2", kind="province")]).to_document()


def _scenario_document() -> dict[str, Any]:
    return {"format": "migplan-scenario/1", "name": "fuzz", "inventory": "inventory.yaml",
            "horizon": {"start": "2024Q1", "end": "2025Q4"},
            "targets": {"cloud_adoption": {2025: 0.5}, "soft": False},
            "resources": {"team_days_per_period": 20, "budget_wan_per_year": {2024: 50}, "freeze": ["2024Q3"]},
            "solver": {"name": "greedy"}}


@functools.cache
def _plan_document() -> dict[str, Any]:
    inv = inventory([system("s1", networks=["n1"], co_migrate=["s2"]), system("s2", co_migrate=["s1"]),
                     system("s3", requires=["s1"], dr="backup")],
                    rooms=[room("r1")], networks=[network("n1")], clouds=[pool("p1"), pool("p2", kind="province")])
    scn = scenario(**{key: value for key, value in _scenario_document().items() if key != "format"})
    plan = plan_scenario(loaded(inv, scn), PlanRequest(solver="greedy"))
    return json.loads(plan.dumps())


def _paths(document: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in the document a value could be replaced."""
    found = [prefix] if prefix else []
    if isinstance(document, dict):
        for key, value in document.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            found += _paths(value, (*prefix, index))
    return found


@st.composite
def mutated(draw: st.DrawFn, base: dict[str, Any]) -> Any:
    """The base document with one to three places replaced by random values (or removed)."""
    document = copy.deepcopy(base)
    places = _paths(base)
    for _ in range(draw(st.integers(1, 3))):
        *steps, last = draw(st.sampled_from(places))
        parent: Any = document
        for key in steps:  # an earlier replacement may have changed what lies on the way
            parent = _child(parent, key)
        if isinstance(parent, dict) and draw(st.integers(0, 5)) == 0:
            parent.pop(last, None)
        elif isinstance(parent, dict) or isinstance(parent, list) and isinstance(last, int) and last < len(parent):
            parent[last] = draw(json_values)
    return document


def _child(parent: Any, key: Any) -> Any:
    if isinstance(parent, dict):
        return parent.get(key)
    if isinstance(parent, list) and isinstance(key, int) and key < len(parent):
        return parent[key]
    return None


def _text(document: Any, suffix: str) -> str:
    if suffix == ".json":
        return json.dumps(document, ensure_ascii=False)  # NaN and Infinity appear as JSON's bare words
    try:
        return dump_yaml(document)
    except (yaml.YAMLError, ValueError):
        return json.dumps(document, allow_nan=True)  # JSON is YAML too


def _invoke(*arguments: str) -> Result:
    result = CliRunner().invoke(cli, list(arguments))
    assert result.exit_code in OUTCOMES, (arguments, result.exit_code, result.output, repr(result.exception))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result


def _folder() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="migplan-fuzz-")


@settings(FUZZ, max_examples=120)
@given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode), st.sampled_from([".yaml", ".json", ".xlsx"]))
def test_random_bytes_as_an_inventory(content: bytes, suffix: str) -> None:
    with _folder() as folder:
        path = Path(folder) / f"inventory{suffix}"
        path.write_bytes(content)
        _invoke("inventory", "validate", str(path))


@settings(FUZZ, max_examples=150)
@given(mutated(_inventory_document()), st.sampled_from([".yaml", ".json"]))
def test_random_structures_in_an_inventory(document: Any, suffix: str) -> None:
    with _folder() as folder:
        path = Path(folder) / f"inventory{suffix}"
        path.write_text(_text(document, suffix), encoding="utf-8")
        _invoke("inventory", "validate", str(path))


@settings(FUZZ, max_examples=50)
@given(mutated(_scenario_document()) | st.binary(max_size=200))
def test_random_scenarios_plan_or_say_why(document: Any) -> None:
    with _folder() as folder:
        Path(folder, "inventory.yaml").write_text(dump_yaml(_inventory_document()), encoding="utf-8")
        path = Path(folder) / "scenario.yaml"
        if isinstance(document, bytes):
            path.write_bytes(document)
        else:
            path.write_text(_text(document, ".yaml"), encoding="utf-8")
        _invoke("plan", str(path), "-o", str(Path(folder) / "out"), "--quiet", "--solver", "greedy")


@settings(FUZZ, max_examples=80)
@given(mutated(_plan_document()) | st.binary(max_size=200))
def test_random_plans_are_checked_or_refused(document: Any) -> None:
    with _folder() as folder:
        Path(folder, "inventory.yaml").write_text(dump_yaml(_inventory_document()), encoding="utf-8")
        scenario_path = Path(folder) / "scenario.yaml"
        scenario_path.write_text(dump_yaml(_scenario_document()), encoding="utf-8")
        plan_path = Path(folder) / "plan.json"
        if isinstance(document, bytes):
            plan_path.write_bytes(document)
        else:
            plan_path.write_text(_text(document, ".json"), encoding="utf-8")
        _invoke("check", str(plan_path), str(scenario_path))
