"""Policy, apart from the optimisation: what may happen to each object, and why not.

Classified (涉密) objects are out; must-stay systems stay; systems marked ``retire``
retire (撤并); must-keep networks (确需保留) are interconnected instead of migrated;
each system may use only the pools its architecture, 等保 level, pin, industry and
region allow, and a DR copy needs an eligible pool in another zone. Every "stay"
carries its reason. The three KPI definitions live here too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from models.inventory import POOL_KINDS, CloudPool, Inventory, Network, Room, System
from models.plan import PlanWarning
from models.scenario import KpiOptions

SystemFate = Literal["migrate", "retire", "stay", "done"]
NetworkFate = Literal["migrate", "interconnect", "stay", "done"]
RoomFate = Literal["close", "keep", "done"]


@dataclass(frozen=True)
class SystemPolicy:
    """What may happen to one system."""

    system: System
    fate: SystemFate
    """migrate or retire: the planner decides when (or, for migrate, whether); stay/done: fixed."""
    pools: tuple[str, ...] = ()
    """Eligible target pools, for fate migrate."""
    reason: str = ""
    """Why it stays or is done."""
    blocked: bool = False
    """Eligible in principle, but the inventory or the pools keep it from moving: the plan warns of it."""


@dataclass(frozen=True)
class NetworkPolicy:
    network: Network
    fate: NetworkFate
    reason: str = ""


@dataclass(frozen=True)
class RoomPolicy:
    room: Room
    fate: RoomFate
    reason: str = ""
    blocked: bool = False
    """Kept only because blocked systems stay in it: the plan warns of it."""


def arch_fits(pool: CloudPool, system: System) -> bool:
    """x86 needs x86 unless it can be adapted to 信创; xinchuang needs 信创; any fits both."""
    if system.arch == "xinchuang":
        return pool.arch == "xinchuang"
    if system.arch == "x86" and pool.arch == "xinchuang":
        return system.xinchuang_adapt_days is not None
    return True


def pool_accepts(pool: CloudPool, system: System, inventory: Inventory, *, copy: bool = False) -> bool:
    """Whether ``system`` (or, with ``copy``, its DR copy) may run in ``pool``: arch, 等保 level, pin,
    industry and region. A pin naming one pool binds the primary only: the copy must be elsewhere.
    A backup copy stores data only, so it needs no architecture match (FORMATS.md)."""
    backup_copy = copy and system.dr == "backup"
    if not backup_copy and not arch_fits(pool, system):
        return False
    if pool.mlps_max < system.mlps_level:
        return False
    if system.cloud is not None:
        pinned_kind = system.cloud in POOL_KINDS
        if (pinned_kind and pool.kind != system.cloud) or (not pinned_kind and not copy and pool.id != system.cloud):
            return False
    if pool.industry is not None and pool.industry != system.department:
        return False
    if pool.region is not None:
        # A department that names no region belongs to the inventory's region.
        department = inventory.department_by_id.get(system.department)
        region = department.region if department is not None and department.region else inventory.region
        if region != pool.region:
            return False
    return True


def needs_adaptation(system: System, pool: CloudPool) -> bool:
    """An x86 system placed in a 信创 pool must first be adapted."""
    return system.arch == "x86" and pool.arch == "xinchuang"


def system_effort_days(system: System, pool: CloudPool | None) -> float:
    """Team days to migrate: the system's effort plus 信创 adaptation where the pool needs it."""
    if pool is None:
        return 0.0
    adaptation = (system.xinchuang_adapt_days or 0.0) if needs_adaptation(system, pool) else 0.0
    return system.effort_days + adaptation


def dr_pools(system: System, primary: CloudPool, inventory: Inventory) -> list[CloudPool]:
    """Pools that may hold the DR copy of ``system`` when its primary is ``primary``: another zone, eligible.

    An active-active copy runs the same build as the primary, so it needs a pool of the
    primary's architecture (信创 adaptation is then paid once, for both); a backup holds data
    only, so any architecture will do (FORMATS.md: a backup needs no architecture match).
    """
    active = system.dr == "active-active"
    return [
        pool
        for pool in inventory.clouds
        if pool.zone_key != primary.zone_key
        and pool_accepts(pool, system, inventory, copy=True)
        and (not active or pool.arch == primary.arch)
    ]


def system_policies(inventory: Inventory) -> dict[str, SystemPolicy]:
    policies: dict[str, SystemPolicy] = {}
    for system in inventory.systems:
        policies[system.id] = _system_policy(system, inventory)
    return policies


def _system_policy(system: System, inventory: Inventory) -> SystemPolicy:
    if system.state == "cloud":
        return SystemPolicy(system, "done", reason=f"on cloud pool {system.current_cloud} before the horizon")
    if system.state == "retired":
        return SystemPolicy(system, "done", reason="retired before the horizon")
    if system.classified:
        return SystemPolicy(system, "stay", reason="classified")
    if system.must_stay:
        return SystemPolicy(system, "stay", reason=f"must stay: {system.stay_reason}" if system.stay_reason else "must stay")
    if system.retire:
        return SystemPolicy(system, "retire")
    pools = [pool for pool in inventory.clouds if pool_accepts(pool, system, inventory)]
    if system.dr != "none":
        pools = [pool for pool in pools if dr_pools(system, pool, inventory)]
    if not pools:
        return SystemPolicy(system, "stay", reason=why_no_pool(system, inventory), blocked=True)
    return SystemPolicy(system, "migrate", pools=tuple(pool.id for pool in pools))


ARCH_NAMES = {"x86": "x86", "xinchuang": "信创"}


def why_no_pool(system: System, inventory: Inventory) -> str:
    """Why no pool (or no pair of pools for its DR copy) can take ``system``, and what would change that."""
    arch_ok = [pool for pool in inventory.clouds if arch_fits(pool, system)]
    if not arch_ok:
        if system.arch == "xinchuang":
            return "no eligible pool: it runs on 信创 and there is no 信创 pool: add one"
        if system.arch == "x86":
            return ("no eligible pool: it runs on x86, there is no x86 pool and it has no xinchuang_adapt_days: "
                    "add an x86 pool, or give xinchuang_adapt_days")
        return "no eligible pool: the inventory has no pool: add one"
    level_ok = [pool for pool in arch_ok if pool.mlps_max >= system.mlps_level]
    if not level_ok:
        return (f"no eligible pool: none it runs on is certified for 等保 level {system.mlps_level}: "
                f"certify one (mlps_max {system.mlps_level}), or review mlps_level")
    primaries = [pool for pool in level_ok if pool_accepts(pool, system, inventory)]
    if not primaries:
        unpinned = system.model_copy(update={"cloud": None})
        if system.cloud is not None and any(pool_accepts(pool, unpinned, inventory) for pool in level_ok):
            return (f"no eligible pool: its cloud pin {system.cloud} excludes every pool it may use: "
                    "change `cloud`, or add such a pool")
        return ("no eligible pool: industry clouds and pool regions exclude every pool it runs on: "
                "add a pool serving its department's region, or set the department's region")
    arches = "/".join(sorted({ARCH_NAMES[pool.arch] for pool in primaries}))
    if system.dr == "active-active":
        return (f"no eligible pool pair: {arches}-only with active-active needs two such pools in different zones: "
                f"add a {arches} pool in a second zone, or change `dr`")
    return ("no eligible pool pair: its backup needs an eligible pool in another zone than its primary: "
            "add a pool in a second zone, or change `dr`")


def network_policies(inventory: Inventory) -> dict[str, NetworkPolicy]:
    policies: dict[str, NetworkPolicy] = {}
    for network in inventory.networks:
        if network.state != "private":
            policies[network.id] = NetworkPolicy(network, "done", reason=f"{network.state} before the horizon")
        elif network.classified:
            policies[network.id] = NetworkPolicy(network, "stay", reason="classified")
        elif network.must_keep:
            policies[network.id] = NetworkPolicy(network, "interconnect", reason=network.keep_reason)
        else:
            policies[network.id] = NetworkPolicy(network, "migrate")
    return policies


def room_policies(inventory: Inventory, systems: dict[str, SystemPolicy]) -> dict[str, RoomPolicy]:
    """A room closes only when all its systems can leave; one hosting a staying system is kept.

    A room kept only because blocked systems stay in it is blocked too: it closes once they can move.
    """
    staying: dict[str, list[SystemPolicy]] = {}
    for policy in systems.values():
        if policy.fate == "stay" and policy.system.room is not None:
            staying.setdefault(policy.system.room, []).append(policy)
    policies: dict[str, RoomPolicy] = {}
    for room in inventory.rooms:
        if room.state == "closed":
            policies[room.id] = RoomPolicy(room, "done", reason="closed before the horizon")
        elif room.classified:
            policies[room.id] = RoomPolicy(room, "keep", reason="classified")
        elif room.id in staying:
            hosted = [policy.system.id for policy in staying[room.id]]
            shown = ", ".join(hosted[:3]) + (f" and {len(hosted) - 3} more" if len(hosted) > 3 else "")
            blocked = all(policy.blocked for policy in staying[room.id])
            reason = f"hosts staying systems: {shown}" + (": it closes once they can move" if blocked else "")
            policies[room.id] = RoomPolicy(room, "keep", reason=reason, blocked=blocked)
        else:
            policies[room.id] = RoomPolicy(room, "close")
    return policies


def blocked_warnings(systems: dict[str, SystemPolicy], rooms: dict[str, RoomPolicy]) -> list[PlanWarning]:
    """The plan's ``warnings``: every object eligible in principle that the inventory or the pools keep in place."""
    found = [PlanWarning(kind="system", id=sid, reason=policy.reason) for sid, policy in systems.items() if policy.blocked]
    found += [PlanWarning(kind="room", id=rid, reason=policy.reason) for rid, policy in rooms.items() if policy.blocked]
    return found


@dataclass(frozen=True)
class KpiScope:
    """Numerators already reached before the horizon, and the denominators, of the three KPIs."""

    rooms_total: int
    rooms_done: int
    networks_total: int
    networks_done: int
    systems_total: int
    systems_done: int
    count_interconnected: bool
    count_retired: bool

    def counts_network(self, fate: NetworkFate) -> bool:
        return fate == "migrate" or (fate == "interconnect" and self.count_interconnected)

    def counts_system(self, fate: SystemFate) -> bool:
        return fate == "migrate" or (fate == "retire" and self.count_retired)


def kpi_scope(inventory: Inventory, options: KpiOptions) -> KpiScope:
    """KPI denominators and what is done before the horizon (classified objects are out).

    ``cloud_adoption`` without retired systems counted leaves every system marked
    ``retire`` or already ``retired`` out of its denominator, so the ratio stays linear.
    """
    rooms = [r for r in inventory.rooms if not r.classified]
    networks = [n for n in inventory.networks if not n.classified]
    counted_network_states = {"migrated", "interconnected"} if options.count_interconnected_networks else {"migrated"}
    systems = [s for s in inventory.systems if not s.classified]
    if not options.count_retired_systems:
        systems = [s for s in systems if not s.retire and s.state != "retired"]
    counted_system_states = {"cloud", "retired"} if options.count_retired_systems else {"cloud"}
    return KpiScope(
        rooms_total=len(rooms),
        rooms_done=sum(r.state == "closed" for r in rooms),
        networks_total=len(networks),
        networks_done=sum(n.state in counted_network_states for n in networks),
        systems_total=len(systems),
        systems_done=sum(s.state in counted_system_states for s in systems),
        count_interconnected=options.count_interconnected_networks,
        count_retired=options.count_retired_systems,
    )
