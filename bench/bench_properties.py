"""How often each constraint family binds in the cases the property tests draw.

Run: ``.venv/bin/python bench/bench_properties.py [--cases 200] [--time-limit 20]``. Draws
``--cases`` cases from ``tests/planner/test_properties.py``'s strategy (derandomized, so the
same cases each run), plans each with HiGHS as the tests do, and prints, per family, the
share of cases in which it binds: a limit used to 90% or more somewhere, a structure present
and acted on. A family that binds in few cases is one the properties barely test.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from models.inventory import Inventory  # noqa: E402
from models.plan import Plan  # noqa: E402
from models.scenario import Scenario  # noqa: E402
from planner.check import PlanFacts, dated_work, pool_uses  # noqa: E402
from tests.planner.test_properties import cases, solve  # noqa: E402

NEAR = 0.9
"""A limit binds where the plan uses at least this share of it."""


def binding_families(inventory: Inventory, scenario: Scenario, plan: Plan) -> set[str]:
    """The families that bind in this plan (see the module docstring)."""
    facts = PlanFacts.read(plan, scenario, inventory)
    found: set[str] = set()
    moved = {a.id: a for a in plan.actions if a.kind == "system" and a.action == "migrate"}
    if moved:
        found.add("migrates a system")
    if plan.status == "infeasible":
        found.add("infeasible (explained)")
    periods = scenario.periods
    for pool in inventory.clouds:
        uses = [use for use in pool_uses(facts) if use.pool_id == pool.id]
        for period in periods:
            for resource in ("vcpu", "memory_gb", "storage_tb"):
                capacity = sum(getattr(c, resource) for start, c in pool.capacity.items() if start <= period)
                used = sum(getattr(use, resource) for use in uses if use.since <= period)
                if capacity > 0 and used >= NEAR * capacity:
                    found.add("pool capacity")
    work = dated_work(facts)
    resources = scenario.resources
    if resources.team_days_per_period:
        by_period: dict[object, float] = defaultdict(float)
        for _object, period, days, _cost in work:
            by_period[period] += days
        if any(days >= NEAR * resources.team_days_per_period for days in by_period.values()):
            found.add("team days")
    if resources.budget_wan_per_year:
        by_year: dict[int, float] = defaultdict(float)
        for _object, period, _days, cost in work:
            by_year[period.year] += cost
        if any(by_year[year] >= NEAR * budget for year, budget in resources.budget_wan_per_year.items()):
            found.add("budget")
    if resources.max_cutovers_per_department_per_period is not None:
        cutovers = Counter((inventory.system_by_id[a.id].department, a.period) for a in plan.actions
                           if a.kind == "system" and a.period is not None)
        if cutovers and max(cutovers.values()) >= resources.max_cutovers_per_department_per_period:
            found.add("cutover cap")
    if resources.freeze:
        found.add("freeze")
    for system in inventory.systems:
        if system.co_migrate and system.id in moved:
            found.add("co_migrate")
        if system.must_stay:
            found.add("must_stay")
        if system.requires and system.id in moved:
            found.add("requires")
        if system.state == "cloud" and any(a.target == system.current_cloud for a in moved.values()):
            found.add("systems already on a cloud")
        if system.dr != "none" and system.id in moved:
            found.add("disaster recovery copy")
        if system.id in moved and inventory.cloud_by_id[moved[system.id].target or ""].industry is not None:
            found.add("industry pool")
    if len({inventory.system_by_id[sid].department for sid in moved}) >= 2:
        found.add("several departments")
    if any(n.must_keep and a.action == "interconnect" for n in inventory.networks for a in plan.actions if a.id == n.id):
        found.add("must_keep network")
    if any(a.kind == "room" and a.action == "close" for a in plan.actions):
        found.add("room closure")
    for kpi, floors in scenario.targets.floors().items():
        for year, floor in floors.items():
            end = max(p for p in periods if p.year == year)
            reached = next(getattr(row, kpi) for row in plan.kpis if row.period == end)
            if floor > 0 and reached <= floor + 0.05:
                found.add("KPI target")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200)
    options = parser.parse_args()
    counts: Counter[str] = Counter()
    drawn: list[int] = []
    started = time.perf_counter()

    @settings(max_examples=options.cases, deadline=None, derandomize=True, database=None,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(cases())
    def measure(case: tuple[Inventory, Scenario]) -> None:
        inventory, scenario = case
        counts.update(binding_families(inventory, scenario, solve(case)))
        drawn.append(1)

    measure()
    total = len(drawn)
    print(f"{total} cases in {time.perf_counter() - started:.0f} s; share of cases in which each family binds:")
    for family, count in sorted(counts.items(), key=lambda item: -item[1]):
        print(f"  {family:28} {count:4} / {total}  {count / total:6.1%}")


if __name__ == "__main__":
    main()
