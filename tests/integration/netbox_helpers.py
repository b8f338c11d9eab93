"""Inventories and comparisons shared by the NetBox integration tests."""

from __future__ import annotations

import json
from typing import Any

from inventory.source import RawInventory
from inventory.validate import validate
from models.inventory import Inventory

HOSTILE_IDS = {
    "dept_a": '部门 "甲" {{ config }}',
    "dept_b": "$(rm -rf /); echo 'b' | tee `x` & ${HOME}",
    "room": "机房 {% raw %} 1 \\ \"q\"",
    "net": "专网 <script>alert(1)</script> %s %(x)s",
    "pool": "池 {x86} ; ls",
    "sys_a": "系统 A {{ 1 + 1 }}",
    "sys_b": "系统 B ' OR 1=1 --",
    "sys_c": "  leading and trailing spaces  ",
}


def hostile_inventory() -> Inventory:
    ids = HOSTILE_IDS
    system_defaults: dict[str, Any] = {
        "department": ids["dept_a"], "room": ids["room"], "networks": [ids["net"]], "mlps_level": 3,
        "vcpu": 8, "memory_gb": 32, "storage_tb": 1.25, "data_tb": 0.5, "effort_days": 10,
        "migration_cost_wan": 7.5,
    }
    document: dict[str, Any] = {
        "format": "migplan-inventory/1",
        "region": "湘潭市 {{ region }}",
        "departments": [
            {"id": ids["dept_a"], "name": "同名部门 {{ name }}", "level": "city", "region": "湘潭市 {{ region }}"},
            # The same name twice: NetBox wants tenant names unique, the format does not.
            {"id": ids["dept_b"], "name": "同名部门 {{ name }}", "level": "county"},
        ],
        "rooms": [{"id": ids["room"], "name": "机房 \"一\" & <二>", "department": ids["dept_a"], "racks": 3,
                   "annual_cost_wan": 12.345, "close_cost_wan": 1, "classified": False, "state": "open"},
                  {"id": "closed room", "name": "已关闭机房", "department": ids["dept_b"],
                   "annual_cost_wan": 0, "close_cost_wan": 0, "state": "closed"}],
        "networks": [{"id": ids["net"], "name": "专网 {% if %}", "department": ids["dept_b"], "must_keep": True,
                      "keep_reason": "原因: \"保密\" {{ x }}", "endpoints": 40, "bandwidth_mbps": 100,
                      "annual_cost_wan": 20, "migration_effort_days": 5, "migration_cost_wan": 3,
                      "interconnect_effort_days": 2, "interconnect_cost_wan": 1, "state": "private"}],
        "systems": [
            {**system_defaults, "id": ids["sys_a"], "name": "系统 " + "很长的名字" * 20,
             "requires": [ids["sys_b"]], "co_migrate": [ids["sys_c"]], "dr": "active-active",
             "criticality": "high", "arch": "any", "xinchuang_adapt_days": 12.5, "hosts": ["10.0.0.1", "db 主"]},
            # Hosts shared with another system, repeated, too long for NetBox, spaced, templated.
            {**system_defaults, "id": ids["sys_b"], "name": "系统 B", "must_stay": True,
             "stay_reason": "'; DROP TABLE --", "cloud": "city",
             "hosts": ["10.0.0.1", "  {{ host }} $(id) `x`  ", "主机" * 40, "10.0.0.1", "db 主"]},
            {**system_defaults, "id": ids["sys_c"], "name": "系统 C", "co_migrate": [ids["sys_a"]],
             "room": None, "networks": [], "state": "cloud", "current_cloud": ids["pool"]},
        ],
        "clouds": [{"id": ids["pool"], "name": "池 {{ pool }}", "kind": "industry", "arch": "x86", "mlps_max": 3,
                    "industry": ids["dept_a"], "zone": "z {a}", "region": "湘潭市 {{ region }}",
                    "capacity": {"2023Q1": {"vcpu": 100, "memory_gb": 400, "storage_tb": 10.5}},
                    "vcpu_annual_cost_wan": 0.125}],
        "extranet": {"bandwidth_mbps": {"2023Q1": 1000, "2024Q3": 500.5}},
    }
    inventory, _ = validate(RawInventory(source="hostile", document=document))
    return inventory


def comparable(inventory: Inventory) -> dict[str, Any]:
    """The document with list order normalised: NetBox keeps references as sets."""
    document = json.loads(json.dumps(inventory.to_document()))
    for system in document["systems"]:
        for key in ("requires", "co_migrate", "networks"):
            system[key] = sorted(system[key])
    for list_name in ("departments", "rooms", "networks", "systems", "clouds"):
        document[list_name] = sorted(document[list_name], key=lambda record: record["id"])
    return document
