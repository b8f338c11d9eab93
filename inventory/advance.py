"""The inventory as it stands once a plan has been carried out up to a quarter.

A new planning period (the 十五五 plan after the 2023-2025 one) starts from the city as the
earlier plan left it: systems it migrated are on their pools (``state: cloud``), those it
retired are retired, networks it migrated or interconnected are so, rooms it closed are
closed. Everything else is as it was; capacity entries stay (they add up from their start).
"""

from __future__ import annotations

from models.inventory import Inventory, Network, Room, System
from models.period import Period
from models.plan import Action, Plan


def advance(inventory: Inventory, plan: Plan, until: Period) -> Inventory:
    """``inventory`` with the dated actions of ``plan`` up to ``until`` (included) marked done."""
    done: dict[tuple[str, str], Action] = {
        (action.kind, action.id): action for action in plan.actions
        if action.period is not None and action.period <= until
    }

    def system(record: System) -> System:
        action = done.get(("system", record.id))
        if action is None:
            return record
        if action.action == "retire":
            return record.model_copy(update={"state": "retired"})
        # On a cloud now: it left its room; a DR copy is not recorded for systems already on a cloud.
        return record.model_copy(update={"state": "cloud", "current_cloud": action.target, "room": None})

    def network(record: Network) -> Network:
        action = done.get(("network", record.id))
        if action is None:
            return record
        return record.model_copy(update={"state": "migrated" if action.action == "migrate" else "interconnected"})

    def room(record: Room) -> Room:
        return record.model_copy(update={"state": "closed"}) if ("room", record.id) in done else record

    return inventory.model_copy(update={
        "systems": tuple(system(s) for s in inventory.systems),
        "networks": tuple(network(n) for n in inventory.networks),
        "rooms": tuple(room(r) for r in inventory.rooms),
    })
