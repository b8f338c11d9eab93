"""The inventory (FORMATS.md section 1): departments, machine rooms, private networks,
information systems, cloud pools and the e-government extranet.

Records are immutable and validated field by field; cross-references (a system's
room, a network's department, ``requires`` ...) are checked by ``inventory.validate``,
where every problem can be reported at once with its location in the source file.
"""

from __future__ import annotations

import math
import re
import unicodedata
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from models.period import Period

MAX_QUANTITY = 1e9
"""Largest count, size or cost accepted: a billion vCPUs, GB, TB, days or 万元 is past any real inventory,
and bigger numbers only make the solver's arithmetic fail with a misleading message."""
_CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_IN_ID = re.compile(r"[\x00-\x1f\x7f]")


def _control_character(match: re.Match[str]) -> str:
    character = match.group()
    name = unicodedata.name(character, "") or {"\x00": "NUL", "\x1b": "ESC", "\x7f": "DEL"}.get(character, "control")
    return f"U+{ord(character):04X} {name}".rstrip()


def plain_text(value: str) -> str:
    """Free text may hold tabs and line breaks, never other control characters (NUL, ESC ...)."""
    found = _CONTROL_IN_TEXT.search(value)
    if found:
        raise ValueError(f"holds a control character ({_control_character(found)}) at position {found.start()}; remove it")
    return value


def _plain_id(value: str) -> str:
    """An id is one line of text: no control character at all."""
    found = _CONTROL_IN_ID.search(value)
    if found:
        raise ValueError(f"holds a control character ({_control_character(found)}) at position {found.start()}; remove it")
    return value


def _not_a_boolean(value: Any) -> Any:
    """``vcpu: true`` is a mistake, not 1: pydantic's lax mode would read it as 1."""
    if isinstance(value, bool):
        raise ValueError(f"must be a number, found {value!r}")
    return value


def _finite_number(value: Any) -> Any:
    """No booleans, and NaN or infinity named as such before the range checks see them."""
    value = _not_a_boolean(value)
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"must be a finite number, found {value!r}")
    return value


NonNegative = Annotated[float, BeforeValidator(_finite_number), Field(ge=0, le=MAX_QUANTITY, allow_inf_nan=False)]
Level = Annotated[int, BeforeValidator(_not_a_boolean), Field(ge=1, le=4)]
Id = Annotated[str, Field(min_length=1), AfterValidator(_plain_id)]
Text = Annotated[str, AfterValidator(plain_text)]

INVENTORY_FORMAT = "migplan-inventory/1"

DepartmentLevel = Literal["city", "county", "park"]
RoomState = Literal["open", "closed"]
NetworkState = Literal["private", "migrated", "interconnected"]
SystemState = Literal["legacy", "cloud", "retired"]
SystemArch = Literal["x86", "xinchuang", "any"]
PoolArch = Literal["x86", "xinchuang"]
PoolKind = Literal["city", "province", "industry", "hpc"]
Criticality = Literal["low", "medium", "high"]
DisasterRecovery = Literal["none", "active-active", "backup"]
POOL_KINDS: tuple[str, ...] = ("city", "province", "industry", "hpc")


class Record(BaseModel):
    """Base of every inventory record: immutable, no unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)


class Department(Record):
    """A government department, county-level government or park (委办局、区县、园区)."""

    id: Id
    """Unique id, any Unicode text."""
    name: Text
    """Official name, e.g. 市人力资源社会保障局."""
    level: DepartmentLevel = "city"
    """city, county or park."""
    region: Text | None = None
    """The region it belongs to; a pool with a ``region`` serves only departments of that region."""


class Room(Record):
    """A machine room (机房) to consolidate."""

    id: Id
    """Unique id."""
    name: Text
    """Name as the department calls it."""
    department: Id
    """Id of the owning department."""
    racks: NonNegative = 0
    """Rack count, for the decommissioning checklist."""
    annual_cost_wan: NonNegative
    """Power, cooling, rent and O&M per year while open, in 万元."""
    close_cost_wan: NonNegative
    """One-off cost of decommissioning, in 万元."""
    classified: bool = False
    """涉密机房: out of scope, never closed by a plan."""
    state: RoomState = "open"
    """open, or closed before the horizon."""


class Network(Record):
    """A non-classified private business network (非涉密业务专网) and friends."""

    id: Id
    """Unique id."""
    name: Text
    """Name, e.g. 人社金保专网."""
    department: Id
    """Id of the owning department."""
    classified: bool = False
    """涉密: out of scope."""
    must_keep: bool = False
    """确需保留: interconnected with the extranet instead of migrated."""
    keep_reason: Text = ""
    """Why it must be kept."""
    endpoints: NonNegative = 0
    """Access sites that must be cut over."""
    bandwidth_mbps: NonNegative
    """Extranet bandwidth the migrated traffic will use."""
    annual_cost_wan: NonNegative
    """Leased lines etc. per year while the private network runs."""
    migration_effort_days: NonNegative
    """Person-days to migrate it onto the extranet."""
    migration_cost_wan: NonNegative
    """One-off cost of migrating it."""
    interconnect_effort_days: NonNegative = 0
    """Person-days to interconnect it with the extranet."""
    interconnect_cost_wan: NonNegative = 0
    """One-off cost of interconnecting it."""
    state: NetworkState = "private"
    """private, or migrated / interconnected before the horizon."""


class System(Record):
    """A government information system (政务信息系统)."""

    id: Id
    """Unique id."""
    name: Text
    """Name, e.g. 社会保险业务系统."""
    department: Id
    """Id of the owning department."""
    room: Id | None = None
    """Room it runs in today; null when already on a cloud."""
    networks: tuple[Id, ...] = ()
    """Private networks its users reach it through."""
    classified: bool = False
    """涉密: never planned onto a cloud."""
    must_stay: bool = False
    """Exempt from 应上尽上."""
    stay_reason: Text = ""
    """Why it must stay."""
    retire: bool = False
    """To be shut down (撤并) instead of migrated."""
    mlps_level: Level
    """等保级别, 1 to 4."""
    arch: SystemArch = "x86"
    """What it runs on today: x86, xinchuang or any."""
    xinchuang_adapt_days: NonNegative | None = None
    """Effort to adapt it to a 信创 pool; absent means it cannot be adapted."""
    vcpu: NonNegative
    """vCPUs it needs on a cloud."""
    memory_gb: NonNegative
    """Memory it needs, GB."""
    storage_tb: NonNegative
    """Storage it needs, TB."""
    data_tb: NonNegative = 0
    """Data to copy at cutover, TB."""
    effort_days: NonNegative
    """Person-days to migrate, adaptation not included."""
    migration_cost_wan: NonNegative
    """One-off migration cost, 万元."""
    criticality: Criticality = "medium"
    """low, medium or high."""
    dr: DisasterRecovery = "none"
    """none, active-active (同城双活) or backup (异地灾备)."""
    requires: tuple[Id, ...] = ()
    """Systems that must be on a cloud in the same or an earlier period."""
    co_migrate: tuple[Id, ...] = ()
    """Systems that must move in the same period."""
    cloud: Id | None = None
    """Optional pin: a pool id or a pool kind (city, province, industry, hpc)."""
    state: SystemState = "legacy"
    """legacy, or cloud / retired before the horizon."""
    current_cloud: Id | None = None
    """Pool id when state is cloud."""
    hosts: tuple[Id, ...] = ()
    """Extension: the servers and VMs it runs on today (names or addresses), for the playbooks."""


class Capacity(Record):
    """Resources added to a pool from a period on."""

    vcpu: NonNegative = 0
    """vCPUs."""
    memory_gb: NonNegative = 0
    """Memory, GB."""
    storage_tb: NonNegative = 0
    """Storage, TB."""


class CloudPool(Record):
    """A target resource pool of the "1+1+N+14" clouds."""

    id: Id
    """Unique id."""
    name: Text
    """Name, e.g. 湘潭市政务云 x86 资源池."""
    kind: PoolKind
    """city, province, industry or hpc."""
    arch: PoolArch
    """x86 or xinchuang (信创)."""
    mlps_max: Level
    """Highest 等保 level it is certified for."""
    industry: Id | None = None
    """For an industry cloud: the department whose systems may use it."""
    region: Text | None = None
    """Serves only departments of this region; absent serves every region."""
    zone: Text | None = None
    """Availability zone; an active-active pair or a backup needs two different zones. Absent: its own zone."""
    capacity: dict[Period, Capacity] = {}
    """Capacity for migrated systems; each entry adds from that period on."""
    vcpu_annual_cost_wan: NonNegative = 0
    """Running cost per vCPU-year once a system runs there, 万元."""

    @property
    def zone_key(self) -> str:
        """The zone, or the pool's own id when it names none."""
        return self.zone if self.zone is not None else f"pool:{self.id}"


class Extranet(Record):
    """The e-government extranet (电子政务外网)."""

    bandwidth_mbps: dict[Period, NonNegative] = {}
    """Bandwidth for migrated networks; each entry adds from that period on."""


class Inventory(Record):
    """Everything the planner plans about."""

    format: Literal["migplan-inventory/1"] = INVENTORY_FORMAT
    """Always migplan-inventory/1."""
    region: Text = ""
    """The city or province this inventory covers."""
    departments: tuple[Department, ...] = ()
    """Departments."""
    rooms: tuple[Room, ...] = ()
    """Machine rooms."""
    networks: tuple[Network, ...] = ()
    """Private networks."""
    systems: tuple[System, ...] = ()
    """Information systems."""
    clouds: tuple[CloudPool, ...] = ()
    """Target pools."""
    extranet: Extranet = Extranet()
    """The e-government extranet."""

    @cached_property
    def department_by_id(self) -> dict[str, Department]:
        return {d.id: d for d in self.departments}

    @cached_property
    def room_by_id(self) -> dict[str, Room]:
        return {r.id: r for r in self.rooms}

    @cached_property
    def network_by_id(self) -> dict[str, Network]:
        return {n.id: n for n in self.networks}

    @cached_property
    def system_by_id(self) -> dict[str, System]:
        return {s.id: s for s in self.systems}

    @cached_property
    def cloud_by_id(self) -> dict[str, CloudPool]:
        return {c.id: c for c in self.clouds}

    def to_document(self) -> dict:
        """The inventory as the plain data FORMATS.md writes (lists, strings, no defaults dropped)."""
        return self.model_dump(mode="json")


LIST_NAMES: tuple[str, ...] = ("departments", "rooms", "networks", "systems", "clouds")
RECORD_TYPES: dict[str, type[Record]] = {
    "departments": Department,
    "rooms": Room,
    "networks": Network,
    "systems": System,
    "clouds": CloudPool,
}


def inventory_sha256(inventory: Inventory) -> str:
    """A digest of the inventory's content, independent of the file format it came from."""
    import hashlib
    import json

    canonical = json.dumps(inventory.to_document(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
