"""Every kind of broken inventory, from YAML, with the exact problem lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from inventory.files import load_inventory
from models.errors import ValidationFailed

HEADER = "format: migplan-inventory/1\n"
DEPARTMENT = "departments:\n  - {id: d1, name: D1}\n"
ROOM = "rooms:\n  - {id: r1, name: R1, department: d1, annual_cost_wan: 1, close_cost_wan: 1}\n"
SIZES = "mlps_level: 2, vcpu: 4, memory_gb: 8, storage_tb: 1, effort_days: 3, migration_cost_wan: 2"


def system(system_id: str, extra: str = "") -> str:
    return f"  - {{id: {system_id}, name: S, department: d1, room: r1, {SIZES}{', ' + extra if extra else ''}}}\n"


def problems_of(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "inv.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationFailed) as failure:
        load_inventory(path)
    return [str(p).replace(str(tmp_path) + "/", "") for p in failure.value.problems]


def test_duplicate_ids(tmp_path: Path) -> None:
    text = HEADER + DEPARTMENT + ROOM + "systems:\n" + system("a") + system("a")
    assert problems_of(tmp_path, text) == ["inv.yaml:8: a.id: duplicate id in systems (first at line 7)"]


def test_unknown_references(tmp_path: Path) -> None:
    text = (HEADER + DEPARTMENT + ROOM
            + "networks:\n  - {id: n1, name: N, department: dx, bandwidth_mbps: 1, annual_cost_wan: 1,"
            " migration_effort_days: 1, migration_cost_wan: 1}\n"
            + "systems:\n"
            + system("a", "room: rx, networks: [n9], requires: [zz], co_migrate: [yy], cloud: mars").replace("room: r1, ", "")
            + "clouds:\n  - {id: p, name: P, kind: city, arch: x86, mlps_max: 3, industry: dz}\n")
    assert problems_of(tmp_path, text) == [
        "inv.yaml:7: n1.department: unknown department 'dx'",
        "inv.yaml:9: a.room: unknown room 'rx'",
        "inv.yaml:9: a.networks: unknown network 'n9'",
        "inv.yaml:9: a.requires: unknown system 'zz'",
        "inv.yaml:9: a.co_migrate: unknown system 'yy'",
        "inv.yaml:9: a.cloud: unknown pool or pool kind 'mars' (kinds: city, province, industry, hpc)",
        "inv.yaml:11: p.industry: unknown department 'dz'",
    ]


def test_bad_enums_and_numbers(tmp_path: Path) -> None:
    text = (HEADER + "departments:\n  - {id: d1, name: D1, level: town}\n"
            + "rooms:\n  - id: r1\n    name: R1\n    department: d1\n    annual_cost_wan: -1\n    close_cost_wan: .nan\n"
            + "systems:\n"
            + system("a", "arch: arm, dr: mirror").replace("vcpu: 4, ", "vcpu: many, ").replace("mlps_level: 2", "mlps_level: 5")
            + "  - {id: b, name: S, department: d1, room: r1, mlps_level: 2}\n")
    assert problems_of(tmp_path, text) == [
        "inv.yaml:3: d1.level: input should be 'city', 'county' or 'park', found 'town'",
        "inv.yaml:8: r1.annual_cost_wan: input should be greater than or equal to 0, found -1",
        "inv.yaml:9: r1.close_cost_wan: must be a finite number, found nan",
        "inv.yaml:11: a.mlps_level: input should be less than or equal to 4, found 5",
        "inv.yaml:11: a.arch: input should be 'x86', 'xinchuang' or 'any', found 'arm'",
        "inv.yaml:11: a.vcpu: input should be a valid number, unable to parse string as a number, found 'many'",
        "inv.yaml:11: a.dr: input should be 'none', 'active-active' or 'backup', found 'mirror'",
        "inv.yaml:12: b.vcpu: missing required field",
        "inv.yaml:12: b.memory_gb: missing required field",
        "inv.yaml:12: b.storage_tb: missing required field",
        "inv.yaml:12: b.effort_days: missing required field",
        "inv.yaml:12: b.migration_cost_wan: missing required field",
    ]


def test_missing_required_reference_field_is_reported_not_crashed(tmp_path: Path) -> None:
    text = HEADER + DEPARTMENT + "rooms:\n  - {id: r1, name: R1, annual_cost_wan: 1, close_cost_wan: 1}\n"
    assert problems_of(tmp_path, text) == ["inv.yaml:5: r1.department: missing required field"]


def test_requires_cycle_prints_the_cycle(tmp_path: Path) -> None:
    text = (HEADER + DEPARTMENT + ROOM + "systems:\n"
            + system("a", "requires: [b]") + system("b", "requires: [c]") + system("c", "requires: [a]"))
    assert problems_of(tmp_path, text) == [
        "inv.yaml:7: a.requires: requires forms a cycle: a -> b -> c -> a (remove one of these requirements)"
    ]


def test_a_requires_cycle_through_co_migrate_partners_is_a_cycle(tmp_path: Path) -> None:
    """Found by the widened property tests: the greedy baseline's topological order crashed on it."""
    text = (HEADER + DEPARTMENT + ROOM + "systems:\n" + system("s0", "co_migrate: [s2]")
            + system("s1", "requires: [s0]") + system("s2", "requires: [s1], co_migrate: [s0]"))
    assert problems_of(tmp_path, text) == [
        "inv.yaml:9: s2.requires: requires forms a cycle: s2 -> s1 -> s0 -> s2 (s0 and s2 co_migrate) "
        "(remove one of these requirements)"
    ]


def test_one_sided_co_migrate_warns_and_is_made_symmetric(tmp_path: Path) -> None:
    path = tmp_path / "inv.yaml"
    path.write_text(HEADER + DEPARTMENT + ROOM + "systems:\n" + system("a", "co_migrate: [b]") + system("b"), encoding="utf-8")
    inventory, warnings = load_inventory(path)
    assert [str(w).replace(str(tmp_path) + "/", "") for w in warnings] == [
        "inv.yaml:8: warning: b.co_migrate: co_migrate is one-sided: a name(s) this system; added here too"
    ]
    assert inventory.system_by_id["b"].co_migrate == ("a",)


def test_system_in_closed_room(tmp_path: Path) -> None:
    text = HEADER + DEPARTMENT + ROOM.replace("close_cost_wan: 1}", "close_cost_wan: 1, state: closed}") + "systems:\n" + system("a")
    assert problems_of(tmp_path, text) == [
        "inv.yaml:7: a.room: runs in room 'r1', which is closed (set the room open or move the system)"
    ]


def test_bad_capacity_period_is_reported_at_the_key(tmp_path: Path) -> None:
    text = HEADER + "clouds:\n  - {id: p, name: P, kind: city, arch: x86, mlps_max: 3, capacity: {2023Q5: {vcpu: 1}}}\n"
    assert problems_of(tmp_path, text) == ["inv.yaml:3: p.capacity.2023Q5: '2023Q5' is not a quarter like 2024Q3"]


def test_the_sample_validates_clean(sample_path: Path) -> None:
    inventory, warnings = load_inventory(sample_path)
    assert warnings == []
    assert len(inventory.systems) == 300
    assert {"系统-社保", "系统-医保结算"} <= set(inventory.system_by_id)


# --- hostile values (issue 18, items 8, 9 and 10) -----------------------------------------


@pytest.mark.parametrize("character, name", [("\x00", "U+0000 NUL"), ("\x1b", "U+001B ESC"), ("\x07", "U+0007")])
def test_control_characters_are_refused_with_the_field_named(tmp_path: Path, character: str, name: str) -> None:
    escaped = character.encode("unicode_escape").decode()
    text = (HEADER + DEPARTMENT + ROOM + "systems:\n"
            + system("a", f'stay_reason: "x{escaped}"').replace("name: S", f'name: "社保{escaped}"')
            + system(f'"b{escaped}"'))
    problems = problems_of(tmp_path, text)
    assert problems[0].startswith("inv.yaml:7: a.name: holds a control character (" + name)
    assert problems[1].startswith("inv.yaml:7: a.stay_reason: holds a control character")
    assert "id: holds a control character" in problems[2]


def test_tabs_and_line_breaks_in_free_text_are_fine(tmp_path: Path) -> None:
    path = tmp_path / "inv.yaml"
    path.write_text(HEADER + DEPARTMENT + ROOM + "systems:\n" + system("a", 'stay_reason: "one\\ttwo\\nthree"'),
                    encoding="utf-8")
    loaded, _ = load_inventory(path)
    assert loaded.systems[0].stay_reason == "one\ttwo\nthree"


def test_absurd_magnitudes_are_refused(tmp_path: Path) -> None:
    text = HEADER + DEPARTMENT + ROOM + "systems:\n" + system("a").replace("vcpu: 4", "vcpu: 1e15")
    assert problems_of(tmp_path, text) == [
        "inv.yaml:7: a.vcpu: input should be less than or equal to 1000000000, found 1000000000000000.0"]


@pytest.mark.parametrize("field", ["vcpu", "mlps_level"])
def test_a_boolean_is_not_a_number(tmp_path: Path, field: str) -> None:
    text = HEADER + DEPARTMENT + ROOM + "systems:\n" + system("a").replace(f"{field}: ", f"{field}: true, x_{field}: ")
    problems = problems_of(tmp_path, text.replace(f", x_{field}: 4", "").replace(f", x_{field}: 2", ""))
    assert f"inv.yaml:7: a.{field}: must be a number, found True" in problems


def test_a_control_character_in_the_region_is_refused(tmp_path: Path) -> None:
    text = HEADER + 'region: "湘潭\\x1b[31m"\n' + DEPARTMENT + ROOM + "systems:\n" + system("a")
    assert problems_of(tmp_path, text)[0].startswith("inv.yaml: region: holds a control character (U+001B ESC)")
