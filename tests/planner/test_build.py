"""planner/build.py: the model's columns are exactly the variables its rows and objective use."""

from __future__ import annotations

from planner.build import create_model
from planner.data import planning_data
from planner.model import Elastic
from planner.scenario_file import load_scenario_with_inventory
from tests.conftest import REPOSITORY


def test_the_columns_registered_when_made_are_those_the_rows_and_objective_use() -> None:
    """Variables are registered when made instead of by walking every row (planner/build.py ``Problem``): the
    walk, done here once, finds the same columns, none missing and none unused."""
    loaded = load_scenario_with_inventory(REPOSITORY / "scenarios" / "xiangtan" / "baseline.yaml")
    model = create_model(planning_data(loaded.inventory, loaded.scenario), Elastic(targets=True))
    used = {var.name for var in model.prob.objective}
    for row in model.prob.constraints.values():
        used.update(var.name for var in row)
    names = [var.name for var in model.columns]
    assert len(names) == len(set(names)) == len(used)
    assert set(names) == used
