"""What the reports show, computed once from a plan and its planning data (no formatting here).

The HTML report and the Excel ledger read these records; the sums follow the model's
own definitions (planner/constraints.py) so that a chart and a constraint never disagree:
pool use counts systems already on a cloud plus every migration up to the period,
an active-active copy in full and a backup copy by its storage, in its ``dr_target``;
team days count system migrations (with 信创 adaptation) and network cutovers;
one-off spending counts migrations, network cutovers and room closures.

Team days and spending are summed over the plan's own actions, not through
PlanningData.part_effort, network_effort and network_cost: those follow each object's
policy fate under the current inventory, which a hand-edited plan, or one made for an
earlier inventory, need not match (a network the plan migrates and the inventory now
marks must_keep would be charged its interconnection). For a plan the model made the
two agree; the per-object figures come from the same fields and system_effort_days.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from models.inventory import Inventory, Network, Room, System, inventory_sha256
from models.period import Period
from models.plan import Action, Plan, Violation
from models.scenario import KPI_NAMES
from planner.data import RESOURCES, PlanningData
from planner.families import limit_families
from planner.policy import system_effort_days

ObjectRecord = System | Network | Room
LimitFamily = str
"""The name of a registered limit family (planner/families.py), or ``other``."""


@dataclass(frozen=True)
class ObjectRow:
    """One inventory object with what the plan does to it, ready to print."""

    action: Action
    record: ObjectRecord | None
    """None when the plan names an id the inventory no longer has."""
    department_name: str

    @property
    def name(self) -> str:
        return self.record.name if self.record is not None else ""

    @property
    def department(self) -> str:
        return self.record.department if self.record is not None else ""


def object_rows(plan: Plan, inventory: Inventory) -> list[ObjectRow]:
    """Every action of the plan with its inventory record and department name, in plan order."""
    lookup: dict[str, dict[str, ObjectRecord]] = {
        "system": dict(inventory.system_by_id),
        "network": dict(inventory.network_by_id),
        "room": dict(inventory.room_by_id),
    }
    rows = []
    for action in plan.actions:
        record = lookup[action.kind].get(action.id)
        department = inventory.department_by_id.get(record.department) if record is not None else None
        rows.append(ObjectRow(action, record, department.name if department is not None else ""))
    return rows


@dataclass(frozen=True)
class UseSeries:
    """A quantity per period against its limit (None: no limit in that period)."""

    label: str
    used: tuple[float, ...]
    limit: tuple[float | None, ...]

    @property
    def peak_share(self) -> float:
        """Highest used/limit over the periods that have a positive limit; 0 when none has."""
        shares = [u / c for u, c in zip(self.used, self.limit) if c]
        return max(shares, default=0.0)


def pool_use(plan: Plan, data: PlanningData) -> dict[str, dict[str, UseSeries]]:
    """Pool -> resource -> use per period (existing systems plus migrations and DR copies so far)."""
    added: dict[tuple[str, str, Period], float] = defaultdict(float)
    for action in plan.actions:
        if action.kind != "system" or action.action != "migrate" or action.period is None:
            continue
        system = data.inventory.system_by_id.get(action.id)
        if system is None:
            continue
        for resource in RESOURCES:
            if action.target is not None:
                added[action.target, resource, action.period] += getattr(system, resource)
            if action.dr_target is not None and (system.dr == "active-active" or resource == "storage_tb"):
                added[action.dr_target, resource, action.period] += getattr(system, resource)
    result: dict[str, dict[str, UseSeries]] = {}
    for pool in data.inventory.clouds:
        by_resource = {}
        for resource in RESOURCES:
            running = data.existing_use(pool.id, resource)
            used = []
            for period in data.periods:
                running += added[pool.id, resource, period]
                used.append(running)
            limit = tuple(data.capacity(pool.id, resource, period) for period in data.periods)
            by_resource[resource] = UseSeries(resource, tuple(used), limit)
        result[pool.id] = by_resource
    return result


def bandwidth_use(plan: Plan, data: PlanningData) -> UseSeries:
    """Extranet bandwidth taken by migrated networks (before and during the horizon) against what it offers."""
    running = data.existing_bandwidth()
    per_period: dict[Period, float] = defaultdict(float)
    for action in plan.actions:
        if action.kind == "network" and action.action == "migrate" and action.period is not None:
            network = data.inventory.network_by_id.get(action.id)
            if network is not None:
                per_period[action.period] += network.bandwidth_mbps
    used = []
    for period in data.periods:
        running += per_period[period]
        used.append(running)
    return UseSeries("bandwidth_mbps", tuple(used), tuple(data.bandwidth(period) for period in data.periods))


@dataclass(frozen=True)
class Split:
    """A per-period quantity split by what causes it (systems, networks, rooms)."""

    systems: tuple[float, ...]
    networks: tuple[float, ...]
    rooms: tuple[float, ...]

    @property
    def totals(self) -> tuple[float, ...]:
        return tuple(s + n + r for s, n, r in zip(self.systems, self.networks, self.rooms))


def _split_per_period(plan: Plan, data: PlanningData, amount: Callable[[Action], float]) -> Split:
    """``amount`` of each action dated in the horizon, summed per period and per kind of object."""
    index = {period: position for position, period in enumerate(data.periods)}
    sums: dict[str, list[float]] = {kind: [0.0] * len(data.periods) for kind in ("system", "network", "room")}
    for action in plan.actions:
        if action.period is None or action.period not in index:
            continue
        sums[action.kind][index[action.period]] += amount(action)
    return Split(tuple(sums["system"]), tuple(sums["network"]), tuple(sums["room"]))


def team_days(plan: Plan, data: PlanningData) -> tuple[Split, tuple[float | None, ...]]:
    """Team days per period (system migrations, network cutovers; rooms need none) and the limit."""
    inventory = data.inventory

    def days(action: Action) -> float:
        if action.kind == "system" and action.action == "migrate":
            system = inventory.system_by_id.get(action.id)
            pool = inventory.cloud_by_id.get(action.target or "")
            return system_effort_days(system, pool) if system is not None and pool is not None else 0.0
        network = inventory.network_by_id.get(action.id) if action.kind == "network" else None
        if network is not None and action.action == "migrate":
            return network.migration_effort_days
        if network is not None and action.action == "interconnect":
            return network.interconnect_effort_days
        return 0.0

    limit_value = data.scenario.resources.team_days_per_period
    frozen = set(data.scenario.resources.freeze)
    # A frozen quarter allows no cutover at all, whatever the team could do.
    limit = tuple(0.0 if period in frozen else limit_value for period in data.periods)
    return _split_per_period(plan, data, days), limit


def one_off_spending(plan: Plan, data: PlanningData) -> Split:
    """One-off spending per period, 万元: system migrations, network cutovers, room closures (retiring is free)."""
    inventory = data.inventory

    def cost(action: Action) -> float:
        if action.kind == "system" and action.action == "migrate":
            system = inventory.system_by_id.get(action.id)
            return system.migration_cost_wan if system is not None else 0.0
        network = inventory.network_by_id.get(action.id) if action.kind == "network" else None
        if network is not None and action.action == "migrate":
            return network.migration_cost_wan
        if network is not None and action.action == "interconnect":
            return network.interconnect_cost_wan
        room = inventory.room_by_id.get(action.id) if action.kind == "room" and action.action == "close" else None
        return room.close_cost_wan if room is not None else 0.0

    return _split_per_period(plan, data, cost)


def yearly_spending(spending: Split, data: PlanningData) -> list[tuple[int, float, float | None]]:
    """(year, one-off spending, budget or None) for each year of the horizon."""
    totals: dict[int, float] = defaultdict(float)
    for period, amount in zip(data.periods, spending.totals):
        totals[period.year] += amount
    budgets = data.scenario.resources.budget_wan_per_year
    return [(year, totals[year], budgets.get(year)) for year in Period.iter_years(list(data.periods))]


def kpi_targets(data: PlanningData) -> dict[str, list[tuple[Period, float]]]:
    """KPI -> (year-end quarter, floor) for every target of the scenario."""
    floors = data.scenario.targets.floors()
    return {
        kpi: [(data.year_end[year], floor) for year, floor in sorted(floors[kpi].items()) if year in data.year_end]
        for kpi in KPI_NAMES
    }


def kpi_at_target_years(plan: Plan, data: PlanningData) -> dict[str, list[tuple[int, float, float | None]]]:
    """KPI -> (year, value at the year end, target or None) for each year of the horizon."""
    by_period = {row.period: row for row in plan.kpis}
    floors = data.scenario.targets.floors()
    result: dict[str, list[tuple[int, float, float | None]]] = {}
    for kpi in KPI_NAMES:
        result[kpi] = [
            (year, getattr(by_period[period], kpi), floors[kpi].get(year))
            for year, period in sorted(data.year_end.items())
            if period in by_period
        ]
    return result


# --- Violations -------------------------------------------------------------------------------

_TARGET = re.compile(rf"^({'|'.join(KPI_NAMES)})@(\d{{4}})$")
_LIMITS: tuple[tuple[LimitFamily, re.Pattern[str]], ...] = tuple(
    (entry.name, entry.limit.pattern()) for entry in limit_families() if entry.limit is not None
)
"""How each limit family's violations are named in plan.json (planner/families.py), read back."""


@dataclass(frozen=True)
class TargetMiss:
    kpi: str
    year: int
    required: float | None
    reached: float | None


@dataclass(frozen=True)
class LimitExcess:
    """A limit that binds: how much it would have to grow for the targets to be met."""

    family: LimitFamily
    subject: str
    """Pool, department or empty (bandwidth, team days, budget)."""
    resource: str
    """For capacity: vcpu, memory_gb or storage_tb."""
    when: str
    """Quarter or year."""
    limit: float | None
    needed: float | None
    detail: str

    @property
    def excess(self) -> float | None:
        if self.limit is None or self.needed is None:
            return None
        return self.needed - self.limit


def split_violations(violations: tuple[Violation, ...]) -> tuple[list[TargetMiss], list[LimitExcess]]:
    """Missed KPI targets and binding limits, read from the constraint names explain.py writes
    (the completion rule's violation aside: :func:`is_completion`)."""
    targets: list[TargetMiss] = []
    limits: list[LimitExcess] = []
    for violation in violations:
        if is_completion(violation):
            continue
        target = _TARGET.match(violation.constraint)
        if target:
            targets.append(TargetMiss(target.group(1), int(target.group(2)), violation.required, violation.reached))
            continue
        for family, pattern in _LIMITS:
            match = pattern.match(violation.constraint)
            if match:
                groups = match.groupdict()
                limits.append(LimitExcess(family, groups.get("subject") or "", groups.get("resource") or "",
                                          groups["when"], violation.required, violation.reached, violation.detail))
                break
        else:
            limits.append(LimitExcess("other", violation.constraint, "", "", violation.required, violation.reached,
                                      violation.detail))
    return targets, limits


def is_completion(violation: Violation) -> bool:
    """The violation of the completion rule (应迁尽迁): ``complete_by@<quarter>``."""
    return violation.constraint.startswith("complete_by@")


def binding_summary(limits: list[LimitExcess]) -> list[tuple[LimitFamily, str, int]]:
    """(family, subject, how many periods) per binding limit, most frequent first: a one-line digest."""
    counts: dict[tuple[LimitFamily, str], int] = defaultdict(int)
    for limit in limits:
        counts[limit.family, limit.subject] += 1
    return sorted(((family, subject, n) for (family, subject), n in counts.items()), key=lambda item: (-item[2], item[0], item[1]))


# --- Why objects stay ---------------------------------------------------------------------------

_REASON_KINDS: tuple[tuple[str, str], ...] = (
    # (prefix of the sentence in planner.policy / planner.graph / planner.solve, label key)
    ("classified", "why_classified"),
    ("must stay", "why_must_stay"),
    ("no eligible pool", "why_no_pool"),
    ("co_migrate partner", "why_partner"),
    ("reached through network", "why_network"),
    ("requires ", "why_requires"),
    ("hosts staying systems", "why_hosts"),
    ("not scheduled", "why_not_scheduled"),
)


def reason_kind(action: Action) -> str:
    """The label key of why an object stays, is kept or is interconnected."""
    if action.kind == "network" and action.action == "interconnect":
        return "why_must_keep"
    reason = action.reason or ""
    for prefix, key in _REASON_KINDS:
        if reason.startswith(prefix):
            return key
    return "why_other"


def is_stay(action: Action) -> bool:
    """Objects the plan does not move: stays, keeps and networks interconnected instead of migrated."""
    return action.action in ("stay", "keep", "interconnect")


def inventory_matches(plan: Plan, inventory: Inventory) -> bool:
    return plan.inventory_sha256 == inventory_sha256(inventory)
