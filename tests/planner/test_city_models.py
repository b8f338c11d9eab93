"""planner/city_models.py: a neighbourhood of one city solved on the city's own model gives a plan of the whole model."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import highspy
import numpy as np

from planner.city_models import CityModels
from planner.decompose import DantzigWolfe, split_blocks
from planner.highs import solve_with_fixed
from planner.solve import linking_rows
from tests.planner.test_decompose import two_blocks_one_limit, two_cities


def without_column_generation(lp: highspy.HighsLp, linking: np.ndarray, min_columns: int) -> DantzigWolfe:
    blocks = split_blocks(lp, linking, min_columns=min_columns)
    assert blocks is not None
    with ThreadPoolExecutor(max_workers=1) as workers:
        return DantzigWolfe(lp, blocks, workers)


def test_a_city_takes_what_the_other_leaves_of_their_shared_limit() -> None:
    """Blocks A (a1 cost 1, a2 cost 4) and B (b1 cost 2, b2 cost 3), each picking one; a1 + b1 <= 1.

    From a2 = b2 = 1 (cost 7), A alone takes a1 (B leaves the limit unused): 1 + 3 = 4, the optimum.
    From a2 = b1 = 1 (cost 6), B holds the limit: A, the only one free, cannot take a1 and 6 stays.
    """
    lp = two_blocks_one_limit()
    decomposition = without_column_generation(lp, np.array([False, False, True]), min_columns=1)
    assert [list(columns) for columns in decomposition.blocks.columns] == [[0, 1], [2, 3]]
    cities = CityModels(decomposition, np.arange(4))
    everything = np.ones(4, dtype=bool)

    found, timed_out = cities.solve((0,), np.array([0.0, 1.0, 0.0, 1.0]), everything, 10.0)
    assert found is not None and not timed_out
    assert np.allclose(found[0], [1.0, 0.0, 0.0, 1.0]) and found[1] == 4.0

    found, _timed_out = cities.solve((0,), np.array([0.0, 1.0, 1.0, 0.0]), everything, 10.0)
    assert found is not None
    assert np.allclose(found[0], [0.0, 1.0, 1.0, 0.0]) and found[1] == 6.0


def test_a_pair_of_cities_trades_their_shared_limit() -> None:
    """The same two blocks from a2 = b1 = 1 (cost 6), solved as one model of both: B gives the limit up for A, a1 + b2
    = 4, the optimum no model of one city reaches (above). The pair's model stays kept beside the cities' own."""
    lp = two_blocks_one_limit()
    decomposition = without_column_generation(lp, np.array([False, False, True]), min_columns=1)
    cities = CityModels(decomposition, np.arange(4))
    assert cities.columns((0, 1)) == 4 and cities.columns((1,)) == 2
    found, timed_out = cities.solve((1, 0), np.array([0.0, 1.0, 1.0, 0.0]), np.ones(4, dtype=bool), 10.0)
    assert found is not None and not timed_out
    assert np.allclose(found[0], [1.0, 0.0, 0.0, 1.0]) and found[1] == 4.0


def test_a_neighbourhood_on_a_city_model_is_the_same_as_on_the_whole_model() -> None:
    _scn, _inv, model, lp, _blocks = two_cities()
    decomposition = without_column_generation(lp, linking_rows(model), min_columns=1000)
    blocks = decomposition.blocks
    is_integer = np.array([kind == highspy.HighsVarType.kInteger for kind in lp.integrality_])
    integer = np.flatnonzero(is_integer)
    whole = highspy.Highs()
    whole.setOptionValue("output_flag", False)
    whole.passModel(lp)
    whole.setOptionValue("mip_rel_gap", 1e-4)
    lower, upper = np.array(lp.col_lower_), np.array(lp.col_upper_)
    # A plan to start from: the first the whole model's branch and bound finds.
    whole.setOptionValue("mip_max_improving_sols", 1)
    whole.run()
    whole.setOptionValue("mip_max_improving_sols", highspy.kHighsIInf)
    best = np.array(whole.getSolution().col_value)
    best_objective = float(decomposition.cost @ best + decomposition.offset)
    cities = CityModels(decomposition, integer)
    random = np.random.default_rng(5)
    for city in (0, 1):
        # A neighbourhood as the search draws them: a fifth of the city's integer columns free.
        in_city = np.zeros(lp.num_col_, dtype=bool)
        in_city[blocks.columns[city]] = True
        free = in_city & is_integer & (random.random(lp.num_col_) < 0.2)
        found, timed_out = cities.solve((city,), best, free, 30.0)
        assert found is not None and not timed_out
        values, objective = found
        fixed = integer[~free[integer]]
        # (HiGHS hands a column fixed at -1e-13 back as 0.)
        assert np.allclose(values[fixed], best[fixed], rtol=0.0, atol=1e-9), "only the free integer columns move"
        other_cities = ~in_city
        other_cities[blocks.master] = False
        assert np.array_equal(values[other_cities], best[other_cities]), "the other city as it was"
        assert objective < best_objective - 1.0, "the neighbourhood gains: the comparison below shows something"
        # A plan of the whole model: every row within its bounds.
        activity = np.zeros(lp.num_row_)
        np.add.at(activity, decomposition.matrix[1], decomposition.matrix[2] * values[decomposition.matrix[0]])
        assert np.all(activity >= np.array(lp.row_lower_) - 1e-6) and np.all(activity <= np.array(lp.row_upper_) + 1e-6)
        # The same neighbourhood on the whole model (the other cities' continuous columns free there) finds no better.
        on_whole, _timed_out = solve_with_fixed(whole, lower, upper, fixed, best[fixed], 30.0, best)
        assert on_whole is not None
        assert abs(objective - on_whole[1]) <= 1e-4 * abs(objective), (city, objective, on_whole[1])


def test_each_plan_highs_finds_in_a_city_reaches_the_search_at_once_as_a_whole_plan() -> None:
    """The city's sub-MILP offers each better plan as HiGHS finds it (not only the one it ends with), put back into the
    whole plan with the whole model's cost; the last is the plan the solve returns."""
    _scn, _inv, model, lp, _blocks = two_cities()
    decomposition = without_column_generation(lp, linking_rows(model), min_columns=1000)
    is_integer = np.array([kind == highspy.HighsVarType.kInteger for kind in lp.integrality_])
    cities = CityModels(decomposition, np.flatnonzero(is_integer))
    best = greedy_like_start(lp)
    offered: list[tuple[np.ndarray, float]] = []
    cities.found = lambda values, objective: offered.append((values, objective))
    in_city = np.zeros(lp.num_col_, dtype=bool)
    in_city[decomposition.blocks.columns[0]] = True
    found, _timed_out = cities.solve((0,), best, in_city & is_integer, 30.0)
    assert found is not None and offered, "HiGHS found plans and each was offered"
    objectives = [objective for _values, objective in offered]
    assert objectives == sorted(objectives, reverse=True)
    other_city = np.zeros(lp.num_col_, dtype=bool)
    other_city[decomposition.blocks.columns[1]] = True
    for values, objective in offered:
        assert objective == float(decomposition.cost @ values + decomposition.offset)
        assert np.array_equal(values[other_city], best[other_city]), "the other city as it was"
    assert objectives[-1] == found[1]


def test_a_city_s_sub_milp_ends_when_the_search_is_interrupted() -> None:
    _scn, _inv, model, lp, _blocks = two_cities()
    decomposition = without_column_generation(lp, linking_rows(model), min_columns=1000)
    is_integer = np.array([kind == highspy.HighsVarType.kInteger for kind in lp.integrality_])
    cities = CityModels(decomposition, np.flatnonzero(is_integer))
    cities.interrupted = lambda: True
    in_city = np.zeros(lp.num_col_, dtype=bool)
    in_city[decomposition.blocks.columns[0]] = True
    _found, timed_out = cities.solve((0,), greedy_like_start(lp), in_city & is_integer, 30.0)
    assert not timed_out
    assert cities._models[(0,)].highs.getModelStatus() == highspy.HighsModelStatus.kInterrupt


def greedy_like_start(lp: highspy.HighsLp) -> np.ndarray:
    """The first plan the whole model's branch and bound finds: a plan to start a neighbourhood from."""
    whole = highspy.Highs()
    whole.setOptionValue("output_flag", False)
    whole.passModel(lp)
    whole.setOptionValue("mip_max_improving_sols", 1)
    whole.run()
    return np.array(whole.getSolution().col_value)
