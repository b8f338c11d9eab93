"""The parts of the NetBox source that need no server: creation order, host names, host matching."""

from __future__ import annotations

import importlib
from typing import Any

import pytest

from inventory.netbox.mapping import host_name
from inventory.netbox.push import _creation_waves, _match_hosts
from inventory.netbox.state import HostObject

# The package exports a function named push, which hides the module of the same name.
push_module = importlib.import_module("inventory.netbox.push")
VM, DEVICE = "virtualization.virtualmachine", "dcim.device"


def system(system_id: str, *requires: str) -> dict[str, Any]:
    return {"id": system_id, "requires": list(requires)}


def ids(waves: list[list[dict[str, Any]]]) -> list[list[str]]:
    return [[document["id"] for document in wave] for wave in waves]


def test_a_system_is_created_after_the_new_systems_it_requires() -> None:
    documents = [system("c", "b", "old"), system("b", "a"), system("a"), system("d", "a")]
    # "old" exists already: it does not hold "c" back.
    assert ids(_creation_waves("systems", documents)) == [["a"], ["b", "d"], ["c"]]
    assert ids(_creation_waves("rooms", documents)) == [["c", "b", "a", "d"]]
    assert _creation_waves("systems", []) == []


def test_a_long_chain_ends_in_one_last_wave(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(push_module, "MAX_CREATION_WAVES", 3)
    chain = [system("s0")] + [system(f"s{n}", f"s{n - 1}") for n in range(1, 6)]
    assert ids(_creation_waves("systems", chain)) == [["s0"], ["s1"], ["s2", "s3", "s4", "s5"]]


def test_host_names_netbox_can_hold_keep_the_exact_text_elsewhere() -> None:
    assert host_name("db 主") == "db 主"
    for awkward in ("  spaced  ", "长" * 70, ""):
        name = host_name(awkward)
        assert 0 < len(name) <= 64 and name == name.strip() and name != awkward
    assert host_name("长" * 70) != host_name("长" * 71)


def host(object_type: str, netbox_id: int, name: str, position: int | None) -> HostObject:
    return HostObject(object_type, {"id": netbox_id, "name": name}, system_netbox_id=1, position=position,
                      exact_name=name if object_type == VM else None)


def test_servers_match_by_name_then_reuse_push_vms_never_devices() -> None:
    a, b, device = host(VM, 10, "a", 0), host(VM, 11, "b", 1), host(DEVICE, 12, "物理机", 2)
    matched = _match_hosts(["物理机", "a", "new"], [a, b, device], VM)
    # The device keeps its name wherever it moves; the VM "b" is renamed to "new".
    assert matched == {0: device, 1: a, 2: b}
    assert _match_hosts(["x"], [device], VM) == {}
    # The same name twice: matched in order.
    first, second = host(VM, 20, "dup", 0), host(VM, 21, "dup", 1)
    assert _match_hosts(["dup", "dup"], [first, second], VM) == {0: first, 1: second}
