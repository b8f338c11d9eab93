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
from inventory.netbox.state import ENDPOINTS, NetBoxState, hosts_by_system, read_custom_field, read_hosts, read_state, ref_id
from inventory.source import RawInventory
from inventory.validate import validate
from models.errors import Problem, SourceError
from models.inventory import INVENTORY_FORMAT, Inventory

LIST_OF_RELATED = {"dcim.location": "rooms", "ipam.vrf": "networks", "virtualization.virtualmachine": "systems",
                   "tenancy.tenant": "departments", "virtualization.cluster": "clouds"}


def _inventory_id(state: NetBoxState, list_name: str, netbox_id: int | None, where: str) -> str | None:
    if netbox_id is None:
        return None
    try:
        return state.inventory_id_of[list_name][netbox_id]
    except KeyError:
        raise SourceError(f"{where}: refers to {list_name} object #{netbox_id}, which is not managed by migplan "
                          f"(no migplan tag or no mp_id)") from None


def _document(api: pynetbox.api, mapping: Mapping) -> dict[str, Any]:
    state = read_state(api, mapping)
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
            if list_name in ("rooms", "networks", "systems"):
                row["department"] = _inventory_id(state, "departments", ref_id(record.get("tenant")),
                                                  f"{where}.department")
            if list_name == "rooms":
                row["state"] = "closed" if (record.get("status") or {}).get("value") == "retired" else "open"
            elif list_name == "clouds":
                row["kind"] = kind_of_type_slug.get(type_slugs.get(ref_id(record.get("type")), ""), "")
            elif list_name == "systems":
                row["current_cloud"] = _inventory_id(state, "clouds", ref_id(record.get("cluster")),
                                                     f"{where}.current_cloud")
            rows.append(row)
        document[list_name] = rows
    _add_hosts(api, mapping, state, document["systems"])
    return document


def _add_hosts(api: pynetbox.api, mapping: Mapping, state: NetBoxState, systems: list[dict[str, Any]]) -> None:
    """Each system's `hosts`: the host objects pointing at its VM, by position (unset last)."""
    hosts_of = hosts_by_system(read_hosts(api, mapping))
    for system_netbox_id, hosts in hosts_of.items():
        first = hosts[0]
        _inventory_id(state, "systems", system_netbox_id,
                      f"NetBox host {first.object_type} #{first.record['id']} ({first.record['name']!r}).system")
    for row in systems:
        netbox_id = state.netbox_id("systems", row["id"])
        row["hosts"] = [host.name for host in hosts_of.get(netbox_id, [])] if netbox_id is not None else []


@dataclass
class NetBoxSource:
    """An inventory source reading NetBox (the InventorySource protocol)."""

    url: str
    token: str | None = None
    mapping: Mapping | None = None
    warnings: list[Problem] = field(default_factory=list)

    def read(self) -> RawInventory:
        api = connect(self.url, self.token)
        document = guarded(self.url, lambda: _document(api, self.mapping or load_mapping()))
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
