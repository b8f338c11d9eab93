"""The inventory after a plan: what the plan did by a quarter is done, the rest is as it was."""

from __future__ import annotations

from inventory.advance import advance
from inventory.source import RawInventory
from inventory.validate import validate
from models.period import Period
from models.plan import Action, Plan
from tests.builders import inventory, network, room, system


def test_a_plan_carried_out_up_to_a_quarter() -> None:
    inv = inventory([system("a"), system("b", room="r2"), system("old", retire=True)],
                    rooms=[room("r1"), room("r2")], networks=[network("n1"), network("k", must_keep=True)])
    plan = Plan(scenario="s", inventory_sha256="-", status="optimal", objective_wan=0, kpis=(), actions=(
        Action(kind="system", id="a", action="migrate", target="p1", period=Period.parse("2024Q1")),
        Action(kind="system", id="b", action="migrate", target="p1", period=Period.parse("2025Q1")),
        Action(kind="system", id="old", action="retire", period=Period.parse("2024Q2")),
        Action(kind="network", id="n1", action="migrate", period=Period.parse("2024Q1")),
        Action(kind="network", id="k", action="interconnect", period=Period.parse("2024Q3")),
        Action(kind="room", id="r1", action="close", period=Period.parse("2024Q2")),
        Action(kind="room", id="r2", action="close", period=Period.parse("2025Q1")),
    ))
    after = advance(inv, plan, Period.parse("2024Q4"))
    systems = after.system_by_id
    assert (systems["a"].state, systems["a"].current_cloud, systems["a"].room) == ("cloud", "p1", None)
    assert systems["b"] == inv.system_by_id["b"]
    assert systems["old"].state == "retired"
    assert {n.id: n.state for n in after.networks} == {"n1": "migrated", "k": "interconnected"}
    assert {r.id: r.state for r in after.rooms} == {"r1": "closed", "r2": "open"}
    _, warnings = validate(RawInventory("after", after.to_document()))
    assert warnings == []
