"""migplan against a NetBox it did not fill: NetBox's public demo data, loaded into the sandbox.

Every test starts from the demo dump (scripts/netbox-sandbox load) and leaves the sandbox reset
to the empty database for the other NetBox tests. What migplan may change on objects it does not
own is checked on the database itself: a snapshot of every row before and after.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from click.testing import CliRunner, Result

from inventory.files import load_inventory
from inventory.netbox import connect
from inventory.netbox.draft import MISSING
from planner.cli import cli
from tests.integration.conftest import NetBoxSandbox, run_sandbox
from tests.integration.netbox_helpers import comparable
from tests.integration.netbox_snapshot import compare, snapshot

pytestmark = [pytest.mark.integration, pytest.mark.netbox]

DEMO_DUMP = Path(__file__).resolve().parent / "data" / "netbox-demo-v4.2.sql.gz"
REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def demo_netbox(netbox: NetBoxSandbox, reset_netbox: Callable[[], None],
                monkeypatch: pytest.MonkeyPatch) -> Iterator[NetBoxSandbox]:
    """The sandbox holding NetBox's demo data; reset to the empty database afterwards."""
    if not DEMO_DUMP.is_file():
        pytest.fail(f"{DEMO_DUMP} is missing: the NetBox demo dump these tests load")
    loaded = run_sandbox("load", str(DEMO_DUMP))
    assert loaded.returncode == 0, loaded.stderr
    monkeypatch.setenv("NETBOX_TOKEN", netbox.token)
    try:
        yield netbox
    finally:
        reset_netbox()


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def users_own_edits(api: Any) -> None:
    """What a user keeps in NetBox beyond the demo: resources, an owner, disks and addresses on two VMs."""
    umbrella = api.tenancy.tenants.get(slug="umbrella")
    vm100 = api.virtualization.virtual_machines.get(name="vm100")
    vm101 = api.virtualization.virtual_machines.get(name="vm101")
    api.virtualization.virtual_machines.update([{"id": vm100.id, "vcpus": 4, "memory": 8000, "tenant": umbrella.id}])
    api.virtualization.virtual_disks.create(virtual_machine=vm101.id, name="data", size=50_000)
    alpha = api.ipam.vrfs.get(name="Alpha")
    for vm, address, vrf in ((vm100, "10.100.0.5/24", alpha.id), (vm101, "172.17.1.9/24", None)):
        eth0 = api.virtualization.interfaces.get(virtual_machine_id=vm.id, name="eth0")
        api.ipam.ip_addresses.create(address=address, vrf=vrf, assigned_object_type="virtualization.vminterface",
                                     assigned_object_id=eth0.id)


def write_mapping(tmp_path: Path) -> Path:
    """The bundled mapping, with Google Cloud clusters as the city's pools."""
    raw = yaml.safe_load((REPO_ROOT / "inventory" / "netbox" / "mapping.yaml").read_text(encoding="utf-8"))
    raw["adopt"]["pool_kinds"] = {"google-cloud": "city"}
    path = tmp_path / "mapping.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


# What the user types into each cell marked 待填, by sheet and header.
FILLED: dict[tuple[str, str], Any] = {
    ("rooms", "所属单位"): "nc-state", ("rooms", "年运行费用(万元)"): 40, ("rooms", "关停费用(万元)"): 6,
    ("networks", "所属单位"): "umbrella", ("networks", "带宽(Mbps)"): 20, ("networks", "年运行费用(万元)"): 12,
    ("networks", "迁移工作量(人天)"): 4, ("networks", "迁移费用(万元)"): 2,
    ("systems", "所属单位"): "umbrella", ("systems", "所在机房"): "ncsu-065/row-1", ("systems", "等保级别"): 2,
    ("systems", "vCPU"): 2, ("systems", "内存(GB)"): 4, ("systems", "存储(TB)"): 0.1,
    ("systems", "迁移工作量(人天)"): 3, ("systems", "迁移费用(万元)"): 1.5,
    ("clouds", "技术架构"): "x86", ("clouds", "最高等保级别"): 3,
    ("capacity", "起始季度"): "2025Q1", ("capacity", "vCPU"): 400, ("capacity", "内存(GB)"): 1600,
    ("capacity", "存储(TB)"): 40, ("extranet", "起始季度"): "2025Q1", ("extranet", "带宽(Mbps)"): 1000,
}


def fill_draft(path: Path) -> dict[tuple[str, str], int]:
    """Fill every 待填 cell as a user would; returns how many were filled per (sheet, header)."""
    workbook = openpyxl.load_workbook(path)
    filled: dict[tuple[str, str], int] = {}
    for sheet in workbook.worksheets:
        headers = [cell.value for cell in sheet[1]]
        for row in sheet.iter_rows(min_row=2):
            for header, cell in zip(headers, row):
                if cell.value == MISSING:
                    cell.value = FILLED[(sheet.title, str(header))]
                    filled[(sheet.title, str(header))] = filled.get((sheet.title, str(header)), 0) + 1
    workbook.save(path)
    return filled


def draft_rows(path: Path, sheet_name: str) -> list[dict[str, Any]]:
    sheet = openpyxl.load_workbook(path, read_only=True)[sheet_name]
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row)) for row in rows[1:]]


def test_adopting_the_demo_data_and_planning_it_leaves_the_users_objects_as_they_were(
        demo_netbox: NetBoxSandbox, tmp_path: Path) -> None:
    url = demo_netbox.url
    api = connect(url)
    users_own_edits(api)
    before = snapshot()

    # Before init: a pointer to init, not NetBox's HTTP 400.
    early = run("inventory", "pull", "--netbox", url, "-o", str(tmp_path / "early.yaml"))
    assert early.exit_code == 4 and "run `migplan netbox init`" in early.output, early.output
    mapping = write_mapping(tmp_path)
    assert run("netbox", "init", "--netbox", url, "--mapping", str(mapping)).exit_code == 0
    # After init, pull says what it left out and how to take it in.
    empty = run("inventory", "pull", "--netbox", url, "--mapping", str(mapping), "-o", str(tmp_path / "empty.yaml"))
    assert empty.exit_code == 0, empty.output
    assert "11 tenants, 32 clusters, 6 VRFs, 4 locations, 180 virtual machines" in empty.output
    assert "migplan netbox adopt" in empty.output

    draft = tmp_path / "draft.xlsx"
    adopted = run("netbox", "adopt", "--netbox", url, "--mapping", str(mapping), "--tenant-group", "customers",
                  "--site", "ncsu-065", "--cluster-group", "north-america", "--vrf", "Shared", "-o", str(draft))
    assert adopted.exit_code == 0, adopted.output
    # 11 tenants; 4 locations; Alpha (vm100's address), Bravo (vm101's prefix), Shared; the 8 Google Cloud
    # clusters of North America; the 80 VMs of its 4 DigitalOcean clusters.
    assert ("departments: 11 adopted" in adopted.output and "rooms: 4 adopted" in adopted.output
            and "networks: 3 adopted" in adopted.output and "clouds: 8 adopted" in adopted.output
            and "systems: 80 adopted" in adopted.output), adopted.output
    systems = {row["系统编号"]: row for row in draft_rows(draft, "systems")}
    assert systems["vm100"]["vCPU"] == 4 and systems["vm100"]["内存(GB)"] == 8 and systems["vm100"]["所属单位"] == "umbrella"
    assert systems["vm100"]["使用专网"] == "Alpha" and systems["vm101"]["使用专网"] == "Bravo"
    assert systems["vm101"]["存储(TB)"] == 0.05 and systems["vm100"]["存储(TB)"] == MISSING
    assert systems["vm102"]["等保级别"] == MISSING and systems["vm102"]["所属单位"] == MISSING
    assert {row["云类型"] for row in draft_rows(draft, "clouds")} == {"city"}
    # Adopting again changes nothing.
    again = run("netbox", "adopt", "--netbox", url, "--mapping", str(mapping), "--cluster-group", "north-america",
                "-o", str(tmp_path / "again.xlsx"))
    assert "systems: 0 adopted, 80 already managed" in again.output, again.output

    # The ledger round trip: it does not import unfilled; filled, push shows the diff, then writes.
    unfilled = run("inventory", "import", str(draft), "-o", str(tmp_path / "unfilled.yaml"))
    assert unfilled.exit_code == 2 and "systems!" in unfilled.output, unfilled.output
    filled = fill_draft(draft)
    assert filled[("systems", "等保级别")] == 80 and filled[("capacity", "vCPU")] == 8
    held = run("inventory", "push", str(draft), "--netbox", url, "--mapping", str(mapping))
    assert held.exit_code == 0 and "nothing written (dry run)" in held.output and "--commit" in held.output
    assert "mp_sys_mlps_level None -> 2" in held.output, held.output
    pushed = run("inventory", "push", str(draft), "--netbox", url, "--mapping", str(mapping), "--commit")
    assert pushed.exit_code == 0 and "0 created" in pushed.output, pushed.output
    assert "nothing changed" in run("inventory", "push", str(draft), "--netbox", url, "--mapping", str(mapping)).output

    pulled = tmp_path / "pulled.yaml"
    result = run("inventory", "pull", "--netbox", url, "--mapping", str(mapping), "-o", str(pulled))
    assert result.exit_code == 0, result.output
    assert "80 systems, 8 pools" in result.output
    assert "left out, as migplan does not manage them: 24 clusters, 3 VRFs, 100 virtual machines" in result.output
    imported, _ = load_inventory(draft)
    assert comparable(load_inventory(pulled)[0]) == comparable(imported)

    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(yaml.safe_dump({
        "format": "migplan-scenario/1", "name": "demo", "inventory": "pulled.yaml",
        "horizon": {"start": "2025Q1", "end": "2026Q4"},
        "targets": {"cloud_adoption": {2026: 0.5}, "room_consolidation": {2026: 0.25}},
        "solver": {"name": "highs", "time_limit_s": 60},
    }), encoding="utf-8")
    planned = run("plan", str(scenario), "-o", str(tmp_path / "out"), "--quiet")
    assert planned.exit_code == 0, planned.output
    plan_file = tmp_path / "out" / "plan.json"
    actions = json.loads(plan_file.read_text(encoding="utf-8"))["actions"]
    assert sum(1 for action in actions if action["kind"] == "system" and action["action"] == "migrate") >= 40
    applied = run("netbox", "apply-plan", str(plan_file), "--netbox", url, "--mapping", str(mapping), "--commit")
    assert applied.exit_code == 0 and "field changes written" in applied.output, applied.output

    difference = compare(before, snapshot())
    assert difference.changed == [] and difference.added == [], (difference.changed[:10], difference.added[:10])
    # What was written: migplan's schema, and its tag on the 106 adopted objects.
    assert difference.migplan_rows_added >= 106
    assert api.extras.journal_entries.count() > 0


def test_push_of_an_inventory_naming_existing_objects_adopts_them_and_duplicates_nothing(
        demo_netbox: NetBoxSandbox, tmp_path: Path) -> None:
    url = demo_netbox.url
    api = connect(url)
    before = snapshot()
    inventory = {
        "format": "migplan-inventory/1", "region": "湘潭市",
        "departments": [{"id": "umbrella-corp", "name": "Umbrella Corporation"},
                        {"id": "信息中心", "name": "市大数据中心"}],
        "rooms": [{"id": "row-1", "name": "Row 2", "department": "umbrella-corp", "annual_cost_wan": 10,
                   "close_cost_wan": 2}],
        "networks": [{"id": "alpha", "name": "Alpha", "department": "umbrella-corp", "bandwidth_mbps": 10,
                      "annual_cost_wan": 5, "migration_effort_days": 2, "migration_cost_wan": 1}],
        "systems": [
            {"id": "vm2", "name": "vm2", "department": "umbrella-corp", "room": "row-1", "networks": ["alpha"],
             "mlps_level": 2, "vcpu": 2, "memory_gb": 4, "storage_tb": 0.1, "effort_days": 2,
             "migration_cost_wan": 1},
            {"id": "新系统", "name": "社保业务系统", "department": "信息中心", "room": "row-1", "mlps_level": 3,
             "vcpu": 8, "memory_gb": 32, "storage_tb": 1, "effort_days": 10, "migration_cost_wan": 5},
        ],
        "clouds": [{"id": "gc", "name": "gc-us-west1", "kind": "city", "arch": "x86", "mlps_max": 3}],
    }
    path = tmp_path / "inventory.json"
    path.write_text(json.dumps(inventory, ensure_ascii=False), encoding="utf-8")
    assert run("netbox", "init", "--netbox", url).exit_code == 0
    # Without --commit a push that touches the user's objects shows its diff and writes nothing.
    held = run("inventory", "push", str(path), "--netbox", url)
    assert held.exit_code == 0 and "nothing written (dry run)" in held.output, held.output
    assert "departments 'umbrella-corp' (NetBox #8 'Umbrella Corporation'): matched by name" in held.output
    assert api.tenancy.tenants.count(tag="migplan") == 0
    diff = run("inventory", "push", str(path), "--netbox", url, "--diff")
    assert diff.exit_code == 0 and "vm2" in diff.output and "create as '社保业务系统'" in diff.output, diff.output
    assert api.tenancy.tenants.count(tag="migplan") == 0
    pushed = run("inventory", "push", str(path), "--netbox", url, "--commit")
    assert pushed.exit_code == 0, pushed.output
    assert api.tenancy.tenants.count(name="Umbrella Corporation") == 1
    assert api.virtualization.virtual_machines.count(name="vm2") == 1
    assert api.dcim.locations.count(name="Row 2") == 1 and api.ipam.vrfs.count(name="Alpha") == 1
    assert api.virtualization.clusters.count(name="gc-us-west1") == 1
    vm2 = api.virtualization.virtual_machines.get(name="vm2")
    assert vm2.custom_fields["mp_id"] == "vm2" and vm2.custom_fields["mp_origin"] == "adopted"
    assert vm2.site is None and vm2.tenant is None  # not moved to migplan's site, not given a tenant
    assert "nothing changed" in run("inventory", "push", str(path), "--netbox", url).output
    # What push created is only what NetBox did not hold: one department, one system.
    difference = compare(before, snapshot())
    assert difference.changed == [] and difference.added == [], (difference.changed[:10], difference.added[:10])
    assert api.tenancy.tenants.count(cf_mp_origin="created") == 1
    assert api.virtualization.virtual_machines.count(cf_mp_origin="created") == 1
    pulled = run("inventory", "pull", "--netbox", url, "-o", str(tmp_path / "pulled.json"))
    assert pulled.exit_code == 0, pulled.output
    assert comparable(load_inventory(tmp_path / "pulled.json")[0]) == comparable(load_inventory(path)[0])


def test_a_name_two_netbox_objects_carry_stops_the_push_before_it_writes(
        demo_netbox: NetBoxSandbox, tmp_path: Path) -> None:
    api = connect(demo_netbox.url)
    site = api.dcim.sites.get(slug="ncsu-128")
    api.dcim.locations.create(name="Row 1", slug="row-1", site=site.id, status="active")
    before = snapshot()
    inventory = {"format": "migplan-inventory/1", "departments": [{"id": "d", "name": "部门"}],
                 "rooms": [{"id": "r", "name": "Row 1", "department": "d", "annual_cost_wan": 1, "close_cost_wan": 1}],
                 "systems": [{"id": "s", "name": "系统", "department": "d", "room": "r", "mlps_level": 2, "vcpu": 1,
                              "memory_gb": 1, "storage_tb": 0.1, "effort_days": 1, "migration_cost_wan": 1}]}
    path = tmp_path / "inventory.json"
    path.write_text(json.dumps(inventory, ensure_ascii=False), encoding="utf-8")
    result = run("inventory", "push", str(path), "--netbox", demo_netbox.url, "--commit")
    assert result.exit_code == 4 and "push stopped before writing any object" in result.output, result.output
    assert "rooms 'r' is named 'Row 1' like NetBox objects" in result.output and "(site 'MDF')" in result.output
    difference = compare(before, snapshot())
    assert difference.changed == [] and difference.added == [], (difference.changed[:10], difference.added[:10])
