"""The independent plan checker: does a plan respect every rule of FORMATS.md?

It re-reads the contract on its own and shares no constraint code with the MILP, so the
two are separate implementations of the same rules: a plan the model writes must pass
here, and a hand-edited plan is judged by the same yardstick. It also recomputes the
``min_cost`` total and the KPI rows and compares them with what the plan reports.

Where FORMATS.md is silent, the checker decides as follows (the MILP must agree):

- Every inventory object appears in ``actions``, classified ones too (``stay`` or ``keep``,
  reason ``classified``); an object done before the horizon (room closed, network migrated
  or interconnected, system on a cloud or retired) appears as ``done``, and only those do.
- A ``retire: true`` system is retired or stays, never migrated (staying is a warning, as
  the MILP leaves retiring optional); only such systems may be retired; ``must_stay`` wins
  over ``retire`` when both are set.
- A ``must_keep`` network is interconnected or stays private, never migrated; any other
  network is migrated or stays private, never interconnected.
- Pool eligibility: a pool with ``industry`` set serves only that department's systems;
  a pool with ``region`` set serves departments of that region, a department without a
  region being of the inventory's ``region``. A ``cloud`` pin naming a pool id binds the
  primary placement only (a copy must be in another zone); a pin naming a kind binds both.
- An active-active copy must be eligible like a primary; a backup needs no arch match
  (it only stores data) but every other eligibility rule holds. Both need another zone.
  Adaptation days (x86 system onto a xinchuang pool) count once, when the primary or the
  active-active copy is on a xinchuang pool.
- Precedence binds migrations, not retirements: a migrating system needs every network in
  its ``networks`` migrated or interconnected in the same period or earlier, and every
  system in its ``requires`` on a cloud or retired in the same period or earlier (done
  before the horizon counts). ``co_migrate`` partners leave (migrate or retire) in the same
  period; a partner already done before the horizon imposes nothing.
- Capacity counts, per pool and period, the primaries of systems already on it, the plan's
  primaries and active-active copies (vCPU, memory, storage) and backups (storage only)
  from their migration period on. Systems already on a cloud have no DR recorded.
- Extranet bandwidth counts migrated networks only (before or during the horizon);
  interconnected networks keep their own lines.
- Team days: a system migration costs ``effort_days`` (+ adaptation), a retirement 0, a
  network its migration or interconnect effort, a room closure 0.
- Budget: one-off costs (system migration, network migration or interconnection, room
  closure; a retirement costs nothing) summed over the horizon's quarters of each year.
- Freeze quarters hold no dated action at all: no system migration or retirement, no
  network migration or interconnection, no room closure.
- The per-department cutover cap counts system migrations and retirements.
- KPI floors are checked at the last quarter of each target year that lies in the
  horizon; a KPI with nothing in scope (an empty denominator) is 1. Without
  ``count_retired_systems``, ``cloud_adoption`` leaves every system marked ``retire`` (or
  retired before the horizon) out of numerator and denominator in every period, as the MILP does.
- ``min_cost`` counts classified rooms and networks too (they stay open and pay, as the
  text says of every room and network); soft-target penalties are not part of it.
- An active-active copy runs the primary's build, so it sits in a pool of the primary's
  architecture (信创 adaptation is paid once); a backup needs no architecture match.
- 应迁尽迁 / 应上尽上 (completion): by the end of ``complete_by`` (default the horizon's end;
  ``off`` checks the floors only) every eligible system has migrated, or retired when marked
  ``retire``; every non-classified private network is migrated, or interconnected when
  ``must_keep``; every non-classified open room whose systems are all eligible is closed. A
  system is not eligible (blocked) when no pool, or no pool pair in two zones for its DR
  copy, may take it; when it migrates and a network in its ``networks`` is classified; when
  it migrates and something it ``requires`` stays; or when a ``co_migrate`` partner stays.
  Blocks propagate, and a blocked stay belongs in the plan's ``warnings`` (a warning if not).
  With ``targets.soft`` an object left is a warning.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from models.inventory import CloudPool, Inventory, Network, Room, System, inventory_sha256
from models.period import Period
from models.plan import Action, KpiRow, Plan
from models.scenario import KPI_NAMES, Scenario

Severity = Literal["error", "warning"]

SLACK = 1e-6
"""Floating-point slack when comparing a use with a limit."""
OBJECTIVE_RELATIVE_TOLERANCE = 1e-6
OBJECTIVE_ABSOLUTE_TOLERANCE_WAN = 0.01
KPI_TOLERANCE = 1e-6
MAX_IDS_NAMED = 8
"""A capacity message names at most this many systems, then says how many more."""

VALID_ACTIONS: dict[str, tuple[str, ...]] = {
    "system": ("migrate", "retire", "stay", "done"),
    "network": ("migrate", "interconnect", "stay", "done"),
    "room": ("close", "keep", "done"),
}
DATED_ACTIONS = ("migrate", "retire", "interconnect", "close")
DONE_STATES: dict[str, tuple[str, ...]] = {
    "system": ("cloud", "retired"),
    "network": ("migrated", "interconnected"),
    "room": ("closed",),
}
"""Inventory states of objects done before the horizon; the plan writes them ``done``."""
RESOURCES = ("vcpu", "memory_gb", "storage_tb")


@dataclass(frozen=True)
class Finding:
    """One broken rule (or a warning), precise enough to fix the plan."""

    rule: str
    object_ids: tuple[str, ...]
    message: str
    period: Period | None = None
    severity: Severity = "error"

    def __str__(self) -> str:
        ids = ", ".join(self.object_ids) if self.object_ids else "-"
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{self.rule}: {ids}: {prefix}{self.message}"

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "ids": list(self.object_ids),
            "period": str(self.period) if self.period is not None else None,
            "severity": self.severity,
            "message": self.message,
        }


@dataclass
class CheckReport:
    """What the checker found and what it recomputed."""

    findings: list[Finding]
    objective_wan: float
    """``min_cost`` recomputed from the plan's actions."""
    kpis: list[KpiRow]
    """KPIs recomputed for every period of the horizon."""
    plan_objective_wan: float | None
    """What the plan reports, for comparison."""

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "objective_wan": self.objective_wan,
            "plan_objective_wan": self.plan_objective_wan,
            "kpis": [row.model_dump(mode="json") for row in self.kpis],
            "findings": [f.to_json() for f in self.findings],
        }


@dataclass(frozen=True)
class Placement:
    """Where the plan puts a migrating system, and when."""

    pool: CloudPool
    dr_pool: CloudPool | None
    period: Period


@dataclass
class PlanFacts:
    """The plan read against the inventory: when each object changes state, where each system goes.

    Objects done before the horizon take the quarter before it; their plan action is
    ignored here (a wrong one is reported by ``check_done``). Unknown ids, wrong actions and
    missing periods are left out; their own checks report them.
    """

    plan: Plan
    scenario: Scenario
    inventory: Inventory
    periods: list[Period]
    before_horizon: Period
    actions: dict[tuple[str, str], Action] = field(default_factory=dict)
    placements: dict[str, Placement] = field(default_factory=dict)
    on_cloud_from: dict[str, Period] = field(default_factory=dict)
    retired_from: dict[str, Period] = field(default_factory=dict)
    migrated_from: dict[str, Period] = field(default_factory=dict)
    """Networks migrated onto the extranet."""
    interconnected_from: dict[str, Period] = field(default_factory=dict)
    closed_from: dict[str, Period] = field(default_factory=dict)
    """Rooms closed."""

    @classmethod
    def read(cls, plan: Plan, scenario: Scenario, inventory: Inventory) -> PlanFacts:
        facts = cls(plan, scenario, inventory, scenario.periods, scenario.horizon.start + -1)
        for action in plan.actions:
            facts.actions.setdefault((action.kind, action.id), action)
        for system in inventory.systems:
            facts._read_system(system)
        for network in inventory.networks:
            facts._read_network(network)
        for room in inventory.rooms:
            if room.state == "closed":
                facts.closed_from[room.id] = facts.before_horizon
            elif (dated := facts._dated("room", room.id, "close")) is not None:
                facts.closed_from[room.id] = dated
        return facts

    def _dated(self, kind: str, object_id: str, action_name: str) -> Period | None:
        action = self.actions.get((kind, object_id))
        if action is not None and action.action == action_name:
            return action.period
        return None

    def _read_system(self, system: System) -> None:
        if system.state == "cloud":
            self.on_cloud_from[system.id] = self.before_horizon
            return
        if system.state == "retired":
            self.retired_from[system.id] = self.before_horizon
            return
        if (retired := self._dated("system", system.id, "retire")) is not None:
            self.retired_from[system.id] = retired
        if (migrated := self._dated("system", system.id, "migrate")) is not None:
            self.on_cloud_from[system.id] = migrated
            action = self.actions[("system", system.id)]
            pool = self.inventory.cloud_by_id.get(action.target or "")
            if pool is not None:
                dr_pool = self.inventory.cloud_by_id.get(action.dr_target or "")
                self.placements[system.id] = Placement(pool, dr_pool, migrated)

    def _read_network(self, network: Network) -> None:
        if network.state == "migrated":
            self.migrated_from[network.id] = self.before_horizon
        elif network.state == "interconnected":
            self.interconnected_from[network.id] = self.before_horizon
        elif (migrated := self._dated("network", network.id, "migrate")) is not None:
            self.migrated_from[network.id] = migrated
        elif (interconnected := self._dated("network", network.id, "interconnect")) is not None:
            self.interconnected_from[network.id] = interconnected

    def leaves_at(self, system_id: str) -> Period | None:
        """When a system leaves its room (migrates or retires); None if it never does."""
        return self.on_cloud_from.get(system_id, self.retired_from.get(system_id))

    def network_ready_at(self, network_id: str) -> Period | None:
        """When a network is migrated or interconnected; None if it stays private."""
        return self.migrated_from.get(network_id, self.interconnected_from.get(network_id))

    def in_horizon(self, period: Period) -> bool:
        return self.periods[0] <= period <= self.periods[-1]


def _is_done(kind: str, record: System | Network | Room) -> bool:
    return record.state in DONE_STATES[kind]


def _records(inventory: Inventory, kind: str) -> dict[str, Any]:
    return {"system": inventory.system_by_id, "network": inventory.network_by_id, "room": inventory.room_by_id}[kind]


def _named(ids: Iterable[str]) -> str:
    listed = sorted(ids)
    shown = ", ".join(listed[:MAX_IDS_NAMED])
    return shown + (f" and {len(listed) - MAX_IDS_NAMED} more" if len(listed) > MAX_IDS_NAMED else "")


def _number(value: float) -> str:
    return f"{value:.6g}"


# --- the plan document ----------------------------------------------------------------


def check_plan_header(facts: PlanFacts) -> Iterator[Finding]:
    """The plan was made for this scenario and this inventory (after overrides)."""
    expected = inventory_sha256(facts.inventory)
    if facts.plan.inventory_sha256 != expected:
        yield Finding(
            "inventory_sha256", (), "the plan was made for another inventory (digest "
            f"{facts.plan.inventory_sha256[:12]}…, this one after overrides is {expected[:12]}…): "
            "re-plan, or check it against the inventory it was made for", severity="warning",
        )
    if facts.plan.scenario != facts.scenario.name:
        yield Finding(
            "scenario", (facts.plan.scenario,),
            f"the plan names scenario {facts.plan.scenario!r}, this one is {facts.scenario.name!r}",
            severity="warning",
        )


def check_coverage(facts: PlanFacts) -> Iterator[Finding]:
    """Every inventory object appears exactly once in ``actions``; no unknown ids."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for action in facts.plan.actions:
        counts[(action.kind, action.id)] += 1
    for (kind, object_id), count in counts.items():
        if object_id not in _records(facts.inventory, kind):
            yield Finding("coverage", (object_id,), f"unknown {kind} id: not in the inventory (remove the action)")
        elif count > 1:
            yield Finding("coverage", (object_id,), f"{kind} appears {count} times in actions: keep exactly one")
    for kind in ("room", "network", "system"):
        for object_id in _records(facts.inventory, kind):
            if (kind, object_id) not in counts:
                yield Finding("coverage", (object_id,), f"{kind} has no action: add one (every object appears once)")


def check_action_kinds(facts: PlanFacts) -> Iterator[Finding]:
    """Each action is valid for its kind, dated when it happens, with pools only on system migrations."""
    for action in facts.plan.actions:
        if action.action not in VALID_ACTIONS[action.kind]:
            yield Finding(
                "action", (action.id,),
                f"{action.action!r} is not an action for a {action.kind} "
                f"(use one of {', '.join(VALID_ACTIONS[action.kind])})",
            )
            continue
        dated = action.action in DATED_ACTIONS
        if dated and action.period is None:
            yield Finding("action", (action.id,), f"{action.kind} action {action.action} needs a period")
        if not dated and action.period is not None:
            yield Finding(
                "action", (action.id,),
                f"{action.kind} action {action.action} takes no period (remove {action.period})", action.period,
            )
        migrates_system = action.kind == "system" and action.action == "migrate"
        if migrates_system:
            if action.target is None:
                yield Finding("action", (action.id,), "a migrating system needs a target pool")
            elif action.target not in facts.inventory.cloud_by_id:
                yield Finding("action", (action.id, action.target), f"target {action.target!r} is not a known pool")
            if action.dr_target is not None and action.dr_target not in facts.inventory.cloud_by_id:
                yield Finding(
                    "action", (action.id, action.dr_target), f"dr_target {action.dr_target!r} is not a known pool"
                )
        elif action.target is not None or action.dr_target is not None:
            yield Finding(
                "action", (action.id,),
                f"target/dr_target only go with a system migration, not a {action.kind} {action.action}",
            )


def check_done(facts: PlanFacts) -> Iterator[Finding]:
    """Objects done before the horizon appear as ``done``, and only those."""
    for (kind, object_id), action in facts.actions.items():
        record = _records(facts.inventory, kind).get(object_id)
        if record is None:
            continue
        done = _is_done(kind, record)
        if done and action.action != "done":
            yield Finding(
                "done", (object_id,),
                f"{kind} is already {record.state} before the horizon: write action done, not {action.action}",
            )
        elif not done and action.action == "done":
            yield Finding(
                "done", (object_id,),
                f"{kind} is {record.state} in the inventory, so it is not done: plan it or let it "
                f"{'keep' if kind == 'room' else 'stay'}",
            )


def check_horizon(facts: PlanFacts) -> Iterator[Finding]:
    """Every dated action happens inside the horizon."""
    first, last = facts.periods[0], facts.periods[-1]
    for action in facts.plan.actions:
        if action.period is not None and not facts.in_horizon(action.period):
            yield Finding(
                "horizon", (action.id,),
                f"{action.kind} {action.action} in {action.period} is outside the horizon {first}..{last}",
                action.period,
            )


# --- what may happen to which object ---------------------------------------------------


def check_classified(facts: PlanFacts) -> Iterator[Finding]:
    """Classified rooms, networks and systems are never planned."""
    for kind in ("room", "network", "system"):
        for record in _records(facts.inventory, kind).values():
            action = facts.actions.get((kind, record.id))
            if not record.classified or action is None or _is_done(kind, record):
                continue
            allowed = "keep" if kind == "room" else "stay"
            if action.action != allowed:
                yield Finding(
                    "classified", (record.id,),
                    f"classified {kind} is out of scope and cannot {action.action}: "
                    f"write action {allowed} with reason classified",
                    action.period,
                )
            elif action.reason != "classified":
                yield Finding(
                    "classified", (record.id,), f"classified {kind} should give reason classified",
                    severity="warning",
                )


def _planned_system(facts: PlanFacts, system: System) -> Action | None:
    """The action of a system the rules about its fate apply to: in scope, not done."""
    if system.classified or _is_done("system", system):
        return None
    return facts.actions.get(("system", system.id))


def check_must_stay(facts: PlanFacts) -> Iterator[Finding]:
    """``must_stay`` systems stay."""
    for system in facts.inventory.systems:
        action = _planned_system(facts, system)
        if system.must_stay and action is not None and action.action != "stay":
            reason = f" ({system.stay_reason})" if system.stay_reason else ""
            yield Finding(
                "must_stay", (system.id,),
                f"system must stay{reason} but the plan has it {action.action}: write action stay",
                action.period,
            )


def check_retire(facts: PlanFacts) -> Iterator[Finding]:
    """Systems marked ``retire`` are never migrated (staying is only a warning); no other system is retired."""
    for system in facts.inventory.systems:
        action = _planned_system(facts, system)
        if action is None or system.must_stay:
            continue
        if system.retire and action.action == "migrate":
            yield Finding(
                "retire", (system.id,),
                "system is marked retire, so it is shut down, never migrated: retire it in a quarter of the horizon",
                action.period,
            )
        elif system.retire and action.action == "stay":
            yield Finding(
                "retire", (system.id,),
                "system is marked retire but stays past the horizon: retiring it costs nothing",
                severity="warning",
            )
        elif not system.retire and action.action == "retire":
            yield Finding(
                "retire", (system.id,),
                "system is not marked retire in the inventory: migrate it or let it stay "
                "(or set retire: true through an override)",
                action.period,
            )


def check_must_keep(facts: PlanFacts) -> Iterator[Finding]:
    """``must_keep`` networks are interconnected, never migrated; other networks are never interconnected."""
    for network in facts.inventory.networks:
        action = facts.actions.get(("network", network.id))
        if network.classified or _is_done("network", network) or action is None:
            continue
        if network.must_keep and action.action == "migrate":
            reason = f" ({network.keep_reason})" if network.keep_reason else ""
            yield Finding(
                "must_keep", (network.id,),
                f"network must be kept{reason}: interconnect it with the extranet instead of migrating it",
                action.period,
            )
        elif not network.must_keep and action.action == "interconnect":
            yield Finding(
                "must_keep", (network.id,),
                "only must_keep networks are interconnected: migrate it onto the extranet or let it stay",
                action.period,
            )


# --- where systems go -------------------------------------------------------------------

PlacementRole = Literal["primary", "active-active copy", "backup"]


def _department_region(inventory: Inventory, system: System) -> str:
    department = inventory.department_by_id.get(system.department)
    region = department.region if department is not None else None
    return region if region is not None else inventory.region


def placement_problems(inventory: Inventory, system: System, pool: CloudPool, role: PlacementRole) -> list[str]:
    """Why ``pool`` cannot hold this system in this role; empty when it can."""
    problems: list[str] = []
    if role != "backup":
        if system.arch == "x86" and pool.arch == "xinchuang" and system.xinchuang_adapt_days is None:
            problems.append("it is x86 with no xinchuang_adapt_days, so it cannot run on a xinchuang pool")
        if system.arch == "xinchuang" and pool.arch != "xinchuang":
            problems.append(f"it runs on xinchuang, the pool is {pool.arch}")
    if pool.mlps_max < system.mlps_level:
        problems.append(f"its MLPS level {system.mlps_level} exceeds the pool's mlps_max {pool.mlps_max}")
    pin = system.cloud
    if pin is not None:
        if pin in inventory.cloud_by_id:
            if role == "primary" and pool.id != pin:
                problems.append(f"it is pinned to pool {pin}")
        elif pool.kind != pin:
            problems.append(f"it is pinned to {pin} pools, this one is {pool.kind}")
    if pool.industry is not None and pool.industry != system.department:
        problems.append(f"the pool is the industry cloud of {pool.industry}, the system belongs to {system.department}")
    if pool.region is not None:
        region = _department_region(inventory, system)
        if region != pool.region:
            problems.append(f"the pool serves region {pool.region}, department {system.department} is in {region}")
    return problems


def check_pool_eligibility(facts: PlanFacts) -> Iterator[Finding]:
    """A system goes to a pool it can run on, certified for its level, allowed by pin, industry and region."""
    for system_id, placement in facts.placements.items():
        system = facts.inventory.system_by_id[system_id]
        problems = placement_problems(facts.inventory, system, placement.pool, "primary")
        if problems:
            yield Finding(
                "pool_eligibility", (system_id, placement.pool.id),
                f"system cannot go to pool {placement.pool.id}: {'; '.join(problems)}: choose an eligible pool",
                placement.period,
            )


def check_dr(facts: PlanFacts) -> Iterator[Finding]:
    """Active-active copies and backups sit in an eligible pool of another zone; ``dr: none`` has no dr_target."""
    for system_id, placement in facts.placements.items():
        system = facts.inventory.system_by_id[system_id]
        action = facts.actions[("system", system_id)]
        if system.dr == "none":
            if action.dr_target is not None:
                yield Finding(
                    "dr", (system_id, action.dr_target),
                    "system has dr: none, so it takes no dr_target (remove it)", placement.period,
                )
            continue
        copy = "active-active copy" if system.dr == "active-active" else "backup"
        if placement.dr_pool is None:
            if action.dr_target is None:
                yield Finding(
                    "dr", (system_id,),
                    f"system has dr: {system.dr}: give a dr_target pool for its {copy} in another zone",
                    placement.period,
                )
            continue
        if placement.dr_pool.zone_key == placement.pool.zone_key:
            yield Finding(
                "dr", (system_id, placement.pool.id, placement.dr_pool.id),
                f"the {copy} in {placement.dr_pool.id} is in the same zone as the primary in {placement.pool.id}: "
                "choose a dr_target in another zone",
                placement.period,
            )
        problems = placement_problems(facts.inventory, system, placement.dr_pool, copy)
        if copy == "active-active copy" and placement.dr_pool.arch != placement.pool.arch:
            problems.append(f"an active-active copy runs the primary's build, on {placement.pool.arch}, "
                            f"the pool is {placement.dr_pool.arch}")
        if problems:
            yield Finding(
                "dr", (system_id, placement.dr_pool.id),
                f"the {copy} cannot go to pool {placement.dr_pool.id}: {'; '.join(problems)}",
                placement.period,
            )


# --- order of events --------------------------------------------------------------------


def check_network_precedence(facts: PlanFacts) -> Iterator[Finding]:
    """A system migrates no earlier than every network its users reach it through is migrated or interconnected."""
    for system_id, migrated in facts.on_cloud_from.items():
        if migrated == facts.before_horizon:
            continue
        for network_id in facts.inventory.system_by_id[system_id].networks:
            ready = facts.network_ready_at(network_id)
            if ready is None:
                yield Finding(
                    "network_precedence", (system_id, network_id),
                    f"system migrates in {migrated} but its network {network_id} is never migrated or interconnected: "
                    f"move {network_id} by {migrated} or let the system stay",
                    migrated,
                )
            elif ready > migrated:
                yield Finding(
                    "network_precedence", (system_id, network_id),
                    f"system migrates in {migrated} but its network {network_id} is ready only in {ready}: "
                    f"move the system to {ready} or later, or the network earlier",
                    migrated,
                )


def check_requires(facts: PlanFacts) -> Iterator[Finding]:
    """A system migrates no earlier than the systems it requires are on a cloud (or retired)."""
    for system_id, migrated in facts.on_cloud_from.items():
        if migrated == facts.before_horizon:
            continue
        for required_id in facts.inventory.system_by_id[system_id].requires:
            ready = facts.leaves_at(required_id)
            if ready is None:
                yield Finding(
                    "requires", (system_id, required_id),
                    f"system migrates in {migrated} but the system it requires, {required_id}, never moves to a "
                    f"cloud: migrate {required_id} by {migrated} or let {system_id} stay",
                    migrated,
                )
            elif ready > migrated:
                yield Finding(
                    "requires", (system_id, required_id),
                    f"system migrates in {migrated} but the system it requires, {required_id}, moves only in "
                    f"{ready}: move {system_id} to {ready} or later, or {required_id} earlier",
                    migrated,
                )


def check_co_migrate(facts: PlanFacts) -> Iterator[Finding]:
    """``co_migrate`` partners leave in the same period."""
    reported: set[frozenset[str]] = set()
    for system in facts.inventory.systems:
        if _is_done("system", system):
            continue
        own = facts.leaves_at(system.id)
        for partner_id in system.co_migrate:
            partner = facts.inventory.system_by_id.get(partner_id)
            pair = frozenset((system.id, partner_id))
            if partner is None or _is_done("system", partner) or pair in reported:
                continue
            theirs = facts.leaves_at(partner_id)
            if own != theirs:
                reported.add(pair)
                own_text = str(own) if own is not None else "never"
                their_text = str(theirs) if theirs is not None else "never"
                yield Finding(
                    "co_migrate", tuple(sorted(pair)),
                    f"{system.id} moves {own_text} but its co_migrate partner {partner_id} moves {their_text}: "
                    "move them in the same period",
                    own or theirs,
                )


def check_room_closure(facts: PlanFacts) -> Iterator[Finding]:
    """A room closes no earlier than its last system leaves; a room with a staying system cannot close."""
    systems_in_room: dict[str, list[System]] = defaultdict(list)
    for system in facts.inventory.systems:
        if system.room is not None and system.state == "legacy":
            systems_in_room[system.room].append(system)
    for room in facts.inventory.rooms:
        closes = facts.closed_from.get(room.id)
        if closes is None or closes == facts.before_horizon:
            continue
        for system in systems_in_room[room.id]:
            leaves = facts.leaves_at(system.id)
            if leaves is None:
                why = "is classified" if system.classified else "must stay" if system.must_stay else "stays"
                yield Finding(
                    "room_closure", (room.id, system.id),
                    f"room closes in {closes} but system {system.id} {why} in it: keep the room open"
                    + ("" if system.classified or system.must_stay else f", or move {system.id} out first"),
                    closes,
                )
            elif leaves > closes:
                yield Finding(
                    "room_closure", (room.id, system.id),
                    f"room closes in {closes} but its system {system.id} leaves only in {leaves}: "
                    f"close it in {leaves} or later",
                    closes,
                )


# --- 应迁尽迁 / 应上尽上 ----------------------------------------------------------------------


def _has_placement(inventory: Inventory, system: System) -> bool:
    """Some pool may hold the system, and, with DR, some pool of another zone its copy."""
    for primary in inventory.clouds:
        if placement_problems(inventory, system, primary, "primary"):
            continue
        if system.dr == "none":
            return True
        copy: PlacementRole = "active-active copy" if system.dr == "active-active" else "backup"
        for other in inventory.clouds:
            if other.zone_key == primary.zone_key or placement_problems(inventory, system, other, copy):
                continue
            if copy == "backup" or other.arch == primary.arch:
                return True
    return False


def blocked_systems(inventory: Inventory) -> dict[str, str]:
    """Systems in scope (not classified, not must_stay, not done) that no plan can move, with why.

    Read from the contract alone: no placement (pool and DR copy), a classified network its
    users reach it through or a ``requires`` that stays (both only for a migration), a
    ``co_migrate`` partner that stays; blocks propagate until nothing changes.
    """
    systems = inventory.system_by_id
    in_scope = {s.id for s in inventory.systems if not (s.classified or s.must_stay or _is_done("system", s))}
    staying = {s.id for s in inventory.systems if (s.classified or s.must_stay) and not _is_done("system", s)}
    blocked: dict[str, str] = {}
    for sid in sorted(in_scope):
        if not systems[sid].retire and not _has_placement(inventory, systems[sid]):
            blocked[sid] = "no pool (or no pool pair in two zones for its DR copy) may take it"
    networks = inventory.network_by_id
    changed = True
    while changed:
        changed = False
        for sid in sorted(in_scope - blocked.keys()):
            system = systems[sid]
            stays = staying | blocked.keys()
            why = next((f"co_migrate partner {p} stays" for p in system.co_migrate if p in stays), None)
            if why is None and not system.retire:
                why = next((f"network {n} is classified" for n in system.networks
                            if n in networks and networks[n].classified and networks[n].state == "private"), None)
                why = why or next((f"requires {r}, which stays" for r in system.requires if r in stays), None)
            if why is not None:
                blocked[sid] = why
                changed = True
    return blocked


def check_completion(facts: PlanFacts) -> Iterator[Finding]:
    """Every eligible object is done by ``complete_by``; blocked stays are listed in ``warnings``."""
    due = facts.scenario.complete_by
    inventory = facts.inventory
    blocked = blocked_systems(inventory)
    warned = {(w.kind, w.id) for w in facts.plan.warnings}
    for sid, why in sorted(blocked.items()):
        action = facts.actions.get(("system", sid))
        if action is not None and action.action == "stay" and ("system", sid) not in warned:
            yield Finding("warnings", (sid,), f"system stays, blocked ({why}): list it in the plan's warnings",
                          severity="warning")
    if due is None:
        return
    severity: Severity = "warning" if facts.scenario.targets.soft else "error"
    late = " (soft target: costs a penalty)" if facts.scenario.targets.soft else ""
    unmovable = blocked.keys() | {s.id for s in inventory.systems if s.classified or s.must_stay}
    for system in inventory.systems:
        if system.classified or system.must_stay or _is_done("system", system) or system.id in blocked:
            continue
        leaves = facts.leaves_at(system.id)
        if leaves is None or leaves > due:
            verb = "retire" if system.retire else "migrate"
            yield Finding(
                "completion", (system.id,),
                f"system is eligible (应上尽上) but {'never leaves' if leaves is None else f'leaves only in {leaves}'}: "
                f"{verb} it by {due}{late}", leaves, severity,
            )
    for network in inventory.networks:
        if network.classified or _is_done("network", network):
            continue
        ready = facts.network_ready_at(network.id)
        if ready is None or ready > due:
            verb = "interconnect" if network.must_keep else "migrate"
            yield Finding(
                "completion", (network.id,),
                f"network is eligible (应迁尽迁) but {'stays private' if ready is None else f'is ready only in {ready}'}: "
                f"{verb} it by {due}{late}", ready, severity,
            )
    hosted: dict[str, list[str]] = defaultdict(list)
    for system in inventory.systems:
        if system.room is not None and system.state == "legacy":
            hosted[system.room].append(system.id)
    for room in inventory.rooms:
        if room.classified or _is_done("room", room) or any(sid in unmovable for sid in hosted[room.id]):
            continue
        closes = facts.closed_from.get(room.id)
        if closes is None or closes > due:
            yield Finding(
                "completion", (room.id,),
                f"room hosts only eligible systems but {'stays open' if closes is None else f'closes only in {closes}'}: "
                f"close it by {due}{late}", closes, severity,
            )


# --- limits that hold in every period ------------------------------------------------------


@dataclass(frozen=True)
class PoolUse:
    """Resources one system (or copy) takes in a pool from a period on."""

    system_id: str
    pool_id: str
    since: Period
    vcpu: float
    memory_gb: float
    storage_tb: float


def pool_uses(facts: PlanFacts) -> list[PoolUse]:
    """What runs in each pool: systems already there, the plan's primaries and their DR copies."""
    uses: list[PoolUse] = []
    for system in facts.inventory.systems:
        if system.state == "cloud" and system.current_cloud is not None:
            uses.append(PoolUse(system.id, system.current_cloud, facts.before_horizon,
                                system.vcpu, system.memory_gb, system.storage_tb))
    for system_id, placement in facts.placements.items():
        system = facts.inventory.system_by_id[system_id]
        uses.append(PoolUse(system_id, placement.pool.id, placement.period,
                            system.vcpu, system.memory_gb, system.storage_tb))
        if placement.dr_pool is None:
            continue
        if system.dr == "active-active":
            uses.append(PoolUse(system_id, placement.dr_pool.id, placement.period,
                                system.vcpu, system.memory_gb, system.storage_tb))
        elif system.dr == "backup":
            uses.append(PoolUse(system_id, placement.dr_pool.id, placement.period, 0, 0, system.storage_tb))
    return uses


@dataclass(frozen=True)
class Load:
    """An amount of a limited resource that one object takes from a period on."""

    object_id: str
    since: Period
    amount: float


@dataclass(frozen=True)
class Shortfall:
    """A period in which the loads running exceed what the limit has grown to by then."""

    period: Period
    used: float
    available: float
    arriving: tuple[str, ...]
    """The objects that arrive in that period (every running one when none does), sorted, each once."""


def first_shortfall(
    loads: list[Load], additions: Mapping[Period, float], periods: Iterable[Period],
) -> Shortfall | None:
    """The first period in which the loads exceed the limit, which grows by ``additions[start]`` from each start.

    Only the first is reported: later periods usually repeat the same shortfall, and the
    first one is what to fix.
    """
    for period in periods:
        available = sum(amount for start, amount in additions.items() if start <= period)
        running = [load for load in loads if load.since <= period and load.amount > 0]
        used = sum(load.amount for load in running)
        if used > available + SLACK:
            arriving = [load for load in running if load.since == period] or running
            return Shortfall(period, used, available, tuple(sorted({load.object_id for load in arriving})))
    return None


def check_capacity(facts: PlanFacts) -> Iterator[Finding]:
    """Per pool and resource, cumulative capacity covers everything running there."""
    uses_by_pool: dict[str, list[PoolUse]] = defaultdict(list)
    for use in pool_uses(facts):
        uses_by_pool[use.pool_id].append(use)
    for pool in facts.inventory.clouds:
        uses = uses_by_pool.get(pool.id, [])
        if not uses:
            continue
        for resource in RESOURCES:
            loads = [Load(use.system_id, use.since, getattr(use, resource)) for use in uses]
            additions = {start: getattr(added, resource) for start, added in pool.capacity.items()}
            shortfall = first_shortfall(loads, additions, facts.periods)
            if shortfall is not None:
                yield Finding(
                    "capacity", (pool.id, *shortfall.arriving),
                    f"pool {pool.id} needs {_number(shortfall.used)} {resource} in {shortfall.period} "
                    f"but has {_number(shortfall.available)} (arriving then: {_named(shortfall.arriving)}): "
                    "move systems later or elsewhere, or add capacity",
                    shortfall.period,
                )


def check_extranet(facts: PlanFacts) -> Iterator[Finding]:
    """Cumulative extranet bandwidth covers every migrated network."""
    loads = [Load(network.id, since, network.bandwidth_mbps) for network in facts.inventory.networks
             if (since := facts.migrated_from.get(network.id)) is not None]
    shortfall = first_shortfall(loads, facts.inventory.extranet.bandwidth_mbps, facts.periods)
    if shortfall is not None:
        yield Finding(
            "extranet", shortfall.arriving,
            f"migrated networks need {_number(shortfall.used)} Mbps of extranet in {shortfall.period} "
            f"but it has {_number(shortfall.available)} (migrating then: {_named(shortfall.arriving)}): "
            "migrate later or add bandwidth",
            shortfall.period,
        )


def system_effort_days(system: System, placement: Placement) -> float:
    """A migration's effort, with the xinchuang adaptation when it lands on a xinchuang pool."""
    pools = [placement.pool]
    if system.dr == "active-active" and placement.dr_pool is not None:
        pools.append(placement.dr_pool)
    adapts = system.arch == "x86" and any(pool.arch == "xinchuang" for pool in pools)
    adaptation = (system.xinchuang_adapt_days or 0) if adapts else 0
    return system.effort_days + adaptation


def dated_work(facts: PlanFacts) -> list[tuple[str, Period, float, float]]:
    """Every dated action of the plan as (object id, period, team days, one-off cost in 万元)."""
    work: list[tuple[str, Period, float, float]] = []
    for system_id, placement in facts.placements.items():
        system = facts.inventory.system_by_id[system_id]
        work.append((system_id, placement.period, system_effort_days(system, placement), system.migration_cost_wan))
    for system_id, period in facts.retired_from.items():
        if period != facts.before_horizon:
            work.append((system_id, period, 0.0, 0.0))
    for network in facts.inventory.networks:
        migrated = facts.migrated_from.get(network.id)
        interconnected = facts.interconnected_from.get(network.id)
        if migrated is not None and migrated != facts.before_horizon:
            work.append((network.id, migrated, network.migration_effort_days, network.migration_cost_wan))
        if interconnected is not None and interconnected != facts.before_horizon:
            work.append((network.id, interconnected, network.interconnect_effort_days, network.interconnect_cost_wan))
    for room in facts.inventory.rooms:
        closed = facts.closed_from.get(room.id)
        if closed is not None and closed != facts.before_horizon:
            work.append((room.id, closed, 0.0, room.close_cost_wan))
    return work


def check_team_days(facts: PlanFacts) -> Iterator[Finding]:
    """The migration team's person-days per quarter suffice."""
    limit = facts.scenario.resources.team_days_per_period
    if limit is None:
        return
    busy_by_period: dict[Period, list[tuple[str, float]]] = defaultdict(list)
    for object_id, when, days, _ in dated_work(facts):
        if days > 0:
            busy_by_period[when].append((object_id, days))
    for period in facts.periods:
        busy = busy_by_period[period]
        used = sum(days for _, days in busy)
        if used > limit + SLACK:
            yield Finding(
                "team_days", tuple(sorted(object_id for object_id, _ in busy)),
                f"work in {period} needs {_number(used)} person-days, the team has {_number(limit)}: "
                "spread these actions over other quarters",
                period,
            )


def check_budget(facts: PlanFacts) -> Iterator[Finding]:
    """One-off spending per year stays within the year's budget."""
    budgets = facts.scenario.resources.budget_wan_per_year
    work = dated_work(facts)
    for year, budget in sorted(budgets.items()):
        spending = [(object_id, cost) for object_id, when, _, cost in work
                    if when.year == year and facts.in_horizon(when) and cost > 0]
        spent = sum(cost for _, cost in spending)
        if spent > budget + SLACK:
            yield Finding(
                "budget", tuple(sorted(object_id for object_id, _ in spending)),
                f"one-off costs in {year} are {_number(spent)} 万元, the budget is {_number(budget)}: "
                "move some of these actions to another year",
            )


def check_freeze(facts: PlanFacts) -> Iterator[Finding]:
    """No cutover and no room closure in a freeze quarter."""
    frozen = set(facts.scenario.resources.freeze)
    for action in facts.plan.actions:
        if action.period is not None and action.period in frozen and action.action in DATED_ACTIONS:
            yield Finding(
                "freeze", (action.id,),
                f"{action.kind} {action.action} in {action.period}, a freeze quarter: move it to another quarter",
                action.period,
            )


def check_cutover_cap(facts: PlanFacts) -> Iterator[Finding]:
    """At most so many system migrations and retirements per department per quarter."""
    cap = facts.scenario.resources.max_cutovers_per_department_per_period
    if cap is None:
        return
    cutovers: dict[tuple[str, Period], list[str]] = defaultdict(list)
    for system in facts.inventory.systems:
        leaves = facts.leaves_at(system.id)
        if leaves is not None and leaves != facts.before_horizon:
            cutovers[(system.department, leaves)].append(system.id)
    for (department, period), systems in sorted(cutovers.items(), key=lambda item: (item[0][1], item[0][0])):
        if len(systems) > cap:
            yield Finding(
                "cutover_cap", (department, *sorted(systems)),
                f"department {department} cuts over {len(systems)} systems in {period}, at most {cap} allowed: "
                "move some to another quarter",
                period,
            )


# --- KPIs and cost -------------------------------------------------------------------


def _share(done: int, total: int) -> float:
    return done / total if total else 1.0


def compute_kpis(facts: PlanFacts) -> list[KpiRow]:
    """The three KPIs at the end of every period of the horizon."""
    options = facts.scenario.kpi
    rooms = [r.id for r in facts.inventory.rooms if not r.classified]
    networks = [n.id for n in facts.inventory.networks if not n.classified]
    systems = [s.id for s in facts.inventory.systems if not s.classified]
    # Without retired systems counted, every system marked retire (or retired before) leaves the
    # denominator in every period, not only once retired: the MILP keeps the ratio linear that way.
    systems_not_retiring = [s.id for s in facts.inventory.systems
                            if not s.classified and not s.retire and s.state != "retired"]

    def by(moments: dict[str, Period], ids: list[str], period: Period) -> int:
        return sum(1 for object_id in ids if (m := moments.get(object_id)) is not None and m <= period)

    rows: list[KpiRow] = []
    for period in facts.periods:
        networks_done = by(facts.migrated_from, networks, period)
        if options.count_interconnected_networks:
            networks_done += by(facts.interconnected_from, networks, period)
        if options.count_retired_systems:
            moved = by(facts.on_cloud_from, systems, period) + by(facts.retired_from, systems, period)
            adoption = _share(moved, len(systems))
        else:
            adoption = _share(by(facts.on_cloud_from, systems_not_retiring, period), len(systems_not_retiring))
        rows.append(KpiRow(
            period=period,
            room_consolidation=_share(by(facts.closed_from, rooms, period), len(rooms)),
            network_migration=_share(networks_done, len(networks)),
            cloud_adoption=adoption,
        ))
    return rows


def compute_min_cost(facts: PlanFacts) -> float:
    """FORMATS.md ``min_cost``: one-off costs in their period plus a quarter of annual running costs per period."""
    periods = facts.periods
    total = sum(cost for _, when, _, cost in dated_work(facts) if facts.in_horizon(when))

    def quarters_before(moment: Period | None) -> int:
        return sum(1 for p in periods if moment is None or p < moment)

    for room in facts.inventory.rooms:
        total += room.annual_cost_wan / 4 * quarters_before(facts.closed_from.get(room.id))
    for network in facts.inventory.networks:
        total += network.annual_cost_wan / 4 * quarters_before(facts.migrated_from.get(network.id))
    for system in facts.inventory.systems:
        if system.state == "cloud" and system.current_cloud in facts.inventory.cloud_by_id:
            rate = facts.inventory.cloud_by_id[system.current_cloud].vcpu_annual_cost_wan
            total += system.vcpu * rate / 4 * len(periods)
    for system_id, placement in facts.placements.items():
        system = facts.inventory.system_by_id[system_id]
        rate = placement.pool.vcpu_annual_cost_wan
        if system.dr == "active-active" and placement.dr_pool is not None:
            rate += placement.dr_pool.vcpu_annual_cost_wan
        running_quarters = sum(1 for p in periods if p >= placement.period)
        total += system.vcpu * rate / 4 * running_quarters
    return total


def year_end_period(facts: PlanFacts, year: int) -> Period | None:
    """The last quarter of ``year`` inside the horizon, where that year's targets are checked."""
    in_year = [p for p in facts.periods if p.year == year]
    return in_year[-1] if in_year else None


def check_kpi_targets(facts: PlanFacts, kpis: list[KpiRow]) -> Iterator[Finding]:
    """KPI floors hold at each target year's end; with ``targets.soft`` a miss is a warning."""
    targets = facts.scenario.targets
    row_at = {row.period: row for row in kpis}
    severity: Severity = "warning" if targets.soft else "error"
    for name in KPI_NAMES:
        for year, floor in sorted(targets.floors()[name].items()):
            period = year_end_period(facts, year)
            if period is None:
                yield Finding(
                    "kpi_target", (f"{name}@{year}",), f"target year {year} is outside the horizon: not checked",
                    severity="warning",
                )
                continue
            reached = getattr(row_at[period], name)
            if reached < floor - SLACK:
                yield Finding(
                    "kpi_target", (f"{name}@{year}",),
                    f"{name} reaches {reached:.4f} at {period}, the target is {floor:.4f}: "
                    "plan more moves by then" + (" (soft target: costs a penalty)" if targets.soft else ""),
                    period, severity,
                )


def check_objective(facts: PlanFacts, objective_wan: float) -> Iterator[Finding]:
    """The plan's ``objective_wan`` is the ``min_cost`` total of its actions."""
    reported = facts.plan.objective_wan
    if reported is None:
        yield Finding(
            "objective", (), f"the plan reports no objective_wan; its min_cost is {objective_wan:.4f} 万元",
            severity="warning",
        )
        return
    if not math.isfinite(reported):
        yield Finding("objective", (), f"the plan reports objective_wan {reported}, not a finite number; "
                      f"its actions cost {objective_wan:.4f} 万元")
        return
    tolerance = OBJECTIVE_RELATIVE_TOLERANCE * abs(objective_wan) + OBJECTIVE_ABSOLUTE_TOLERANCE_WAN
    if abs(reported - objective_wan) > tolerance:
        yield Finding(
            "objective", (),
            f"the plan reports objective_wan {reported:.4f} but its actions cost {objective_wan:.4f} 万元 "
            "(min_cost of FORMATS.md, without tie-breaking or penalty terms)",
        )


def check_kpi_rows(facts: PlanFacts, kpis: list[KpiRow]) -> Iterator[Finding]:
    """The plan's ``kpis`` has one row per period, each matching the recomputed KPIs."""
    reported: dict[Period, KpiRow] = {}
    for row in facts.plan.kpis:
        if row.period in reported:
            yield Finding("kpi_rows", (str(row.period),), f"two KPI rows for {row.period}: keep one", row.period)
        reported[row.period] = row
    expected = {row.period: row for row in kpis}
    for period in sorted(set(reported) - set(expected)):
        yield Finding("kpi_rows", (str(period),), f"KPI row for {period}, outside the horizon: remove it", period)
    for period, row in expected.items():
        given = reported.get(period)
        if given is None:
            yield Finding("kpi_rows", (str(period),), f"no KPI row for {period}: add one per period", period)
            continue
        for name in KPI_NAMES:
            # "not <=" and not ">": NaN compares false both ways, and a NaN KPI must not pass
            if not abs(getattr(given, name) - getattr(row, name)) <= KPI_TOLERANCE:
                yield Finding(
                    "kpi_rows", (f"{name}@{period}",),
                    f"the plan reports {name} {getattr(given, name):.6f} in {period}, its actions give "
                    f"{getattr(row, name):.6f}",
                    period,
                )


RULE_CHECKS: tuple[Callable[[PlanFacts], Iterator[Finding]], ...] = (
    check_plan_header,
    check_coverage,
    check_action_kinds,
    check_done,
    check_horizon,
    check_classified,
    check_must_stay,
    check_retire,
    check_must_keep,
    check_pool_eligibility,
    check_dr,
    check_network_precedence,
    check_requires,
    check_co_migrate,
    check_room_closure,
    check_completion,
    check_capacity,
    check_extranet,
    check_team_days,
    check_budget,
    check_freeze,
    check_cutover_cap,
)


def check_plan(plan: Plan, scenario: Scenario, inventory: Inventory) -> CheckReport:
    """Check a plan against every rule of the contract; recompute its cost and KPIs."""
    facts = PlanFacts.read(plan, scenario, inventory)
    findings = [finding for check in RULE_CHECKS for finding in check(facts)]
    kpis = compute_kpis(facts)
    objective_wan = compute_min_cost(facts)
    findings += check_kpi_targets(facts, kpis)
    findings += check_objective(facts, objective_wan)
    findings += check_kpi_rows(facts, kpis)
    return CheckReport(findings, objective_wan, kpis, plan.objective_wan)


