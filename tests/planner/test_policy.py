"""planner/policy.py on its own: which pools a system may use, what each object's fate is, the KPI scope."""

from __future__ import annotations

import pytest

from models.scenario import KpiOptions
from planner.policy import (
    dr_pools,
    kpi_scope,
    network_policies,
    pool_accepts,
    room_policies,
    system_effort_days,
    system_policies,
)
from tests.builders import department, inventory, network, pool, room, system


def test_arch_level_and_pin_decide_the_pools() -> None:
    inv = inventory(
        [
            system("x86", mlps_level=3),
            system("adaptable", xinchuang_adapt_days=4),
            system("xc", arch="xinchuang"),
            system("pinned", cloud="p-x86"),
            system("level4", mlps_level=4),
        ],
        clouds=[pool("p-x86"), pool("p-xc", arch="xinchuang"), pool("p-low", mlps_max=2)],
    )
    policies = system_policies(inv)
    assert policies["x86"].pools == ("p-x86",)  # p-xc needs adaptation days, p-low is certified to level 2 only
    assert policies["adaptable"].pools == ("p-x86", "p-xc", "p-low")
    assert policies["xc"].pools == ("p-xc",)
    assert policies["pinned"].pools == ("p-x86",)
    assert policies["level4"].fate == "stay"
    assert policies["level4"].reason == ("no eligible pool: none it runs on is certified for 等保 level 4: "
                                         "certify one (mlps_max 4), or review mlps_level")
    assert policies["level4"].blocked


def test_industry_and_region_pools_take_only_their_own() -> None:
    inv = inventory(
        [system("mine", department="d1"), system("theirs", department="d2")],
        clouds=[pool("industry", industry="d1"), pool("elsewhere", region="长沙市")],
        departments=[department("d1"), department("d2")],
    )
    pools = {p.id: p for p in inv.clouds}
    mine, theirs = inv.system_by_id["mine"], inv.system_by_id["theirs"]
    assert pool_accepts(pools["industry"], mine, inv)
    assert not pool_accepts(pools["industry"], theirs, inv)
    assert not pool_accepts(pools["elsewhere"], mine, inv)  # 湘潭市's department, a 长沙市 pool
    assert system_policies(inv)["theirs"].reason.startswith(
        "no eligible pool: industry clouds and pool regions exclude every pool it runs on")


def test_adaptation_days_count_only_in_a_xinchuang_pool() -> None:
    inv = inventory([system("s", effort_days=5, xinchuang_adapt_days=7)],
                    clouds=[pool("p-x86"), pool("p-xc", arch="xinchuang")])
    pools = {p.id: p for p in inv.clouds}
    s = inv.system_by_id["s"]
    assert system_effort_days(s, pools["p-x86"]) == 5
    assert system_effort_days(s, pools["p-xc"]) == 12
    assert system_effort_days(s, None) == 0


def test_a_dr_copy_needs_another_zone_and_active_active_the_same_arch() -> None:
    inv = inventory(
        [system("aa", dr="active-active", xinchuang_adapt_days=3), system("bk", dr="backup", xinchuang_adapt_days=3)],
        clouds=[pool("a", zone="z1"), pool("b", zone="z1"), pool("c", zone="z2"), pool("d", zone="z3", arch="xinchuang")],
    )
    pools = {p.id: p for p in inv.clouds}
    assert [p.id for p in dr_pools(inv.system_by_id["aa"], pools["a"], inv)] == ["c"]
    assert [p.id for p in dr_pools(inv.system_by_id["bk"], pools["a"], inv)] == ["c", "d"]


def test_a_dr_system_with_no_pair_of_zones_stays() -> None:
    inv = inventory([system("s", dr="backup")], clouds=[pool("a", zone="z"), pool("b", zone="z")])
    policy = system_policies(inv)["s"]
    assert policy.fate == "stay"
    assert policy.reason == ("no eligible pool pair: its backup needs an eligible pool in another zone than its "
                             "primary: add a pool in a second zone, or change `dr`")


def test_a_xinchuang_system_with_a_backup_needs_no_second_xinchuang_zone() -> None:
    """A backup holds data only: a 信创 system's backup may sit in an x86 pool of another zone. Active-active
    runs the same build, so it needs a second 信创 zone, and the reason says so."""
    clouds = [pool("xc", arch="xinchuang", zone="z1"), pool("x86", zone="z2")]
    inv = inventory([system("bk", arch="xinchuang", dr="backup"), system("aa", arch="xinchuang", dr="active-active")],
                    clouds=clouds)
    policies = system_policies(inv)
    assert policies["bk"].fate == "migrate" and policies["bk"].pools == ("xc",)
    assert policies["aa"].fate == "stay" and "信创-only with active-active" in policies["aa"].reason


def test_fates_of_systems_networks_and_rooms() -> None:
    inv = inventory(
        [
            system("done", state="cloud", current_cloud="p1"),
            system("secret", classified=True, room="r2"),
            system("old", retire=True),
            system("moves"),
        ],
        rooms=[room("r1"), room("r2"), room("r3", state="closed")],
        networks=[network("n1"), network("kept", must_keep=True, keep_reason="hospital"), network("c", classified=True),
                  network("m", state="migrated")],
    )
    systems = system_policies(inv)
    assert {sid: p.fate for sid, p in systems.items()} == {"done": "done", "secret": "stay", "old": "retire", "moves": "migrate"}
    assert {k: p.fate for k, p in network_policies(inv).items()} == {
        "n1": "migrate", "kept": "interconnect", "c": "stay", "m": "done"}
    rooms = room_policies(inv, systems)
    assert {r: p.fate for r, p in rooms.items()} == {"r1": "close", "r2": "keep", "r3": "done"}
    assert rooms["r2"].reason == "hosts staying systems: secret"


def test_kpi_scope_leaves_classified_out_and_counts_what_is_done() -> None:
    inv = inventory(
        [system("a", state="cloud", current_cloud="p1"), system("b"), system("c", retire=True), system("d", classified=True)],
        rooms=[room("r1"), room("r2", state="closed"), room("r3", classified=True)],
        networks=[network("n1", state="interconnected"), network("n2")],
    )
    strict = kpi_scope(inv, KpiOptions(count_interconnected_networks=False, count_retired_systems=False))
    assert (strict.rooms_total, strict.rooms_done) == (2, 1)
    assert (strict.networks_total, strict.networks_done) == (2, 0)
    assert (strict.systems_total, strict.systems_done) == (2, 1)  # c retires: out of the denominator
    assert not strict.counts_system("retire") and strict.counts_system("migrate")
    lenient = kpi_scope(inv, KpiOptions(count_interconnected_networks=True, count_retired_systems=True))
    assert lenient.networks_done == 1 and lenient.counts_network("interconnect")
    assert (lenient.systems_total, lenient.systems_done) == (3, 1) and lenient.counts_system("retire")


@pytest.mark.parametrize(("dr", "fate", "pools"), [("backup", "migrate", ("x86",)), ("active-active", "stay", ())])
def test_a_backup_copy_needs_no_architecture_match(dr: str, fate: str, pools: tuple[str, ...]) -> None:
    """An x86 system that cannot be adapted to 信创 runs only in the x86 pool; the only pool of another zone is 信创.

    A backup stores data only, so the 信创 pool may hold it and the system migrates; an active-active
    copy runs the system's build, which 信创 cannot, so no pool pair exists and the system stays.
    """
    inv = inventory([system("s1", arch="x86", dr=dr, criticality="high")],
                    clouds=[pool("x86", zone="a"), pool("xc", arch="xinchuang", zone="b")])
    policy = system_policies(inv)["s1"]
    assert (policy.fate, policy.pools) == (fate, pools)
