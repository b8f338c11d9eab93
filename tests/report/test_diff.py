"""The plan diff on hand-made plans: each kind of change, and the cause it is given."""

from __future__ import annotations

import csv
import io

from models.period import Period
from models.plan import Action, KpiRow, Plan
from models.progress import ObjectProgress, Progress
from planner.report.diff import diff_csv, diff_html, diff_plans
from tests import builders


def _plan(*actions: Action, cost: float = 10, cloud: float = 0.5) -> Plan:
    return Plan(scenario="micro", inventory_sha256="0" * 64, status="optimal", objective_wan=cost, actions=actions,
                kpis=(KpiRow(period=Period.parse("2024Q1"), room_consolidation=0, network_migration=0,
                             cloud_adoption=cloud),))


def _migrate(system: str, period: str, pool: str = "p1") -> Action:
    return Action(kind="system", id=system, action="migrate", target=pool, period=period)


OLD = _plan(_migrate("s-late", "2024Q1"), _migrate("s-pool", "2024Q2"), _migrate("s-dropped", "2024Q3"),
            Action(kind="system", id="s-added", action="stay", reason="no pool"), _migrate("s-same", "2024Q2"),
            Action(kind="network", id="n-done", action="migrate", period="2024Q1"))
NEW = _plan(_migrate("s-late", "2024Q3"), _migrate("s-pool", "2024Q2", "p2"),
            Action(kind="system", id="s-dropped", action="stay", reason="must_stay"), _migrate("s-added", "2024Q4"),
            _migrate("s-same", "2024Q2"), Action(kind="network", id="n-done", action="done", reason="migrated"),
            cost=12.5, cloud=0.25)


def test_each_change_is_named_and_unchanged_or_done_objects_are_not() -> None:
    diff = diff_plans(OLD, NEW)

    assert [(change.id, change.change) for change in diff.changes] == [
        ("s-added", "added"), ("s-dropped", "dropped"), ("s-late", "moved"), ("s-pool", "pool")]
    assert diff.cost_change == 2.5
    assert [(k.period, k.kpi, k.old, k.new) for k in diff.kpis] == [("2024Q1", "cloud_adoption", 0.5, 0.25)]


def test_causes_slipped_then_inventory_then_limits() -> None:
    progress = Progress(Period.parse("2024Q1"), "x", (
        ObjectProgress("system", "s-late", "S", "D", "migrate", "2024Q1", "slipped", why="never started"),))
    pools = [builders.pool("p1"), builders.pool("p2")]
    old_inventory = builders.inventory(
        [builders.system(name) for name in ("s-late", "s-pool", "s-dropped", "s-added", "s-same")], clouds=pools)
    new_inventory = builders.inventory(
        [builders.system(name, must_stay=name == "s-dropped") for name in ("s-late", "s-pool", "s-dropped", "s-same")]
        + [builders.system("s-added")], clouds=[pools[0], builders.pool("p2", capacity={"2024Q1": {"vcpu": 999}})])
    diff = diff_plans(OLD, NEW, progress, (builders.scenario(), old_inventory), (builders.scenario(), new_inventory))

    causes = {change.id: change.cause for change in diff.changes}
    assert causes["s-late"] == "slipped in 2024Q1: never started"
    assert causes["s-dropped"] == "inventory changed"
    assert causes["s-pool"] == causes["s-added"] == "limit changed: pool capacity"


def test_csv_and_html_keep_inventory_text_as_data() -> None:
    hostile = "=HYPERLINK(\"http://x\")<script>"
    diff = diff_plans(_plan(_migrate(hostile, "2024Q1")), _plan(_migrate(hostile, "2024Q2")))

    (row,) = list(csv.reader(io.StringIO(diff_csv(diff))))[1:]
    assert row[1] == "'" + hostile
    assert "<script>" not in diff_html(diff) and "&lt;script&gt;" in diff_html(diff)
