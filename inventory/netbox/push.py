"""push(inventory, api): make NetBox hold the inventory, in bulk, idempotently.

Objects are matched by their inventory id (custom field mp_id), never by name, so a push that
failed half-way is simply run again: what exists is compared and only differences are sent.
Objects NetBox holds that the inventory no longer lists are left alone (reported, not deleted).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pynetbox

from inventory.netbox.client import guarded
from inventory.netbox.mapping import Mapping, ensure_schema, load_mapping, netbox_names, slug_for
from inventory.netbox.state import ENDPOINTS, NetBoxState, endpoint, read_custom_field, read_state, ref_id
from models.inventory import Inventory

CHUNK_SIZE = 500
NATIVE_REFERENCES = ("site", "tenant", "cluster", "type", "group")


@dataclass
class ListReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    not_in_inventory: int = 0


@dataclass
class PushReport:
    lists: dict[str, ListReport] = field(default_factory=dict)
    site_updated: bool = False

    @property
    def changed(self) -> bool:
        return self.site_updated or any(r.created or r.updated for r in self.lists.values())

    def summary(self) -> str:
        if not self.changed:
            return "NetBox already holds this inventory: nothing changed"
        parts = [f"{name}: {r.created} created, {r.updated} updated, {r.unchanged} unchanged"
                 for name, r in self.lists.items()]
        return "; ".join(parts)


@dataclass
class _Context:
    api: pynetbox.api
    mapping: Mapping
    state: NetBoxState
    site_id: int
    tag_id: int
    group_id: int
    type_ids: dict[str, int]


def _write_custom_field(ctx: _Context, spec_type: str, related: str | None, value: Any) -> Any:
    if spec_type == "object":
        return None if value is None else ctx.state.netbox_id(_list_of(related), value)
    if spec_type == "multiobject":
        return sorted(ctx.state.netbox_id(_list_of(related), item) for item in value)
    if spec_type == "text" and value == "":
        return None  # NetBox stores an empty text field as null; pull reads null back as the default
    return value


def _list_of(object_type: str | None) -> str:
    return {"dcim.location": "rooms", "ipam.vrf": "networks", "virtualization.virtualmachine": "systems",
            "tenancy.tenant": "departments", "virtualization.cluster": "clouds"}[str(object_type)]


def _desired(ctx: _Context, list_name: str, document: dict[str, Any], name: str,
             with_system_links: bool) -> dict[str, Any]:
    mapping = ctx.mapping
    custom_fields: dict[str, Any] = {
        mapping.common("id").cf: document["id"],
        mapping.common("name").cf: None if name == document["name"] else document["name"],
    }
    for field_name, spec in mapping.fields(list_name).items():
        if spec.type == "multiobject" and related_is_system(spec.related) and not with_system_links:
            continue
        custom_fields[spec.cf] = _write_custom_field(ctx, spec.type, spec.related, document.get(field_name))
    payload: dict[str, Any] = {"name": name, "tags": [ctx.tag_id], "custom_fields": custom_fields}
    if list_name == "departments":
        payload["slug"] = slug_for(list_name, document["id"])
    elif list_name == "rooms":
        payload.update(slug=slug_for(list_name, document["id"]), site=ctx.site_id,
                       tenant=ctx.state.netbox_id("departments", document["department"]),
                       status="retired" if document["state"] == "closed" else "active")
    elif list_name == "networks":
        payload["tenant"] = ctx.state.netbox_id("departments", document["department"])
    elif list_name == "clouds":
        payload.update(type=ctx.type_ids[document["kind"]], group=ctx.group_id)
    elif list_name == "systems":
        current_cloud = document.get("current_cloud")
        payload.update(site=ctx.site_id, status="active",
                       tenant=ctx.state.netbox_id("departments", document["department"]),
                       cluster=None if current_cloud is None else ctx.state.netbox_id("clouds", current_cloud))
    return payload


def related_is_system(related: str | None) -> bool:
    return related == "virtualization.virtualmachine"


def _differences(mapping: Mapping, list_name: str, desired: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    """The part of `desired` that differs from what NetBox holds (empty: nothing to send)."""
    changed: dict[str, Any] = {}
    specs = {spec.cf: spec for spec in mapping.fields(list_name).values()}
    specs.update({mapping.common(n).cf: mapping.common(n) for n in mapping.raw["common"]})
    for key, wanted in desired.items():
        have = current.get(key)
        if key == "custom_fields":
            have_fields = have or {}
            differing = {cf: value for cf, value in wanted.items()
                         if read_custom_field(specs[cf], have_fields.get(cf)) != value}
            if differing:
                changed[key] = differing
        elif key == "tags":
            if not set(wanted) <= {ref_id(tag) for tag in have or []}:
                changed[key] = sorted(set(wanted) | {ref_id(tag) for tag in have or []})
        elif key in NATIVE_REFERENCES:
            if ref_id(have) != wanted:
                changed[key] = wanted
        elif key == "status":
            if (have or {}).get("value") != wanted:
                changed[key] = wanted
        elif have != wanted:
            changed[key] = wanted
    return changed


def _send(ctx: _Context, list_name: str, creates: list[dict[str, Any]], updates: list[dict[str, Any]]) -> None:
    target = endpoint(ctx.api, list_name)
    for start in range(0, len(creates), CHUNK_SIZE):
        target.create(creates[start:start + CHUNK_SIZE])
    # Bulk PATCH through the endpoint: pynetbox's Record.save() cannot round-trip select
    # custom fields, which NetBox reads as {value, label} but accepts only as the raw value.
    for start in range(0, len(updates), CHUNK_SIZE):
        target.update(updates[start:start + CHUNK_SIZE])


def _sync_list(ctx: _Context, list_name: str, documents: list[dict[str, Any]], report: ListReport,
               with_system_links: bool, touched: set[str]) -> None:
    """Send what differs; `touched` holds ids already counted as created or updated."""
    first_pass = not with_system_links or list_name != "systems"
    names = netbox_names(list_name, [(d["id"], d["name"]) for d in documents])
    current = ctx.state.records[list_name]
    creates: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for document in documents:
        desired = _desired(ctx, list_name, document, names[document["id"]], with_system_links)
        existing = current.get(document["id"])
        if existing is None:
            creates.append(desired)
            report.created += 1
            touched.add(document["id"])
            continue
        changed = _differences(ctx.mapping, list_name, desired, existing)
        if changed:
            updates.append({"id": existing["id"], **changed})
        if first_pass:
            if changed:
                report.updated += 1
                touched.add(document["id"])
            else:
                report.unchanged += 1
        elif changed and document["id"] not in touched:
            # Second pass (system links): an object unchanged so far turns out to change.
            report.unchanged -= 1
            report.updated += 1
    _send(ctx, list_name, creates, updates)
    if creates:
        # Later lists refer to these by NetBox id.
        ctx.state.records[list_name] = read_state(ctx.api, ctx.mapping, (list_name,)).records[list_name]
    if first_pass:
        listed = {d["id"] for d in documents}
        report.not_in_inventory = sum(1 for inventory_id in current if inventory_id not in listed)


def _sync_site(ctx: _Context, inventory: Inventory) -> bool:
    mapping = ctx.mapping
    site = ctx.api.dcim.sites.get(ctx.site_id)
    wanted = {
        mapping.site_field("region").cf: inventory.region or None,
        mapping.site_field("extranet_bandwidth_mbps").cf: inventory.to_document()["extranet"]["bandwidth_mbps"],
    }
    have = dict(site).get("custom_fields") or {}
    if all(have.get(cf) == value for cf, value in wanted.items()):
        return False
    ctx.api.dcim.sites.update([{"id": ctx.site_id, "custom_fields": wanted}])
    return True


def _context(api: pynetbox.api, mapping: Mapping) -> _Context:
    raw = mapping.raw
    ensure_schema(api, mapping)
    type_ids = {kind: api.virtualization.cluster_types.get(slug=spec["slug"]).id
                for kind, spec in raw["cluster_types"].items()}
    return _Context(
        api=api, mapping=mapping, state=read_state(api, mapping),
        site_id=api.dcim.sites.get(slug=raw["site"]["slug"]).id,
        tag_id=api.extras.tags.get(slug=raw["tag"]["slug"]).id,
        group_id=api.virtualization.cluster_groups.get(slug=raw["cluster_group"]["slug"]).id,
        type_ids=type_ids,
    )


def push(inventory: Inventory, api: pynetbox.api, mapping: Mapping | None = None) -> PushReport:
    """Create or update every inventory object in NetBox; a second run changes nothing."""

    def run() -> PushReport:
        ctx = _context(api, mapping or load_mapping())
        document = inventory.to_document()
        report = PushReport()
        touched: dict[str, set[str]] = {}
        for list_name in ENDPOINTS:
            report.lists[list_name] = ListReport()
            touched[list_name] = set()
            _sync_list(ctx, list_name, document[list_name], report.lists[list_name],
                       with_system_links=False, touched=touched[list_name])
        # requires / co_migrate point at systems, which all exist only now.
        _sync_list(ctx, "systems", document["systems"], report.lists["systems"],
                   with_system_links=True, touched=touched["systems"])
        report.site_updated = _sync_site(ctx, inventory)
        return report

    return guarded(api.base_url, run)
