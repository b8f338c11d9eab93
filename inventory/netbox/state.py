"""Reading what NetBox holds for migplan: one pass per endpoint, joined locally by id."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pynetbox

from inventory.netbox.mapping import FieldSpec, Mapping

# Inventory list -> (pynetbox app, endpoint), in the order push creates them (references first).
ENDPOINTS: dict[str, tuple[str, str]] = {
    "departments": ("tenancy", "tenants"),
    "clouds": ("virtualization", "clusters"),
    "networks": ("ipam", "vrfs"),
    "rooms": ("dcim", "locations"),
    "systems": ("virtualization", "virtual_machines"),
}
# Only what push compares and pull reads, so 10,000 objects cost one page each, no detail calls.
READ_FIELDS: dict[str, str] = {
    "departments": "id,name,slug,tags,custom_fields",
    "clouds": "id,name,type,group,tags,custom_fields",
    "networks": "id,name,tenant,tags,custom_fields",
    "rooms": "id,name,slug,site,tenant,status,tags,custom_fields",
    "systems": "id,name,site,tenant,cluster,status,vcpus,memory,disk,tags,custom_fields",
}
PAGE_SIZE = 1000
# mp_origin of the objects push created; any other managed object is the user's (adopted).
ORIGIN_CREATED = "created"
ORIGIN_ADOPTED = "adopted"


def endpoint(api: pynetbox.api, list_name: str) -> Any:
    app, name = ENDPOINTS[list_name]
    return getattr(getattr(api, app), name)


def created_by_migplan(mapping: Mapping, record: dict[str, Any]) -> bool:
    """Whether push created this object: only those may be renamed, moved or deleted by migplan."""
    return (record.get("custom_fields") or {}).get(mapping.common("origin").cf) == ORIGIN_CREATED


def ref_id(value: Any) -> int | None:
    """A reference as NetBox reads it (a nested dict, or an id) -> its id."""
    if isinstance(value, dict):
        return int(value["id"])
    return value if value is None else int(value)


def read_custom_field(spec: FieldSpec, value: Any) -> Any:
    """A custom field value as NetBox reads it -> the raw value NetBox expects written."""
    if value is None:
        return [] if spec.type == "multiobject" else None
    if spec.type == "select":
        return value["value"] if isinstance(value, dict) else value
    if spec.type == "object":
        return ref_id(value)
    if spec.type == "multiobject":
        return sorted(ref_id(item) for item in value)
    return value


@dataclass
class NetBoxState:
    """The managed objects of each list, keyed by inventory id, plus NetBox id -> inventory id."""

    records: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    inventory_id_of: dict[str, dict[int, str]] = field(default_factory=dict)

    def add(self, list_name: str, record: dict[str, Any], id_field: str) -> None:
        inventory_id = (record.get("custom_fields") or {})[id_field]
        self.records[list_name][inventory_id] = record
        self.inventory_id_of[list_name][int(record["id"])] = inventory_id

    def netbox_id(self, list_name: str, inventory_id: str) -> int | None:
        record = self.records[list_name].get(inventory_id)
        return None if record is None else int(record["id"])


def read_state(api: pynetbox.api, mapping: Mapping, lists: tuple[str, ...] = tuple(ENDPOINTS)) -> NetBoxState:
    id_field = mapping.common("id").cf
    state = NetBoxState()
    for list_name in lists:
        rows = endpoint(api, list_name).filter(tag=mapping.tag_slug, fields=READ_FIELDS[list_name], limit=PAGE_SIZE)
        by_inventory_id: dict[str, dict[str, Any]] = {}
        for row in rows:
            record = dict(row)
            inventory_id = (record.get("custom_fields") or {}).get(id_field)
            if inventory_id is not None:
                by_inventory_id[inventory_id] = record
        state.records[list_name] = by_inventory_id
        state.inventory_id_of[list_name] = {int(r["id"]): i for i, r in by_inventory_id.items()}
    return state


# Where host objects are read from: object type -> (pynetbox app, endpoint), and the fields read.
HOST_ENDPOINTS: dict[str, tuple[str, str]] = {
    "virtualization.virtualmachine": ("virtualization", "virtual_machines"),
    "dcim.device": ("dcim", "devices"),
}
HOST_READ_FIELDS = "id,name,site,tenant,status,tags,custom_fields"


@dataclass(frozen=True)
class HostObject:
    """A VM or device serving a system: its slot is (system's NetBox id, position)."""

    object_type: str
    record: dict[str, Any]
    system_netbox_id: int | None
    position: int | None
    exact_name: str | None

    @property
    def name(self) -> str:
        # A device linked by hand has no mp_host_name: its NetBox name is the host.
        return self.record["name"] if self.exact_name is None else self.exact_name


def host_endpoint(api: pynetbox.api, object_type: str) -> Any:
    app, name = HOST_ENDPOINTS[object_type]
    return getattr(getattr(api, app), name)


def read_hosts(api: pynetbox.api, mapping: Mapping) -> list[HostObject]:
    """Every object tagged as a host, VMs and devices, one pass per endpoint."""
    system_cf, position_cf = mapping.host_field("system").cf, mapping.host_field("position").cf
    name_cf = mapping.host_field("name").cf
    hosts: list[HostObject] = []
    for object_type in mapping.raw["hosts"]["object_types"]:
        rows = host_endpoint(api, object_type).filter(tag=mapping.host_tag_slug, fields=HOST_READ_FIELDS,
                                                      limit=PAGE_SIZE)
        for row in rows:
            record = dict(row)
            custom = record.get("custom_fields") or {}
            hosts.append(HostObject(object_type, record, ref_id(custom.get(system_cf)), custom.get(position_cf),
                                    custom.get(name_cf)))
    return hosts


def hosts_by_system(hosts: list[HostObject]) -> dict[int, list[HostObject]]:
    """Linked host objects per system VM id, in the order pull lists them: by position, unset last."""
    grouped: dict[int, list[HostObject]] = {}
    for host in hosts:
        if host.system_netbox_id is not None:  # unlinked: a server of no system
            grouped.setdefault(host.system_netbox_id, []).append(host)
    for group in grouped.values():
        group.sort(key=lambda host: (host.position is None, host.position or 0, host.object_type, host.record["id"]))
    return grouped
