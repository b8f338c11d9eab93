"""The planning data: the inventory and scenario with every policy, group and period the model needs, computed once."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import cached_property

from models.inventory import CloudPool, Inventory, System
from models.period import Period
from models.plan import Plan, PlanWarning
from models.scenario import Scenario
from planner.graph import DependencyGraph, MoveGroup, MovePart, build_graph
from planner.policy import (
    KpiScope,
    NetworkPolicy,
    RoomPolicy,
    SystemPolicy,
    blocked_warnings,
    dr_pools,
    kpi_scope,
    network_policies,
    room_policies,
    system_effort_days,
    system_policies,
)

RETIRE = "(retire)"
"""Pseudo-pool of a group whose members all retire."""
RESOURCES: tuple[str, ...] = ("vcpu", "memory_gb", "storage_tb")


@dataclass(frozen=True)
class Commitments:
    """Decisions kept when re-planning: nothing else may happen up to ``frozen_until``."""

    frozen_until: Period | None = None
    moves: dict[str, tuple[str, Period]] = field(default_factory=dict)
    """Part -> (pool or RETIRE, period)."""
    networks: dict[str, Period] = field(default_factory=dict)
    rooms: dict[str, Period] = field(default_factory=dict)

    def is_frozen(self, period: Period) -> bool:
        return self.frozen_until is not None and period <= self.frozen_until


@dataclass(frozen=True)
class PlanningData:
    """Everything the model, the greedy planner and the reports read, in planning terms."""

    inventory: Inventory
    scenario: Scenario
    periods: tuple[Period, ...]
    active: tuple[Period, ...]
    """Periods that allow cutovers (not frozen)."""
    systems: dict[str, SystemPolicy]
    """System policies, with systems blocked by the graph turned into stays."""
    networks: dict[str, NetworkPolicy]
    rooms: dict[str, RoomPolicy]
    graph: DependencyGraph
    scope: KpiScope
    complete_by: Period | None
    """应迁尽迁: every eligible object is done by the end of this quarter; None when completion is off."""
    warnings: tuple[PlanWarning, ...]
    """Objects the inventory or the pools keep from moving (the plan's ``warnings``)."""
    year_end: dict[int, Period]
    """Year -> the last planned quarter of that year."""
    commitments: Commitments = field(default_factory=lambda: Commitments())
    """Re-planning: what an earlier plan did or committed up to its frozen period."""

    @property
    def groups(self) -> dict[str, MoveGroup]:
        return self.graph.groups

    def pool(self, pool_id: str) -> CloudPool:
        return self.inventory.cloud_by_id[pool_id]

    @cached_property
    def parts(self) -> dict[str, MovePart]:
        """Part id -> part: the units of placement, each into one pool (or retiring)."""
        return self.graph.parts

    @cached_property
    def part_of(self) -> dict[str, str]:
        """Migrating system id -> its part id."""
        return self.graph.part_of

    def region_of_group(self, group_id: str) -> str:
        """The region of the department of the group's first member (a department without one is the inventory's)."""
        department = self.inventory.department_by_id.get(self.systems[group_id].system.department)
        return department.region if department is not None and department.region else self.inventory.region

    def part_options(self, part: MovePart) -> tuple[str, ...]:
        return part.pools if part.pools else (RETIRE,)

    def migrating(self, group: MoveGroup) -> list[System]:
        return [self.systems[s].system for s in group.members if self.systems[s].fate == "migrate"]

    def part_systems(self, part: MovePart) -> list[System]:
        return [self.systems[s].system for s in part.members]

    def part_effort(self, part: MovePart, pool_id: str) -> float:
        known = self._part_efforts.get((part.id, pool_id))
        if known is None:
            pool = None if pool_id == RETIRE else self.pool(pool_id)
            known = self._part_efforts[part.id, pool_id] = sum(system_effort_days(system, pool)
                                                                for system in self.part_systems(part))
        return known

    @cached_property
    def _part_efforts(self) -> dict[tuple[str, str], float]:
        # Filled as asked: a province's guided greedy asks half a million times.
        return {}

    def part_cost(self, part: MovePart) -> float:
        return sum(system.migration_cost_wan for system in self.part_systems(part))

    def part_size(self, part: MovePart, resource: str) -> float:
        known = self._part_sizes.get((part.id, resource))
        if known is None:
            known = self._part_sizes[part.id, resource] = sum(getattr(system, resource) for system in self.part_systems(part))
        return known

    @cached_property
    def _part_sizes(self) -> dict[tuple[str, str], float]:
        # Filled as asked: a province's guided greedy asks a million and a half times.
        return {}

    def group_cost(self, group: MoveGroup) -> float:
        return sum(system.migration_cost_wan for system in self.migrating(group))

    def group_size(self, group: MoveGroup, resource: str) -> float:
        return sum(getattr(system, resource) for system in self.migrating(group))

    def group_kpi_weight(self, group: MoveGroup) -> int:
        """How many of its members count towards cloud_adoption once the group has moved."""
        return self._kpi_weights[group.id]

    @cached_property
    def predecessors(self) -> dict[str, tuple[str, ...]]:
        """Group -> the groups it requires (precedence), for lookups without scanning every edge."""
        found: dict[str, list[str]] = defaultdict(list)
        for earlier, later in self.graph.precedence:
            found[later].append(earlier)
        return {gid: tuple(earlier) for gid, earlier in found.items()}

    @cached_property
    def _kpi_weights(self) -> dict[str, int]:
        # Computed once: the greedy planner asks for every moved group's weight after each move.
        return {
            gid: sum(1 for sid in group.members
                     if not self.systems[sid].system.classified and self.scope.counts_system(self.systems[sid].fate))
            for gid, group in self.groups.items()
        }

    def network_effort(self, network_id: str) -> float:
        """Team days of a network's cutover: its migration, or its interconnection when it must be kept."""
        policy = self.networks[network_id]
        network = policy.network
        return network.migration_effort_days if policy.fate == "migrate" else network.interconnect_effort_days

    def network_cost(self, network_id: str) -> float:
        policy = self.networks[network_id]
        network = policy.network
        return network.migration_cost_wan if policy.fate == "migrate" else network.interconnect_cost_wan

    def dr_options(self, system: System, pool_id: str) -> list[str]:
        return [pool.id for pool in dr_pools(system, self.pool(pool_id), self.inventory)]

    def capacity(self, pool_id: str, resource: str, period: Period) -> float:
        """Cumulative capacity of a pool at a period: every entry from that period or earlier."""
        known = self._capacity.get((pool_id, resource, period))
        if known is not None:
            return known
        return sum(getattr(cap, resource) for start, cap in self.pool(pool_id).capacity.items() if start <= period)

    @cached_property
    def _capacity(self) -> dict[tuple[str, str, Period], float]:
        # Computed once for the horizon: a province's guided greedy asks 1.7 million times (a third of its time).
        return {(pool_id, resource, period): sum(getattr(cap, resource) for start, cap in pool.capacity.items()
                                                 if start <= period)
                for pool_id, pool in self.inventory.cloud_by_id.items() for resource in RESOURCES
                for period in self.periods}

    def existing_use(self, pool_id: str, resource: str) -> float:
        """What already runs in a pool before the horizon (systems with state cloud there)."""
        return self._existing_use.get((pool_id, resource), 0.0)

    @cached_property
    def _existing_use(self) -> dict[tuple[str, str], float]:
        # Computed once: a province's greedy plan asks about 100,000 times.
        totals: dict[tuple[str, str], float] = defaultdict(float)
        for system in self.inventory.systems:
            if system.state == "cloud" and system.current_cloud is not None:
                for resource in RESOURCES:
                    totals[system.current_cloud, resource] += getattr(system, resource)
        return dict(totals)

    def bandwidth(self, period: Period) -> float:
        return sum(mbps for start, mbps in self.inventory.extranet.bandwidth_mbps.items() if start <= period)

    def existing_bandwidth(self) -> float:
        return sum(n.bandwidth_mbps for n in self.inventory.networks if n.state == "migrated")

    def floor_count(self, kpi: str, year: int) -> int:
        """Objects that must count towards ``kpi`` at the end of ``year``: ceil(floor x total)."""
        floor = self.scenario.targets.floors()[kpi][year]
        total = {"room_consolidation": self.scope.rooms_total, "network_migration": self.scope.networks_total,
                 "cloud_adoption": self.scope.systems_total}[kpi]
        return math.ceil(floor * total - 1e-9)

    def kpi_total(self, kpi: str) -> int:
        return {"room_consolidation": self.scope.rooms_total, "network_migration": self.scope.networks_total,
                "cloud_adoption": self.scope.systems_total}[kpi]

    def kpi_done(self, kpi: str) -> int:
        return {"room_consolidation": self.scope.rooms_done, "network_migration": self.scope.networks_done,
                "cloud_adoption": self.scope.systems_done}[kpi]


def planning_data(inventory: Inventory, scenario: Scenario, previous: Plan | None = None,
                  frozen_until: Period | None = None) -> PlanningData:
    """Apply policy, build the dependency graph and derive every index set.

    With a previous plan and ``frozen_until``, what that plan did up to then is kept
    (objects the inventory now reports done are simply done).
    """
    periods = tuple(scenario.periods)
    frozen = set(scenario.resources.freeze)
    systems = system_policies(inventory)
    networks = network_policies(inventory)
    graph = build_graph(systems, networks)
    for sid, reason in graph.blocked.items():
        systems[sid] = SystemPolicy(systems[sid].system, "stay", reason=reason, blocked=True)
    rooms = room_policies(inventory, systems)
    year_end: dict[int, Period] = {}
    for period in periods:
        year_end[period.year] = period
    data = PlanningData(
        inventory=inventory,
        scenario=scenario,
        periods=periods,
        active=tuple(p for p in periods if p not in frozen),
        systems=systems,
        networks=networks,
        rooms=rooms,
        graph=graph,
        scope=kpi_scope(inventory, scenario.kpi),
        complete_by=scenario.complete_by,
        warnings=tuple(blocked_warnings(systems, rooms)),
        year_end=year_end,
    )
    if frozen_until is None:
        return data
    return replace(data, commitments=_commitments(data, previous, frozen_until))


def _commitments(data: PlanningData, previous: Plan | None, frozen_until: Period) -> Commitments:
    moves: dict[str, tuple[str, Period]] = {}
    networks: dict[str, Period] = {}
    rooms: dict[str, Period] = {}
    for action in previous.actions if previous is not None else ():
        if action.period is None or action.period > frozen_until:
            continue
        if action.kind == "system" and action.id in data.graph.group_of:
            group = data.groups[data.graph.group_of[action.id]]
            part = data.part_of.get(action.id)
            if action.action == "migrate" and action.target and part is not None:
                moves.setdefault(part, (action.target, action.period))
            elif group.retires_only:
                moves.setdefault(group.parts[0].id, (RETIRE, action.period))
        elif action.kind == "network" and data.networks.get(action.id) and data.networks[action.id].fate in ("migrate", "interconnect"):
            networks[action.id] = action.period
        elif action.kind == "room" and data.rooms.get(action.id) and data.rooms[action.id].fate == "close":
            rooms[action.id] = action.period
    return Commitments(frozen_until, moves, networks, rooms)
