"""planner/build.py: the model's columns are exactly the variables its rows and objective use."""

from __future__ import annotations

import gc
import weakref

from planner.api import greedy_start
from planner.build import create_model, free_dropped_models, models_kept
from planner.data import planning_data
from planner.model import Elastic
from planner.scenario_file import load_scenario_with_inventory
from planner.settings import SolverSettings
from planner.solve import solve_milp
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



def test_a_model_built_while_kept_is_frozen_until_the_block_ends_or_freed_when_dropped() -> None:
    """Inside ``models_kept`` a built model is out of the collector's passes (``gc.freeze``): solved, it holds cycles,
    which a plain collection leaves alone and ``free_dropped_models`` frees once it is dropped (the explanation's
    elastic model, before the next is built); the block's end gives everything back; outside it nothing is frozen."""
    loaded = load_scenario_with_inventory(REPOSITORY / "scenarios" / "xiangtan" / "baseline.yaml")
    data = planning_data(loaded.inventory, loaded.scenario)
    gc.collect()
    create_model(data, Elastic(targets=True))
    assert gc.get_freeze_count() == 0
    with models_kept():
        model = create_model(data, Elastic(targets=True))
        assert gc.get_freeze_count() > 0
        warm = greedy_start(data, model, 0.0, every_order=False)[1]
        solve_milp(data, SolverSettings(time_limit_s=2, search=False), warm, None, (model, 0.0))
        problem = weakref.ref(model.prob)
        del model
        gc.collect()
        assert problem() is not None
        free_dropped_models()
        assert problem() is None
        create_model(data, Elastic(targets=True))
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0
