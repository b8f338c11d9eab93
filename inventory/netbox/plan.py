"""apply_plan(plan, api, commit=False): write a plan's decisions onto the NetBox objects.

Each room, network and system gets its action, target pool(s) and period in custom fields,
and a journal entry saying what the plan decided. Nothing is written unless commit is true;
applying the same plan twice finds no difference and writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pynetbox

from inventory.netbox.client import guarded
from inventory.netbox.mapping import Mapping, load_mapping
from inventory.netbox.pull import require_schema
from inventory.netbox.state import endpoint, read_custom_field, read_state
from models.errors import SourceError

LIST_OF_KIND = {"system": "systems", "network": "networks", "room": "rooms"}
PLAN_FIELDS = ("action", "target", "dr_target", "period")


@dataclass(frozen=True)
class PlanChange:
    kind: str
    id: str
    field: str
    old: Any
    new: Any

    def __str__(self) -> str:
        return f"{self.kind} {self.id}: {self.field} {self.old!r} -> {self.new!r}"


def apply_plan(plan: dict[str, Any], api: pynetbox.api, commit: bool = False,
               mapping: Mapping | None = None) -> list[PlanChange]:
    """The differences between the plan and NetBox; written (with journal entries) only if commit."""
    mapping = mapping or load_mapping()

    def run() -> list[PlanChange]:
        require_schema(api, mapping)
        state = read_state(api, mapping)
        changes: list[PlanChange] = []
        updates: dict[str, list[dict[str, Any]]] = {name: [] for name in LIST_OF_KIND.values()}
        journal: list[dict[str, Any]] = []
        for action in plan.get("actions", []):
            list_name = LIST_OF_KIND.get(action.get("kind", ""))
            if list_name is None:
                continue
            record = state.records[list_name].get(action["id"])
            if record is None:
                raise SourceError(f"plan {action['kind']} {action['id']!r}: not found in NetBox (push the inventory first)")
            wanted = _wanted_fields(state, action)
            have = record.get("custom_fields") or {}
            differing: dict[str, Any] = {}
            for field_name in PLAN_FIELDS:
                spec = mapping.plan_field(field_name)
                old = read_custom_field(spec, have.get(spec.cf))
                if old != wanted[field_name]:
                    differing[spec.cf] = wanted[field_name]
                    changes.append(PlanChange(action["kind"], action["id"], field_name, old, wanted[field_name]))
            if differing:
                updates[list_name].append({"id": record["id"], "custom_fields": differing})
                journal.append({
                    "assigned_object_type": mapping.object_type(list_name),
                    "assigned_object_id": record["id"], "kind": "info",
                    "comments": _journal_text(plan, action),
                })
        if commit:
            for list_name, rows in updates.items():
                for start in range(0, len(rows), 500):
                    endpoint(api, list_name).update(rows[start:start + 500])
            for start in range(0, len(journal), 500):
                api.extras.journal_entries.create(journal[start:start + 500])
        return changes

    return guarded(api.base_url, run)


def _wanted_fields(state: Any, action: dict[str, Any]) -> dict[str, Any]:
    def pool(field_name: str) -> int | None:
        pool_id = action.get(field_name)
        if pool_id is None:
            return None
        netbox_id = state.netbox_id("clouds", pool_id)
        if netbox_id is None:
            raise SourceError(f"plan {action['kind']} {action['id']!r}.{field_name}: pool {pool_id!r} not found in NetBox")
        return netbox_id

    return {"action": action["action"], "target": pool("target"), "dr_target": pool("dr_target"),
            "period": action.get("period")}


def _journal_text(plan: dict[str, Any], action: dict[str, Any]) -> str:
    # Markdown comments; ids are shown inside code spans so NetBox renders them literally.
    details = ", ".join(f"{key} `{action[key]}`" for key in ("target", "dr_target", "period", "reason")
                        if action.get(key) is not None)
    return f"migplan plan `{plan.get('scenario', '')}`: **{action['action']}**" + (f" ({details})" if details else "")
