"""push(inventory, api): make NetBox hold the inventory, in bulk, idempotently.

Objects are matched by their inventory id (custom field mp_id), so a push that failed half-way
is simply run again: what exists is compared and only differences are sent. An inventory object
NetBox does not hold by id is matched by name among the objects migplan does not manage yet:
one match is adopted (given the id and the tag), several stop the push before it writes anything.
Only objects push created are named, moved or given a status by migplan; on every other object
(adopted ones) push writes custom fields and the tag, nothing else. Objects NetBox holds that the
inventory no longer lists are left alone (reported, not deleted).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

import pynetbox

from inventory.netbox.client import guarded
from inventory.netbox.mapping import Mapping, ensure_schema, host_name, load_mapping, netbox_names, slug_for
from inventory.netbox.state import (
    ENDPOINTS,
    ORIGIN_ADOPTED,
    ORIGIN_CREATED,
    PAGE_SIZE,
    READ_FIELDS,
    HostObject,
    NetBoxState,
    created_by_migplan,
    endpoint,
    host_endpoint,
    hosts_by_system,
    read_custom_field,
    read_hosts,
    read_state,
    ref_id,
)
from models.errors import SourceError
from models.inventory import Inventory

# Small enough that a list of a few hundred objects is spread over the parallel requests.
CHUNK_SIZE = 100
PARALLEL_REQUESTS = 4
MAX_CREATION_WAVES = 20
NATIVE_REFERENCES = ("site", "tenant", "cluster", "type", "group")


@dataclass
class ListReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    not_in_inventory: int = 0
    removed: int = 0


@dataclass
class PushReport:
    lists: dict[str, ListReport] = field(default_factory=dict)
    site_updated: bool = False
    dry_run: bool = False
    diff: list[str] = field(default_factory=list)
    """One line per object push creates, adopts by name or changes, with the fields and values."""
    adopted_changes: int = 0
    """How many of those lines are about objects migplan did not create."""

    @property
    def changed(self) -> bool:
        return self.site_updated or any(r.created or r.updated or r.removed for r in self.lists.values())

    def summary(self) -> str:
        if not self.changed:
            return "NetBox already holds this inventory: nothing changed"
        parts = [f"{name}: {r.created} created, {r.updated} updated, {r.unchanged} unchanged"
                 + (f", {r.removed} removed" if r.removed else "") for name, r in self.lists.items()]
        summary = "; ".join(parts)
        return f"nothing written (dry run); would be {summary}" if self.dry_run else summary


@dataclass
class _Context:
    api: pynetbox.api
    mapping: Mapping
    state: NetBoxState
    site_id: int
    tag_id: int
    host_tag_id: int
    group_id: int
    type_ids: dict[str, int]
    report: PushReport
    dry_run: bool = False

    def note(self, list_name: str, document_id: str, record: dict[str, Any] | None, what: str) -> None:
        """A diff line; objects push did not create are counted apart (they need --commit)."""
        where = f"{list_name} {document_id!r}" + ("" if record is None else f" (NetBox #{record['id']} {record['name']!r})")
        self.report.diff.append(f"{where}: {what}")
        if record is not None and not created_by_migplan(self.mapping, record):
            self.report.adopted_changes += 1


def _write_custom_field(ctx: _Context, spec_type: str, related: str | None, value: Any) -> Any:
    if spec_type == "text" and related is None and value is not None and not isinstance(value, str):
        value = str(value)
    if spec_type == "object":
        return None if value is None else ctx.state.netbox_id(_list_of(related), value)
    if spec_type == "multiobject":
        # Only objects NetBox already holds: a system created in an earlier wave is linked at
        # once, one created later by the links pass (see _creation_waves).
        netbox_ids = (ctx.state.netbox_id(_list_of(related), item) for item in value)
        return sorted(netbox_id for netbox_id in netbox_ids if netbox_id is not None)
    if spec_type == "text" and value == "":
        return None  # NetBox stores an empty text field as null; pull reads null back as the default
    return value


def _list_of(object_type: str | None) -> str:
    return {"dcim.location": "rooms", "ipam.vrf": "networks", "virtualization.virtualmachine": "systems",
            "tenancy.tenant": "departments", "virtualization.cluster": "clouds"}[str(object_type)]


def _desired(ctx: _Context, list_name: str, document: dict[str, Any], name: str,
             with_system_links: bool, existing: dict[str, Any] | None = None) -> dict[str, Any]:
    """What NetBox should hold for `document`: all of it for push's own objects (new ones
    included), only custom fields and the tag for `existing` objects push did not create."""
    mapping = ctx.mapping
    adopted = existing is not None and not created_by_migplan(mapping, existing)
    custom_fields: dict[str, Any] = {
        mapping.common("id").cf: document["id"],
        mapping.common("origin").cf: ORIGIN_ADOPTED if adopted else ORIGIN_CREATED,
    }
    for field_name, spec in mapping.fields(list_name).items():
        if spec.type == "multiobject" and related_is_system(spec.related) and not with_system_links:
            continue
        custom_fields[spec.cf] = _write_custom_field(ctx, spec.type, spec.related, document.get(field_name))
    if adopted:
        assert existing is not None
        # The exact name is kept only where the user's name differs from the inventory's.
        custom_fields[mapping.common("name").cf] = None if existing["name"] == document["name"] else document["name"]
        for field_name, spec in mapping.adopted_fields(list_name).items():
            custom_fields[spec.cf] = _write_custom_field(ctx, spec.type, spec.related, document.get(field_name))
        payload_adopted: dict[str, Any] = {"tags": [ctx.tag_id], "custom_fields": custom_fields}
        if list_name == "rooms" and mapping.room_closed_by_status and document["state"] == "closed":
            payload_adopted["status"] = "retired"  # the mapping lets a closing room's Location be retired
        return payload_adopted
    custom_fields[mapping.common("name").cf] = None if name == document["name"] else document["name"]
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
    specs.update({spec.cf: spec for spec in mapping.adopted_fields(list_name).values()})
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


def _describe(existing: dict[str, Any], changed: dict[str, Any]) -> str:
    """The changed fields, old -> new, as a diff line shows them."""
    parts: list[str] = []
    have_fields = existing.get("custom_fields") or {}
    for key, value in changed.items():
        if key == "custom_fields":
            parts += [f"{cf} {_shown(have_fields.get(cf))} -> {_shown(new)}" for cf, new in value.items()]
        elif key == "tags":
            parts.append("tags + migplan")
        else:
            parts.append(f"{key} {_shown(existing.get(key))} -> {_shown(value)}")
    return "; ".join(parts)


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("value", value.get("name", value.get("id")))
    elif isinstance(value, list):
        value = [_shown(item) for item in value]
    return repr(value)


def _send(ctx: _Context, list_name: str, creates: list[dict[str, Any]], updates: list[dict[str, Any]]) -> list[Any]:
    """Create and update in bulk; returns the created records as NetBox answered them (none in a dry run)."""
    if ctx.dry_run:
        return []
    target = endpoint(ctx.api, list_name)
    # Bulk PATCH through the endpoint: pynetbox's Record.save() cannot round-trip select
    # custom fields, which NetBox reads as {value, label} but accepts only as the raw value.
    create_requests = [(target.create, creates[start:start + CHUNK_SIZE]) for start in range(0, len(creates), CHUNK_SIZE)]
    update_requests = [(target.update, updates[start:start + CHUNK_SIZE]) for start in range(0, len(updates), CHUNK_SIZE)]
    answers = run_concurrently(create_requests + update_requests)
    return [record for answer in answers[:len(create_requests)] for record in answer]


def run_concurrently(bulk_requests: list[tuple[Callable[[list[dict[str, Any]]], Any], list[dict[str, Any]]]]) -> list[Any]:
    """Send bulk requests a few at a time and return their answers in order.

    NetBox validates and saves each object of a bulk request on its own, so one request keeps
    one server worker busy; several in flight let a server with more cores than these use them.
    The first failure is raised once the requests in flight have ended.
    """
    if len(bulk_requests) <= 1:
        return [send(rows) for send, rows in bulk_requests]
    with ThreadPoolExecutor(max_workers=PARALLEL_REQUESTS) as pool:
        futures = [pool.submit(send, rows) for send, rows in bulk_requests]
        wait(futures)
    return [future.result() for future in futures]


def _creation_waves(list_name: str, documents: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """New objects in the order to create them: a system after the new systems it requires.

    A system created after what it requires is written with its `requires` links in the same
    request; otherwise every new system would need a second request to add them, and NetBox
    spends as long on that update as on the creation. `requires` has no cycles (validation);
    `co_migrate` pairs always point both ways, so one side of each is linked by the links pass.
    Long chains of `requires` would mean many small requests: after MAX_CREATION_WAVES the rest
    go in one last wave, and the links pass adds what they could not carry.
    """
    if list_name != "systems":
        return [documents] if documents else []
    new_ids = {document["id"] for document in documents}
    waiting_on = {document["id"]: {r for r in document.get("requires", ()) if r in new_ids} for document in documents}
    remaining = list(documents)
    waves: list[list[dict[str, Any]]] = []
    while remaining:
        last = len(waves) == MAX_CREATION_WAVES - 1
        wave = [document for document in remaining if last or not waiting_on[document["id"]]]
        created = {document["id"] for document in wave}
        remaining = [document for document in remaining if document["id"] not in created]
        for document in remaining:
            waiting_on[document["id"]] -= created
        waves.append(wave)
    return waves


def _sync_list(ctx: _Context, list_name: str, documents: list[dict[str, Any]], report: ListReport,
               with_system_links: bool, touched: set[str]) -> None:
    """Send what differs; `touched` holds ids already counted as created or updated."""
    first_pass = not with_system_links or list_name != "systems"
    names = netbox_names(list_name, [(d["id"], d["name"]) for d in documents])
    current = ctx.state.records[list_name]
    new_documents: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for document in documents:
        existing = current.get(document["id"])
        if existing is None and not first_pass:
            continue  # a dry run created nothing for the links pass to link
        if existing is None:
            new_documents.append(document)
            report.created += 1
            touched.add(document["id"])
            ctx.note(list_name, document["id"], None, f"create as {names[document['id']]!r}")
            continue
        desired = _desired(ctx, list_name, document, names[document["id"]], with_system_links, existing)
        changed = _differences(ctx.mapping, list_name, desired, existing)
        if changed:
            updates.append({"id": existing["id"], **changed})
            ctx.note(list_name, document["id"], existing, _describe(existing, changed))
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
    _send(ctx, list_name, [], updates)
    for wave in _creation_waves(list_name, new_documents):
        creates = [_desired(ctx, list_name, document, names[document["id"]], with_system_links=True) for document in wave]
        # Later waves and lists refer to these by NetBox id; NetBox answers with the new records.
        for record in _send(ctx, list_name, creates, []):
            ctx.state.add(list_name, dict(record), ctx.mapping.common("id").cf)
    if first_pass:
        listed = {d["id"] for d in documents}
        report.not_in_inventory = sum(1 for inventory_id in current if inventory_id not in listed)


def _sync_hosts(ctx: _Context, systems: list[dict[str, Any]]) -> ListReport:
    """Make each system's servers, in order, the host objects pointing at its VM.

    A server is matched to a host object of its system by name first, wherever it stands, so a
    device linked by hand keeps its place and is never renamed; then push's own VMs left over
    are renamed, and only then are new VMs created. Host objects matched to nothing are
    dropped: push's VMs deleted, devices only unlinked. Positions are renumbered to the
    inventory's order. Host objects of systems the inventory does not list are left alone.
    """
    mapping, report = ctx.mapping, ListReport()
    system_cf, position_cf = mapping.host_field("system").cf, mapping.host_field("position").cf
    name_cf = mapping.host_field("name").cf
    create_as = str(mapping.raw["hosts"]["create_as"])
    hosts_of = hosts_by_system(read_hosts(ctx.api, mapping))
    creates: list[dict[str, Any]] = []
    updates: dict[str, list[dict[str, Any]]] = {object_type: [] for object_type in mapping.raw["hosts"]["object_types"]}
    dropped: list[HostObject] = []
    for system in systems:
        system_netbox_id = ctx.state.netbox_id("systems", system["id"])
        tenant = ctx.state.netbox_id("departments", system["department"])
        existing = hosts_of.pop(system_netbox_id, [])
        record = ctx.state.records["systems"].get(system["id"])
        if record is not None and not created_by_migplan(mapping, record):
            continue  # an adopted system lists its servers in a custom field (mp_sys_hosts): none are made
        matched = _match_hosts(list(system.get("hosts", ())), existing, create_as)
        for position, host in enumerate(system.get("hosts", ())):
            found = matched.get(position)
            if found is None:
                creates.append({"name": host_name(host), "site": ctx.site_id, "tenant": tenant, "status": "active",
                                "tags": [ctx.host_tag_id],
                                "custom_fields": {system_cf: system_netbox_id, position_cf: position, name_cf: host}})
                report.created += 1
                continue
            changed: dict[str, Any] = {}
            if found.name != host:
                changed.update(name=host_name(host), custom_fields={name_cf: host})
            if found.position != position:
                changed["custom_fields"] = {**changed.get("custom_fields", {}), position_cf: position}
            if found.object_type == create_as and ref_id(found.record.get("tenant")) != tenant:
                changed["tenant"] = tenant
            if changed:
                updates[found.object_type].append({"id": found.record["id"], **changed})
                report.updated += 1
            else:
                report.unchanged += 1
        used = {id(host) for host in matched.values()}
        dropped += [host for host in existing if id(host) not in used]
    report.not_in_inventory = sum(len(hosts) for hosts in hosts_of.values())
    report.removed = len(dropped)
    deletes = [host.record["id"] for host in dropped if host.object_type == create_as]
    for host in dropped:
        if host.object_type != create_as:
            updates[host.object_type].append({"id": host.record["id"],
                                              "custom_fields": {system_cf: None, position_cf: None}})
    if ctx.dry_run:
        if creates or deletes or any(updates.values()):
            ctx.report.diff.append(f"hosts: {len(creates)} to create, {sum(map(len, updates.values()))} to update, "
                                   f"{len(deletes)} to delete")
        return report
    target = host_endpoint(ctx.api, create_as)
    bulk_requests = [(target.create, creates[start:start + CHUNK_SIZE]) for start in range(0, len(creates), CHUNK_SIZE)]
    for object_type, rows in updates.items():
        send = host_endpoint(ctx.api, object_type).update
        bulk_requests += [(send, rows[start:start + CHUNK_SIZE]) for start in range(0, len(rows), CHUNK_SIZE)]
    bulk_requests += [(target.delete, deletes[start:start + CHUNK_SIZE]) for start in range(0, len(deletes), CHUNK_SIZE)]
    run_concurrently(bulk_requests)
    return report


def _match_hosts(wanted: list[str], existing: list[HostObject], create_as: str) -> dict[int, HostObject]:
    """Position in `wanted` -> the existing host object that will hold it (see _sync_hosts)."""
    unused = list(existing)  # in pull order, so equal names keep their relative order
    matched: dict[int, HostObject] = {}
    for position, host in enumerate(wanted):
        same_name = next((candidate for candidate in unused if candidate.name == host), None)
        if same_name is not None:
            matched[position] = same_name
            unused.remove(same_name)
    reusable = [candidate for candidate in unused if candidate.object_type == create_as]
    for position in range(len(wanted)):
        if position not in matched and reusable:
            matched[position] = reusable.pop(0)
    return matched


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
    ctx.report.diff.append(f"site {site.name!r}: region and extranet bandwidth")
    if ctx.dry_run:
        return True
    ctx.api.dcim.sites.update([{"id": ctx.site_id, "custom_fields": wanted}])
    return True


def _match_by_name(ctx: _Context, document: dict[str, Any]) -> None:
    """Adopt, for each inventory object NetBox does not hold by id, the one unmanaged object of its name.

    Raises before anything is written when a name matches several objects (VMs of one name in
    two clusters, Locations of one name at two sites): which one is meant is the user's call.
    """
    ambiguous: list[str] = []
    host_tag = ctx.mapping.host_tag_slug
    for list_name in ENDPOINTS:
        wanted = {d["name"]: d["id"] for d in document[list_name] if ctx.state.netbox_id(list_name, d["id"]) is None}
        if not wanted:
            continue
        managed = set(ctx.state.inventory_id_of[list_name])
        candidates: dict[str, list[dict[str, Any]]] = {}
        for row in endpoint(ctx.api, list_name).filter(fields=READ_FIELDS[list_name], limit=PAGE_SIZE):
            record = dict(row)
            if record["name"] in wanted and int(record["id"]) not in managed \
                    and host_tag not in {tag.get("slug") for tag in record.get("tags") or []}:
                candidates.setdefault(record["name"], []).append(record)
        for name, records in sorted(candidates.items()):
            if len(records) > 1:
                ambiguous.append(f"{list_name} {wanted[name]!r} is named {name!r} like NetBox objects "
                                 + ", ".join(f"#{r['id']}" + _placement(r) for r in records))
                continue
            record = records[0]
            ctx.state.records[list_name][wanted[name]] = record
            ctx.state.inventory_id_of[list_name][int(record["id"])] = wanted[name]
            ctx.note(list_name, wanted[name], record, "matched by name: adopt (mp_id and tag)")
    if ambiguous:
        raise SourceError("push stopped before writing any object: " + "; ".join(ambiguous)
                          + ". Adopt the one you mean (migplan netbox adopt) or rename the others")


def _placement(record: dict[str, Any]) -> str:
    """Where an object sits, to tell namesakes apart in a message."""
    for key in ("site", "cluster", "group", "tenant"):
        value = record.get(key)
        if isinstance(value, dict) and value.get("name"):
            return f" ({key} {value['name']!r})"
    return ""


def _context(api: pynetbox.api, mapping: Mapping, report: PushReport, dry_run: bool) -> _Context:
    raw = mapping.raw
    ensure_schema(api, mapping)
    type_ids = {kind: api.virtualization.cluster_types.get(slug=spec["slug"]).id
                for kind, spec in raw["cluster_types"].items()}
    return _Context(
        api=api, mapping=mapping, state=read_state(api, mapping),
        site_id=api.dcim.sites.get(slug=raw["site"]["slug"]).id,
        tag_id=api.extras.tags.get(slug=raw["tag"]["slug"]).id,
        host_tag_id=api.extras.tags.get(slug=mapping.host_tag_slug).id,
        group_id=api.virtualization.cluster_groups.get(slug=raw["cluster_group"]["slug"]).id,
        type_ids=type_ids, report=report, dry_run=dry_run,
    )


def push(inventory: Inventory, api: pynetbox.api, mapping: Mapping | None = None, *,
         dry_run: bool = False, hold_adopted: bool = False) -> PushReport:
    """Create or update every inventory object in NetBox; a second run changes nothing.

    dry_run: only work out the diff (report.diff), write nothing. hold_adopted: the same, when
    the push would change any object migplan did not create (the CLI's default, short of --commit).
    """
    chosen_mapping = mapping or load_mapping()
    if hold_adopted and not dry_run:
        preview = push(inventory, api, chosen_mapping, dry_run=True)
        if preview.adopted_changes:
            return preview
    return guarded(api.base_url, lambda: _push(inventory, api, chosen_mapping, dry_run))


def _push(inventory: Inventory, api: pynetbox.api, mapping: Mapping, dry_run: bool) -> PushReport:
    report = PushReport(dry_run=dry_run)
    ctx = _context(api, mapping, report, dry_run)
    document = inventory.to_document()
    _match_by_name(ctx, document)
    touched: dict[str, set[str]] = {}
    for list_name in ENDPOINTS:
        report.lists[list_name] = ListReport()
        touched[list_name] = set()
        _sync_list(ctx, list_name, document[list_name], report.lists[list_name],
                   with_system_links=False, touched=touched[list_name])
    # requires / co_migrate point at systems, which all exist only now.
    _sync_list(ctx, "systems", document["systems"], report.lists["systems"],
               with_system_links=True, touched=touched["systems"])
    report.lists["hosts"] = _sync_hosts(ctx, document["systems"])
    report.site_updated = _sync_site(ctx, inventory)
    return report
