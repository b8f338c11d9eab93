"""The constraint-family registry: what the decomposition, the explanation and the report read from it."""

from __future__ import annotations

import re

import pulp
import pytest

from models.errors import MigplanError
from planner.build import create_model
from planner.data import planning_data
from planner.explain import _limit_violation
from planner.families import BY_NAME, FAMILIES, builders, family, limit_families
from planner.report.facts import split_violations
from planner.solve import linking_rows
from tests.builders import inventory, pool, scenario, system


def test_names_are_unique_and_builders_follow_the_order_of_their_first_family() -> None:
    assert len(BY_NAME) == len(FAMILIES)
    first_seen: list[object] = []
    for entry in FAMILIES:
        if entry.builder not in first_seen:
            first_seen.append(entry.builder)
    assert builders() == first_seen
    assert all(entry.builder.__name__.startswith("add_") for entry in FAMILIES)


def test_an_unregistered_family_is_an_error_naming_the_registry() -> None:
    with pytest.raises(MigplanError, match="planner/families.py"):
        family("no_such_family")


def test_a_row_of_an_unregistered_family_stops_the_linking_mask() -> None:
    model = create_model(planning_data(inventory([system("a")], clouds=[pool("p")]), scenario()))
    row = pulp.LpVariable("stray", lowBound=0) <= 1
    model.prob += (row, model.names("not_registered", "a"))
    with pytest.raises(MigplanError, match="not_registered"):
        linking_rows(model)


@pytest.mark.parametrize("entry", limit_families(), ids=lambda entry: entry.name)
def test_a_violated_limit_reads_back_as_its_own_family(entry: object) -> None:
    """explain.py names an exceeded limit through the registry; the report reads the name back to the same fields."""
    sample = {"subject": "池 p:1", "resource": "memory_gb", "when": "2025Q2"}
    limit = entry.limit  # type: ignore[attr-defined]
    ids = tuple(sample[field] for field in limit.fields)
    violation = _limit_violation((entry.name, ids), 10.0, 2.5)  # type: ignore[attr-defined]
    assert violation.required == 10.0 and violation.reached == 12.5
    _targets, limits = split_violations((violation,))
    (read,) = limits
    assert read.family == entry.name  # type: ignore[attr-defined]
    assert (read.subject, read.resource, read.when) == (
        sample["subject"] if "subject" in limit.fields else "",
        sample["resource"] if "resource" in limit.fields else "",
        sample["when"],
    )
    assert re.search(r"\d", violation.detail)


def test_an_unknown_limit_is_told_by_its_name_and_ids() -> None:
    violation = _limit_violation(("room_after_systems", ("r1", "g1", "2025Q1")), 0.0, 1.0)
    assert violation.constraint == "room_after_systems:r1:g1:2025Q1"
    assert violation.detail == "room_after_systems r1 g1 2025Q1 exceeded by 1.00"
