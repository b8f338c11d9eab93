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
    completion_targets,
    event_terms,
    expression,
    kpi_terms,
    one_off_terms,
    pool_label,
    previous_periods,
)


def add_progress(m: Model) -> None:
    """M[g,t] = M[g,t-1] + sum_p x[u0(g),p,t] for t in A, u0(g) the group's first part;
    M[g,t] <= 1 bounds "moves at most once"."""
    prob, data, sets = m.prob, m.data, m.sets
    previous = previous_periods(data)
    v = m.variables
    for gid, group in data.groups.items():
        first = group.parts[0].id
        for t in data.active:
            terms = {v.moved_by[gid, t]: 1.0}
            before = v.moved_by[gid, previous[t]] if previous[t] is not None else None
            if before is not None:
                terms[before] = -1.0
            for pool in sets.options[first]:
                terms[v.x[first, pool, t]] = -1.0
            prob += (expression(terms) == 0, m.names("progress", gid, t))


def add_co_migrate(m: Model) -> None:
    """sum_p x[u,p,t] = sum_p x[u0(g),p,t] for every further part u of group g and t in A.

    co_migrate partners leave in the same quarter, each part into a pool its own members
    share: an x86 application and its 信创 database are a normal pair.
    """
    prob, data, sets = m.prob, m.data, m.sets
    v = m.variables
    for gid, group in data.groups.items():
        first = group.parts[0].id
        for part in group.parts[1:]:
            for t in data.active:
                terms = {v.x[part.id, pool, t]: 1.0 for pool in sets.options[part.id]}
                for pool in sets.options[first]:
                    terms[v.x[first, pool, t]] = -1.0
                prob += (expression(terms) == 0, m.names("co_migrate", gid, part.id, t))


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
    """sum_q y[s,q,t] = sum_p x[u(s),p,t]: a DR copy is placed when its system (its part u) moves, once."""
    prob, data, sets = m.prob, m.data, m.sets
    v = m.variables
    for sid, by_primary in sets.dr_systems.items():
        uid = data.part_of[sid]
        copies = sorted({q for qs in by_primary.values() for q in qs})
        for t in data.active:
            terms = {v.y[sid, q, t]: 1.0 for q in copies}
            for pool in sets.options[uid]:
                terms[v.x[uid, pool, t]] = -1.0
            prob += (expression(terms) == 0, m.names("dr_placement", sid, t))


def add_dr_zone(m: Model) -> None:
    """For each zone z: sum_{p in z} x[g,p,t] + sum_{q in z} y[s,q,t] <= 1, and y only beside allowed primaries.

    The copy must sit in another zone than the primary, and only in a pool allowed
    for the chosen primary: y[s,q,t] <= sum_{p : q in dr(p)} x[g,p,t].
    """
    prob, data, sets = m.prob, m.data, m.sets
    v = m.variables
    for sid, by_primary in sets.dr_systems.items():
        uid = data.part_of[sid]
        copies = sorted({q for qs in by_primary.values() for q in qs})
        zones: dict[str, list[str]] = defaultdict(list)
        for pool in sorted(set(sets.options[uid]) | set(copies)):  # sorted: the same rows, in the same order, every run
            zones[data.pool(pool).zone_key].append(pool)
        for t in data.active:
            for zone, pools in sorted(zones.items()):
                terms: dict[pulp.LpVariable, float] = {}
                for pool in pools:
                    if pool in sets.options[uid]:
                        terms[v.x[uid, pool, t]] = 1.0
                    if pool in copies:
                        terms[v.y[sid, pool, t]] = 1.0
                if len(terms) > 1:
                    prob += (expression(terms) <= 1, m.names("dr_zone", sid, zone, t))
            for q in copies:
                allowed = [p for p, qs in by_primary.items() if q in qs]
                if len(allowed) < len(by_primary):
                    terms = {v.y[sid, q, t]: 1.0}
                    for pool in allowed:
                        terms[v.x[uid, pool, t]] = -1.0
                    prob += (expression(terms) <= 0, m.names("dr_pair", sid, q, t))


def add_requires(m: Model) -> None:
    """M[g,t] <= M[h,t] when a member of g requires a member of h: h moves no later than g.

    A requirement across regions (a city's system on the province's platform) is the family
    ``requires_across``, registered as linking cities.
    """
    prob, data = m.prob, m.data
    v = m.variables
    for earlier, later in data.graph.precedence:
        across = data.region_of_group(earlier) != data.region_of_group(later)
        for t in data.active:
            prob += (
                expression({v.moved_by[later, t]: 1.0, v.moved_by[earlier, t]: -1.0}) <= 0,  # type: ignore[dict-item]
                m.names("requires_across" if across else "requires", later, earlier, t),
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
        slack = m.prob.add_variable(f"slack_{name}", lowBound=0)
        m.variables.slack[name] = (slack, bound)
        terms = {**terms, slack: -1.0}
    m.prob += (expression(terms) <= bound, name)


def add_capacity(m: Model) -> None:
    """U[p,ρ,t] = U[p,ρ,t-1] + sum_u size[u,ρ] x[u,p,t] + sum_s copy[s,ρ] y[s,p,t];
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
    # Per part and DR copy, each resource's size once (not once per quarter); negated, as the use rows
    # subtract them, so that the rows below are merged from these dicts without rehashing the variables.
    part_sizes = {uid: [(resource, size) for resource in RESOURCES if (size := data.part_size(part, resource))]
                  for uid, part in data.parts.items()}
    copy_sizes = {sid: [(resource, size) for resource in RESOURCES
                        if (size := getattr(data.systems[sid].system, resource)
                            if data.systems[sid].system.dr == "active-active" or resource == "storage_tb" else 0.0)]
                  for sid in sets.dr_systems}
    takes: dict[tuple[str, str, Period], dict[pulp.LpVariable, float]] = defaultdict(dict)
    for (uid, pool, t), var in v.x.items():
        if pool != RETIRE:
            for resource, size in part_sizes[uid]:
                takes[pool, resource, t][var] = -size
    for (sid, pool, t), var in v.y.items():
        for resource, size in copy_sizes[sid]:
            takes[pool, resource, t][var] = -size
    # Capacity only grows between cutovers, so checking the periods that allow cutovers suffices.
    for pool in pools:
        for resource in RESOURCES:
            last: pulp.LpVariable | None = None
            existing = data.existing_use(pool, resource)
            for t in data.active:
                use = prob.add_variable(m.names("U", pool, resource, t), lowBound=0)
                v.use[pool, resource, t] = use
                terms = {use: 1.0, **takes[pool, resource, t]}
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
    """sum_{u,p} effort[u,p] x[u,p,t] + sum_k effort[k] (N[k,t] - N[k,t-1]) <= team days, each t in A.

    effort[u,p] adds 信创 adaptation days when p is a xinchuang pool and a member is x86;
    a network's effort is its migration or its interconnection effort. Retiring costs no team days.
    """
    data, sets = m.data, m.sets
    limit = data.scenario.resources.team_days_per_period
    if limit is None:
        return
    v = m.variables
    previous = previous_periods(data)
    efforts = [(uid, pool, effort) for uid, pools in sets.options.items() for pool in pools
               if (effort := data.part_effort(data.parts[uid], pool))]
    for t in data.active:
        terms: dict[pulp.LpVariable, float] = defaultdict(float)
        for uid, pool, effort in efforts:
            terms[v.x[uid, pool, t]] += effort
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
    """sum_{g,p} members[g,d] x[u0(g),p,t] <= cap for each department d and t in A (migrations and retirements)."""
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
        firsts = [(data.groups[gid].parts[0].id, count) for gid, count in groups]
        for t in data.active:
            terms = {v.x[uid, pool, t]: float(count) for uid, count in firsts for pool in sets.options[uid]}
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
                short = prob.add_variable(m.names("short", kpi, year), lowBound=0)
                v.short[kpi, year] = short
                terms = {**terms, short: 1.0}
            prob += (expression(terms) >= need, m.names("kpi_floor", kpi, year))


def add_complete(m: Model) -> None:
    """应迁尽迁/应上尽上: M[g,T] >= 1, N[k,T] >= 1, C[r,T] >= 1 for every move group g, every network k
    to migrate or interconnect and every room r that may close, T = ``complete_by``.

    Done-by variables of a frozen quarter are those of the open quarter before it, so T may be
    frozen. Elastic (soft targets, or ``m.elastic.targets`` as in the main solve, whose greedy
    start may leave objects behind): M[g,T] + left[g] >= 1, with left penalised in the objective.
    """
    data, v = m.data, m.variables
    elastic = data.scenario.targets.soft or m.elastic.targets
    for kind, key, done in completion_targets(data, m.sets, v, data.complete_by):
        terms = by_terms(done)
        if elastic:
            left = m.prob.add_variable(m.names("left", kind, key), lowBound=0, upBound=1)
            v.left[kind, key] = left
            terms = {**terms, left: 1.0}
        m.prob += (expression(terms) >= 1, m.names("complete", kind, key))


def add_finished(m: Model) -> None:
    """Explanation only (``m.elastic.finish``): F[t] <= M[g,t], F[t] <= N[k,t], F[t] <= C[r,t] for every
    object the completion rule asks for, and F[t] <= F[t+1]; the objective then maximises sum_t F[t],
    so the first quarter with F = 1 is the earliest by which everything can be done."""
    if not m.elastic.finish:
        return
    data, v = m.data, m.variables
    for t in data.active:
        v.finished[t] = m.prob.add_variable(m.names("F", t), cat=pulp.LpBinary)
        for kind, key, done in completion_targets(data, m.sets, v, t):
            m.prob += (expression({v.finished[t]: 1.0, **{var: -1.0 for var in by_terms(done)}}) <= 0,
                       m.names("finished_by", kind, key, t))
    for earlier, later in zip(data.active, data.active[1:]):
        m.prob += (expression({v.finished[earlier]: 1.0, v.finished[later]: -1.0}) <= 0,
                   m.names("finished_stays", earlier))


def add_committed(m: Model) -> None:
    """Re-planning: for t <= frozen_until, x[u,p,t] = 1 where the previous plan moved part u into p in t, else 0;
    N[k,t] and C[r,t] likewise follow the previous plan. Later periods are free."""
    prob, data = m.prob, m.data
    commitments = data.commitments
    if commitments.frozen_until is None:
        return
    v = m.variables
    for (uid, pool, t), var in v.x.items():
        if commitments.is_frozen(t):
            fixed = 1.0 if commitments.moves.get(uid) == (pool, t) else 0.0
            prob += (expression({var: 1.0}) == fixed, m.names("committed", uid, pool_label(pool), t))
    for by, done, family in ((v.network_by, commitments.networks, "committed_network"),
                             (v.closed_by, commitments.rooms, "committed_room")):
        for (key, t), var in by.items():
            if var is not None and commitments.is_frozen(t):
                fixed = 1.0 if key in done and done[key] <= t else 0.0
                prob += (expression({var: 1.0}) == fixed, m.names(family, key, t))
