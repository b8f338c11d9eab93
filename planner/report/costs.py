"""What the plan costs, for decision makers: one-off against running, per department, against staying
on premises, over the horizon and per year after it.

The horizon figures split ``min_cost`` exactly (one-off costs in the horizon plus running costs, by
the checker's own reading of the plan), so the departments add up to the plan's cost. "Staying on
premises" is the same inventory with no action at all: every room and private network keeps running
and paying, and only systems already on a cloud pay a pool. "Per year after" is the running cost of
a year once the horizon is over: rooms still open, networks not migrated, systems on a cloud.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from models.plan import Plan
from planner.check import PlanFacts
from planner.data import PlanningData


@dataclass(frozen=True)
class DepartmentCost:
    """One department's costs, 万元."""

    department: str
    one_off_wan: float = 0.0
    """Migrations, interconnections and closures in the horizon."""
    running_wan: float = 0.0
    """Running costs over the horizon, with the plan."""
    stay_wan: float = 0.0
    """Running costs over the horizon if nothing moves."""
    yearly_after_wan: float = 0.0
    """Running cost per year after the horizon, with the plan."""
    yearly_stay_wan: float = 0.0
    """Running cost per year if nothing moves."""

    @property
    def total_wan(self) -> float:
        return self.one_off_wan + self.running_wan

    @property
    def saving_wan(self) -> float:
        """Against staying on premises, over the horizon (negative: the plan costs more in the horizon)."""
        return self.stay_wan - self.total_wan

    @property
    def yearly_saving_wan(self) -> float:
        return self.yearly_stay_wan - self.yearly_after_wan

    def plus(self, other: DepartmentCost, department: str) -> DepartmentCost:
        return DepartmentCost(department, self.one_off_wan + other.one_off_wan, self.running_wan + other.running_wan,
                              self.stay_wan + other.stay_wan, self.yearly_after_wan + other.yearly_after_wan,
                              self.yearly_stay_wan + other.yearly_stay_wan)


def cost_by_department(plan: Plan, data: PlanningData) -> dict[str, DepartmentCost]:
    """Every department's costs, in inventory order; departments with no cost at all are left out."""
    facts = PlanFacts.read(plan, data.scenario, data.inventory)
    inventory = data.inventory
    quarters = len(facts.periods)
    one_off: dict[str, float] = defaultdict(float)
    running: dict[str, float] = defaultdict(float)
    stay: dict[str, float] = defaultdict(float)
    after: dict[str, float] = defaultdict(float)
    yearly_stay: dict[str, float] = defaultdict(float)

    def quarters_before(moment: object) -> int:
        return sum(1 for period in facts.periods if moment is None or period < moment)  # type: ignore[operator]

    def dated(moment: object) -> bool:
        return moment is not None and moment != facts.before_horizon and facts.in_horizon(moment)  # type: ignore[arg-type]

    for room in inventory.rooms:
        closed = facts.closed_from.get(room.id)
        running[room.department] += room.annual_cost_wan / 4 * quarters_before(closed)
        if dated(closed):
            one_off[room.department] += room.close_cost_wan
        if closed is None:
            after[room.department] += room.annual_cost_wan
        if room.state != "closed":
            stay[room.department] += room.annual_cost_wan / 4 * quarters
            yearly_stay[room.department] += room.annual_cost_wan
    for network in inventory.networks:
        migrated = facts.migrated_from.get(network.id)
        interconnected = facts.interconnected_from.get(network.id)
        running[network.department] += network.annual_cost_wan / 4 * quarters_before(migrated)
        if dated(migrated):
            one_off[network.department] += network.migration_cost_wan
        if dated(interconnected):
            one_off[network.department] += network.interconnect_cost_wan
        if migrated is None:
            after[network.department] += network.annual_cost_wan
        if network.state != "migrated":
            stay[network.department] += network.annual_cost_wan / 4 * quarters
            yearly_stay[network.department] += network.annual_cost_wan
    for system in inventory.systems:
        if system.state == "cloud" and system.current_cloud in inventory.cloud_by_id:
            yearly = system.vcpu * inventory.cloud_by_id[system.current_cloud].vcpu_annual_cost_wan
            for amounts in (after, yearly_stay):
                amounts[system.department] += yearly
            for amounts in (running, stay):
                amounts[system.department] += yearly / 4 * quarters
    for system_id, placement in facts.placements.items():
        system = inventory.system_by_id[system_id]
        rate = placement.pool.vcpu_annual_cost_wan
        if system.dr == "active-active" and placement.dr_pool is not None:
            rate += placement.dr_pool.vcpu_annual_cost_wan
        running[system.department] += system.vcpu * rate / 4 * sum(1 for p in facts.periods if p >= placement.period)
        after[system.department] += system.vcpu * rate
        if dated(placement.period):
            one_off[system.department] += system.migration_cost_wan
    departments = [department.id for department in inventory.departments]
    departments += sorted({*one_off, *running, *stay} - set(departments))
    return {
        department: DepartmentCost(department, one_off[department], running[department], stay[department],
                                   after[department], yearly_stay[department])
        for department in departments
        if any(amounts[department] for amounts in (one_off, running, stay, after, yearly_stay))
    }


def total_cost(costs: dict[str, DepartmentCost]) -> DepartmentCost:
    total = DepartmentCost("")
    for cost in costs.values():
        total = total.plus(cost, "")
    return total
