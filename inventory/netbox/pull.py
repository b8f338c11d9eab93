"""NetBoxSource(url, token).load(): read the inventory back from NetBox, validated like a file."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pynetbox

from inventory.files import write_inventory
from inventory.netbox.client import connect, guarded
from inventory.netbox.mapping import Mapping, load_mapping
from inventory.netbox.state import (
    ENDPOINTS,
    NetBoxState,
    created_by_migplan,
    endpoint,
    hosts_by_system,
    read_custom_field,
    read_hosts,
    read_state,
    ref_id,
)
from inventory.source import RawInventory
from inventory.validate import validate
from models.errors import Problem, SourceError
from models.inventory import INVENTORY_FORMAT, Inventory

LIST_OF_RELATED = {"dcim.location": "rooms", "ipam.vrf": "networks", "virtualization.virtualmachine": "systems",
                   "tenancy.tenant": "departments", "virtualization.cluster": "clouds"}


# What NetBox calls each list's objects, for messages.
NETBOX_KINDS = {"departments": "tenants", "clouds": "clusters", "networks": "VRFs", "rooms": "locations",
                "systems": "virtual machines"}
# NetBox keeps a VM's memory and disk in MB; 1 GB = 1000 MB and 1 TB = 1000 GB, as NetBox counts.
MB_PER_GB = 1000
MB_PER_TB = 1_000_000


def _inventory_id(state: NetBoxState, list_name: str, netbox_id: int | None, where: str) -> str | None:
    if netbox_id is None:
        return None
    try:
        return state.inventory_id_of[list_name][netbox_id]
    except KeyError:
        raise SourceError(f"{where}: refers to {NETBOX_KINDS[list_name][:-1]} #{netbox_id}, which migplan does not "
                          f"manage (no migplan tag or no mp_id): adopt it with `migplan netbox adopt`") from None


def require_schema(api: pynetbox.api, mapping: Mapping) -> None:
    """Stop with a pointer to `netbox init` when NetBox does not know migplan's tag yet."""
    if api.extras.tags.get(slug=mapping.tag_slug) is None:
        raise SourceError(f"NetBox at {api.base_url.removesuffix('/api')} has no migplan schema yet "
                          f"(no tag {mapping.tag_slug!r}): run `migplan netbox init` first")


def unmanaged_counts(api: pynetbox.api, mapping: Mapping, state: NetBoxState) -> dict[str, int]:
    """How many objects of each list's kind NetBox holds that migplan does not manage (one count each)."""
    counts: dict[str, int] = {}
    for list_name in ENDPOINTS:
        total = endpoint(api, list_name).count()
        if list_name == "systems":  # VMs push made as servers of its systems are migplan's too
            total -= api.virtualization.virtual_machines.count(tag=mapping.host_tag_slug)
        counts[list_name] = max(total - len(state.records[list_name]), 0)
    return counts


def _adopted_value(mapping: Mapping, list_name: str, field_name: str, custom: dict[str, Any]) -> Any:
    spec = mapping.adopted_fields(list_name)[field_name]
    return read_custom_field(spec, custom.get(spec.cf))


def _native_or_override(mapping: Mapping, list_name: str, record: dict[str, Any], field_name: str,
                        native: Any) -> Any:
    """An adopted object's value: its custom field when set, else NetBox's own; push's own: the native."""
    if created_by_migplan(mapping, record):
        return native
    override = _adopted_value(mapping, list_name, field_name, record.get("custom_fields") or {})
    return native if override is None else override


def _document(api: pynetbox.api, mapping: Mapping, skipped: dict[str, int] | None = None) -> dict[str, Any]:
    require_schema(api, mapping)
    state = read_state(api, mapping)
    if skipped is not None:
        skipped.update(unmanaged_counts(api, mapping, state))
    kind_of_type_slug = {spec["slug"]: kind for kind, spec in mapping.raw["cluster_types"].items()}
    type_slugs = {t.id: t.slug for t in api.virtualization.cluster_types.filter(slug=list(kind_of_type_slug))}
    site = api.dcim.sites.get(slug=mapping.raw["site"]["slug"])
    site_fields = (dict(site).get("custom_fields") or {}) if site is not None else {}
    document: dict[str, Any] = {
        "format": INVENTORY_FORMAT,
        "region": site_fields.get(mapping.site_field("region").cf) or "",
        "extranet": {"bandwidth_mbps": site_fields.get(mapping.site_field("extranet_bandwidth_mbps").cf) or {}},
    }
    id_cf, name_cf = mapping.common("id").cf, mapping.common("name").cf
    for list_name in ENDPOINTS:
        rows: list[dict[str, Any]] = []
        for inventory_id, record in sorted(state.records[list_name].items(), key=lambda item: item[1]["id"]):
            where = f"NetBox {list_name} {inventory_id!r}"
            custom = record.get("custom_fields") or {}
            row: dict[str, Any] = {"id": custom[id_cf], "name": custom.get(name_cf) or record["name"]}
            for field_name, spec in mapping.fields(list_name).items():
                value = read_custom_field(spec, custom.get(spec.cf))
                if spec.type == "object":
                    value = _inventory_id(state, LIST_OF_RELATED[str(spec.related)], value, f"{where}.{field_name}")
                elif spec.type == "multiobject":
                    value = sorted(_inventory_id(state, LIST_OF_RELATED[str(spec.related)], item,
                                                 f"{where}.{field_name}") for item in value)
                if value is not None:  # absent -> the format's default
                    row[field_name] = value
            adopted = not created_by_migplan(mapping, record)
            if list_name in ("rooms", "networks", "systems"):
                tenant = _native_or_override(mapping, list_name, record, "department", ref_id(record.get("tenant")))
                if tenant is not None or not adopted:
                    row["department"] = _inventory_id(state, "departments", tenant, f"{where}.department")
            if list_name == "rooms":
                native_state = "closed" if (record.get("status") or {}).get("value") == "retired" else "open"
                row["state"] = _native_or_override(mapping, list_name, record, "state", native_state)
            elif list_name == "clouds":
                native_kind = kind_of_type_slug.get(type_slugs.get(ref_id(record.get("type")), ""), "")
                row["kind"] = _native_or_override(mapping, list_name, record, "kind", native_kind)
            elif list_name == "systems":
                cluster = _native_or_override(mapping, list_name, record, "current_cloud", ref_id(record.get("cluster")))
                if adopted and cluster not in state.inventory_id_of["clouds"]:
                    cluster = None  # an adopted VM's cluster that is not a pool is where it runs today
                row["current_cloud"] = _inventory_id(state, "clouds", cluster, f"{where}.current_cloud")
                if adopted:
                    _fill_resources_from_netbox(row, record)
            rows.append(row)
        document[list_name] = rows
    _add_hosts(api, mapping, state, document["systems"])
    return document


def _fill_resources_from_netbox(row: dict[str, Any], record: dict[str, Any]) -> None:
    """An adopted VM's vCPU, memory and disk as NetBox holds them, where migplan's fields are unset."""
    natives = {"vcpu": record.get("vcpus"),
               "memory_gb": None if record.get("memory") is None else record["memory"] / MB_PER_GB,
               "storage_tb": None if record.get("disk") is None else record["disk"] / MB_PER_TB}
    for field_name, value in natives.items():
        if field_name not in row and value is not None:
            row[field_name] = float(value)


def _add_hosts(api: pynetbox.api, mapping: Mapping, state: NetBoxState, systems: list[dict[str, Any]]) -> None:
    """Each system's `hosts`: the host objects pointing at its VM, by position (unset last)."""
    hosts_of = hosts_by_system(read_hosts(api, mapping))
    for system_netbox_id, hosts in hosts_of.items():
        first = hosts[0]
        _inventory_id(state, "systems", system_netbox_id,
                      f"NetBox host {first.object_type} #{first.record['id']} ({first.record['name']!r}).system")
    for row in systems:
        netbox_id = state.netbox_id("systems", row["id"])
        record = state.records["systems"][row["id"]]
        hosts = [host.name for host in hosts_of.get(netbox_id, [])] if netbox_id is not None else []
        if not created_by_migplan(mapping, record):
            # An adopted system's servers are a list of its own: push makes no host objects for it.
            listed = _adopted_value(mapping, "systems", "hosts", record.get("custom_fields") or {})
            hosts = hosts if listed is None else list(listed)
        row["hosts"] = hosts


def draft_document(api: pynetbox.api, mapping: Mapping) -> dict[str, Any]:
    """What NetBox holds for migplan as an inventory document, unvalidated (fields may be missing)."""
    return guarded(api.base_url, lambda: _document(api, mapping))


@dataclass
class NetBoxSource:
    """An inventory source reading NetBox (the InventorySource protocol)."""

    url: str
    token: str | None = None
    mapping: Mapping | None = None
    warnings: list[Problem] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    """Per list, how many NetBox objects of its kind migplan does not manage (left out of the pull)."""

    def read(self) -> RawInventory:
        api = connect(self.url, self.token)
        document = guarded(self.url, lambda: _document(api, self.mapping or load_mapping(), self.skipped))
        return RawInventory(source=self.url, document=document)

    def load(self) -> Inventory:
        inventory, self.warnings = validate(self.read())
        return inventory


def pull_to_file(source: NetBoxSource, output: Path) -> Inventory:
    """Pull and write atomically: a pull that fails half-way leaves no (partial) file behind."""
    inventory = source.load()
    output.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary_name = tempfile.mkstemp(prefix=".pull-", suffix=output.suffix, dir=output.parent)
    os.close(handle)
    try:
        write_inventory(inventory, Path(temporary_name))
        os.replace(temporary_name, output)
    finally:
        if os.path.exists(temporary_name):
            os.unlink(temporary_name)
    return inventory
