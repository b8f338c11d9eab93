"""The mapping file (mapping.yaml) and `migplan netbox init`, which creates its schema in NetBox."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pynetbox
import yaml

DEFAULT_MAPPING_PATH = Path(__file__).with_name("mapping.yaml")

# NetBox's name length limits per list (VirtualMachine.name is the short one).
NAME_MAX_LENGTH = {"departments": 100, "rooms": 100, "networks": 100, "systems": 64, "clouds": 100}


@dataclass(frozen=True)
class FieldSpec:
    cf: str
    type: str
    choice_set: str | None = None
    related: str | None = None


@dataclass(frozen=True)
class Mapping:
    raw: dict[str, Any]

    @property
    def tag_slug(self) -> str:
        return str(self.raw["tag"]["slug"])

    def fields(self, list_name: str) -> dict[str, FieldSpec]:
        return {name: FieldSpec(**spec) for name, spec in self.raw["lists"][list_name]["fields"].items()}

    def object_type(self, list_name: str) -> str:
        return str(self.raw["lists"][list_name]["object_type"])

    def common(self, name: str) -> FieldSpec:
        return FieldSpec(**self.raw["common"][name])

    def site_field(self, name: str) -> FieldSpec:
        return FieldSpec(**self.raw["site_fields"][name])

    def plan_field(self, name: str) -> FieldSpec:
        return FieldSpec(**self.raw["plan_fields"][name])

    def host_field(self, name: str) -> FieldSpec:
        return FieldSpec(**self.raw["hosts"]["fields"][name])

    @property
    def host_tag_slug(self) -> str:
        return str(self.raw["hosts"]["tag"]["slug"])

    def adopted_fields(self, list_name: str) -> dict[str, FieldSpec]:
        """Inventory field -> the custom field holding it on an adopted object instead of the native field."""
        return {name: FieldSpec(**spec) for name, spec in (self.raw.get("adopted", {}).get(list_name) or {}).items()}

    @property
    def pool_kinds(self) -> dict[str, str]:
        """NetBox cluster type slug -> pool kind, for adoption."""
        return {str(slug): str(kind) for slug, kind in (self.raw.get("adopt", {}).get("pool_kinds") or {}).items()}

    @property
    def room_closed_by_status(self) -> bool:
        """Whether closing an adopted room also sets its Location's status (the mapping must say so)."""
        return self.raw.get("adopt", {}).get("room_closed_by", "custom_field") == "status"


def load_mapping(path: Path | None = None) -> Mapping:
    return Mapping(yaml.safe_load((path or DEFAULT_MAPPING_PATH).read_text(encoding="utf-8")))


def slug_for(list_name: str, object_id: str) -> str:
    """A slug NetBox accepts for any Unicode id: a digest, so it is unique and never needs escaping."""
    return "mp-" + hashlib.sha256(f"{list_name}\0{object_id}".encode()).hexdigest()[:24]


def netbox_names(list_name: str, records: list[tuple[str, str]]) -> dict[str, str]:
    """NetBox name per id: the inventory name, unless it is shared or too long.

    NetBox wants unique names (per scope) and limits their length; inventory names need
    neither. A name that cannot be used as is gets a digest of its id appended, and the exact
    name goes into the mp_name custom field.
    """
    max_length = NAME_MAX_LENGTH[list_name]
    counts = Counter(name.casefold() for _, name in records)
    names: dict[str, str] = {}
    for object_id, name in records:
        if counts[name.casefold()] == 1 and 0 < len(name) <= max_length and name == name.strip():
            names[object_id] = name
        else:
            suffix = " ~" + hashlib.sha256(object_id.encode()).hexdigest()[:10]
            names[object_id] = name.strip()[: max_length - len(suffix)] + suffix
    return names


def host_name(host: str) -> str:
    """The NetBox name of a host object: the host as written, unless NetBox cannot hold it.

    Host objects carry no cluster, so NetBox needs no unique names for them (two systems may
    name the same server); the exact text is kept in mp_host_name whatever the name.
    """
    max_length = NAME_MAX_LENGTH["systems"]
    if 0 < len(host) <= max_length and host == host.strip():
        return host
    suffix = "~" + hashlib.sha256(host.encode()).hexdigest()[:10]
    return (host.strip()[: max_length - len(suffix) - 1] + " " + suffix).strip()


def _all_field_specs(mapping: Mapping) -> list[tuple[FieldSpec, set[str]]]:
    """Every custom field with the object types it applies to."""
    specs: dict[str, tuple[FieldSpec, set[str]]] = {}

    def add(spec: FieldSpec, object_type: str) -> None:
        specs.setdefault(spec.cf, (spec, set()))[1].add(object_type)

    managed_types = [mapping.object_type(list_name) for list_name in mapping.raw["lists"]]
    for list_name in mapping.raw["lists"]:
        for spec in mapping.fields(list_name).values():
            add(spec, mapping.object_type(list_name))
    for name in mapping.raw["common"]:
        for object_type in managed_types:
            add(mapping.common(name), object_type)
    for name in mapping.raw["site_fields"]:
        add(mapping.site_field(name), "dcim.site")
    for name in mapping.raw["plan_fields"]:
        for list_name in ("rooms", "networks", "systems"):
            add(mapping.plan_field(name), mapping.object_type(list_name))
    for name in mapping.raw["hosts"]["fields"]:
        for object_type in mapping.raw["hosts"]["object_types"]:
            add(mapping.host_field(name), object_type)
    for list_name in mapping.raw.get("adopted", {}):
        for spec in mapping.adopted_fields(list_name).values():
            add(spec, mapping.object_type(list_name))
    return list(specs.values())


def _ensure(endpoint: Any, key: str, wanted: list[dict[str, Any]], changes: list[str], what: str) -> dict[str, Any]:
    """Create, in one request, those of `wanted` not yet in NetBox (matched on `key`); all by key."""
    existing = {getattr(record, key): record for record in endpoint.filter(**{key: [w[key] for w in wanted]})}
    missing = [w for w in wanted if w[key] not in existing]
    if missing:
        for record in endpoint.create(missing):
            existing[getattr(record, key)] = record
        changes.extend(f"created {what} {w[key]}" for w in missing)
    return existing


def ensure_schema(api: pynetbox.api, mapping: Mapping) -> list[str]:
    """Create the tag, site, cluster types/group, choice sets and custom fields; return what changed.

    A handful of requests whatever the mapping's size: tests and every push call this.
    """
    changes: list[str] = []
    raw = mapping.raw
    _ensure(api.extras.tags, "slug", [raw["tag"], raw["hosts"]["tag"]], changes, "tag")
    _ensure(api.virtualization.cluster_groups, "slug", [raw["cluster_group"]], changes, "cluster group")
    _ensure(api.virtualization.cluster_types, "slug", list(raw["cluster_types"].values()), changes, "cluster type")
    _ensure(api.dcim.sites, "slug", [{**raw["site"], "status": "active"}], changes, "site")
    wanted_sets = [{"name": name, "extra_choices": [[value, value] for value in values]}
                   for name, values in raw["choice_sets"].items()]
    choice_sets = _ensure(api.extras.custom_field_choice_sets, "name", wanted_sets, changes, "choice set")
    stale_sets = [{"id": choice_sets[w["name"]].id, "extra_choices": w["extra_choices"]} for w in wanted_sets
                  if [list(choice) for choice in (choice_sets[w["name"]].extra_choices or [])] != w["extra_choices"]]
    if stale_sets:
        api.extras.custom_field_choice_sets.update(stale_sets)
        changes.extend(f"updated choice set {row['id']}" for row in stale_sets)
    wanted_fields: list[dict[str, Any]] = []
    for spec, object_types in _all_field_specs(mapping):
        payload: dict[str, Any] = {
            "name": spec.cf, "type": spec.type, "object_types": sorted(object_types),
            "group_name": raw["custom_field_group"], "required": False,
        }
        if spec.choice_set:
            payload["choice_set"] = choice_sets[spec.choice_set].id
        if spec.related:
            payload["related_object_type"] = spec.related
        wanted_fields.append(payload)
    fields = _ensure(api.extras.custom_fields, "name", wanted_fields, changes, "custom field")
    widened = [{"id": fields[w["name"]].id, "object_types": sorted(set(w["object_types"]) | set(fields[w["name"]].object_types))}
               for w in wanted_fields if not set(w["object_types"]) <= set(fields[w["name"]].object_types)]
    if widened:
        api.extras.custom_fields.update(widened)
        changes.extend(f"updated custom field {row['id']}" for row in widened)
    return changes
