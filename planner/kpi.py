"""KPIs of a plan, period by period, from its actions (FORMATS.md definitions, via the policy's scope)."""

from __future__ import annotations

from models.period import Period
from models.plan import Action, KpiRow, Violation
from planner.data import PlanningData


def kpi_rows(data: PlanningData, actions: list[Action]) -> list[KpiRow]:
    """The three KPIs at the end of every period of the horizon."""
    scope = data.scope
    rooms: list[Period] = []
    networks: list[Period] = []
    systems: list[Period] = []
    for action in actions:
        if action.period is None:
            continue
        if action.kind == "room" and action.action == "close" and not data.rooms[action.id].room.classified:
            rooms.append(action.period)
        elif action.kind == "network" and scope.counts_network(action.action):  # type: ignore[arg-type]
            networks.append(action.period)
        elif action.kind == "system" and scope.counts_system(action.action):  # type: ignore[arg-type]
            systems.append(action.period)

    def share(done: int, moved: list[Period], total: int, t: Period) -> float:
        if total == 0:
            return 1.0
        return (done + sum(1 for p in moved if p <= t)) / total

    return [
        KpiRow(
            period=t,
            room_consolidation=share(scope.rooms_done, rooms, scope.rooms_total, t),
            network_migration=share(scope.networks_done, networks, scope.networks_total, t),
            cloud_adoption=share(scope.systems_done, systems, scope.systems_total, t),
        )
        for t in data.periods
    ]


def target_misses(data: PlanningData, kpis: list[KpiRow]) -> list[Violation]:
    """KPI floors a plan misses at the year ends, with what it reaches."""
    by_period = {row.period: row for row in kpis}
    misses = []
    for kpi, floors in data.scenario.targets.floors().items():
        for year, required in sorted(floors.items()):
            reached = getattr(by_period[data.year_end[year]], kpi)
            if reached + 1e-9 < data.floor_count(kpi, year) / max(data.kpi_total(kpi), 1):
                misses.append(Violation(constraint=f"{kpi}@{year}", required=required, reached=round(reached, 4),
                                        detail=f"{kpi}@{year} needs {required:.2f}, the plan reaches {reached:.2f}"))
    return misses
