"""The greedy baseline: what an engineer does by hand.

Rooms are emptied biggest first (by annual cost), or, as a second try, those whose
systems have the fewest pool choices first; each move group goes in the
earliest quarter where its requirements and networks are ready and the cheapest
eligible pool still has room, the team has days, the year has budget and the
department is under its cutover cap. Networks are cut over just in time for the
systems that need them; a room closes once its last system has left. What is
left (systems outside closable rooms, networks nobody waits for) then moves
earliest first. It is the warm start of the MILP and its yardstick in benchmarks.

Given a :class:`Guide` (the schedule of an LP solution), the same engineer takes rooms and networks
in the order the schedule finishes them and each part into the pool it prefers: the searches
(planner/search.py) turn the LP relaxation into a plan this way in seconds.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Literal

import networkx as nx
import numpy as np

from models.period import Period
from planner.data import RESOURCES, RETIRE, PlanningData
from planner.graph import MoveGroup, MovePart
from planner.model import Model

EPSILON = 1e-9


@dataclass
class GreedyPlan:
    """Decisions of the greedy planner, in the model's terms."""

    moves: dict[str, Period] = field(default_factory=dict)
    """Group -> the period it moves in."""
    pools: dict[str, str] = field(default_factory=dict)
    """Part -> its pool, or RETIRE."""
    copies: dict[str, str] = field(default_factory=dict)
    """DR system -> pool of its copy."""
    networks: dict[str, Period] = field(default_factory=dict)
    rooms: dict[str, Period] = field(default_factory=dict)

    def copy(self) -> GreedyPlan:
        return GreedyPlan(dict(self.moves), dict(self.pools), dict(self.copies), dict(self.networks), dict(self.rooms))

    def restore(self, saved: GreedyPlan) -> None:
        self.moves, self.pools, self.copies = saved.moves, saved.pools, saved.copies
        self.networks, self.rooms = saved.networks, saved.rooms


class _Ledger:
    """What the plan so far uses of every limit, to test a move before taking it."""

    def __init__(self, data: PlanningData, preferred: dict[str, str] | None = None) -> None:
        self.data = data
        self.preferred = preferred or {}
        """Part -> the pool it tries first (a :class:`Guide`'s)."""
        self.headroom: dict[tuple[str, str], list[float]] = {
            (pool, r): [data.capacity(pool, r, p) - data.existing_use(pool, r) for p in data.periods]
            for pool in data.inventory.cloud_by_id for r in RESOURCES}
        """Per pool and resource, what is left of it in each period (by position in ``data.periods``): a move
        taken in t uses its pool from t on, so a test is the least of a slice (a province's guided greedy asks
        half a million times; a table by pool, resource and period spent most of that time hashing keys)."""
        self.days: dict[Period, float] = defaultdict(float)
        self.spent: dict[int, float] = defaultdict(float)
        self.cutovers: dict[tuple[str, Period], int] = defaultdict(int)
        self.bandwidth: dict[Period, float] = defaultdict(float)
        resources = data.scenario.resources
        self.team_days = resources.team_days_per_period
        self.budget = resources.budget_wan_per_year
        self.cap = resources.max_cutovers_per_department_per_period
        self.closed_until: Period | None = None
        """Re-planning: no new decision up to this period."""
        self._position = {t: i for i, t in enumerate(data.periods)}
        self._needs: dict[str, dict[str, float]] = {}
        self.claimed: dict[tuple[str, str], float] = defaultdict(float)
        """Per pool and resource, what unplaced parts that can use only this pool still need: others leave it to them."""
        self.reserving = data.complete_by is not None
        """Whether a part with other choices, or a DR copy, is refused a pool it would crowd (see :meth:`crowds`):
        under the completion rule, where every single-choice part must move too. Lifted for the last pass, once
        the parts the reserve was kept for have had their turn. Floors only, crowding pools are merely tried last."""
        for part in data.parts.values():
            if len(part.pools) == 1:
                for resource in RESOURCES:
                    self.claimed[part.pools[0], resource] += data.part_size(part, resource)

    def need(self, part: MovePart) -> dict[str, float]:
        """What the part takes of each resource of its pool (not to be changed: it is kept for the next ask)."""
        known = self._needs.get(part.id)
        if known is None:
            known = self._needs[part.id] = {r: self.data.part_size(part, r) for r in RESOURCES}
        return known

    def crowds(self, pool: str, need: dict[str, float]) -> bool:
        """Whether taking ``need`` from ``pool`` leaves less of some resource than the unplaced single-choice parts claim."""
        return any(
            self.headroom[pool, r][-1] - need.get(r, 0.0) < self.claimed[pool, r] - EPSILON
            for r in RESOURCES if self.claimed[pool, r] > 0
        )

    def pressure(self, pool: str) -> float:
        """Share of a pool's final vCPU that groups with no other choice still claim."""
        final = self.data.capacity(pool, "vcpu", self.data.periods[-1]) - self.data.existing_use(pool, "vcpu")
        return self.claimed[pool, "vcpu"] / final if final > 0 else 1.0

    def open_periods(self) -> list[Period]:
        """Periods that allow a new cutover."""
        return [t for t in self.data.active if self.closed_until is None or t > self.closed_until]

    def _tables(self) -> tuple[dict, ...]:
        """Everything a move changes but the headroom: a rolled-back attempt restores all of it (the claims too,
        or they stay understated)."""
        return self.days, self.spent, self.cutovers, self.bandwidth, self.claimed

    def snapshot(self) -> tuple[tuple[dict, ...], dict[tuple[str, str], list[float]]]:
        return tuple(dict(table) for table in self._tables()), {key: list(left) for key, left in self.headroom.items()}

    def restore(self, saved: tuple[tuple[dict, ...], dict[tuple[str, str], list[float]]]) -> None:
        tables, headroom = saved
        for table, copy in zip(self._tables(), tables, strict=True):
            table.clear()
            table.update(copy)
        # Copied, as the other tables are: the snapshot stays as it was taken, whatever the ledger does next.
        self.headroom = {key: list(left) for key, left in headroom.items()}

    def _first(self, t: Period) -> int:
        """Position in ``data.periods`` of the first period from ``t`` on (looked up: a province's greedy asks a
        hundred thousand times)."""
        known = self._position.get(t)
        return known if known is not None else sum(1 for p in self.data.periods if p < t)

    def later(self, t: Period) -> tuple[Period, ...]:
        """The periods from ``t`` on."""
        return self.data.periods[self._first(t):]

    def pool_fits(self, pool: str, need: dict[str, float], t: Period) -> bool:
        first = self._first(t)
        return all(amount <= min(self.headroom[pool, r][first:], default=np.inf) + EPSILON
                   for r, amount in need.items() if amount)

    def take_pool(self, pool: str, need: dict[str, float], t: Period) -> None:
        first = self._first(t)
        for r, amount in need.items():
            left = self.headroom[pool, r]
            for i in range(first, len(left)):
                left[i] -= amount

    def fits(self, t: Period, days: float, cost: float) -> bool:
        if self.team_days is not None and self.days[t] + days > self.team_days + EPSILON:
            return False
        budget = self.budget.get(t.year)
        return budget is None or self.spent[t.year] + cost <= budget + EPSILON

    def take(self, t: Period, days: float, cost: float) -> None:
        self.days[t] += days
        self.spent[t.year] += cost


RoomOrder = Literal["biggest", "fewest-choices", "thrifty"]
ROOM_ORDERS: tuple[RoomOrder, ...] = ("biggest", "fewest-choices", "thrifty")


@dataclass(frozen=True)
class Guide:
    """When a schedule (the LP relaxation's) does each thing: the greedy takes rooms and networks in that order.

    The greedy alone empties rooms in an order of thumb: on the bundled city its rooms close late (11 of
    54 in the first quarter where the optimum closes 23) and it costs 19% above the bound. The LP relaxation
    knows which rooms and networks pay to finish first under the team days and the budget; taken in its
    order, each move still placed by the greedy's own tests, the plan follows it where the limits allow.
    """

    rooms: dict[str, float]
    """Closable room -> the quarters the schedule keeps it open (sum over quarters of 1 - closed by then)."""
    networks: dict[str, float]
    """Network to migrate or interconnect -> the quarters the schedule leaves it as it is."""
    pools: dict[str, str]
    """Part -> the pool the schedule moves most of it into: tried first (the cheapest in running cost may
    cost adaptation days the team does not have)."""
    first: frozenset[str] = frozenset()
    """Groups that go before the schedule, each as early as it fits: those an earlier try left undone."""


def greedy_plan(data: PlanningData, room_order: RoomOrder = "biggest", guide: Guide | None = None) -> GreedyPlan:
    """Rooms biggest first (by annual cost), or those holding the systems with the fewest pool choices first.

    ``thrifty`` is the careful engineer: rooms whose closure saves the most first, and only
    as many rooms, systems and networks as pay for themselves or the targets need.
    With a ``guide``, rooms and networks go in the order it finishes them (``room_order`` breaking ties)
    and the groups that are hard to place get no turn of their own: moved first, each as early as it
    fits, they took the team days of the rooms the guide closes first (bundled city: 12,099 万元 with
    that turn, 11,029 without). Only the guide's ``first`` go first: see :func:`follow_guide`.
    """
    plan = GreedyPlan()
    ledger = _Ledger(data, guide.pools if guide is not None else {})
    _keep_commitments(data, ledger, plan)
    order = _group_order(data)
    position = {gid: i for i, gid in enumerate(order)}
    groups_by_room: dict[str, list[str]] = defaultdict(list)
    for gid in order:
        for room in data.groups[gid].rooms:
            groups_by_room[room].append(gid)

    def room_key(room: str) -> tuple[float, float, str]:
        if room_order == "thrifty":
            return (-_closure_saving(data, groups_by_room[room], room), 0.0, room)
        choices = 0
        if room_order == "fewest-choices":
            choices = min((len(data.groups[g].pools) for g in groups_by_room[room] if data.groups[g].pools), default=99)
        return (choices, -data.rooms[room].room.annual_cost_wan, room)

    # With the completion rule every eligible object moves: the thrifty engineer only chooses the order.
    thrifty = room_order == "thrifty" and data.complete_by is None
    rooms = sorted((r for r, p in data.rooms.items() if p.fate == "close"), key=room_key)
    rooms_needed = _still_needed(data, "room_consolidation")
    if guide is not None:
        for gid in [g for g in order if g in guide.first]:
            for needed in _with_prerequisites(data, [gid], position):
                _move_group(data, ledger, plan, needed)
    elif data.complete_by is not None:
        # Everything moves: the groups with the fewest homes go first, before cheaper-minded moves
        # fill the pools they depend on (the provincial pools hold every 等保 4 system and most DR copies).
        # Fewest first among them too: a province's active-active copies would otherwise fill the one
        # pool its HPC-pinned systems can use before their turn comes.
        hard = sorted((gid for gid in order if _hard_to_place(data, data.groups[gid])),
                      key=lambda gid: (_fewest_pools(data.groups[gid]), position[gid]))
        for gid in hard:
            for needed in _with_prerequisites(data, [gid], position):
                _move_group(data, ledger, plan, needed)
    schedule = [("room", room) for room in rooms]
    if guide is not None:
        # Networks too: cut over only when a group waits for them, they stayed dear long after the guide's quarter.
        finished = {"room": guide.rooms, "network": guide.networks}
        schedule += [("network", k) for k in guide.networks]
        schedule.sort(key=lambda item: finished[item[0]].get(item[1], np.inf))
    for kind, room in schedule:
        if kind == "network":
            if room not in plan.networks:
                _cut_over_network(data, ledger, plan, room)
            continue
        if room in plan.rooms:
            continue
        if thrifty and len(plan.rooms) >= rooms_needed and _closure_saving(data, groups_by_room[room], room) <= 0:
            continue
        # An engineer empties a room completely or leaves it for later: moving half of it
        # spends capacity and budget that another room could have been closed with.
        saved_ledger, saved_plan = ledger.snapshot(), plan.copy()
        closed = _empty_and_close(data, ledger, plan, room, groups_by_room[room], position)
        if closed is None:
            ledger.restore(saved_ledger)
            plan.restore(saved_plan)
            continue
        if guide is None:
            continue
        # Just in time: the room closes when its last group leaves, so the others need not leave earlier and take
        # the team days and budget of quarters another room could close in (each group from that quarter back).
        # Following a guide only: bundled city 11,227 -> 11,031 万元; the plain orders gain 1 to 3% on the city,
        # but on a 4,200-system province they then leave groups that their last quarters have no room for.
        early_ledger, early_plan = ledger.snapshot(), plan.copy()
        ledger.restore(saved_ledger)
        plan.restore(saved_plan)
        if _empty_and_close(data, ledger, plan, room, groups_by_room[room], position, by=closed) != closed:
            ledger.restore(early_ledger)
            plan.restore(early_plan)
    systems_needed = _still_needed(data, "cloud_adoption")
    # The second pass lifts the reserve: a pool kept for single-choice parts that could not move anyway is free to all.
    for reserving in (ledger.reserving, False):
        ledger.reserving = reserving
        counted = sum(data.group_kpi_weight(data.groups[g]) for g in plan.moves)
        for gid in order:
            if thrifty and counted >= systems_needed:
                break
            if gid not in plan.moves:
                _move_group(data, ledger, plan, gid)
                counted += data.group_kpi_weight(data.groups[gid]) if gid in plan.moves else 0
    networks_needed = _still_needed(data, "network_migration")
    for k, policy in data.networks.items():
        counted = sum(1 for n in plan.networks if data.scope.counts_network(data.networks[n].fate))
        if thrifty and counted >= networks_needed:
            break
        if policy.fate in ("migrate", "interconnect") and k not in plan.networks:
            _cut_over_network(data, ledger, plan, k)
    if data.complete_by is not None:
        # Rooms emptied by the moves after the room pass close too: every eligible room closes.
        for room in rooms:
            leaving = [plan.moves.get(gid) for gid in groups_by_room[room]]
            if room not in plan.rooms and all(leaving):
                _close_room(data, ledger, plan, room, max((m for m in leaving if m), default=data.active[0]))
    return plan


def _hard_to_place(data: PlanningData, group: MoveGroup) -> bool:
    """A group some part of which has at most two pools, or a member with an active-active copy."""
    return any(0 < len(part.pools) <= 2 for part in group.parts) or any(
        system.dr == "active-active" for system in data.migrating(group))


def _fewest_pools(group: MoveGroup) -> int:
    """The fewest pools any part of the group may use (retiring parts aside)."""
    return min((len(part.pools) for part in group.parts if part.pools), default=0)


def _still_needed(data: PlanningData, kpi: str) -> int:
    """Objects the plan must add to meet the highest floor of ``kpi``."""
    floors = data.scenario.targets.floors()[kpi]
    return max((data.floor_count(kpi, year) - data.kpi_done(kpi) for year in floors), default=0)


def _closure_saving(data: PlanningData, groups: list[str], room: str) -> float:
    """Rent saved by closing a room in the first open quarter, less what emptying it costs over the horizon."""
    quarters = len(data.periods)
    saving = data.rooms[room].room.annual_cost_wan / 4 * quarters - data.rooms[room].room.close_cost_wan
    for gid in groups:
        group = data.groups[gid]
        for part in group.parts:
            rate = min((data.pool(p).vcpu_annual_cost_wan for p in part.pools), default=0.0)
            saving -= data.part_cost(part) + rate / 4 * data.part_size(part, "vcpu") * quarters
    return saving


def _keep_commitments(data: PlanningData, ledger: _Ledger, plan: GreedyPlan) -> None:
    """Re-planning: take what the previous plan did up to its frozen period, and nothing new before then."""
    commitments = data.commitments
    for uid, (pool, t) in commitments.moves.items():
        part = data.parts[uid]
        ledger.take(t, data.part_effort(part, pool), data.part_cost(part))
        if pool != RETIRE:
            ledger.take_pool(pool, ledger.need(part), t)
        plan.pools[uid] = pool
        plan.moves[part.group] = t
    for k, t in commitments.networks.items():
        _take_network(data, ledger, plan, k, t)
    for room, t in commitments.rooms.items():
        ledger.take(t, 0.0, data.rooms[room].room.close_cost_wan)
        plan.rooms[room] = t
    ledger.closed_until = commitments.frozen_until


def _group_order(data: PlanningData) -> list[str]:
    graph = nx.DiGraph()
    graph.add_nodes_from(sorted(data.groups))
    graph.add_edges_from(data.graph.precedence)
    return list(nx.lexicographical_topological_sort(graph))


def _with_prerequisites(data: PlanningData, groups: list[str], position: dict[str, int]) -> list[str]:
    """The groups and every group they require, in the order of ``position`` (a group's place in the precedence order)."""
    needed: set[str] = set()
    stack = list(groups)
    while stack:
        gid = stack.pop()
        if gid not in needed:
            needed.add(gid)
            stack.extend(data.predecessors.get(gid, ()))
    return sorted(needed, key=position.__getitem__)


def _empty_and_close(data: PlanningData, ledger: _Ledger, plan: GreedyPlan, room: str, groups: list[str],
                     position: dict[str, int], by: Period | None = None) -> Period | None:
    """Move the room's groups (and what they require), then close it: the quarter it closes in, None if it cannot.

    Each group goes in the earliest quarter it fits, or with ``by`` in the latest up to ``by``."""
    for gid in _with_prerequisites(data, groups, position):
        _move_group(data, ledger, plan, gid, by)
    leaving = [plan.moves.get(gid) for gid in groups]
    if not all(leaving):
        return None
    last = max((moved for moved in leaving if moved), default=data.active[0])
    return plan.rooms[room] if _close_room(data, ledger, plan, room, last) else None


def _move_group(data: PlanningData, ledger: _Ledger, plan: GreedyPlan, gid: str, latest: Period | None = None) -> None:
    """Move the group in the first open quarter where everything fits; with ``latest``, the quarters up to it
    latest first, then those after it."""
    if gid in plan.moves:
        return
    group = data.groups[gid]
    required = data.predecessors.get(gid, ())
    if any(e not in plan.moves for e in required):
        return
    earliest = max((plan.moves[e] for e in required), default=None)
    periods = ledger.open_periods()
    # Nothing is taken until the group moves, so each part's order of pools holds for every quarter tried.
    pool_orders: dict[str, list[str]] = {}
    if latest is not None:
        periods = [t for t in reversed(periods) if t <= latest] + [t for t in periods if t > latest]
    for t in periods:
        if earliest is not None and t < earliest:
            continue
        pending = _pending_networks(data, plan, group, t)
        if pending is None:
            continue
        migrating = sum(data.networks[k].network.bandwidth_mbps for k in pending if data.networks[k].fate == "migrate")
        if not _bandwidth_fits(data, ledger, t, migrating):
            continue
        if ledger.cap is not None and any(ledger.cutovers[d, t] + n > ledger.cap for d, n in group.department_counts):
            continue
        network_days = sum(data.network_effort(k) for k in pending)
        network_cost = sum(data.network_cost(k) for k in pending)
        choice = _choose_pools(data, ledger, group, t, network_days, network_cost, pool_orders)
        if choice is None:
            continue
        pools, copies = choice
        for k in pending:
            _take_network(data, ledger, plan, k, t)
        ledger.take(t, 0.0, data.group_cost(group))
        for department, count in group.department_counts:
            ledger.cutovers[department, t] += count
        for part in group.parts:
            pool = pools[part.id]
            ledger.take(t, data.part_effort(part, pool), 0.0)
            if pool != RETIRE:
                ledger.take_pool(pool, ledger.need(part), t)
                if len(part.pools) == 1:
                    for resource in RESOURCES:
                        ledger.claimed[pool, resource] -= data.part_size(part, resource)
        for sid, copy_pool in copies.items():
            ledger.take_pool(copy_pool, _copy_need(data, sid), t)
        plan.moves[gid] = t
        plan.pools.update(pools)
        plan.copies.update(copies)
        return


def _copy_need(data: PlanningData, sid: str) -> dict[str, float]:
    system = data.systems[sid].system
    if system.dr == "active-active":
        return {r: getattr(system, r) for r in RESOURCES}
    return {"storage_tb": system.storage_tb}


def _choose_pools(data: PlanningData, ledger: _Ledger, group: MoveGroup, t: Period, network_days: float,
                  network_cost: float, pool_orders: dict[str, list[str]]) -> tuple[dict[str, str], dict[str, str]] | None:
    """For each part of the group, the cheapest pool (running cost, then adaptation effort) with room now
    and later, and DR copies; None when some part finds none. ``pool_orders`` keeps each part's pools in the
    order they are tried (:func:`_price`), for the next quarter tried while the ledger is unchanged.

    The parts move in the same quarter (co_migrate), each into its own pool; the networks the group
    waits for are cut over in that quarter too: their days and cost count.
    """
    if group.retires_only:
        return ({group.parts[0].id: RETIRE}, {}) if ledger.fits(t, network_days, network_cost) else None
    cost = data.group_cost(group) + network_cost
    days = network_days
    # Copies and parts may land in one pool: test each against what the others take.
    taking: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    chosen: dict[str, str] = {}
    copies: dict[str, str] = {}
    for part in group.parts:
        order = pool_orders.get(part.id)
        if order is None:
            order = pool_orders[part.id] = sorted(part.pools, key=lambda pool, part=part: _price(data, ledger, part, pool))  # type: ignore[misc]
        for pool in order:
            part_days = data.part_effort(part, pool)
            need = ledger.need(part)
            with_taken = {r: taking[pool][r] + need[r] for r in RESOURCES}
            if not ledger.fits(t, days + part_days, cost) or not ledger.pool_fits(pool, with_taken, t) \
                    or (ledger.reserving and len(part.pools) > 1 and ledger.crowds(pool, with_taken)):
                continue
            trial: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
            for known, amounts in taking.items():
                trial[known].update(amounts)
            for resource, amount in need.items():
                trial[pool][resource] += amount
            part_copies = _place_copies(data, ledger, part, pool, t, trial)
            if part_copies is None:
                continue
            taking, days = trial, days + part_days
            chosen[part.id] = pool
            copies.update(part_copies)
            break
        else:
            return None
    return chosen, copies


def _price(data: PlanningData, ledger: _Ledger, part: MovePart, pool: str) -> tuple[bool, bool, bool, float, float, str]:
    """A pool that single-choice parts still need (all of it, or most) is tried last, then the guide's pool, then the
    cheapest first."""
    crowding = len(part.pools) > 1 and ledger.crowds(pool, ledger.need(part))
    return (crowding, ledger.preferred.get(part.id, pool) != pool, ledger.pressure(pool) > 0.5,
            data.pool(pool).vcpu_annual_cost_wan, data.part_effort(part, pool), pool)


def _place_copies(data: PlanningData, ledger: _Ledger, part: MovePart, pool: str, t: Period,
                  taking: dict[str, dict[str, float]]) -> dict[str, str] | None:
    """The cheapest pool with room for each DR copy of the part's members beside ``pool``; adds them to ``taking``."""
    copies: dict[str, str] = {}
    for system in data.part_systems(part):
        if system.dr == "none":
            continue
        need = _copy_need(data, system.id)
        options = sorted(data.dr_options(system, pool),
                         key=lambda q: (ledger.crowds(q, need), data.pool(q).vcpu_annual_cost_wan, q))
        copy = None
        for q in options:
            with_taken = {r: taking[q][r] + need.get(r, 0.0) for r in RESOURCES}
            # A copy never takes what single-choice parts still need, until the last pass.
            if ledger.pool_fits(q, with_taken, t) and not (ledger.reserving and ledger.crowds(q, with_taken)):
                copy = q
                break
        if copy is None:
            return None
        for resource, amount in need.items():
            taking[copy][resource] += amount
        copies[system.id] = copy
    return copies


def _pending_networks(data: PlanningData, plan: GreedyPlan, group: MoveGroup, t: Period) -> list[str] | None:
    """Networks of the group still to cut over in t, or None when one is already planned later than t."""
    pending = [k for k in group.networks
               if data.networks[k].fate != "done" and not (k in plan.networks and plan.networks[k] <= t)]
    if any(k in plan.networks for k in pending):
        return None
    return pending


def _bandwidth_fits(data: PlanningData, ledger: _Ledger, t: Period, mbps: float) -> bool:
    if not mbps:
        return True
    return all(ledger.bandwidth[p] + mbps + data.existing_bandwidth() <= data.bandwidth(p) + EPSILON for p in ledger.later(t))


def _take_network(data: PlanningData, ledger: _Ledger, plan: GreedyPlan, k: str, t: Period) -> None:
    ledger.take(t, data.network_effort(k), data.network_cost(k))
    if data.networks[k].fate == "migrate":
        for p in ledger.later(t):
            ledger.bandwidth[p] += data.networks[k].network.bandwidth_mbps
    plan.networks[k] = t


def _cut_over_network(data: PlanningData, ledger: _Ledger, plan: GreedyPlan, k: str) -> None:
    mbps = data.networks[k].network.bandwidth_mbps if data.networks[k].fate == "migrate" else 0.0
    for t in ledger.open_periods():
        if ledger.fits(t, data.network_effort(k), data.network_cost(k)) and _bandwidth_fits(data, ledger, t, mbps):
            _take_network(data, ledger, plan, k, t)
            return


def _close_room(data: PlanningData, ledger: _Ledger, plan: GreedyPlan, room: str, last: Period) -> bool:
    cost = data.rooms[room].room.close_cost_wan
    for t in ledger.open_periods():
        if t >= last and ledger.fits(t, 0.0, cost):
            ledger.take(t, 0.0, cost)
            plan.rooms[room] = t
            return True
    return False



def guide_from_lp(model: Model, values: np.ndarray) -> Guide:
    """The :class:`Guide` of an LP solution of ``model`` (``values`` by column ``index``, as HiGHS holds the model)."""
    v = model.variables
    periods = model.data.periods

    def open_for(by: dict, key: str) -> float:
        return sum(1.0 - float(values[var.index]) for t in periods if (var := by.get((key, t))) is not None)

    mass: dict[tuple[str, str], float] = defaultdict(float)
    for (uid, pool, _t), var in v.x.items():
        mass[uid, pool] += float(values[var.index])
    pools: dict[str, str] = {}
    for (uid, pool), amount in sorted(mass.items()):
        if amount > 1e-6 and amount > mass.get((uid, pools.get(uid, "")), 0.0):
            pools[uid] = pool
    return Guide({r: open_for(v.closed_by, r) for r in model.sets.closable_rooms},
                 {k: open_for(v.network_by, k) for k in model.sets.movable_networks}, pools)


def follow_guide(data: PlanningData, guide: Guide, tries: int = 6, until: float = np.inf) -> list[GreedyPlan]:
    """Greedy plans that follow ``guide``: the try that leaves nothing undone, when one does; else the first try and
    the try that leaves least undone when that is another (the caller repairs one of them).

    What a try leaves undone goes first in the next (at most ``tries``, until nothing is left). Without a turn of
    their own, groups can find their pools, their department's cutovers or the last quarters' team days taken
    (a 4,200-system province: 8 groups and 3 rooms left by the first try, none by the sixth); given one, they are
    few and take little of the early quarters. A room left open has its groups go first; a network left as it is
    is cut over first. Each turn given costs a little (152,029 万元 for the first try, 155,819 for the sixth): the
    caller may prefer to repair the first. No try starts unless two more of its length fit before ``until`` (a
    ``time.perf_counter()`` value; a 21,000-system province takes about 15 s a try).
    """
    groups_by_room: dict[str, list[str]] = defaultdict(list)
    for gid, group in data.groups.items():
        for room in group.rooms:
            groups_by_room[room].append(gid)
    tried: list[tuple[int, GreedyPlan]] = []
    for _try in range(tries):
        started = time.perf_counter()
        plan = greedy_plan(data, "fewest-choices", guide)
        rooms = [r for r, policy in data.rooms.items() if policy.fate == "close" and r not in plan.rooms]
        networks = [k for k in guide.networks if k not in plan.networks]
        groups = {g for g in data.groups if g not in plan.moves} | {g for r in rooms for g in groups_by_room[r]}
        tried.append((len(groups) + len(rooms) + len(networks), plan))
        if not tried[-1][0] or (groups <= guide.first and all(guide.networks[k] < 0 for k in networks)):
            break
        if time.perf_counter() + 2 * (time.perf_counter() - started) > until:
            break
        guide = replace(guide, first=guide.first | groups, networks={**guide.networks, **{k: -1.0 for k in networks}})
    left, fewest = min(tried, key=lambda entry: entry[0])
    if not left:
        # A complete plan beats any the caller would have to repair: the others are not worth an LP to price them
        # (a second of a core on the 4,200-system province).
        return [fewest]
    return [tried[0][1]] + ([fewest] if fewest is not tried[0][1] else [])


def greedy_values(greedy: GreedyPlan, model: Model) -> dict[str, float]:
    """The greedy decisions as values of the model's integer variables (a complete warm start)."""
    v = model.variables
    data = model.data
    values: dict[str, float] = {}
    for (uid, pool, t), var in v.x.items():
        moved = greedy.moves.get(data.parts[uid].group)
        values[var.name] = 1.0 if moved == t and greedy.pools.get(uid) == pool else 0.0
    for (sid, pool, t), var in v.y.items():
        moved = greedy.moves.get(data.graph.group_of[sid])
        values[var.name] = 1.0 if moved == t and greedy.copies.get(sid) == pool else 0.0
    for by, done in ((v.network_by, greedy.networks), (v.closed_by, greedy.rooms)):
        for (key, t), var in by.items():
            if var is not None:
                values[var.name] = 1.0 if key in done and done[key] <= t else 0.0
    return values
