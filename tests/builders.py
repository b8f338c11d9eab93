"""Small inventories and scenarios built in code, for tests whose optimum is argued by hand."""

from __future__ import annotations

from typing import Any

from models.inventory import Inventory
from models.scenario import Scenario
from planner.scenario_file import LoadedScenario


def department(id: str = "d1", **fields: Any) -> dict[str, Any]:
    return {"id": id, "name": f"Dept {id}", "region": "湘潭市", **fields}


def room(id: str = "r1", **fields: Any) -> dict[str, Any]:
    return {"id": id, "name": f"Room {id}", "department": "d1", "annual_cost_wan": 40, "close_cost_wan": 5, **fields}


def network(id: str = "n1", **fields: Any) -> dict[str, Any]:
    return {"id": id, "name": f"Net {id}", "department": "d1", "bandwidth_mbps": 10, "annual_cost_wan": 8,
            "migration_effort_days": 5, "migration_cost_wan": 2, **fields}


def system(id: str, **fields: Any) -> dict[str, Any]:
    return {"id": id, "name": f"System {id}", "department": "d1", "room": "r1", "mlps_level": 2, "vcpu": 8,
            "memory_gb": 16, "storage_tb": 1, "effort_days": 5, "migration_cost_wan": 3, **fields}


def pool(id: str, **fields: Any) -> dict[str, Any]:
    return {"id": id, "name": f"Pool {id}", "kind": "city", "arch": "x86", "mlps_max": 3, "zone": f"zone-{id}",
            "capacity": {"2024Q1": {"vcpu": 100, "memory_gb": 400, "storage_tb": 20}}, "vcpu_annual_cost_wan": 0.1,
            **fields}


def inventory(systems: list[dict[str, Any]], *, rooms: list[dict[str, Any]] | None = None,
              networks: list[dict[str, Any]] | None = None, clouds: list[dict[str, Any]] | None = None,
              departments: list[dict[str, Any]] | None = None, bandwidth: float = 100) -> Inventory:
    return Inventory.model_validate({
        "region": "湘潭市",
        "departments": departments or [department()],
        "rooms": rooms if rooms is not None else [room()],
        "networks": networks or [],
        "systems": systems,
        "clouds": clouds if clouds is not None else [pool("p1")],
        "extranet": {"bandwidth_mbps": {"2024Q1": bandwidth}},
    })


def scenario(**fields: Any) -> Scenario:
    document: dict[str, Any] = {"name": "micro", "inventory": "unused.yaml",
                                "horizon": {"start": "2024Q1", "end": "2024Q4"}}
    document.update(fields)
    return Scenario.model_validate(document)


def loaded(inv: Inventory, scn: Scenario) -> LoadedScenario:
    from pathlib import Path

    return LoadedScenario(scn, inv, Path("micro.yaml"))
