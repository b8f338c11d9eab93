"""The MILP: variables, one ``add_<family>`` function per constraint family, the objective.

Notation (t a period of the horizon, A the periods that allow cutovers):

- ``x[g,p,t]`` binary: move group g moves into pool p (or retires) in t in A;
- ``y[s,q,t]`` binary: the DR copy of system s is placed in pool q in t;
- ``M[g,t]``, ``N[k,t]``, ``C[r,t]`` in [0,1]: group g has moved, network k is
  migrated or interconnected, room r is closed, by the end of t. N and C are the
  binary decisions; M is implied integral by x. In a frozen period each is the
  same variable as in the period before, so nothing happens there;
- ``U[p,ρ,t]`` continuous: use of resource ρ in pool p by migrated systems at t;
- ``short[kpi,year]`` >= 0: missed KPI objects, only with ``targets.soft``.

Every expression is built from dicts of coefficients (``LpAffineExpression``),
never by repeated ``+``: PuLP expression arithmetic is the usual bottleneck.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pulp

from models.period import Period
from models.scenario import KPI_NAMES
from planner.names import NameRegistry
from planner.sets import RESOURCES, RETIRE, PlanningData

MISSED_OBJECT_WAN = 1e6
"""Penalty per room, network or system a hard KPI floor misses: far above what any plan costs."""
Expression = pulp.LpAffineExpression
ByVariable = pulp.LpVariable | None
"""A cumulative "done by t" variable, or None for a constant 0 (nothing can have happened yet)."""


@dataclass
class Elastic:
    """Which limits get a penalised slack, for explaining an infeasible scenario."""

    targets: bool = False
    """KPI floors may be missed (finds the best reachable KPIs)."""
    limits: bool = False
    """Capacity, bandwidth, team days, budget and cutover caps may be exceeded (finds what must give)."""


@dataclass
class Sets:
    """Index sets derived from the data: what exists in the model."""

    options: dict[str, tuple[str, ...]]
    """Group -> pools it may move into (or RETIRE)."""
    dr_systems: dict[str, dict[str, list[str]]]
    """DR system -> primary pool -> pools its copy may use."""
    movable_networks: list[str]
    closable_rooms: list[str]
    groups_by_room: dict[str, list[str]]


@dataclass
class Variables:
    x: dict[tuple[str, str, Period], pulp.LpVariable] = field(default_factory=dict)
    y: dict[tuple[str, str, Period], pulp.LpVariable] = field(default_factory=dict)
    moved_by: dict[tuple[str, Period], ByVariable] = field(default_factory=dict)
    network_by: dict[tuple[str, Period], ByVariable] = field(default_factory=dict)
    closed_by: dict[tuple[str, Period], ByVariable] = field(default_factory=dict)
    use: dict[tuple[str, str, Period], pulp.LpVariable] = field(default_factory=dict)
    short: dict[tuple[str, int], pulp.LpVariable] = field(default_factory=dict)
    slack: dict[str, tuple[pulp.LpVariable, float]] = field(default_factory=dict)
    """Elastic slack and its limit, by the name of the constraint it relaxes."""


@dataclass
class Model:
    prob: pulp.LpProblem
    data: PlanningData
    sets: Sets
    variables: Variables
    names: NameRegistry
    cost: Expression
    """The FORMATS.md min_cost total, without penalties."""
    constant_cost: float


def compute_sets(data: PlanningData) -> Sets:
    options = {gid: data.group_options(group) for gid, group in data.groups.items()}
    dr_systems: dict[str, dict[str, list[str]]] = {}
    for gid, group in data.groups.items():
        for system in data.migrating(group):
            if system.dr != "none":
                dr_systems[system.id] = {pool: data.dr_options(system, pool) for pool in options[gid]}
    groups_by_room: dict[str, list[str]] = defaultdict(list)
    for gid, group in data.groups.items():
        for room in group.rooms:
            groups_by_room[room].append(gid)
    return Sets(
        options=options,
        dr_systems=dr_systems,
        movable_networks=[k for k, policy in data.networks.items() if policy.fate in ("migrate", "interconnect")],
        closable_rooms=[r for r, policy in data.rooms.items() if policy.fate == "close"],
        groups_by_room=dict(groups_by_room),
    )


def create_model(data: PlanningData, elastic: Elastic | None = None) -> Model:
    """Build the whole MILP as a flat script: sets, variables, constraints, objective."""
    elastic = elastic or Elastic()
    names = NameRegistry()
    prob = pulp.LpProblem("migplan", pulp.LpMinimize)
    sets = compute_sets(data)
    variables = Variables()

    add_move_variables(data, sets, variables, names)
    add_progress_variables(data, sets, variables, names)

    model = Model(prob, data, sets, variables, names, Expression(), 0.0)
    add_group_progress(prob, data, sets, model)
    add_network_progress(prob, data, sets, model)
    add_room_progress(prob, data, sets, model)
    add_dr_placement(prob, data, sets, model)
    add_dr_zones(prob, data, sets, model)
    add_precedence(prob, data, sets, model)
    add_network_readiness(prob, data, sets, model)
    add_room_closure(prob, data, sets, model)
    add_pool_capacity(prob, data, sets, model, elastic.limits)
    add_extranet_bandwidth(prob, data, sets, model, elastic.limits)
    add_team_days(prob, data, sets, model, elastic.limits)
    add_budget(prob, data, sets, model, elastic.limits)
    add_department_cap(prob, data, sets, model, elastic.limits)
    add_kpi_floors(prob, data, sets, model, soft=data.scenario.targets.soft or elastic.targets)
    add_commitments(prob, data, sets, model)

    model.cost, model.constant_cost = cost_expression(data, sets, variables)
    prob.setObjective(objective(data, model))
    return model


def _pool_label(pool: str) -> str:
    return "retire" if pool == RETIRE else pool


def _binary(names: NameRegistry, family: str, *ids: object) -> pulp.LpVariable:
    return pulp.LpVariable(names(family, *ids), cat=pulp.LpBinary)


def _fraction(names: NameRegistry, family: str, *ids: object) -> pulp.LpVariable:
    return pulp.LpVariable(names(family, *ids), lowBound=0, upBound=1)


def add_move_variables(data: PlanningData, sets: Sets, variables: Variables, names: NameRegistry) -> None:
    for gid, pools in sets.options.items():
        for pool in pools:
            for t in data.active:
                variables.x[gid, pool, t] = _binary(names, "x", gid, _pool_label(pool), t)
    for sid, by_primary in sets.dr_systems.items():
        for q in sorted({q for copies in by_primary.values() for q in copies}):
            for t in data.active:
                variables.y[sid, q, t] = _binary(names, "y", sid, q, t)


def add_progress_variables(data: PlanningData, sets: Sets, variables: Variables, names: NameRegistry) -> None:
    """Cumulative "done by t" variables; a frozen period reuses the variable of the period before."""
    active = set(data.active)

    def cumulative(target: dict[tuple[str, Period], ByVariable], key: str, family: str, binary: bool) -> None:
        previous: ByVariable = None
        for t in data.periods:
            if t in active:
                previous = _binary(names, family, key, t) if binary else _fraction(names, family, key, t)
            target[key, t] = previous

    for gid in sets.options:
        cumulative(variables.moved_by, gid, "M", binary=False)
    for k in sets.movable_networks:
        cumulative(variables.network_by, k, "N", binary=True)
    for r in sets.closable_rooms:
        cumulative(variables.closed_by, r, "C", binary=True)


def _expr(terms: dict[pulp.LpVariable, float], constant: float = 0.0) -> Expression:
    """An affine expression from coefficients, leaving out those that cancelled to zero."""
    return Expression({var: coef for var, coef in terms.items() if abs(coef) > 1e-12}, constant=constant)


def _by(value: ByVariable) -> dict[pulp.LpVariable, float]:
    return {value: 1.0} if value is not None else {}


def _event(by: dict[tuple[str, Period], ByVariable], key: str, t: Period, previous: Period | None) -> dict[pulp.LpVariable, float]:
    """Coefficients of "happens in t": by[t] - by[t-1]."""
    terms: dict[pulp.LpVariable, float] = {}
    current = by[key, t]
    before = by[key, previous] if previous is not None else None
    if current is not None and current is not before:
        terms[current] = 1.0
        if before is not None:
            terms[before] = -1.0
    return terms


def _previous(data: PlanningData) -> dict[Period, Period | None]:
    return {t: (data.periods[i - 1] if i else None) for i, t in enumerate(data.periods)}


def add_group_progress(prob: pulp.LpProblem, data: PlanningData, sets: Sets, model: Model) -> None:
    """M[g,t] = M[g,t-1] + sum_p x[g,p,t] for t in A; M[g,t] <= 1 bounds "moves at most once"."""
    previous = _previous(data)
    v = model.variables
    for gid, pools in sets.options.items():
        for t in data.active:
            terms = {v.moved_by[gid, t]: 1.0}
            before = v.moved_by[gid, previous[t]] if previous[t] is not None else None
            if before is not None:
                terms[before] = -1.0
            for pool in pools:
                terms[v.x[gid, pool, t]] = -1.0
            prob += (_expr(terms) == 0, model.names("progress", gid, t))


def _monotone(prob: pulp.LpProblem, data: PlanningData, model: Model, by: dict[tuple[str, Period], ByVariable], keys: list[str], family: str) -> None:
    previous = _previous(data)
    for key in keys:
        for t in data.active:
            before = by[key, previous[t]] if previous[t] is not None else None
            if before is not None:
                prob += (_expr({by[key, t]: 1.0, before: -1.0}) >= 0, model.names(family, key, t))  # type: ignore[dict-item]


def add_network_progress(prob: pulp.LpProblem, data: PlanningData, sets: Sets, model: Model) -> None:
    """N[k,t] >= N[k,t-1]: a migrated or interconnected network stays so."""
    _monotone(prob, data, model, model.variables.network_by, sets.movable_networks, "network_progress")


def add_room_progress(prob: pulp.LpProblem, data: PlanningData, sets: Sets, model: Model) -> None:
    """C[r,t] >= C[r,t-1]: a closed room stays closed."""
    _monotone(prob, data, model, model.variables.closed_by, sets.closable_rooms, "room_progress")


def add_dr_placement(prob: pulp.LpProblem, data: PlanningData, sets: Sets, model: Model) -> None:
    """sum_q y[s,q,t] = sum_p x[g(s),p,t]: a DR copy is placed when its system moves, once."""
    v = model.variables
    for sid, by_primary in sets.dr_systems.items():
        gid = data.graph.group_of[sid]
        copies = sorted({q for qs in by_primary.values() for q in qs})
        for t in data.active:
            terms = {v.y[sid, q, t]: 1.0 for q in copies}
            for pool in sets.options[gid]:
                terms[v.x[gid, pool, t]] = -1.0
            prob += (_expr(terms) == 0, model.names("dr_placement", sid, t))


def add_dr_zones(prob: pulp.LpProblem, data: PlanningData, sets: Sets, model: Model) -> None:
    """For each zone z: sum_{p in z} x[g,p,t] + sum_{q in z} y[s,q,t] <= 1, and y only beside allowed primaries.

    The copy must sit in another zone than the primary, and only in a pool allowed
    for the chosen primary: y[s,q,t] <= sum_{p : q in dr(p)} x[g,p,t].
    """
    v = model.variables
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
                    prob += (_expr(terms) <= 1, model.names("dr_zone", sid, zone, t))
            for q in copies:
                allowed = [p for p, qs in by_primary.items() if q in qs]
                if len(allowed) < len(by_primary):
                    terms = {v.y[sid, q, t]: 1.0}
                    for pool in allowed:
                        terms[v.x[gid, pool, t]] = -1.0
                    prob += (_expr(terms) <= 0, model.names("dr_pair", sid, q, t))


def add_precedence(prob: pulp.LpProblem, data: PlanningData, sets: Sets, model: Model) -> None:
    """M[g,t] <= M[h,t] when a member of g requires a member of h: h moves no later than g."""
    v = model.variables
    for earlier, later in data.graph.precedence:
        for t in data.active:
            prob += (
                _expr({v.moved_by[later, t]: 1.0, v.moved_by[earlier, t]: -1.0}) <= 0,  # type: ignore[dict-item]
                model.names("requires", later, earlier, t),
            )


def add_network_readiness(prob: pulp.LpProblem, data: PlanningData, sets: Sets, model: Model) -> None:
    """M[g,t] <= N[k,t] for each private network k of g's migrating members: users must still reach it."""
    v = model.variables
    for gid, group in data.groups.items():
        for k in group.networks:
            if data.networks[k].fate == "done":
                continue
            for t in data.active:
                terms = {v.moved_by[gid, t]: 1.0}
                terms.update({var: -1.0 for var in _by(v.network_by[k, t])})
                prob += (_expr(terms) <= 0, model.names("network_ready", gid, k, t))  # type: ignore[arg-type]


def add_room_closure(prob: pulp.LpProblem, data: PlanningData, sets: Sets, model: Model) -> None:
    """C[r,t] <= M[g,t] for every group g with a system in room r: a room closes after its last system leaves."""
    v = model.variables
    for r in sets.closable_rooms:
        for gid in sets.groups_by_room.get(r, []):
            for t in data.active:
                prob += (
                    _expr({v.closed_by[r, t]: 1.0, v.moved_by[gid, t]: -1.0}) <= 0,  # type: ignore[dict-item]
                    model.names("room_after_systems", r, gid, t),
                )


def _limit(prob: pulp.LpProblem, model: Model, terms: dict[pulp.LpVariable, float], bound: float, name: str, elastic: bool) -> None:
    """terms <= bound, with a penalised slack (recorded under the constraint's name) when elastic."""
    if elastic:
        slack = pulp.LpVariable(f"slack_{name}", lowBound=0)
        model.variables.slack[name] = (slack, bound)
        terms = {**terms, slack: -1.0}
    prob += (_expr(terms) <= bound, name)


def add_pool_capacity(prob: pulp.LpProblem, data: PlanningData, sets: Sets, model: Model, elastic: bool) -> None:
    """U[p,ρ,t] = U[p,ρ,t-1] + sum_g size[g,ρ] x[g,p,t] + sum_s copy[s,ρ] y[s,p,t];
    U[p,ρ,t] + existing[p,ρ] <= sum_{entries e <= t} capacity[p,ρ,e].

    An active-active copy uses the system's vCPU, memory and storage; a backup copy
    uses its storage only.
    """
    v = model.variables
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
                use = pulp.LpVariable(model.names("U", pool, resource, t), lowBound=0)
                v.use[pool, resource, t] = use
                terms = {use: 1.0, **{var: -coef for var, coef in adds[pool, resource, t].items()}}
                if last is not None:
                    terms[last] = -1.0
                prob += (_expr(terms) == 0, model.names("use", pool, resource, t))
                bound = data.capacity(pool, resource, t) - existing
                _limit(prob, model, {use: 1.0}, bound, model.names("capacity", pool, resource, t), elastic)
                last = use


def add_extranet_bandwidth(prob: pulp.LpProblem, data: PlanningData, sets: Sets, model: Model, elastic: bool) -> None:
    """sum_{k migrates} bandwidth[k] N[k,t] + already migrated <= sum_{entries e <= t} extranet[e]."""
    v = model.variables
    migrating = [k for k in sets.movable_networks if data.networks[k].fate == "migrate"]
    if not migrating:
        return
    existing = data.existing_bandwidth()
    for t in data.active:
        terms = {var: data.networks[k].network.bandwidth_mbps for k in migrating for var in _by(v.network_by[k, t])}
        _limit(prob, model, terms, data.bandwidth(t) - existing, model.names("bandwidth", t), elastic)


def add_team_days(prob: pulp.LpProblem, data: PlanningData, sets: Sets, model: Model, elastic: bool) -> None:
    """sum_{g,p} effort[g,p] x[g,p,t] + sum_k effort[k] (N[k,t] - N[k,t-1]) <= team days, each t in A.

    effort[g,p] adds 信创 adaptation days when p is a xinchuang pool and a member is x86;
    a network's effort is its migration or its interconnection effort. Retiring costs no team days.
    """
    limit = data.scenario.resources.team_days_per_period
    if limit is None:
        return
    v = model.variables
    previous = _previous(data)
    for t in data.active:
        terms: dict[pulp.LpVariable, float] = defaultdict(float)
        for gid, pools in sets.options.items():
            for pool in pools:
                effort = data.group_effort(data.groups[gid], pool)
                if effort:
                    terms[v.x[gid, pool, t]] += effort
        for k in sets.movable_networks:
            effort = data.network_effort(k)
            for var, sign in _event(v.network_by, k, t, previous[t]).items():
                terms[var] += sign * effort
        _limit(prob, model, dict(terms), limit, model.names("team_days", t), elastic)


def _one_off_terms(data: PlanningData, sets: Sets, v: Variables, periods: list[Period]) -> dict[pulp.LpVariable, float]:
    """One-off costs happening in ``periods``: migrations, network cutovers, room closures."""
    previous = _previous(data)
    active = set(data.active)
    terms: dict[pulp.LpVariable, float] = defaultdict(float)
    for t in periods:
        if t not in active:
            continue
        for gid, pools in sets.options.items():
            cost = data.group_cost(data.groups[gid])
            if cost:
                for pool in pools:
                    terms[v.x[gid, pool, t]] += cost
        for k in sets.movable_networks:
            for var, sign in _event(v.network_by, k, t, previous[t]).items():
                terms[var] += sign * data.network_cost(k)
        for r in sets.closable_rooms:
            for var, sign in _event(v.closed_by, r, t, previous[t]).items():
                terms[var] += sign * data.rooms[r].room.close_cost_wan
    return dict(terms)


def add_budget(prob: pulp.LpProblem, data: PlanningData, sets: Sets, model: Model, elastic: bool) -> None:
    """sum of one-off costs (migrations, network cutovers, room closures) in year y <= budget[y]."""
    for year, budget in sorted(data.scenario.resources.budget_wan_per_year.items()):
        periods = [t for t in data.periods if t.year == year]
        terms = _one_off_terms(data, sets, model.variables, periods)
        _limit(prob, model, terms, budget, model.names("budget", year), elastic)


def add_department_cap(prob: pulp.LpProblem, data: PlanningData, sets: Sets, model: Model, elastic: bool) -> None:
    """sum_{g,p} members[g,d] x[g,p,t] <= cap for each department d and t in A (migrations and retirements)."""
    cap = data.scenario.resources.max_cutovers_per_department_per_period
    if cap is None:
        return
    v = model.variables
    by_department: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for gid, group in data.groups.items():
        for department, count in group.department_counts:
            by_department[department].append((gid, count))
    for department, groups in sorted(by_department.items()):
        if sum(count for _, count in groups) <= cap:
            continue
        for t in data.active:
            terms = {v.x[gid, pool, t]: float(count) for gid, count in groups for pool in sets.options[gid]}
            _limit(prob, model, terms, cap, model.names("cutovers", department, t), elastic)


def kpi_terms(data: PlanningData, sets: Sets, variables: Variables, kpi: str, t: Period) -> dict[pulp.LpVariable, float]:
    """Objects counting towards ``kpi`` at the end of t that the plan decides (not those done before)."""
    terms: dict[pulp.LpVariable, float] = defaultdict(float)
    if kpi == "room_consolidation":
        for r in sets.closable_rooms:
            for var in _by(variables.closed_by[r, t]):
                terms[var] += 1.0
    elif kpi == "network_migration":
        for k in sets.movable_networks:
            if data.scope.counts_network(data.networks[k].fate) and not data.networks[k].network.classified:
                for var in _by(variables.network_by[k, t]):
                    terms[var] += 1.0
    else:
        for gid, group in data.groups.items():
            weight = data.group_kpi_weight(group)
            if weight:
                for var in _by(variables.moved_by[gid, t]):
                    terms[var] += weight
    return dict(terms)


def add_kpi_floors(prob: pulp.LpProblem, data: PlanningData, sets: Sets, model: Model, soft: bool) -> None:
    """done[kpi] + counted[kpi, t_y] + short[kpi,y] >= ceil(floor[kpi,y] x total[kpi]) at each target year's end t_y.

    short exists only when targets are soft (or elastic); it is penalised in the objective.
    """
    v = model.variables
    for kpi in KPI_NAMES:
        for year in sorted(data.scenario.targets.floors()[kpi]):
            t = data.year_end[year]
            need = data.floor_count(kpi, year) - data.kpi_done(kpi)
            if need <= 0:
                continue
            terms = kpi_terms(data, sets, v, kpi, t)
            if soft:
                short = pulp.LpVariable(model.names("short", kpi, year), lowBound=0)
                v.short[kpi, year] = short
                terms = {**terms, short: 1.0}
            prob += (_expr(terms) >= need, model.names("kpi_floor", kpi, year))


def add_commitments(prob: pulp.LpProblem, data: PlanningData, sets: Sets, model: Model) -> None:
    """Re-planning: for t <= frozen_until, x[g,p,t] = 1 where the previous plan moved g into p in t, else 0;
    N[k,t] and C[r,t] likewise follow the previous plan. Later periods are free."""
    commitments = data.commitments
    if commitments.frozen_until is None:
        return
    v = model.variables
    for (gid, pool, t), var in v.x.items():
        if commitments.is_frozen(t):
            fixed = 1.0 if commitments.moves.get(gid) == (pool, t) else 0.0
            prob += (_expr({var: 1.0}) == fixed, model.names("committed", gid, _pool_label(pool), t))
    for by, done, family in ((v.network_by, commitments.networks, "committed_network"),
                             (v.closed_by, commitments.rooms, "committed_room")):
        for (key, t), var in by.items():
            if var is not None and commitments.is_frozen(t):
                fixed = 1.0 if key in done and done[key] <= t else 0.0
                prob += (_expr({var: 1.0}) == fixed, model.names(family, key, t))


def cost_expression(data: PlanningData, sets: Sets, variables: Variables) -> tuple[Expression, float]:
    """FORMATS.md ``min_cost``: one-off costs in their period plus a quarter of annual costs per period.

    Returns the decided part as an expression and the constant part (rooms kept open,
    networks never migrated, systems already on a cloud) as a number.
    """
    periods = list(data.periods)
    quarters_from = {t: len(periods) - i for i, t in enumerate(periods)}
    terms: dict[pulp.LpVariable, float] = defaultdict(float)
    constant = 0.0
    for var, coefficient in _one_off_terms(data, sets, variables, periods).items():
        terms[var] += coefficient
    for (gid, pool, t), var in variables.x.items():
        if pool == RETIRE:
            continue
        rate = data.pool(pool).vcpu_annual_cost_wan / 4
        terms[var] += rate * data.group_size(data.groups[gid], "vcpu") * quarters_from[t]
    for (sid, pool, t), var in variables.y.items():
        system = data.systems[sid].system
        if system.dr == "active-active":
            terms[var] += data.pool(pool).vcpu_annual_cost_wan / 4 * system.vcpu * quarters_from[t]
    for room_id, policy in data.rooms.items():
        quarterly = policy.room.annual_cost_wan / 4
        if policy.fate == "close":
            constant += quarterly * len(periods)
            for t in periods:
                for var in _by(variables.closed_by[room_id, t]):
                    terms[var] -= quarterly
        elif policy.fate == "keep":
            constant += quarterly * len(periods)
    for k, policy in data.networks.items():
        quarterly = policy.network.annual_cost_wan / 4
        if policy.fate == "migrate":
            constant += quarterly * len(periods)
            for t in periods:
                for var in _by(variables.network_by[k, t]):
                    terms[var] -= quarterly
        elif policy.fate in ("interconnect", "stay") or policy.network.state == "interconnected":
            constant += quarterly * len(periods)
    for system in data.inventory.systems:
        if system.state == "cloud" and system.current_cloud is not None:
            constant += data.pool(system.current_cloud).vcpu_annual_cost_wan / 4 * system.vcpu * len(periods)
    return _expr(dict(terms)), constant


def objective(data: PlanningData, model: Model) -> Expression:
    """min cost + penalty x missed KPI objects (soft or elastic targets) + big penalties on elastic limits."""
    terms: dict[pulp.LpVariable, float] = dict(model.cost.items())
    targets = data.scenario.targets
    for (kpi, _year), short in model.variables.short.items():
        # Soft targets cost what the scenario says per point; a hard one costs more per missed object
        # than any plan costs, whatever the number of objects (a share of a point would be too cheap
        # on a province: 1e6 / 870 rooms is less than emptying a big room costs).
        penalty = targets.penalty_wan_per_point * 100 / max(data.kpi_total(kpi), 1) if targets.soft else MISSED_OBJECT_WAN
        terms[short] = terms.get(short, 0.0) + penalty
    for slack, bound in model.variables.slack.values():
        # Relative to the limit, so the explanation prefers small shares of any one limit.
        terms[slack] = terms.get(slack, 0.0) + 1e4 / max(abs(bound), 1.0)
    return _expr(terms, constant=model.constant_cost)
