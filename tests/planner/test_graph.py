"""planner/graph.py on its own: co_migrate groups, precedence from requires, and systems blocked by what stays."""

from __future__ import annotations

from models.inventory import Inventory
from planner.graph import DependencyGraph, build_graph
from planner.policy import network_policies, system_policies
from tests.builders import inventory, network, pool, room, system


def graph_of(inv: Inventory) -> DependencyGraph:
    return build_graph(system_policies(inv), network_policies(inv))


def test_co_migrate_makes_one_group_with_the_pools_all_share() -> None:
    inv = inventory(
        [system("app", co_migrate=["db"], networks=["n1"]), system("db", cloud="p2", room="r2"), system("alone")],
        rooms=[room("r1"), room("r2")], networks=[network("n1")], clouds=[pool("p1"), pool("p2")],
    )
    graph = graph_of(inv)
    assert graph.group_of == {"app": "app", "db": "app", "alone": "alone"}
    group = graph.groups["app"]
    assert group.members == ("app", "db")
    assert group.pools == ("p2",)  # db is pinned to p2
    assert group.networks == ("n1",) and group.rooms == ("r1", "r2")
    assert group.department_counts == (("d1", 2),)


def test_requires_orders_groups_and_a_group_needs_no_order_with_itself() -> None:
    inv = inventory([system("web", requires=["api"]), system("api", requires=["db"], co_migrate=["db"]), system("db")])
    graph = graph_of(inv)
    assert graph.group_of["api"] == graph.group_of["db"] == "api"
    assert graph.precedence == (("api", "web"),)  # api (with db) moves no later than web


def test_blocks_propagate_through_partners_requirements_and_networks() -> None:
    inv = inventory(
        [
            system("secret", classified=True),
            system("partner", co_migrate=["secret"]),
            system("needs_partner", requires=["partner"]),
            system("behind_network", networks=["c"]),
            system("free"),
        ],
        networks=[network("c", classified=True)],
    )
    graph = graph_of(inv)
    assert graph.blocked == {
        "partner": "co_migrate partner secret stays: it moves once secret can (see secret's reason), "
                   "or drop the co_migrate link",
        "needs_partner": "requires partner, which stays: it moves once partner can, or drop partner from `requires`",
        "behind_network": "reached through network c, which stays (classified): give its users another way in and "
                          "take c out of `networks`, or mark it must_stay",
    }
    assert set(graph.groups) == {"free"}


def test_a_retiring_group_has_no_pools() -> None:
    graph = graph_of(inventory([system("old", retire=True)]))
    assert graph.groups["old"].retires_only


def test_a_group_with_no_common_pool_moves_as_parts_in_their_own_pools() -> None:
    """co_migrate means the same period, not the same pool: no error, two parts, each with its pool."""
    inv = inventory([system("a", cloud="p1", co_migrate=["b"]), system("b", cloud="p2")],
                    clouds=[pool("p1"), pool("p2")])
    group = graph_of(inv).groups["a"]
    assert [(part.id, part.members, part.pools) for part in group.parts] == [("a", ("a",), ("p1",)),
                                                                               ("b", ("b",), ("p2",))]


def test_a_retirement_waits_for_no_requirement_and_a_done_partner_links_no_one() -> None:
    inv = inventory([system("old", retire=True, requires=["secret"]), system("secret", classified=True),
                     system("x", co_migrate=["cloudy"]), system("y", co_migrate=["cloudy"]),
                     system("cloudy", state="cloud", current_cloud="p1", room=None, co_migrate=["x", "y"])])
    graph = graph_of(inv)
    assert graph.blocked == {}
    assert {"old", "x", "y"} <= set(graph.groups)
