"""Push and pull a large inventory through the NetBox sandbox and print seconds.

    scripts/netbox-sandbox up && set -a && . /var/cache/migplan/netbox-sandbox/netbox.env && set +a
    .venv/bin/python bench/bench_netbox.py [--systems 10000] [--rooms 1000] [--no-reset]

Compares migplan's pull (one cursor-paginated pass per endpoint, only the fields it reads)
with a naive pynetbox `.all()` of every endpoint (offset pagination, full records).
"""

from __future__ import annotations

import argparse
import fcntl
import os
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pynetbox

from inventory.netbox import NetBoxSource, connect, push
from inventory.netbox.state import ENDPOINTS
from inventory.source import RawInventory
from inventory.validate import validate
from models.inventory import Inventory

T = TypeVar("T")
SANDBOX_SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "netbox-sandbox"


def synthetic_inventory(systems: int, rooms: int) -> Inventory:
    departments = [{"id": f"dept-{d}", "name": f"部门 {d}", "level": "city"} for d in range(max(1, rooms // 10))]
    room_rows = [{"id": f"room-{r}", "name": f"机房 {r}", "department": f"dept-{r % len(departments)}",
                  "racks": 4, "annual_cost_wan": 10, "close_cost_wan": 2} for r in range(rooms)]
    networks = [{"id": f"net-{n}", "name": f"专网 {n}", "department": f"dept-{n % len(departments)}",
                 "bandwidth_mbps": 50, "annual_cost_wan": 5, "migration_effort_days": 3, "migration_cost_wan": 2}
                for n in range(max(1, rooms // 20))]
    system_rows = [{"id": f"sys-{s}", "name": f"系统 {s}", "department": f"dept-{s % len(departments)}",
                    "room": f"room-{s % rooms}", "networks": [f"net-{s % len(networks)}"], "mlps_level": 2,
                    "vcpu": 8, "memory_gb": 16, "storage_tb": 1, "effort_days": 5, "migration_cost_wan": 3,
                    "requires": [f"sys-{s - 1}"] if s % 7 else []} for s in range(systems)]
    clouds = [{"id": "pool-x86", "name": "x86 池", "kind": "city", "arch": "x86", "mlps_max": 3,
               "capacity": {"2023Q1": {"vcpu": 100000, "memory_gb": 400000, "storage_tb": 10000}}}]
    document = {"format": "migplan-inventory/1", "region": "bench", "departments": departments, "rooms": room_rows,
                "networks": networks, "systems": system_rows, "clouds": clouds}
    inventory, _ = validate(RawInventory(source="bench", document=document))
    return inventory


def timed(label: str, action: Callable[[], T]) -> T:
    """Run and print the seconds, with the load average: the machine is shared, so say how busy."""
    start = time.perf_counter()
    result = action()
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"{label:<40} {time.perf_counter() - start:8.1f} s   (load average {load})", flush=True)
    return result


def naive_pull(url: str, token: str) -> int:
    api = pynetbox.api(url, token=token)
    total = 0
    for app, name in ENDPOINTS.values():
        total += sum(1 for _ in getattr(getattr(api, app), name).all())
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--systems", type=int, default=10_000)
    parser.add_argument("--rooms", type=int, default=1_000)
    parser.add_argument("--no-reset", action="store_true", help="Do not reset the sandbox first.")
    args = parser.parse_args()
    url, token = os.environ["NETBOX_URL"], os.environ["NETBOX_TOKEN"]
    # The test suites' session lock: a suite's reset in the middle would wipe the benchmark's data.
    sandbox_dir = Path(os.environ.get("MIGPLAN_CACHE", "/var/cache/migplan")) / "netbox-sandbox"
    session_lock = open(sandbox_dir / "test-session.lock", "w")
    fcntl.flock(session_lock, fcntl.LOCK_EX)
    if not args.no_reset:
        subprocess.run(["bash", str(SANDBOX_SCRIPT), "reset"], check=True, capture_output=True)
    inventory = synthetic_inventory(args.systems, args.rooms)
    print(f"{len(inventory.systems)} systems (VMs), {len(inventory.rooms)} rooms, "
          f"{len(inventory.departments)} departments, {len(inventory.networks)} networks")
    api = connect(url, token)
    first = timed("push (first, creates everything)", lambda: push(inventory, api))
    print(f"  {first.summary()}")
    second = timed("push (second, no change)", lambda: push(inventory, api))
    assert not second.changed, second.summary()
    pulled = timed("pull (cursor, fields=, one pass each)", lambda: NetBoxSource(url, token).load())
    assert len(pulled.systems) == len(inventory.systems)
    timed("naive pynetbox .all() of every endpoint", lambda: naive_pull(url, token))


if __name__ == "__main__":
    main()
