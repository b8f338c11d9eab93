"""Validation, once, at the edge: every problem of an inventory document at once.

Each problem names the source, the line or row, the object id and the field.
Record shapes (types, enums, ranges, missing fields) are checked by the models;
this module adds what spans records: duplicate ids, references, ``requires``
cycles, one-sided ``co_migrate`` (a warning, then made symmetric) and systems in
closed rooms.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

import networkx as nx
from pydantic import ValidationError

from inventory.source import RawInventory
from models.errors import Problem, ValidationFailed
from models.inventory import (
    INVENTORY_FORMAT,
    LIST_NAMES,
    POOL_KINDS,
    CloudPool,
    Department,
    Extranet,
    Inventory,
    Network,
    Record,
    Room,
    System,
    plain_text,
)

TOP_LEVEL_KEYS = {"format", "region", "extranet", *LIST_NAMES}
RecordT = TypeVar("RecordT", bound=Record)


@dataclass
class _Records:
    """The records that passed their own checks, each with its index in the source list."""

    departments: list[tuple[int, Department]]
    rooms: list[tuple[int, Room]]
    networks: list[tuple[int, Network]]
    systems: list[tuple[int, System]]
    clouds: list[tuple[int, CloudPool]]

    def ids(self) -> dict[str, set[str]]:
        return {name: {record.id for _, record in getattr(self, name)} for name in LIST_NAMES}


class _Collector:
    def __init__(self, raw: RawInventory) -> None:
        self.raw = raw
        self.problems: list[Problem] = []

    def add(
        self,
        list_name: str,
        index: int,
        object_id: str,
        field: str,
        message: str,
        severity: Literal["error", "warning"] = "error",
    ) -> None:
        location = self.raw.locate(list_name, index, field) if list_name and index >= 0 else ""
        source = self.raw.where(list_name) if list_name else self.raw.source
        self.problems.append(Problem(source, location, object_id, field, message, severity))


def validate(raw: RawInventory) -> tuple[Inventory, list[Problem]]:
    """Validate a raw document; return the inventory and its warnings, or raise with every error."""
    found = _Collector(raw)
    found.problems.extend(raw.problems)
    document = raw.document
    if document.get("format") != INVENTORY_FORMAT:
        found.add("", -1, "", "format", f"must be {INVENTORY_FORMAT!r}, found {document.get('format')!r}")
    for key in sorted(set(document) - TOP_LEVEL_KEYS, key=str):
        found.add("", -1, "", str(key), f"unknown top-level key; expected one of {', '.join(sorted(TOP_LEVEL_KEYS))}")

    records = _Records(
        departments=_validate_records(found, "departments", Department, document.get("departments")),
        rooms=_validate_records(found, "rooms", Room, document.get("rooms")),
        networks=_validate_records(found, "networks", Network, document.get("networks")),
        systems=_validate_records(found, "systems", System, document.get("systems")),
        clouds=_validate_records(found, "clouds", CloudPool, document.get("clouds")),
    )
    extranet = _validate_extranet(found, document.get("extranet") or {})
    region = _validate_region(found, document.get("region"))

    _check_duplicate_ids(found, records)
    _check_references(found, records)
    _check_requires_cycles(found, records)
    systems = _symmetric_co_migrate(found, records.systems)
    _check_closed_rooms(found, records)
    _check_states(found, records)

    errors = [p for p in found.problems if p.severity == "error"]
    if errors:
        raise ValidationFailed(found.problems)
    inventory = Inventory(
        region=region,
        departments=tuple(r for _, r in records.departments),
        rooms=tuple(r for _, r in records.rooms),
        networks=tuple(r for _, r in records.networks),
        systems=tuple(systems),
        clouds=tuple(r for _, r in records.clouds),
        extranet=extranet,
    )
    return inventory, [p for p in found.problems if p.severity == "warning"]


def _validate_records(
    found: _Collector, list_name: str, model: type[RecordT], items: Any
) -> list[tuple[int, RecordT]]:
    if items is None:
        return []
    if not isinstance(items, list):
        found.add("", -1, "", list_name, "must be a list of records")
        return []
    valid: list[tuple[int, RecordT]] = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            found.add(list_name, index, "", "", "must be a mapping of fields")
            continue
        object_id = str(item.get("id", "")) if item.get("id") is not None else ""
        try:
            valid.append((index, model.model_validate(item)))
        except ValidationError as error:
            failed_fields: set[str] = set()
            for detail in error.errors(include_url=False):
                # a bad mapping key is reported at the key ("capacity.2023Q5"), not at "[key]"
                field = ".".join(str(part) for part in detail["loc"] if part != "[key]")
                failed_fields.add(str(detail["loc"][0]) if detail["loc"] else "")
                found.add(list_name, index, object_id, field, _describe(detail))
            # Keep what did validate, unchecked, so the cross-record checks can still report
            # on it: the user sees every problem of the file in one run.
            sound = {k: v for k, v in item.items() if k in model.model_fields and k not in failed_fields}
            # A required field that failed is None here, so the cross-record checks skip it
            # instead of tripping over an attribute model_construct never set.
            unset = {name: None for name, info in model.model_fields.items() if info.is_required() and name not in sound}
            sound = unset | sound
            if isinstance(sound.get("id"), str):
                valid.append((index, model.model_construct(**sound)))
    return valid


def _describe(detail: Any) -> str:
    kind = detail["type"]
    if kind == "missing":
        return "missing required field"
    if kind == "extra_forbidden":
        return "unknown field (check the spelling against docs/formats.md)"
    if kind == "finite_number":
        return f"must be a finite number, found {detail.get('input')!r}"
    if kind == "value_error":
        return str(detail.get("ctx", {}).get("error", detail["msg"]))  # our own messages already quote the input
    message = detail["msg"]
    if "input" in detail and kind not in ("model_type", "dict_type"):
        return f"{message[0].lower()}{message[1:]}, found {detail['input']!r}"
    return message


def _validate_region(found: _Collector, value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        found.add("", -1, "", "region", f"must be text, found {value!r}")
        return ""
    try:
        return plain_text(value)
    except ValueError as error:
        found.add("", -1, "", "region", str(error))
        return ""


def _validate_extranet(found: _Collector, data: Any) -> Extranet:
    try:
        return Extranet.model_validate(data)
    except ValidationError as error:
        for detail in error.errors(include_url=False):
            field = "extranet." + ".".join(str(part) for part in detail["loc"] if part != "[key]")
            found.add("", -1, "", field, _describe(detail))
        return Extranet()


def _check_duplicate_ids(found: _Collector, records: _Records) -> None:
    for list_name in LIST_NAMES:
        first_index: dict[str, int] = {}
        for index, record in getattr(records, list_name):
            record_id = record.id
            if record_id in first_index:
                first = found.raw.locate(list_name, first_index[record_id], "")
                first = f"line {first}" if first.isdigit() else first
                found.add(list_name, index, record_id, "id", f"duplicate id in {list_name} (first at {first})")
            else:
                first_index[record_id] = index


def _check_references(found: _Collector, records: _Records) -> None:
    ids = records.ids()

    def expect(list_name: str, index: int, record: Any, field: str, value: str | None, target: str) -> None:
        if value is not None and value not in ids[target]:
            found.add(list_name, index, record.id, field, f"unknown {target[:-1]} {value!r}")

    for list_name in ("rooms", "networks", "systems"):
        for index, record in getattr(records, list_name):
            expect(list_name, index, record, "department", record.department, "departments")
    for index, system in records.systems:
        expect("systems", index, system, "room", system.room, "rooms")
        expect("systems", index, system, "current_cloud", system.current_cloud, "clouds")
        for network_id in system.networks:
            expect("systems", index, system, "networks", network_id, "networks")
        for field in ("requires", "co_migrate"):
            for other in getattr(system, field):
                if other == system.id:
                    found.add("systems", index, system.id, field, "a system cannot name itself")
                else:
                    expect("systems", index, system, field, other, "systems")
        if system.cloud is not None and system.cloud not in ids["clouds"] and system.cloud not in POOL_KINDS:
            found.add(
                "systems", index, system.id, "cloud",
                f"unknown pool or pool kind {system.cloud!r} (kinds: {', '.join(POOL_KINDS)})",
            )
    for index, pool in records.clouds:
        expect("clouds", index, pool, "industry", pool.industry, "departments")


def _check_requires_cycles(found: _Collector, records: _Records) -> None:
    """A cycle of ``requires``, also one closed through ``co_migrate`` partners (who move in one quarter).

    Partners are contracted first: ``s1 requires s0``, ``s2 requires s1`` and ``s0 co_migrate s2``
    is as circular as a plain cycle, and the planner's topological order of move groups needs none.
    """
    index_of: dict[str, int] = {}
    partners = nx.Graph()
    for index, system in records.systems:
        index_of[system.id] = index
        partners.add_node(system.id)
        partners.add_edges_from((system.id, other) for other in system.co_migrate if other != system.id)
    group_of: dict[str, str] = {}
    for component in nx.connected_components(partners):
        first = min(component, key=lambda s: index_of.get(s, 0))
        group_of.update({member: first for member in component})
    graph = nx.DiGraph()
    through: dict[tuple[str, str], tuple[str, str]] = {}
    for _, system in records.systems:
        for other in system.requires:
            if other not in group_of or group_of[other] == group_of[system.id]:
                continue
            edge = (group_of[system.id], group_of[other])
            graph.add_edge(*edge)
            through.setdefault(edge, (system.id, other))
    for cycle in nx.simple_cycles(graph):
        if len(cycle) < 2:
            continue
        start = cycle.index(min(cycle, key=lambda s: index_of.get(s, 0)))
        ordered = cycle[start:] + cycle[:start]
        steps = [through[ordered[i], ordered[(i + 1) % len(ordered)]] for i in range(len(ordered))]
        path = [steps[0][0]]
        notes = []
        for system_id, other in steps:
            if system_id != path[-1]:
                notes.append(f"{path[-1]} and {system_id} co_migrate")
                path.append(system_id)
            path.append(other)
        if path[-1] != path[0]:
            notes.append(f"{path[-1]} and {path[0]} co_migrate")
            path.append(path[0])
        first = path[0]
        found.add(
            "systems", index_of.get(first, -1), first, "requires",
            "requires forms a cycle: " + " -> ".join(path)
            + (f" ({'; '.join(notes)})" if notes else "") + " (remove one of these requirements)",
        )


def _symmetric_co_migrate(found: _Collector, systems: list[tuple[int, System]]) -> list[System]:
    partners: dict[str, set[str]] = defaultdict(set)
    declared: dict[str, set[str]] = {}
    for _, system in systems:
        declared[system.id] = set(system.co_migrate)
        for other in system.co_migrate:
            partners[system.id].add(other)
            partners[other].add(system.id)
    result: list[System] = []
    for index, system in systems:
        missing = sorted(partners[system.id] - declared[system.id])
        if missing:
            found.add(
                "systems", index, system.id, "co_migrate",
                f"co_migrate is one-sided: {', '.join(missing)} name(s) this system; added here too",
                severity="warning",
            )
            system = system.model_copy(update={"co_migrate": tuple(system.co_migrate) + tuple(missing)})
        result.append(system)
    return result


def _check_closed_rooms(found: _Collector, records: _Records) -> None:
    closed = {room.id for _, room in records.rooms if room.state == "closed"}
    for index, system in records.systems:
        if system.room in closed and system.state == "legacy":
            found.add(
                "systems", index, system.id, "room",
                f"runs in room {system.room!r}, which is closed (set the room open or move the system)",
            )


def _check_states(found: _Collector, records: _Records) -> None:
    for index, system in records.systems:
        if system.state == "cloud" and system.current_cloud is None:
            found.add("systems", index, system.id, "current_cloud", "state is cloud, so current_cloud must name its pool")
        if system.state == "legacy" and system.room is None and not system.classified:
            found.add("systems", index, system.id, "room", "state is legacy, so room must name where it runs today")
