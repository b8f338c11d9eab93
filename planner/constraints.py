"""The constraint families: one ``add_<family>(m)`` per family, its inequality in the docstring.

Each builder adds its rows to ``m.prob``, named through ``m.names`` so every name carries the real
ids; the registry in :mod:`planner.families` lists them with what else each family means (whether it
links cities, how a violated limit reads) and the order :func:`planner.build.create_model` calls them in.
Limits take a penalised slack when ``m.elastic.limits``; KPI floors a shortfall when targets are soft
or ``m.elastic.targets``.
"""

from __future__ import annotations

from collections import defaultdict

import pulp

from models.period import Period
from models.scenario import KPI_NAMES
from planner.data import RESOURCES, RETIRE
from planner.model import ByVariable, Model
from planner.terms import (
    by_terms,
    event_terms,
    expression,
    kpi_terms,
    one_off_terms,
    pool_label,
    previous_periods,
)


def add_progress(m: Model) -> None:
    """M[g,t] = M[g,t-1] + sum_p x[g,p,t] for t in A; M[g,t] <= 1 bounds "moves at most once"."""
    prob, data, sets = m.prob, m.data, m.sets
    previous = previous_periods(data)
    v = m.variables
    for gid, pools in sets.options.items():
        for t in data.active:
            terms = {v.moved_by[gid, t]: 1.0}
            before = v.moved_by[gid, previous[t]] if previous[t] is not None else None
            if before is not None:
                terms[before] = -1.0
            for pool in pools:
                terms[v.x[gid, pool, t]] = -1.0
            prob += (expression(terms) == 0, m.names("progress", gid, t))


def _monotone(m: Model, by: dict[tuple[str, Period], ByVariable], keys: list[str], family: str) -> None:
    previous = previous_periods(m.data)
    for key in keys:
        for t in m.data.active:
            before = by[key, previous[t]] if previous[t] is not None else None
            if before is not None:
                m.prob += (expression({by[key, t]: 1.0, before: -1.0}) >= 0, m.names(family, key, t))  # type: ignore[dict-item]


def add_network_progress(m: Model) -> None:
    """N[k,t] >= N[k,t-1]: a migrated or interconnected network stays so."""
    _monotone(m, m.variables.network_by, m.sets.movable_networks, "network_progress")


def add_room_progress(m: Model) -> None:
    """C[r,t] >= C[r,t-1]: a closed room stays closed."""
    _monotone(m, m.variables.closed_by, m.sets.closable_rooms, "room_progress")


def add_dr_placement(m: Model) -> None:
    """sum_q y[s,q,t] = sum_p x[g(s),p,t]: a DR copy is placed when its system moves, once."""
    prob, data, sets = m.prob, m.data, m.sets
    v = m.variables
    for sid, by_primary in sets.dr_systems.items():
        gid = data.graph.group_of[sid]
        copies = sorted({q for qs in by_primary.values() for q in qs})
        for t in data.active:
            terms = {v.y[sid, q, t]: 1.0 for q in copies}
            for pool in sets.options[gid]:
                terms[v.x[gid, pool, t]] = -1.0
            prob += (expression(terms) == 0, m.names("dr_placement", sid, t))


def add_dr_zone(m: Model) -> None:
    """For each zone z: sum_{p in z} x[g,p,t] + sum_{q in z} y[s,q,t] <= 1, and y only beside allowed primaries.

    The copy must sit in another zone than the primary, and only in a pool allowed
    for the chosen primary: y[s,q,t] <= sum_{p : q in dr(p)} x[g,p,t].
    """
    prob, data, sets = m.prob, m.data, m.sets
    v = m.variables
    for sid, by_primary in sets.dr_systems.items():
        gid = data.graph.group_of[sid]
        copies = sorted({q for qs in by_primary.values() for q in qs})
        zones: dict[str, list[str]] = defaultdict(list)
        for pool in set(sets.options[gid]) | set(copies):
            zones[data.pool(pool).zone_key].append(pool)
        for t in data.active:
            for zone, pools in sorted(zones.items()):
                terms: dict[pulp.LpVariable, float] = {}
                for pool in pools:
                    if pool in sets.options[gid]:
                        terms[v.x[gid, pool, t]] = 1.0
                    if pool in copies:
                        terms[v.y[sid, pool, t]] = 1.0
                if len(terms) > 1:
                    prob += (expression(terms) <= 1, m.names("dr_zone", sid, zone, t))
            for q in copies:
                allowed = [p for p, qs in by_primary.items() if q in qs]
                if len(allowed) < len(by_primary):
                    terms = {v.y[sid, q, t]: 1.0}
                    for pool in allowed:
                        terms[v.x[gid, pool, t]] = -1.0
                    prob += (expression(terms) <= 0, m.names("dr_pair", sid, q, t))


def add_requires(m: Model) -> None:
    """M[g,t] <= M[h,t] when a member of g requires a member of h: h moves no later than g."""
    prob, data = m.prob, m.data
    v = m.variables
    for earlier, later in data.graph.precedence:
        for t in data.active:
            prob += (
                expression({v.moved_by[later, t]: 1.0, v.moved_by[earlier, t]: -1.0}) <= 0,  # type: ignore[dict-item]
                m.names("requires", later, earlier, t),
            )


def add_network_ready(m: Model) -> None:
    """M[g,t] <= N[k,t] for each private network k of g's migrating members: users must still reach it."""
    prob, data = m.prob, m.data
    v = m.variables
    for gid, group in data.groups.items():
        for k in group.networks:
            if data.networks[k].fate == "done":
                continue
            for t in data.active:
                terms = {v.moved_by[gid, t]: 1.0}
                terms.update({var: -1.0 for var in by_terms(v.network_by[k, t])})
                prob += (expression(terms) <= 0, m.names("network_ready", gid, k, t))  # type: ignore[arg-type]


def add_room_after_systems(m: Model) -> None:
    """C[r,t] <= M[g,t] for every group g with a system in room r: a room closes after its last system leaves."""
    prob, data, sets = m.prob, m.data, m.sets
    v = m.variables
    for r in sets.closable_rooms:
        for gid in sets.groups_by_room.get(r, []):
            for t in data.active:
                prob += (
                    expression({v.closed_by[r, t]: 1.0, v.moved_by[gid, t]: -1.0}) <= 0,  # type: ignore[dict-item]
                    m.names("room_after_systems", r, gid, t),
                )


def _limit(m: Model, terms: dict[pulp.LpVariable, float], bound: float, name: str) -> None:
    """terms <= bound, with a penalised slack (recorded under the constraint's name) when limits are elastic."""
    if m.elastic.limits:
        slack = pulp.LpVariable(f"slack_{name}", lowBound=0)
        m.variables.slack[name] = (slack, bound)
        terms = {**terms, slack: -1.0}
    m.prob += (expression(terms) <= bound, name)


def add_capacity(m: Model) -> None:
    """U[p,ρ,t] = U[p,ρ,t-1] + sum_g size[g,ρ] x[g,p,t] + sum_s copy[s,ρ] y[s,p,t];
    U[p,ρ,t] + existing[p,ρ] <= sum_{entries e <= t} capacity[p,ρ,e].

    An active-active copy uses the system's vCPU, memory and storage; a backup copy
    uses its storage only.
    """
    prob, data, sets = m.prob, m.data, m.sets
    v = m.variables
    pools = sorted({p for options in sets.options.values() for p in options if p != RETIRE}
                   | {q for by in sets.dr_systems.values() for qs in by.values() for q in qs})
    if not pools:
        return
    adds: dict[tuple[str, str, Period], dict[pulp.LpVariable, float]] = defaultdict(dict)
    for (gid, pool, t), var in v.x.items():
        if pool == RETIRE:
            continue
        group = data.groups[gid]
        for resource in RESOURCES:
            size = data.group_size(group, resource)
            if size:
                adds[pool, resource, t][var] = size
    for (sid, pool, t), var in v.y.items():
        system = data.systems[sid].system
        for resource in RESOURCES:
            size = getattr(system, resource) if system.dr == "active-active" or resource == "storage_tb" else 0.0
            if size:
                adds[pool, resource, t][var] = size
    # Capacity only grows between cutovers, so checking the periods that allow cutovers suffices.
    for pool in pools:
        for resource in RESOURCES:
            last: pulp.LpVariable | None = None
            existing = data.existing_use(pool, resource)
            for t in data.active:
                use = pulp.LpVariable(m.names("U", pool, resource, t), lowBound=0)
                v.use[pool, resource, t] = use
                terms = {use: 1.0, **{var: -coef for var, coef in adds[pool, resource, t].items()}}
                if last is not None:
                    terms[last] = -1.0
                prob += (expression(terms) == 0, m.names("use", pool, resource, t))
                bound = data.capacity(pool, resource, t) - existing
                _limit(m, {use: 1.0}, bound, m.names("capacity", pool, resource, t))
                last = use


def add_bandwidth(m: Model) -> None:
    """sum_{k migrates} bandwidth[k] N[k,t] + already migrated <= sum_{entries e <= t} extranet[e]."""
    data, sets = m.data, m.sets
    v = m.variables
    migrating = [k for k in sets.movable_networks if data.networks[k].fate == "migrate"]
    if not migrating:
        return
    existing = data.existing_bandwidth()
    for t in data.active:
        terms = {var: data.networks[k].network.bandwidth_mbps for k in migrating for var in by_terms(v.network_by[k, t])}
        _limit(m, terms, data.bandwidth(t) - existing, m.names("bandwidth", t))


def add_team_days(m: Model) -> None:
    """sum_{g,p} effort[g,p] x[g,p,t] + sum_k effort[k] (N[k,t] - N[k,t-1]) <= team days, each t in A.

    effort[g,p] adds 信创 adaptation days when p is a xinchuang pool and a member is x86;
    a network's effort is its migration or its interconnection effort. Retiring costs no team days.
    """
    data, sets = m.data, m.sets
    limit = data.scenario.resources.team_days_per_period
    if limit is None:
        return
    v = m.variables
    previous = previous_periods(data)
    for t in data.active:
        terms: dict[pulp.LpVariable, float] = defaultdict(float)
        for gid, pools in sets.options.items():
            for pool in pools:
                effort = data.group_effort(data.groups[gid], pool)
                if effort:
                    terms[v.x[gid, pool, t]] += effort
        for k in sets.movable_networks:
            effort = data.network_effort(k)
            for var, sign in event_terms(v.network_by, k, t, previous[t]).items():
                terms[var] += sign * effort
        _limit(m, dict(terms), limit, m.names("team_days", t))


def add_budget(m: Model) -> None:
    """sum of one-off costs (migrations, network cutovers, room closures) in year y <= budget[y]."""
    data, sets = m.data, m.sets
    for year, budget in sorted(data.scenario.resources.budget_wan_per_year.items()):
        periods = [t for t in data.periods if t.year == year]
        terms = one_off_terms(data, sets, m.variables, periods)
        _limit(m, terms, budget, m.names("budget", year))


def add_cutovers(m: Model) -> None:
    """sum_{g,p} members[g,d] x[g,p,t] <= cap for each department d and t in A (migrations and retirements)."""
    data, sets = m.data, m.sets
    cap = data.scenario.resources.max_cutovers_per_department_per_period
    if cap is None:
        return
    v = m.variables
    by_department: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for gid, group in data.groups.items():
        for department, count in group.department_counts:
            by_department[department].append((gid, count))
    for department, groups in sorted(by_department.items()):
        if sum(count for _, count in groups) <= cap:
            continue
        for t in data.active:
            terms = {v.x[gid, pool, t]: float(count) for gid, count in groups for pool in sets.options[gid]}
            _limit(m, terms, cap, m.names("cutovers", department, t))


def add_kpi_floor(m: Model) -> None:
    """done[kpi] + counted[kpi, t_y] + short[kpi,y] >= ceil(floor[kpi,y] x total[kpi]) at each target year's end t_y.

    short exists only when targets are soft (or elastic); it is penalised in the objective.
    """
    prob, data, sets = m.prob, m.data, m.sets
    soft = data.scenario.targets.soft or m.elastic.targets
    v = m.variables
    for kpi in KPI_NAMES:
        for year in sorted(data.scenario.targets.floors()[kpi]):
            t = data.year_end[year]
            need = data.floor_count(kpi, year) - data.kpi_done(kpi)
            if need <= 0:
                continue
            terms = kpi_terms(data, sets, v, kpi, t)
            if soft:
                short = pulp.LpVariable(m.names("short", kpi, year), lowBound=0)
                v.short[kpi, year] = short
                terms = {**terms, short: 1.0}
            prob += (expression(terms) >= need, m.names("kpi_floor", kpi, year))


def add_committed(m: Model) -> None:
    """Re-planning: for t <= frozen_until, x[g,p,t] = 1 where the previous plan moved g into p in t, else 0;
    N[k,t] and C[r,t] likewise follow the previous plan. Later periods are free."""
    prob, data = m.prob, m.data
    commitments = data.commitments
    if commitments.frozen_until is None:
        return
    v = m.variables
    for (gid, pool, t), var in v.x.items():
        if commitments.is_frozen(t):
            fixed = 1.0 if commitments.moves.get(gid) == (pool, t) else 0.0
            prob += (expression({var: 1.0}) == fixed, m.names("committed", gid, pool_label(pool), t))
    for by, done, family in ((v.network_by, commitments.networks, "committed_network"),
                             (v.closed_by, commitments.rooms, "committed_room")):
        for (key, t), var in by.items():
            if var is not None and commitments.is_frozen(t):
                fixed = 1.0 if key in done and done[key] <= t else 0.0
                prob += (expression({var: 1.0}) == fixed, m.names(family, key, t))
