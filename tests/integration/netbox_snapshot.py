"""A snapshot of every row of the sandbox's NetBox database, and what may differ after migplan ran.

Read through `scripts/netbox-sandbox psql`, table by table as JSON, so that the comparison sees
what NetBox stores (including what its API does not show, such as a location's tree position).
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass, field
from typing import Any

from tests.integration.conftest import SANDBOX_SCRIPT

# NetBox's own bookkeeping of changes, searches and sessions: they grow with every write.
BOOKKEEPING_TABLES = {"core_objectchange", "core_job", "extras_journalentry", "extras_cachedvalue", "django_session",
                      "users_token"}  # a token records when it was last used
# Rows migplan's schema (`netbox init`) adds, recognised by their name or slug.
SCHEMA_TABLES = {"extras_tag": "slug", "extras_customfield": "name", "extras_customfieldchoiceset": "name",
                 "dcim_site": "slug", "virtualization_clustergroup": "slug", "virtualization_clustertype": "slug"}
# Columns NetBox recomputes on its own: the change time, and the config context it renders in the
# background for a device or VM whose tags changed (no config context here depends on migplan's tag).
CHANGING_COLUMNS = {"last_updated", "_config_context_data", "_config_context_generation"}


Snapshot = dict[str, list[dict[str, Any]]]


def psql(sql: str) -> str:
    result = subprocess.run(["bash", str(SANDBOX_SCRIPT), "psql", "-v", "ON_ERROR_STOP=1", "-At", "-f", "-"],
                            input=sql, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise RuntimeError(f"psql failed: {result.stderr}")
    return result.stdout


def snapshot() -> Snapshot:
    """Every row of every table of the public schema."""
    tables = psql("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1;").split()
    queries = "".join(f"SELECT '{table}' || chr(9) || coalesce(jsonb_agg(to_jsonb(t))::text, '[]') FROM public.\"{table}\" t;\n"
                      for table in tables)
    rows: Snapshot = {}
    for line in psql(queries).splitlines():
        table, _, data = line.partition("\t")
        rows[table] = json.loads(data)
    return rows


def _is_migplan_name(value: Any) -> bool:
    return isinstance(value, str) and (value.startswith("mp_") or value.startswith("migplan"))


def _normalised(row: dict[str, Any]) -> dict[str, Any]:
    """The row without what migplan may change on an object it does not own: its own custom fields."""
    plain = {key: value for key, value in row.items() if key not in CHANGING_COLUMNS}
    if isinstance(plain.get("custom_field_data"), dict):
        plain["custom_field_data"] = {key: value for key, value in plain["custom_field_data"].items()
                                      if not key.startswith("mp_")}
    return plain


@dataclass
class SnapshotDifference:
    changed: list[str] = field(default_factory=list)
    """Rows present before whose content (beyond migplan's custom fields) differs or that are gone."""
    added: list[str] = field(default_factory=list)
    """Rows that are new and not migplan's (its schema, its tag on an object, an object push created)."""
    migplan_rows_added: int = 0


def compare(before: Snapshot, after: Snapshot) -> SnapshotDifference:
    difference = SnapshotDifference()
    migplan_tags = {row["id"] for row in after.get("extras_tag", []) if _is_migplan_name(row.get("slug"))}
    migplan_fields = {row["id"] for row in after.get("extras_customfield", []) if _is_migplan_name(row.get("name"))}
    for table in sorted(set(before) | set(after)):
        if table in BOOKKEEPING_TABLES:
            continue
        old_rows, new_rows = before.get(table, []), after.get(table, [])
        keyed = bool(old_rows or new_rows) and all("id" in row for row in old_rows + new_rows)
        if keyed:
            old_by_id = {row["id"]: row for row in old_rows}
            new_by_id = {row["id"]: row for row in new_rows}
            for row_id, row in old_by_id.items():
                if row_id not in new_by_id:
                    difference.changed.append(f"{table} #{row_id}: removed")
                elif _normalised(row) != _normalised(new_by_id[row_id]):
                    old, new = _normalised(row), _normalised(new_by_id[row_id])
                    fields = sorted(key for key in set(old) | set(new) if old.get(key) != new.get(key))
                    difference.changed.append(f"{table} #{row_id}: {', '.join(fields)} changed")
            added = [row for row_id, row in new_by_id.items() if row_id not in old_by_id]
        else:
            remaining = [json.dumps(_normalised(row), sort_keys=True) for row in new_rows]
            for row in old_rows:
                text = json.dumps(_normalised(row), sort_keys=True)
                if text in remaining:
                    remaining.remove(text)
                else:
                    difference.changed.append(f"{table}: row {text[:200]} removed or changed")
            added = [json.loads(text) for text in remaining]
        for row in added:
            if _migplans_row(table, row, migplan_tags, migplan_fields):
                difference.migplan_rows_added += 1
            else:
                difference.added.append(f"{table}: {json.dumps(row, ensure_ascii=False)[:300]}")
    return difference


def _migplans_row(table: str, row: dict[str, Any], migplan_tags: set[int], migplan_fields: set[int]) -> bool:
    if table in SCHEMA_TABLES:
        return _is_migplan_name(row.get(SCHEMA_TABLES[table]))
    if table == "extras_taggeditem":
        return row.get("tag_id") in migplan_tags
    if table == "extras_customfield_object_types":
        return row.get("customfield_id") in migplan_fields
    return (row.get("custom_field_data") or {}).get("mp_origin") == "created"
