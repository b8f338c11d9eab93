"""The decomposition of a province into cities and its Dantzig-Wolfe bound (planner/decompose.py)."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from functools import cache

import highspy
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inventory.generate import baseline_scenario, generate
from models.scenario import Scenario
from planner import decompose
from planner.api import PlanRequest, plan_scenario
from planner.build import create_model
from planner.check import check_plan
from planner.data import planning_data
from planner.decompose import (
    FIRST_ROUNDS_REPORTS,
    SETTLED_ROUNDS,
    STALL_ROUNDS,
    STALL_SHARE,
    BlockPricer,
    Blocks,
    DantzigWolfe,
    Relaxation,
    RootRounds,
    _settled,
    _stalled,
    milp_block_solve,
    split_blocks,
)
from planner.events import ProgressEvent
from planner.highs import pass_model, relative_gap
from planner.model import Elastic, Model
from planner.solve import linking_rows
from tests.builders import loaded

INFINITY = highspy.kHighsInf


def two_blocks_one_limit(costs: tuple[float, float, float, float] = (1.0, 4.0, 2.0, 3.0)) -> highspy.HighsLp:
    """Two blocks of two choices each; one limit lets only one block take its cheap choice.

    Block A picks a1 (cost 1) or a2 (cost 4); block B picks b1 (cost 2) or b2 (cost 3); a1 + b1 <= 1.
    Taking the cheap choice saves 3 in A and 1 in B, so A takes it: a1 = b2 = 1, cost 1 + 3 = 4, and
    the LP cannot do better (cost = 7 - 3 a1 - b1 with a1 + b1 <= 1). Without the limit the blocks
    would cost 1 + 2 = 3, the Lagrangian bound at zero prices.
    """
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = 4, 3  # columns a1 a2 b1 b2; rows: A's choice, B's choice, the limit
    lp.col_cost_ = np.array(costs)
    lp.col_lower_ = np.zeros(4)
    lp.col_upper_ = np.ones(4)
    lp.row_lower_ = np.array([1.0, 1.0, -INFINITY])
    lp.row_upper_ = np.array([1.0, 1.0, 1.0])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.array([0, 2, 3, 5, 6], dtype=np.int32)
    lp.a_matrix_.index_ = np.array([0, 2, 0, 1, 2, 1], dtype=np.int32)
    lp.a_matrix_.value_ = np.ones(6)
    lp.integrality_ = [highspy.HighsVarType.kInteger] * 4
    return lp


def a_knapsack_and_an_item() -> highspy.HighsLp:
    """Block A: two items of weight 2 under a limit of 3 (one fits), each worth 2; block B: one item worth 1.

    Minimise -2 a1 - 2 a2 - b with 2 a1 + 2 a2 <= 3 (A's row), b <= 1 (B's row), a1 + a2 + b <= 2 (linking).
    LP: a1 + a2 = 1.5 and b = 0.5, -3.5 (b's column is basic, so the linking row's price is -1).
    Integer: one item of A and b, -3. At price -1 each block's MILP gives A: -2 + 1 = -1, B: -1 + 1 = 0,
    and the linking row 2 x -1: -1 + 0 - 2 = -3, the integer optimum, where the LP values give -3.5.
    """
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = 3, 3  # columns a1 a2 b; rows: A's limit, B's bound, the linking row
    lp.col_cost_ = np.array([-2.0, -2.0, -1.0])
    lp.col_lower_ = np.zeros(3)
    lp.col_upper_ = np.ones(3)
    lp.row_lower_ = np.full(3, -INFINITY)
    lp.row_upper_ = np.array([3.0, 1.0, 2.0])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.array([0, 2, 4, 6], dtype=np.int32)
    lp.a_matrix_.index_ = np.array([0, 2, 0, 2, 1, 2], dtype=np.int32)
    lp.a_matrix_.value_ = np.array([2.0, 1.0, 2.0, 1.0, 1.0, 1.0])
    lp.integrality_ = [highspy.HighsVarType.kInteger] * 3
    return lp


def never(_bound: float) -> bool:
    return False


def quiet(_message: str) -> None:
    pass


def decomposed(lp: highspy.HighsLp) -> tuple[DantzigWolfe, Relaxation]:
    """A micro-model split by its last row (the limit linking its blocks), column generation run to the end."""
    blocks = split_blocks(lp, np.arange(lp.num_row_) == lp.num_row_ - 1, min_columns=1)
    assert blocks is not None
    with ThreadPoolExecutor(max_workers=2) as workers:
        decomposition = DantzigWolfe(lp, blocks, workers)
        return decomposition, decomposition.run(float("inf"), never, quiet)


def test_two_blocks_one_limit_reaches_the_hand_computed_optimum() -> None:
    lp = two_blocks_one_limit()
    blocks = split_blocks(lp, np.array([False, False, True]), min_columns=1)
    assert blocks is not None
    assert [list(columns) for columns in blocks.columns] == [[0, 1], [2, 3]]
    assert [list(rows) for rows in blocks.rows] == [[0], [1]]
    assert list(blocks.linking) == [2]
    with ThreadPoolExecutor(max_workers=2) as workers:
        decomposition = DantzigWolfe(lp, blocks, workers)
        assert decomposition.lagrangian(np.zeros(1), [1.0, 2.0]) == pytest.approx(3.0)
        relaxation = decomposition.run(float("inf"), never, quiet)
    assert relaxation.converged
    assert relaxation.bound == pytest.approx(4.0)
    assert relaxation.values is not None
    assert relaxation.values == pytest.approx([1.0, 0.0, 0.0, 1.0])


def test_column_generation_widens_the_cap_on_prices_until_the_master_needs_no_artificial_column() -> None:
    """Costs a1 0, a2 50, b1 0, b2 50: one block takes its free choice, the other pays 50, and the LP optimum is 50.
    At a price y of the limit the bound is 2 min(0 - y, 50) + y, 50 only once |y| >= 50: the artificial columns'
    first costs, 1 and 10, cap |y| below that (the master prefers breaking the limit at 1 or 10 a unit), so column
    generation must widen the cap twice, to 100, before its master keeps the limit and it may call itself converged."""
    decomposition, relaxation = decomposed(two_blocks_one_limit((0.0, 50.0, 0.0, 50.0)))
    assert relaxation.converged
    assert relaxation.bound == pytest.approx(50.0)
    assert decomposition.artificial_cost == pytest.approx(100.0)
    assert relaxation.values is not None
    assert relaxation.values[0] + relaxation.values[2] == pytest.approx(1.0)
    assert relaxation.values @ np.array([0.0, 50.0, 0.0, 50.0]) == pytest.approx(50.0)


def test_the_point_handed_over_keeps_the_linking_rows_the_capped_master_broke() -> None:
    """Same costs as above. Seeded with the plan (a1, b2), cost 50, and offered b1 for free, the master with its
    artificial columns at the first cost of 1 takes b1 and breaks the limit by 1 (cost 1). Handed over short of
    convergence, that point would schedule both cheap choices; the master is solved again at the full cost first,
    and the point is the plan that keeps the limit."""
    lp = two_blocks_one_limit((0.0, 50.0, 0.0, 50.0))
    blocks = split_blocks(lp, np.array([False, False, True]), min_columns=1)
    assert blocks is not None
    with ThreadPoolExecutor(max_workers=2) as workers:
        decomposition = DantzigWolfe(lp, blocks, workers)
        decomposition.propose_solution(np.array([1.0, 0.0, 0.0, 1.0]))
        decomposition.propose(1, np.array([1.0, 0.0]))
        assert decomposition._solve_master(float("inf"))
        assert decomposition._artificial_in_use()
        values = decomposition._master_values()
    assert values is not None
    assert values == pytest.approx([1.0, 0.0, 0.0, 1.0])
    assert not decomposition._artificial_in_use()


def test_the_excess_of_each_block_adds_up_to_what_a_plan_costs_above_the_bound() -> None:
    """At the converged price y of the limit (-3 <= y <= -1), block A's cheapest is a1 at 1 - y and B's is b2 at 3.
    The optimum (a1, b2) is at both: excess 0 and 0. The plan (a2, b1), cost 6, is 4 - (1 - y) = 3 + y above in A and
    (2 - y) - 3 = -1 - y above in B: 2 in all, its cost minus the bound 4, the limit being tight in both plans."""
    decomposition, relaxation = decomposed(two_blocks_one_limit())
    excess = decomposition.excess(relaxation)
    assert excess is not None
    assert excess(np.array([1.0, 0.0, 0.0, 1.0])) == pytest.approx([0.0, 0.0])
    other = excess(np.array([0.0, 1.0, 1.0, 0.0]))
    assert other.sum() == pytest.approx(6.0 - relaxation.bound)
    assert (other >= -1e-9).all()


def test_lift_with_each_blocks_milp_reaches_the_integer_optimum_where_the_lp_cannot() -> None:
    decomposition, relaxation = decomposed(a_knapsack_and_an_item())
    assert relaxation.converged
    assert relaxation.bound == pytest.approx(-3.5)
    assert relaxation.prices == pytest.approx([-1.0])
    seen: list[float] = []
    lifted = decomposition.lift(relaxation, time.perf_counter() + 60, lambda bound: seen.append(bound) is not None)
    assert lifted == pytest.approx(-3.0)
    assert seen == pytest.approx([-3.5, -3.0]), "a valid bound before each block, the lifted one at the end"


def test_a_model_of_one_piece_does_not_split() -> None:
    """Without a second block of its own size there is nothing to decompose: HiGHS proves the bound."""
    lp = two_blocks_one_limit()
    assert split_blocks(lp, np.array([False, False, False]), min_columns=1) is None
    assert split_blocks(lp, np.array([False, False, True]), min_columns=3) is None


@cache
def two_cities() -> tuple[Scenario, object, Model, highspy.HighsLp, Blocks]:
    inv = generate(cities=2, systems_per_city=100, seed=3)
    scn = Scenario.model_validate({**baseline_scenario(inv, "unused.yaml"), "solver": {"time_limit_s": 30, "mip_gap": 0.01}})
    model = create_model(planning_data(inv, scn), Elastic(targets=True))
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    pass_model(model.prob, highs)
    lp = highs.getLp()
    blocks = split_blocks(lp, linking_rows(model))
    assert blocks is not None
    return scn, inv, model, lp, blocks


def whole_lp_relaxation(lp: highspy.HighsLp) -> float:
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.passModel(lp)
    highs.setOptionValue("solve_relaxation", True)
    highs.run()
    return float(highs.getInfo().objective_function_value)


def test_two_cities_split_into_their_cities_linked_by_shared_limits() -> None:
    _scn, _inv, model, lp, blocks = two_cities()
    assert len([columns for columns in blocks.columns if columns.size >= 1000]) == 2
    every = np.sort(np.concatenate([*blocks.columns, blocks.master]))
    assert np.array_equal(every, np.arange(lp.num_col_)), "each column in exactly one block or the master"
    names = list(model.prob.constraints)
    families = {model.names.explain(names[r])[0] for r in blocks.linking}  # type: ignore[index]
    assert families <= {"team_days", "budget", "bandwidth", "kpi_floor", "use", "capacity", "requires_across"}
    assert {"team_days", "kpi_floor"} <= families


def test_decomposition_reaches_the_whole_models_lp_relaxation() -> None:
    _scn, _inv, _model, lp, blocks = two_cities()
    with ThreadPoolExecutor(max_workers=2) as workers:
        relaxation = DantzigWolfe(lp, blocks, workers).run(float("inf"), never, quiet)
    expected = whole_lp_relaxation(lp)
    assert relaxation.converged
    assert relaxation.bound == pytest.approx(expected, rel=1e-6)
    assert relaxation.values is not None
    assert float(np.asarray(lp.col_cost_) @ relaxation.values + lp.offset_) == pytest.approx(expected, rel=1e-6)


@settings(max_examples=15, deadline=None)
@given(st.floats(min_value=1e-3, max_value=50), st.integers(0, 2**31))
def test_any_prices_give_a_bound_under_the_lp_relaxation(scale: float, seed: int) -> None:
    """Weak duality: the Lagrangian bound at any prices, not only the master's, is at most the LP optimum."""
    _scn, _inv, _model, lp, blocks = two_cities()
    prices = np.random.default_rng(seed).normal(scale=scale, size=blocks.linking.size)
    with ThreadPoolExecutor(max_workers=2) as workers:
        decomposition = DantzigWolfe(lp, blocks, workers)
        valid = decomposition._valid(prices)
        priced = decomposition._price(valid, float("inf"))
    assert priced is not None
    assert decomposition.lagrangian(valid, priced[0]) <= whole_lp_relaxation(lp) + 1e-6


def test_planning_two_cities_uses_the_decomposition_and_the_plan_passes_the_checker() -> None:
    scn, inv, _model, _lp, _blocks = two_cities()
    events: list[ProgressEvent] = []
    # Planning stops at the 1% gap; the limit is generous so that a busy machine cannot stop the
    # decomposition (70% of it) before it converges or its bound stalls (5e-4 in 10 rounds, at 1% asked).
    plan = plan_scenario(loaded(inv, scn), PlanRequest(time_limit_s=120, mip_gap=0.01), events.append)  # type: ignore[arg-type]
    assert any(event.text.startswith("decomposition: bound") and ("the LP relaxation" in event.text or "stalled" in event.text)
               for event in events)
    assert plan.status in ("optimal", "feasible")
    assert plan.bound_wan is not None and plan.objective_wan is not None
    assert plan.bound_wan <= plan.objective_wan + 1e-6
    # A plan proven within the gap asked for is reported optimal, whichever part of the solve proved it.
    within = relative_gap(plan.objective_wan, plan.bound_wan) <= 0.01 + 1e-9
    assert (plan.status == "optimal") == within, (plan.status, plan.objective_wan, plan.bound_wan)
    report = check_plan(plan, scn, inv)  # type: ignore[arg-type]
    assert report.ok, "\n".join(str(finding) for finding in report.errors)


def test_no_time_no_bound_and_no_lp_solution() -> None:
    """Out of time before the first round: no bound is claimed and no LP solution is handed to RENS."""
    _scn, _inv, _model, lp, blocks = two_cities()
    with ThreadPoolExecutor(max_workers=2) as workers:
        relaxation = DantzigWolfe(lp, blocks, workers).run(time.perf_counter(), never, quiet)
    assert not relaxation.converged
    assert relaxation.values is None
    assert relaxation.bound == -np.inf


def test_planning_two_cities_in_too_little_time_still_gives_the_best_plan_found() -> None:
    """With 2 s the decomposition cannot converge: the plan is the (completed) greedy start or better, never an error."""
    scn, inv, _model, _lp, _blocks = two_cities()
    plan = plan_scenario(loaded(inv, scn), PlanRequest(time_limit_s=2, mip_gap=0.01))  # type: ignore[arg-type]
    assert plan.objective_wan is not None
    report = check_plan(plan, scn, inv)  # type: ignore[arg-type]
    if plan.status == "infeasible":
        assert plan.violations, "a plan short of a target says which"
    else:
        assert report.ok, "\n".join(str(finding) for finding in report.errors)


def test_without_a_warm_start_highs_plans_the_whole_model() -> None:
    """The decomposition proves bounds but makes no plan of its own; with no start, HiGHS's branch and bound runs."""
    scn, inv, _model, _lp, _blocks = two_cities()
    events: list[ProgressEvent] = []
    # Generous for a busy machine: HiGHS stops at the 1% gap long before.
    plan = plan_scenario(loaded(inv, scn), PlanRequest(time_limit_s=120, mip_gap=0.01, warm_start=False),  # type: ignore[arg-type]
                         events.append)
    assert not any(event.text.startswith("decomposition") for event in events)
    assert plan.objective_wan is not None


def test_column_generation_stops_once_its_bound_stalls() -> None:
    """Bounds of 100,000 that rose by 5 (5e-5, under the share) over the last STALL_ROUNDS rounds: stalled.
    By 50 (5e-4): still moving. Flat but fewer than twice STALL_ROUNDS rounds (the first rounds of a
    master with few plans stay flat before they rise): not yet. -inf ten rounds back: not comparable."""
    assert STALL_SHARE * 100_000 == pytest.approx(10.0)
    rising = [90_000.0] * STALL_ROUNDS + list(np.linspace(99_995.0, 100_000.0, STALL_ROUNDS + 1))
    assert _stalled(rising, STALL_SHARE)
    assert not _stalled([90_000.0] * STALL_ROUNDS + list(np.linspace(99_950.0, 100_000.0, STALL_ROUNDS + 1)), STALL_SHARE)
    assert _stalled([90_000.0] * STALL_ROUNDS + list(np.linspace(99_950.0, 100_000.0, STALL_ROUNDS + 1)), 1e-3)
    assert not _stalled([100_000.0] * (2 * STALL_ROUNDS - 1), STALL_SHARE)
    assert not _stalled([-np.inf] * STALL_ROUNDS + [100_000.0] * STALL_ROUNDS, STALL_SHARE)


def test_a_stalled_bound_ends_column_generation_only_when_asked() -> None:
    """Two generated cities: with no stall share, the columns converge to the LP relaxation; with one, the run
    stops earlier at a stalled bound, still valid (at most the LP relaxation), and hands over the master's last
    point for RENS."""
    _scn, _inv, _model, lp, blocks = two_cities()
    with ThreadPoolExecutor(max_workers=2) as workers:
        patient = DantzigWolfe(lp, blocks, workers).run(float("inf"), never, quiet)
        hasty = DantzigWolfe(lp, blocks, workers).run(float("inf"), never, quiet, STALL_SHARE)
    assert patient.converged and not patient.stalled
    assert hasty.stalled and not hasty.converged
    assert hasty.iterations < patient.iterations
    assert hasty.bound <= patient.bound + 1e-6
    assert hasty.values is not None and hasty.values.size == lp.num_col_


def test_the_bound_settles_once_it_rose_by_less_than_the_share_over_the_last_rounds() -> None:
    """1% of 100,000 is 1,000: a rise of 900 over the last SETTLED_ROUNDS rounds is settled, of 1,100 not; no earlier
    round to compare with, or -inf there: not yet."""
    assert _settled([98_000.0, 99_100.0] + [100_000.0] * SETTLED_ROUNDS, 0.01)
    assert not _settled([98_000.0, 98_900.0] + [100_000.0] * SETTLED_ROUNDS, 0.01)
    assert not _settled([100_000.0] * SETTLED_ROUNDS, 0.01)
    assert not _settled([-np.inf] + [100_000.0] * SETTLED_ROUNDS, 0.01)


@pytest.mark.parametrize("share", [0.01, 1e-4])
def test_once_the_bound_settles_its_lp_point_is_handed_over_while_column_generation_goes_on(share: float) -> None:
    """Two generated cities: the point is handed over rounds before the columns converge, with a valid bound (at most
    the final one), and again each time the bound has risen by more than the share since (asked for 1e-4, more than
    once)."""
    _scn, _inv, _model, lp, blocks = two_cities()
    handed: list[Relaxation] = []
    with ThreadPoolExecutor(max_workers=2) as workers:
        final = DantzigWolfe(lp, blocks, workers).run(float("inf"), never, quiet, settled=(share, handed.append))
    assert final.converged
    assert handed
    for relaxation in handed:
        assert relaxation.values is not None and relaxation.values.size == lp.num_col_
        assert relaxation.iterations < final.iterations
        assert relaxation.bound <= final.bound + 1e-6
    for earlier, later in zip(handed, handed[1:]):
        assert later.iterations > earlier.iterations
        assert later.bound - earlier.bound > share * abs(later.bound)
    if share < 1e-3:
        assert len(handed) > 1


def block_lp_and_costs(rounds: int, seed: int = 7) -> tuple[highspy.HighsLp, list[np.ndarray]]:
    """The first generated city's LP and ``rounds`` cost vectors as pricing rounds give them (its own costs, then
    those less random prices of its columns)."""
    _scn, _inv, _model, lp, blocks = two_cities()
    with ThreadPoolExecutor(max_workers=1) as workers:
        decomposition = DantzigWolfe(lp, blocks, workers)
    columns = blocks.columns[0]
    random = np.random.default_rng(seed)
    costs = [decomposition.reduced_costs(decomposition._valid(random.normal(scale=scale, size=blocks.linking.size)))[columns]
             for scale in np.linspace(0.0, 2.0, rounds)]
    return decomposition.sub_lp(0, integer=False), costs


def test_a_block_priced_warm_or_from_scratch_gives_the_minimum_of_a_fresh_solve() -> None:
    lp, rounds = block_lp_and_costs(6)
    always_warm, always_cold = BlockPricer(lp), BlockPricer(lp)
    for costs in rounds:
        warm, cold = always_warm.price(costs, 60.0), always_cold.price(costs, 60.0)
        always_warm.cold_rounds, always_warm.cold_seconds = 0, 1e9
        always_cold.cold_rounds = 10**9
        assert not isinstance(warm, str) and not isinstance(cold, str)
        lp.col_cost_ = costs  # the pricers hold copies of their own
        expected = whole_lp_relaxation(lp)
        assert warm[0] == pytest.approx(expected, rel=1e-7, abs=1e-6)
        assert cold[0] == pytest.approx(expected, rel=1e-7, abs=1e-6)
        assert float(costs @ warm[1]) == pytest.approx(warm[0], rel=1e-7, abs=1e-6), "the plan priced is the minimum's"


class ScriptedPricer(BlockPricer):
    """Solves for real, but each solve reports the seconds of a script: from scratch 1 s, warm ``warm_seconds``."""

    def __init__(self, lp: highspy.HighsLp, warm_seconds: list[float]) -> None:
        super().__init__(lp)
        self.warm_seconds = warm_seconds
        self.kinds: list[str] = []

    def _run(self, time_limit: float) -> tuple[float, bool]:
        _seconds, optimal = super()._run(time_limit)
        # Only a warm solve is limited (to twice the last solve from scratch): the test asks with no limit.
        kind = "cold" if time_limit == float("inf") else "warm"
        self.kinds.append(kind)
        return (1.0 if kind == "cold" else self.warm_seconds.pop(0)), optimal


def test_a_block_whose_warm_solves_are_slower_is_solved_from_scratch_for_twice_as_many_rounds_each_time() -> None:
    """Warm 3 s against 1 s from scratch: one round from scratch, warm again (3 s): two rounds from scratch, warm
    (0.5 s, quicker): back to warm every round, and the next slower warm solve costs one round from scratch again."""
    lp, rounds = block_lp_and_costs(11)
    pricer = ScriptedPricer(lp, [3.0, 3.0, 0.5, 0.5, 3.0, 0.5])
    for costs in rounds:
        assert not isinstance(pricer.price(costs, float("inf")), str)
    assert pricer.kinds == ["cold", "warm", "cold", "warm", "cold", "cold", "warm", "warm", "warm", "cold", "warm"]


def test_a_block_priced_round_after_round_is_not_cut_short_by_the_time_its_earlier_rounds_took() -> None:
    """HiGHS holds an LP's time limit against the run clock of all the object's solves: each round may take 0.3 s
    (ten times a solve of this block), and rounds go on until their solves add up to twice that; each is priced."""
    lp, rounds = block_lp_and_costs(4)
    pricer = BlockPricer(lp)
    priced = 0
    while pricer.highs.getRunTime() < 0.6:
        pricer.cold_rounds = 10**9
        result = pricer.price(rounds[priced % len(rounds)], 0.3)
        assert not isinstance(result, str), f"round {priced} after {pricer.highs.getRunTime():.2f} s of solves: {result}"
        priced += 1
    assert priced > 2


def blocks_and_an_item(*blocks: highspy.HighsLp) -> highspy.HighsLp:
    """The blocks side by side, then one item worth 1 (b <= 1, its own row), then a loose linking row over the first
    column of each and the item (at most 2): its price is 0, so each block's MILP at the prices is the block alone."""
    columns = sum(block.num_col_ for block in blocks) + 1
    rows = sum(block.num_row_ for block in blocks) + 2
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = columns, rows
    lp.col_cost_ = np.concatenate([*(block.col_cost_ for block in blocks), [-1.0]])
    lp.col_lower_, lp.col_upper_ = np.zeros(columns), np.ones(columns)
    lp.row_lower_ = np.full(rows, -INFINITY)
    lp.row_upper_ = np.concatenate([*(block.row_upper_ for block in blocks), [1.0, 2.0]])
    starts, index, value = [0], [], []
    row_at = 0
    for block in blocks:
        block_starts = list(block.a_matrix_.start_)
        for column in range(block.num_col_):
            entries = range(block_starts[column], block_starts[column + 1])
            index += [row_at + block.a_matrix_.index_[e] for e in entries]
            value += [block.a_matrix_.value_[e] for e in entries]
            if column == 0:
                index.append(rows - 1)
                value.append(1.0)
            starts.append(len(index))
        row_at += block.num_row_
    index += [rows - 2, rows - 1]
    value += [1.0, 1.0]
    starts.append(len(index))
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
    lp.a_matrix_.index_ = np.array(index, dtype=np.int32)
    lp.a_matrix_.value_ = np.array(value)
    lp.integrality_ = [highspy.HighsVarType.kInteger] * columns
    return lp


def a_knapsack() -> highspy.HighsLp:
    """Two items of weight 2 under a limit of 3 (one fits), each worth 2: LP -3, integer -2."""
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = 2, 1
    lp.col_cost_ = np.array([-2.0, -2.0])
    lp.row_upper_ = np.array([3.0])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.array([0, 1, 2], dtype=np.int32)
    lp.a_matrix_.index_ = np.array([0, 0], dtype=np.int32)
    lp.a_matrix_.value_ = np.array([2.0, 2.0])
    return lp


def first_words_of_each_pass(told: list[str]) -> list[str]:
    return [text.rsplit("(", 1)[1].split(",")[0] for text in told]


def test_the_lift_solves_again_for_longer_each_block_its_quick_pass_did_not_prove() -> None:
    """The quick pass ends the multiple knapsack (block 1) after its root's first cut rounds, above its LP value and
    unproved, and proves the lone item; the second pass solves the knapsack again, to a bound at least as good. The
    progress tells the bound after each block's solve."""
    decomposition, relaxation = decomposed(blocks_and_an_item(a_multiple_knapsack()))
    told: list[str] = []
    bounds: list[float] = []
    decomposition.lift(relaxation, time.perf_counter() + 60, lambda bound: False,
                       lambda event: (told.append(event.text), bounds.append(event.numbers["bound"])))
    assert first_words_of_each_pass(told) == ["first pass", "first pass", "second pass"]
    assert "block 1 of 2" in told[2]
    assert relaxation.bound < bounds[0] <= bounds[2]


def test_a_block_whose_milp_gave_nothing_in_its_time_ends_the_lift_of_blocks_as_large(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """With no time, HiGHS leaves the first knapsack (block 1) at its LP value, -3: the second (block 2, as large) is
    not solved in either pass, nor is the first solved again; the lone item (block 3, half as large) still is,
    and presolve alone proves it. Both knapsacks keep their LP values (-3 each, -2 each as integers), the item its -1."""
    monkeypatch.setattr(decompose, "QUICK_LIFT_SECONDS", 0.0)
    decomposition, relaxation = decomposed(blocks_and_an_item(a_knapsack(), a_knapsack()))
    assert [list(columns) for columns in decomposition.blocks.columns] == [[0, 1], [2, 3], [4]]
    assert relaxation.bound == pytest.approx(-7.0)
    told: list[str] = []
    lifted = decomposition.lift(relaxation, time.perf_counter() + 60, lambda bound: False,
                                lambda event: told.append(event.text))
    assert first_words_of_each_pass(told) == ["first pass", "first pass"]
    assert "block 1 of 3" in told[0] and "block 3 of 3" in told[1]
    assert lifted == pytest.approx(-7.0)


def test_a_second_pass_that_adds_nothing_to_the_first_does_not_end_the_lift(monkeypatch: pytest.MonkeyPatch) -> None:
    """A block whose second pass ends at the bound its first reached (above its LP value) got past its root LP: the
    next block as large is still solved again. HiGHS is scripted here: each knapsack's MILP gives -2.5 (its LP value
    -3) unproved, each time; the item's gives its optimum, proved."""

    def scripted(sub: highspy.HighsLp, *_args: object, **_kwargs: object) -> tuple[float, bool]:
        return (-2.5, False) if sub.num_col_ == 2 else (-1.0, True)

    monkeypatch.setattr(decompose, "milp_block_solve", scripted)
    decomposition, relaxation = decomposed(blocks_and_an_item(a_knapsack(), a_knapsack()))
    told: list[str] = []
    lifted = decomposition.lift(relaxation, time.perf_counter() + 60, lambda bound: False,
                                lambda event: told.append(event.text))
    assert first_words_of_each_pass(told) == ["first pass"] * 3 + ["second pass"] * 2
    assert lifted == pytest.approx(-6.0)


def test_a_block_the_quick_pass_proved_is_not_solved_again() -> None:
    decomposition, relaxation = decomposed(a_knapsack_and_an_item())
    told: list[str] = []
    decomposition.lift(relaxation, time.perf_counter() + 60, lambda bound: False, lambda event: told.append(event.text))
    assert first_words_of_each_pass(told) == ["first pass", "first pass"]


def test_the_first_pass_ends_a_block_at_the_sixth_bound_highs_reports() -> None:
    rounds = RootRounds(first_rounds=True)
    assert not rounds.enough(-np.inf), "before the root LP HiGHS reports no bound"
    answers = [rounds.enough(bound) for bound in (-100.0, -90.0, -85.0, -82.0, -81.0, -80.5, -80.4)]
    assert answers.index(True) == FIRST_ROUNDS_REPORTS - 1


def test_the_second_pass_ends_a_block_once_its_bound_stalls() -> None:
    """Ended at the first report where the last three added at most 1% of the rise so far."""
    rounds = RootRounds(first_rounds=False)
    bounds = [-100.0, -90.0, -85.0, -82.0, -81.0, -80.5, -80.4, -80.35, -80.3, -80.25, -80.2]
    answers = [rounds.enough(bound) for bound in bounds]
    assert answers.index(True) == 9, "-80.5 -> -80.3: 0.2, over 1% of 19.7; -80.4 -> -80.25: 0.15, under 1% of 19.75"


def a_multiple_knapsack(items: int = 120, rows: int = 12, seed: int = 1) -> highspy.HighsLp:
    """Binary items of random worth under twelve random knapsack rows, each a third of its items' weight: HiGHS
    proves it after about 2,500 nodes (1.6 s), far beyond its root's first cut rounds."""
    rng = np.random.default_rng(seed)
    weights = rng.integers(20, 60, size=(rows, items)).astype(float)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = items, rows
    lp.col_cost_ = -rng.integers(30, 80, size=items).astype(float)
    lp.col_lower_, lp.col_upper_ = np.zeros(items), np.ones(items)
    lp.row_lower_, lp.row_upper_ = np.full(rows, -INFINITY), weights.sum(axis=1) / 3
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.arange(0, rows * items + 1, rows, dtype=np.int32)
    lp.a_matrix_.index_ = np.tile(np.arange(rows, dtype=np.int32), items)
    lp.a_matrix_.value_ = weights.T.ravel().copy()
    lp.integrality_ = [highspy.HighsVarType.kInteger] * items
    return lp


@pytest.mark.parametrize("first_rounds", [True, False])
def test_a_block_s_milp_ends_before_its_optimum_with_a_valid_bound_when_its_bound_has_come(first_rounds: bool) -> None:
    """Given 60 s, HiGHS would prove the multiple knapsack; the lift ends it once its bound has come (after the root's
    first cut rounds, or once it stalls), unproved, with a bound between the LP value and the optimum."""
    lp = a_multiple_knapsack()
    optimum = highspy.Highs()
    optimum.setOptionValue("output_flag", False)
    optimum.passModel(lp)
    optimum.run()
    assert optimum.getModelStatus() == highspy.HighsModelStatus.kOptimal
    relaxation = highspy.Highs()
    relaxation.setOptionValue("output_flag", False)
    relaxation.passModel(lp)
    relaxation.setOptionValue("solve_relaxation", True)
    relaxation.run()
    bound, proved = milp_block_solve(lp, lp.col_cost_.copy(), 60.0, first_rounds=first_rounds)
    assert not proved
    lp_value = relaxation.getInfo().objective_function_value
    assert lp_value - 1e-6 <= bound <= optimum.getInfo().objective_function_value + 1e-6
