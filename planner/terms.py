"""Coefficients shared by the constraints and the objective: affine expressions from dicts, events, KPI counts.

Every expression is built from dicts of coefficients (``LpAffineExpression``), never by repeated
``+``: PuLP expression arithmetic is the usual bottleneck.
"""

from __future__ import annotations

from collections import defaultdict

import pulp

from models.period import Period
from planner.data import RETIRE, PlanningData
from planner.model import ByVariable, Expression, ModelSets, Variables


def pool_label(pool: str) -> str:
    """A pool id as it appears in names: ``retire`` for retiring."""
    return "retire" if pool == RETIRE else pool


def expression(terms: dict[pulp.LpVariable, float], constant: float = 0.0) -> Expression:
    """An affine expression from coefficients, leaving out those that cancelled to zero.

    The coefficients are merged in as a dict, which keeps each key's stored hash: PuLP's constructor
    walks the items and calls every variable's Python ``__hash__`` again (a fifth of a province's build).
    """
    if terms and min(map(abs, terms.values())) <= 1e-12:  # in C: the generator it replaced took 5% of the build
        terms = {var: coef for var, coef in terms.items() if abs(coef) > 1e-12}
    result = Expression(constant=constant)
    dict.update(result, terms)
    return result


def by_terms(value: ByVariable) -> dict[pulp.LpVariable, float]:
    return {value: 1.0} if value is not None else {}


def event_terms(by: dict[tuple[str, Period], ByVariable], key: str, t: Period, previous: Period | None) -> dict[pulp.LpVariable, float]:
    """Coefficients of "happens in t": by[t] - by[t-1]."""
    terms: dict[pulp.LpVariable, float] = {}
    current = by[key, t]
    before = by[key, previous] if previous is not None else None
    if current is not None and current is not before:
        terms[current] = 1.0
        if before is not None:
            terms[before] = -1.0
    return terms


def previous_periods(data: PlanningData) -> dict[Period, Period | None]:
    return {t: (data.periods[i - 1] if i else None) for i, t in enumerate(data.periods)}


def one_off_terms(data: PlanningData, sets: ModelSets, v: Variables, periods: list[Period]) -> dict[pulp.LpVariable, float]:
    """One-off costs happening in ``periods``: migrations, network cutovers, room closures."""
    previous = previous_periods(data)
    active = set(data.active)
    costs = [(uid, pools, cost) for uid, pools in sets.options.items() if (cost := data.part_cost(data.parts[uid]))]
    terms: dict[pulp.LpVariable, float] = defaultdict(float)
    for t in periods:
        if t not in active:
            continue
        for uid, pools, cost in costs:
            for pool in pools:
                terms[v.x[uid, pool, t]] += cost
        for k in sets.movable_networks:
            for var, sign in event_terms(v.network_by, k, t, previous[t]).items():
                terms[var] += sign * data.network_cost(k)
        for r in sets.closable_rooms:
            for var, sign in event_terms(v.closed_by, r, t, previous[t]).items():
                terms[var] += sign * data.rooms[r].room.close_cost_wan
    return dict(terms)


def completion_targets(data: PlanningData, sets: ModelSets, variables: Variables,
                       due: Period | None) -> list[tuple[str, str, ByVariable]]:
    """(kind, id, done-by-``due`` variable) of every object the completion rule asks for: each move
    group, each network to migrate or interconnect, each room that may close."""
    if due is None:
        return []
    return ([("group", gid, variables.moved_by[gid, due]) for gid in data.groups]
            + [("network", k, variables.network_by[k, due]) for k in sets.movable_networks]
            + [("room", r, variables.closed_by[r, due]) for r in sets.closable_rooms])


def kpi_terms(data: PlanningData, sets: ModelSets, variables: Variables, kpi: str, t: Period) -> dict[pulp.LpVariable, float]:
    """Objects counting towards ``kpi`` at the end of t that the plan decides (not those done before)."""
    terms: dict[pulp.LpVariable, float] = defaultdict(float)
    if kpi == "room_consolidation":
        for r in sets.closable_rooms:
            for var in by_terms(variables.closed_by[r, t]):
                terms[var] += 1.0
    elif kpi == "network_migration":
        for k in sets.movable_networks:
            if data.scope.counts_network(data.networks[k].fate) and not data.networks[k].network.classified:
                for var in by_terms(variables.network_by[k, t]):
                    terms[var] += 1.0
    else:
        for gid, group in data.groups.items():
            weight = data.group_kpi_weight(group)
            if weight:
                for var in by_terms(variables.moved_by[gid, t]):
                    terms[var] += weight
    return dict(terms)
