"""Adoption's parts that need no server: the draft ledger, ids, prefixes, what push writes on adopted objects."""

from __future__ import annotations

import importlib
import ipaddress
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from inventory.files import load_inventory
from inventory.netbox.adopt import _assign_ids, _Candidates, vrf_of_smallest_prefix
from inventory.netbox.draft import MISSING, count_missing, missing_fields, write_draft_ledger
from inventory.netbox.mapping import load_mapping
from inventory.netbox.state import NetBoxState
from models.errors import ValidationFailed

push_module = importlib.import_module("inventory.netbox.push")


def draft() -> dict[str, Any]:
    """A draft as adopt reads it from NetBox: names and what NetBox knows, no planning figures."""
    return {
        "format": "migplan-inventory/1", "region": "",
        "departments": [{"id": "initech", "name": "Initech"}],
        "rooms": [{"id": "ncsu/row-1", "name": "Row 1", "state": "open"}],
        "networks": [{"id": "Alpha", "name": "Alpha", "department": "initech"}],
        "systems": [{"id": "vm1", "name": "vm1", "department": "initech", "networks": ["Alpha"], "vcpu": 4.0,
                     "memory_gb": 8.0, "current_cloud": None, "hosts": ["vm1"]}],
        "clouds": [{"id": "GCP-US", "name": "GCP-US", "kind": "city"}],
        "extranet": {"bandwidth_mbps": {}},
    }


def test_missing_fields_are_the_required_ones_absent() -> None:
    document = draft()
    assert missing_fields("systems", document["systems"][0]) == [
        "room", "mlps_level", "storage_tb", "effort_days", "migration_cost_wan"]
    on_cloud = {**document["systems"][0], "state": "cloud", "current_cloud": "GCP-US"}
    assert "room" not in missing_fields("systems", on_cloud)
    assert missing_fields("rooms", document["rooms"][0]) == ["department", "annual_cost_wan", "close_cost_wan"]
    assert missing_fields("departments", document["departments"][0]) == []
    # 5 (system) + 3 (room) + 4 (network) + 2 (pool arch, mlps_max) + 4 capacity cells + 2 extranet cells
    assert count_missing(document) == 5 + 3 + 4 + 2 + 4 + 2


def fill(path: Path, values: dict[tuple[str, str], Any]) -> None:
    """Replace each MISSING cell by values[(sheet, header)], as a user would."""
    workbook = openpyxl.load_workbook(path)
    for sheet in workbook.worksheets:
        headers = [cell.value for cell in sheet[1]]
        for row in sheet.iter_rows(min_row=2):
            for header, cell in zip(headers, row):
                if cell.value == MISSING:
                    cell.value = values[(sheet.title, header)]
    workbook.save(path)


def test_the_draft_does_not_import_until_filled_then_does(tmp_path: Path) -> None:
    path = tmp_path / "draft.xlsx"
    write_draft_ledger(draft(), path)
    workbook = openpyxl.load_workbook(path)
    systems = workbook["systems"]
    headers = [cell.value for cell in systems[1]]
    row = {header: cell for header, cell in zip(headers, systems[2])}
    assert row["等保级别"].value == MISSING and row["等保级别"].fill.fgColor.rgb.endswith("FFFF00")
    assert row["vCPU"].value == 4 and row["使用专网"].value == "Alpha" and row["主机"].value == "vm1"
    with pytest.raises(ValidationFailed) as failure:
        load_inventory(path)
    assert "systems!" in str(failure.value) and "mlps_level" in str(failure.value)
    fill(path, {("systems", "所在机房"): "ncsu/row-1", ("systems", "等保级别"): 3, ("systems", "存储(TB)"): 0.5,
                ("systems", "迁移工作量(人天)"): 5,
                ("systems", "迁移费用(万元)"): 2, ("rooms", "所属单位"): "initech", ("rooms", "年运行费用(万元)"): 30,
                ("rooms", "关停费用(万元)"): 5, ("networks", "带宽(Mbps)"): 20, ("networks", "年运行费用(万元)"): 8,
                ("networks", "迁移工作量(人天)"): 3, ("networks", "迁移费用(万元)"): 1, ("clouds", "技术架构"): "x86",
                ("clouds", "最高等保级别"): 3, ("capacity", "起始季度"): "2024Q1", ("capacity", "vCPU"): 64,
                ("capacity", "内存(GB)"): 256, ("capacity", "存储(TB)"): 10, ("extranet", "起始季度"): "2024Q1",
                ("extranet", "带宽(Mbps)"): 1000})
    inventory, _ = load_inventory(path)
    assert inventory.system_by_id["vm1"].mlps_level == 3 and inventory.system_by_id["vm1"].vcpu == 4
    assert inventory.room_by_id["ncsu/row-1"].department == "initech"
    assert inventory.cloud_by_id["GCP-US"].capacity


def candidates(list_name: str, records: list[dict[str, Any]]) -> _Candidates:
    selected = _Candidates()
    for record in records:
        selected.add(list_name, record)
    return selected


def test_adopted_ids_are_readable_and_unique_and_never_reuse_a_taken_one() -> None:
    state = NetBoxState(records={"systems": {"vm1": {"id": 1}}}, inventory_id_of={"systems": {1: "vm1"}})
    selected = candidates("systems", [{"id": 1, "name": "vm1"}, {"id": 2, "name": "vm1"}, {"id": 3, "name": "vm2"},
                                      {"id": 4, "name": "vm2"}, {"id": 5, "name": "db"}])
    assert _assign_ids(state, selected, "systems") == {2: "vm1#2", 3: "vm2#3", 4: "vm2#4", 5: "db"}
    rooms = candidates("rooms", [{"id": 7, "name": "Row 1", "slug": "row-1", "site": {"slug": "ncsu"}}])
    empty = NetBoxState(records={"rooms": {}}, inventory_id_of={"rooms": {}})
    assert _assign_ids(empty, rooms, "rooms") == {7: "ncsu/row-1"}


def test_an_address_belongs_to_the_vrf_of_its_smallest_prefix() -> None:
    prefixes = [(ipaddress.ip_network("10.0.0.0/8"), 1), (ipaddress.ip_network("10.1.0.0/16"), 2),
                (ipaddress.ip_network("2001:db8::/32"), 3)]
    assert vrf_of_smallest_prefix("10.1.2.3/24", prefixes) == 2
    assert vrf_of_smallest_prefix("10.2.0.1/24", prefixes) == 1
    assert vrf_of_smallest_prefix("2001:db8::1/64", prefixes) == 3
    assert vrf_of_smallest_prefix("192.168.1.1/24", prefixes) is None


def context() -> Any:
    mapping = load_mapping()
    state = NetBoxState(records={name: {} for name in ("departments", "rooms", "networks", "systems", "clouds")},
                        inventory_id_of={name: {} for name in ("departments", "rooms", "networks", "systems", "clouds")})
    state.records["departments"]["initech"] = {"id": 5}
    state.inventory_id_of["departments"][5] = "initech"
    return push_module._Context(api=None, mapping=mapping, state=state, site_id=1, tag_id=9, host_tag_id=10, group_id=1,
                                type_ids={"city": 1}, report=push_module.PushReport())


def test_push_writes_only_custom_fields_and_the_tag_on_an_adopted_object() -> None:
    ctx = context()
    document = {"id": "ncsu/row-1", "name": "机房一", "department": "initech", "racks": 8, "annual_cost_wan": 30,
                "close_cost_wan": 5, "classified": False, "state": "closed"}
    adopted = {"id": 3, "name": "Row 1", "custom_fields": {"mp_id": "ncsu/row-1", "mp_origin": "adopted"}}
    payload = push_module._desired(ctx, "rooms", document, "机房一", with_system_links=False, existing=adopted)
    assert set(payload) == {"tags", "custom_fields"}
    assert payload["custom_fields"]["mp_department"] == 5 and payload["custom_fields"]["mp_room_state"] == "closed"
    assert payload["custom_fields"]["mp_name"] == "机房一"  # the user's name stays; the inventory's is kept aside
    # A hand-tagged object without mp_origin is the user's too.
    hand_tagged = {"id": 3, "name": "Row 1", "custom_fields": {"mp_id": "ncsu/row-1"}}
    assert set(push_module._desired(ctx, "rooms", document, "机房一", False, hand_tagged)) == {"tags", "custom_fields"}
    # Push's own object is named, placed and given its status.
    created = {"id": 3, "name": "机房一", "custom_fields": {"mp_id": "ncsu/row-1", "mp_origin": "created"}}
    own = push_module._desired(ctx, "rooms", document, "机房一", False, created)
    assert own["status"] == "retired" and own["site"] == 1 and own["name"] == "机房一"


def test_the_mapping_may_let_a_closing_adopted_room_be_retired() -> None:
    ctx = context()
    raw = dict(ctx.mapping.raw)
    raw["adopt"] = {**raw["adopt"], "room_closed_by": "status"}
    ctx.mapping = type(ctx.mapping)(raw)
    document = {"id": "r", "name": "Row 1", "department": "initech", "annual_cost_wan": 1, "close_cost_wan": 1,
                "state": "closed"}
    adopted = {"id": 3, "name": "Row 1", "custom_fields": {"mp_id": "r", "mp_origin": "adopted"}}
    assert push_module._desired(ctx, "rooms", document, "Row 1", False, adopted)["status"] == "retired"
