"""Rebuild the bundled Xiangtan sample: inventory.yaml and the three scenarios, and print its totals.

Run from the repository root: ``python scenarios/xiangtan/make_sample.py``. Then, with the
baseline's plan, ``python scenarios/xiangtan/make_sample.py --after out/plan.json`` writes the
十五五 sample: inventory-2025.yaml (the city as that plan left it) and fifteenth-plan.yaml. Tune the
sizes with SYSTEMS, SEED and the factors in ``inventory.generate`` (HEADROOM,
CAPACITY_STEPS, BUDGET_SHARES, TIGHT_BUDGET_FACTOR).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from inventory.generate import TIGHT_BUDGET_FACTOR, baseline_scenario, generate, one_off_totals
from inventory.source import RawInventory
from inventory.validate import validate
from inventory.yamlio import write_document
from models.inventory import Inventory, System

HERE = Path(__file__).parent
SYSTEMS = 300
SEED = 2023
BASELINE_TIME_LIMIT_S = 180
"""The baseline is the scenario `make demo` solves to optimality; xinchuang-first needs more than 60 s too."""
XINCHUANG_FIRST_X86_DISKS_TB = 60.0
"""Disks the x86 pool gets in xinchuang-first: its largest x86-only system needs 90.5 TB, 33 more than is free."""
CHINESE_IDS = {"sys-renshe-1": "系统-社保", "sys-ybj-1": "系统-医保结算"}
"""A couple of Chinese ids, so that every consumer of the sample meets Unicode ids."""


def rename_systems(inventory: Inventory, renames: dict[str, str]) -> Inventory:
    def renamed(system: System) -> System:
        return system.model_copy(update={
            "id": renames.get(system.id, system.id),
            "requires": tuple(renames.get(other, other) for other in system.requires),
            "co_migrate": tuple(renames.get(other, other) for other in system.co_migrate),
        })

    return inventory.model_copy(update={"systems": tuple(renamed(s) for s in inventory.systems)})


def totals(inventory: Inventory) -> dict[str, Any]:
    """Demand of the in-scope systems against pool capacity per arch, for tuning the scenarios."""
    in_scope = [s for s in inventory.systems if not (s.classified or s.must_stay or s.retire)]
    demand: dict[str, float] = {}
    for system in in_scope:
        copies = 2 if system.dr == "active-active" else 1
        for field in ("vcpu", "memory_gb", "storage_tb"):
            demand[f"{system.arch}.{field}"] = demand.get(f"{system.arch}.{field}", 0) + getattr(system, field) * copies
    capacity: dict[str, float] = {}
    for pool in inventory.clouds:
        for amount in pool.capacity.values():
            for field in ("vcpu", "memory_gb", "storage_tb"):
                capacity[f"{pool.arch}.{field}"] = capacity.get(f"{pool.arch}.{field}", 0) + getattr(amount, field)
    return {"demand (by system arch, DR copies included)": demand, "capacity (by pool arch, all growth)": capacity,
            **one_off_totals(inventory)}


FIFTEENTH_PLAN_TARGETS: dict[str, Any] = {
    # Illustrative only: no 十五五 figures are published yet. The pace asks for what is left of the
    # programme in the plan's first two years (what must stay keeps the KPIs just under 100%);
    # complete_by leaves 2028-2030 for whatever the review adds.
    "cloud_adoption": {2026: 0.96},
    "room_consolidation": {2027: 0.94},
    "network_migration": {2026: 1.0},
    "soft": False,
    "complete_by": "2027Q4",
}


def fifteenth_plan(plan_path: Path) -> None:
    """The 十五五 sample: the city at the end of 2025 as the baseline plan left it, and a 2026-2030 scenario.

    The 2025 inventory gains what the city would add for the new plan: a second 医保 industry
    zone (which unblocks the system the baseline could not move) and pool growth in 2027.
    """
    from inventory.advance import advance
    from inventory.files import load_inventory
    from models.period import Period
    from planner.output import load_plan

    inventory, _ = load_inventory(HERE / "inventory.yaml")
    after = advance(inventory, load_plan(plan_path), Period.parse("2025Q4"))
    backup_zone = {
        "id": "yb-cloud-b", "name": "湖南医保行业云（异地灾备）", "kind": "industry", "arch": "x86", "mlps_max": 3,
        "industry": "ybj", "zone": "hn-yb-b", "vcpu_annual_cost_wan": 0.1,
        "capacity": {"2026Q1": {"vcpu": 64, "memory_gb": 256, "storage_tb": 40}},
    }
    document = after.to_document()
    document["clouds"].append(backup_zone)
    for pool in document["clouds"]:
        if pool["kind"] in ("city", "province"):
            first = min(pool["capacity"])
            pool["capacity"]["2027Q1"] = {field: round(value * 0.2) for field, value in pool["capacity"][first].items()}
    write_document(document, HERE / "inventory-2025.yaml")
    scenario = baseline_scenario(Inventory.model_validate(document), "inventory-2025.yaml", name="fifteenth-plan")
    scenario["description"] = ("十五五 (2026-2030), illustrative targets: the city as the 2023-2025 plan left it, "
                               "finishing what is left by 2027Q4")
    scenario["horizon"] = {"start": "2026Q1", "end": "2030Q4"}
    scenario["targets"] = FIFTEENTH_PLAN_TARGETS
    # Illustrative too: a standing team and a yearly budget for the new plan's own work.
    scenario["resources"] = {"team_days_per_period": 200, "budget_wan_per_year": {year: 500 for year in range(2026, 2031)},
                             "freeze": [], "max_cutovers_per_department_per_period": 4}
    write_document(scenario, HERE / "fifteenth-plan.yaml")


def main() -> None:
    inventory = rename_systems(generate(cities=1, systems_per_city=SYSTEMS, seed=SEED), CHINESE_IDS)
    document = inventory.to_document()
    _, warnings = validate(RawInventory("inventory.yaml", document))
    assert not warnings, warnings
    write_document(document, HERE / "inventory.yaml")
    baseline = baseline_scenario(inventory, "inventory.yaml")
    # Time enough to prove the 0.5% gap (70 to 110 s on a quiet 2-core machine); HiGHS stops there.
    baseline["solver"]["time_limit_s"] = BASELINE_TIME_LIMIT_S
    write_document(baseline, HERE / "baseline.yaml")
    tight = baseline_scenario(inventory, "inventory.yaml", name="tight-budget", budget_factor=TIGHT_BUDGET_FACTOR)
    tight["description"] = "Budget at a fraction of the one-off costs: the 2025 targets cannot be met"
    write_document(tight, HERE / "tight-budget.yaml")
    xinchuang = baseline_scenario(inventory, "inventory.yaml", name="xinchuang-first")
    xinchuang["description"] = ("New compute only in the 信创 pool: the x86 pool keeps its 2023Q1 vCPU and memory "
                                f"and gets {XINCHUANG_FIRST_X86_DISKS_TB:g} TB of disks in 2024Q2, so x86 systems "
                                "that cannot be adapted all fit")
    # In 60 s on a loaded machine HiGHS finds no complete plan yet; in 90 s it does.
    xinchuang["solver"]["time_limit_s"] = BASELINE_TIME_LIMIT_S
    x86 = inventory.cloud_by_id["xt-x86"]
    xc = inventory.cloud_by_id["xt-xc"]
    first = min(x86.capacity)
    grown = {str(period): amount.model_dump() for period, amount in xc.capacity.items()}
    for period, amount in x86.capacity.items():
        if period != first:
            target = grown.setdefault(str(period), {"vcpu": 0, "memory_gb": 0, "storage_tb": 0})
            for field, value in amount.model_dump().items():
                target[field] += value
    # 应迁尽迁 moves every x86 system that cannot be adapted; without these disks the largest of
    # them (sys-cgj-3, 90.5 TB) fits in no x86 pool. Disks only: x86 compute does not grow.
    x86_disks = {"vcpu": 0.0, "memory_gb": 0.0, "storage_tb": XINCHUANG_FIRST_X86_DISKS_TB}
    xinchuang["overrides"] = {"clouds": {
        "xt-x86": {"capacity": {str(first): x86.capacity[first].model_dump(), "2024Q2": x86_disks}},
        "xt-xc": {"capacity": grown},
    }}
    write_document(xinchuang, HERE / "xinchuang-first.yaml")
    for key, value in totals(inventory).items():
        print(f"{key}: {value}")
    print("baseline resources:", baseline["resources"])
    print("tight-budget budget:", tight["resources"]["budget_wan_per_year"])


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--after":
        fifteenth_plan(Path(sys.argv[2]))
    else:
        main()
