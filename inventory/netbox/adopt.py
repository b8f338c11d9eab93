"""adopt(api, selection): make objects a NetBox already holds into inventory records, in place.

A city's NetBox has its tenants, locations, VRFs, clusters and VMs long before migplan. Adopting
selects some of them and gives each an mp_id, the migplan tag and mp_origin "adopted"; it never
renames, moves or re-types anything (push and apply-plan later write only custom fields on them):

- tenants -> departments; locations -> rooms; VRFs -> networks;
- clusters whose type the mapping names a pool kind (adopt.pool_kinds) -> pools;
- VMs -> systems: their vCPU, memory and disk are NetBox's own; their networks are the VRFs of
  their interfaces, of their interfaces' addresses, or of the smallest prefix holding an
  address; a VM on a pool is already on the cloud, any other one runs in the room its cluster
  is scoped to; its one server is the VM itself (its primary address, else its name).

What a VM, location or VRF refers to is adopted with it (its tenant, its room, its networks),
so the pulled inventory never points outside what migplan manages. Adopting again is a no-op
for what is adopted already and picks up what the selection newly covers.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pynetbox

from inventory.netbox.client import guarded
from inventory.netbox.mapping import Mapping, ensure_schema
from inventory.netbox.state import ENDPOINTS, ORIGIN_ADOPTED, PAGE_SIZE, NetBoxState, endpoint, read_state, ref_id
from models.errors import InputError

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
# Ids per request when filtering by a list of NetBox ids: keeps URLs well under server limits.
IDS_PER_REQUEST = 100
NETBOX_NAME = {"departments": "tenant", "rooms": "location", "networks": "VRF", "clouds": "cluster",
               "systems": "virtual machine"}


@dataclass(frozen=True)
class Selection:
    """Which existing objects to adopt (each option adds to the others)."""

    tenant_groups: tuple[str, ...] = ()
    """Tenant group slugs: their tenants become departments."""
    sites: tuple[str, ...] = ()
    """Site slugs: their locations become rooms."""
    cluster_groups: tuple[str, ...] = ()
    """Cluster group slugs: their VMs become systems, their clusters of a pool type pools."""
    tags: tuple[str, ...] = ()
    """Tag slugs: tenants, locations, VRFs, clusters and VMs carrying one are adopted."""
    vrfs: tuple[str, ...] = ()
    """VRF names: adopted as networks even when no adopted VM uses them."""

    @property
    def empty(self) -> bool:
        return not (self.tenant_groups or self.sites or self.cluster_groups or self.tags or self.vrfs)


@dataclass
class AdoptReport:
    adopted: dict[str, int] = field(default_factory=dict)
    """Per list, objects adopted by this run."""
    already: dict[str, int] = field(default_factory=dict)
    """Per list, selected objects migplan managed already."""

    def summary(self) -> str:
        return "; ".join(f"{list_name}: {self.adopted.get(list_name, 0)} adopted, {self.already.get(list_name, 0)} "
                         f"already managed" for list_name in ENDPOINTS)


@dataclass
class _Candidates:
    """Selected NetBox records per list, by NetBox id, and what each new one gets written."""

    records: dict[str, dict[int, dict[str, Any]]] = field(default_factory=lambda: {name: {} for name in ENDPOINTS})
    custom_fields: dict[str, dict[int, dict[str, Any]]] = field(
        default_factory=lambda: {name: {} for name in ENDPOINTS})

    def add(self, list_name: str, record: dict[str, Any]) -> None:
        self.records[list_name].setdefault(int(record["id"]), record)


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), IDS_PER_REQUEST):
        yield ordered[start:start + IDS_PER_REQUEST]


def _rows(endpoint_: Any, **filters: Any) -> list[dict[str, Any]]:
    return [dict(row) for row in endpoint_.filter(limit=PAGE_SIZE, **filters)]


def _by_ids(endpoint_: Any, key: str, ids: Iterable[int], **filters: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for chunk in _chunks(ids):
        rows += _rows(endpoint_, **{key: chunk}, **filters)
    return rows


def _select(api: pynetbox.api, mapping: Mapping, selection: Selection) -> _Candidates:
    selected = _Candidates()
    pool_kinds = mapping.pool_kinds
    for slug in selection.tenant_groups:
        for record in _rows(api.tenancy.tenants, group=slug):
            selected.add("departments", record)
    for slug in selection.sites:
        for record in _rows(api.dcim.locations, site=slug):
            selected.add("rooms", record)
    for name in selection.vrfs:
        for record in _rows(api.ipam.vrfs, name=name):
            selected.add("networks", record)
    clusters: dict[int, dict[str, Any]] = {}
    for slug in selection.cluster_groups:
        clusters.update({int(record["id"]): record for record in _rows(api.virtualization.clusters, group=slug)})
    vms: dict[int, dict[str, Any]] = {}
    for slug in selection.tags:
        for list_name in ("departments", "rooms", "networks"):
            for record in _rows(endpoint(api, list_name), tag=slug):
                selected.add(list_name, record)
        clusters.update({int(record["id"]): record for record in _rows(api.virtualization.clusters, tag=slug)})
        vms.update({int(record["id"]): record for record in _rows(api.virtualization.virtual_machines, tag=slug)})
    for record in _by_ids(api.virtualization.virtual_machines, "cluster_id", clusters):
        vms.setdefault(int(record["id"]), record)
    # The clusters the VMs run on: pools when their type is mapped to a pool kind.
    missing_clusters = {ref_id(vm.get("cluster")) for vm in vms.values()} - set(clusters) - {None}
    for record in _by_ids(api.virtualization.clusters, "id", (i for i in missing_clusters if i is not None)):
        clusters[int(record["id"])] = record
    cluster_type_slugs = {int(t.id): str(t.slug) for t in api.virtualization.cluster_types.all()}
    for cluster_id, record in clusters.items():
        kind = pool_kinds.get(cluster_type_slugs.get(ref_id(record.get("type")) or 0, ""))
        if kind is not None:
            selected.add("clouds", record)
            selected.custom_fields["clouds"][cluster_id] = {mapping.adopted_fields("clouds")["kind"].cf: kind}
    _select_systems(api, mapping, selected, vms, clusters)
    _add_tenants(api, mapping, selected)
    return selected


def _select_systems(api: pynetbox.api, mapping: Mapping, selected: _Candidates, vms: dict[int, dict[str, Any]],
                    clusters: dict[int, dict[str, Any]]) -> None:
    """Adopt the VMs, with the rooms and networks they use; work out the custom fields for each."""
    system_fields, adopted_fields = mapping.fields("systems"), mapping.adopted_fields("systems")
    networks_of = _networks_of(api, vms)
    disks_mb = _virtual_disk_mb(api, vms)
    rooms_wanted = {cluster_id: ref_id(record.get("scope")) for cluster_id, record in clusters.items()
                    if record.get("scope_type") == "dcim.location" and cluster_id not in selected.records["clouds"]}
    for record in _by_ids(api.dcim.locations, "id", (i for i in rooms_wanted.values() if i is not None)):
        selected.add("rooms", record)
    for record in _by_ids(api.ipam.vrfs, "id", {v for ids in networks_of.values() for v in ids}):
        selected.add("networks", record)
    for vm_id, record in vms.items():
        selected.add("systems", record)
        cluster_id = ref_id(record.get("cluster"))
        primary_ip = (record.get("primary_ip") or {}).get("address")
        fields: dict[str, Any] = {
            system_fields["networks"].cf: sorted(networks_of.get(vm_id, ())),
            # The server a playbook reaches: the VM's primary address, else its name.
            adopted_fields["hosts"].cf: [primary_ip.split("/")[0] if primary_ip else str(record["name"])],
        }
        if cluster_id in selected.records["clouds"]:
            fields[adopted_fields["current_cloud"].cf] = cluster_id
            fields[system_fields["state"].cf] = "cloud"
        elif rooms_wanted.get(cluster_id or 0) is not None:
            fields[system_fields["room"].cf] = rooms_wanted[cluster_id or 0]
        if record.get("disk") is None and disks_mb.get(vm_id):
            fields[system_fields["storage_tb"].cf] = disks_mb[vm_id] / 1_000_000
        selected.custom_fields["systems"][vm_id] = fields


def _networks_of(api: pynetbox.api, vms: dict[int, dict[str, Any]]) -> dict[int, set[int]]:
    """VRF ids per VM: its interfaces' VRFs, its addresses' VRFs, else the smallest VRF prefix holding an address."""
    networks: dict[int, set[int]] = {}
    vm_of_interface: dict[int, int] = {}
    for interface in _by_ids(api.virtualization.interfaces, "virtual_machine_id", vms):
        vm_id = ref_id(interface.get("virtual_machine"))
        if vm_id is None:
            continue
        vm_of_interface[int(interface["id"])] = vm_id
        if interface.get("vrf"):
            networks.setdefault(vm_id, set()).add(int(interface["vrf"]["id"]))
    if not vm_of_interface:
        return networks
    prefixes = [(ipaddress.ip_network(row["prefix"], strict=False), int(row["vrf"]["id"]))
                for row in _rows(api.ipam.prefixes, fields="id,prefix,vrf") if row.get("vrf")]
    for address in _by_ids(api.ipam.ip_addresses, "virtual_machine_id", vms):
        vm_id = vm_of_interface.get(int(address.get("assigned_object_id") or 0))
        if vm_id is None:
            continue
        vrf = address.get("vrf")
        if vrf:
            networks.setdefault(vm_id, set()).add(int(vrf["id"]))
            continue
        prefix_vrf = vrf_of_smallest_prefix(address["address"], prefixes)
        if prefix_vrf is not None:
            networks.setdefault(vm_id, set()).add(prefix_vrf)
    return networks


def vrf_of_smallest_prefix(address: str, prefixes: list[tuple[IPNetwork, int]]) -> int | None:
    """The VRF of the most specific prefix holding `address` (as NetBox writes it, with its mask)."""
    ip = ipaddress.ip_interface(address).ip
    holding = [(network.prefixlen, vrf_id) for network, vrf_id in prefixes
               if network.version == ip.version and ip in network]
    return max(holding)[1] if holding else None


def _virtual_disk_mb(api: pynetbox.api, vms: dict[int, dict[str, Any]]) -> dict[int, float]:
    """The size of each VM's virtual disks together, MB (NetBox sums them into `disk` itself from 4.0)."""
    sizes: dict[int, float] = {}
    for disk in _by_ids(api.virtualization.virtual_disks, "virtual_machine_id", vms):
        vm_id = ref_id(disk.get("virtual_machine"))
        if vm_id is not None:
            sizes[vm_id] = sizes.get(vm_id, 0.0) + float(disk.get("size") or 0)
    return sizes


def _add_tenants(api: pynetbox.api, mapping: Mapping, selected: _Candidates) -> None:
    """Adopt the tenants of what is adopted, and point each object at its tenant's department."""
    wanted: set[int] = set()
    for list_name in ("rooms", "networks", "systems"):
        cf = mapping.adopted_fields(list_name)["department"].cf
        for netbox_id, record in selected.records[list_name].items():
            tenant = ref_id(record.get("tenant"))
            if tenant is not None:
                wanted.add(tenant)
                selected.custom_fields[list_name].setdefault(netbox_id, {})[cf] = tenant
    for record in _by_ids(api.tenancy.tenants, "id", wanted - set(selected.records["departments"])):
        selected.add("departments", record)


def _proposed_id(list_name: str, record: dict[str, Any]) -> str:
    """A readable inventory id: the slug or name NetBox shows, qualified where NetBox's is not unique."""
    if list_name == "departments":
        return str(record["slug"])
    if list_name == "rooms":
        site = record.get("site") or {}
        return f"{site.get('slug', '')}/{record['slug']}"
    return str(record["name"])


def _assign_ids(state: NetBoxState, selected: _Candidates, list_name: str) -> dict[int, str]:
    """Inventory ids for the newly adopted records: unique within the list, old ones never reused."""
    taken = set(state.records[list_name])
    proposed = {netbox_id: _proposed_id(list_name, record) for netbox_id, record in selected.records[list_name].items()
                if netbox_id not in state.inventory_id_of[list_name]}
    counts: dict[str, int] = {}
    for value in proposed.values():
        counts[value] = counts.get(value, 0) + 1
    ids: dict[int, str] = {}
    for netbox_id, value in sorted(proposed.items()):
        if counts[value] > 1 or value in taken:
            value = f"{value}#{netbox_id}"
        taken.add(value)
        ids[netbox_id] = value
    return ids


def adopt(api: pynetbox.api, mapping: Mapping, selection: Selection) -> AdoptReport:
    """Adopt what `selection` covers (see the module docstring); returns how many of each were adopted."""
    if selection.empty:
        raise InputError("adopt: say what to adopt (--tenant-group, --site, --cluster-group, --tag or --vrf)")

    def run() -> AdoptReport:
        ensure_schema(api, mapping)
        state = read_state(api, mapping)
        selected = _select(api, mapping, selection)
        tag_id = int(api.extras.tags.get(slug=mapping.tag_slug).id)
        id_cf, origin_cf = mapping.common("id").cf, mapping.common("origin").cf
        report = AdoptReport()
        # References first, so that a failure half-way leaves what is adopted consistent.
        for list_name in ENDPOINTS:
            new_ids = _assign_ids(state, selected, list_name)
            report.already[list_name] = len(selected.records[list_name]) - len(new_ids)
            report.adopted[list_name] = len(new_ids)
            updates: list[dict[str, Any]] = []
            for netbox_id, inventory_id in new_ids.items():
                record = selected.records[list_name][netbox_id]
                tags = sorted({ref_id(tag) for tag in record.get("tags") or []} | {tag_id})
                have = record.get("custom_fields") or {}
                derived = {cf: value for cf, value in selected.custom_fields[list_name].get(netbox_id, {}).items()
                           if have.get(cf) in (None, [], "")}
                updates.append({"id": netbox_id, "tags": tags,
                                "custom_fields": {id_cf: inventory_id, origin_cf: ORIGIN_ADOPTED, **derived}})
            for start in range(0, len(updates), IDS_PER_REQUEST):
                endpoint(api, list_name).update(updates[start:start + IDS_PER_REQUEST])
        return report

    return guarded(api.base_url, run)
