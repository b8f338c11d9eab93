"""planner/api.py: which greedy plans the MILP's warm start and the greedy solver try."""

from __future__ import annotations

import pytest

import planner.api
from planner.api import greedy_as_plan, greedy_start
from planner.build import create_model
from planner.data import PlanningData, planning_data
from planner.greedy import ROOM_ORDERS, GreedyPlan, RoomOrder, greedy_plan
from planner.model import Elastic
from tests.builders import inventory, room, scenario, system


def _tried(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the room orders planner.api asks the greedy for."""
    tried: list[str] = []

    def recording(data: PlanningData, order: RoomOrder = "biggest") -> GreedyPlan:
        tried.append(order)
        return greedy_plan(data, order)

    monkeypatch.setattr(planner.api, "greedy_plan", recording)
    return tried


def test_the_warm_start_stops_at_the_thrifty_plan_when_it_breaks_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    inv = inventory([system("a"), system("b", room="r2")], rooms=[room("r1"), room("r2")])
    data = planning_data(inv, scenario(resources={"team_days_per_period": 5}))
    model = create_model(data, Elastic(targets=True))
    tried = _tried(monkeypatch)
    plan, values = greedy_start(data, model, 0.0, every_order=False)
    assert tried == ["thrifty"]
    assert not plan.violations and values


def test_the_greedy_solver_keeps_the_cheapest_of_every_order(monkeypatch: pytest.MonkeyPatch) -> None:
    """Floors only, closing r2 (1 万元 a year, 50 to close) does not pay: the thrifty plan, tried last, keeps it
    open and is the cheapest; the biggest-first plan closes it."""
    inv = inventory([system("a"), system("b", room="r2")],
                    rooms=[room("r1"), room("r2", annual_cost_wan=1, close_cost_wan=50)])
    data = planning_data(inv, scenario(targets={"complete_by": "off"}))
    model = create_model(data, Elastic(targets=True))
    costs = {order: greedy_as_plan(data, greedy_plan(data, order), model, 0.0)[0].objective_wan for order in ROOM_ORDERS}
    assert costs["thrifty"] < costs["biggest"]
    tried = _tried(monkeypatch)
    plan, _values = greedy_start(data, model, 0.0, every_order=True)
    assert tried == list(ROOM_ORDERS)
    assert plan.objective_wan == min(costs.values()) == costs["thrifty"]
