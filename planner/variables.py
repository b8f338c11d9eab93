"""The index sets and the variables of the MILP: x, y and the cumulative M, N and C (notation in planner/model.py)."""

from __future__ import annotations

from collections import defaultdict

import pulp

from models.period import Period
from planner.data import PlanningData
from planner.model import ByVariable, ModelSets, Variables
from planner.names import NameRegistry
from planner.terms import pool_label


def compute_sets(data: PlanningData) -> ModelSets:
    """What exists in the model: each part's pools, each DR copy's pools, the networks and rooms it decides."""
    options = {uid: data.part_options(part) for uid, part in data.parts.items()}
    dr_systems: dict[str, dict[str, list[str]]] = {}
    for uid, part in data.parts.items():
        for system in data.part_systems(part):
            if system.dr != "none":
                dr_systems[system.id] = {pool: data.dr_options(system, pool) for pool in options[uid]}
    groups_by_room: dict[str, list[str]] = defaultdict(list)
    for gid, group in data.groups.items():
        for room in group.rooms:
            groups_by_room[room].append(gid)
    return ModelSets(
        options=options,
        dr_systems=dr_systems,
        movable_networks=[k for k, policy in data.networks.items() if policy.fate in ("migrate", "interconnect")],
        closable_rooms=[r for r, policy in data.rooms.items() if policy.fate == "close"],
        groups_by_room=dict(groups_by_room),
    )


def _binary(prob: pulp.LpProblem, names: NameRegistry, family: str, *ids: object) -> pulp.LpVariable:
    return prob.add_variable(names(family, *ids), cat=pulp.LpBinary)


def _fraction(prob: pulp.LpProblem, names: NameRegistry, family: str, *ids: object) -> pulp.LpVariable:
    return prob.add_variable(names(family, *ids), lowBound=0, upBound=1)


def add_move_variables(prob: pulp.LpProblem, data: PlanningData, sets: ModelSets, variables: Variables,
                       names: NameRegistry) -> None:
    for uid, pools in sets.options.items():
        for pool in pools:
            for t in data.active:
                variables.x[uid, pool, t] = _binary(prob, names, "x", uid, pool_label(pool), t)
    for sid, by_primary in sets.dr_systems.items():
        for q in sorted({q for copies in by_primary.values() for q in copies}):
            for t in data.active:
                variables.y[sid, q, t] = _binary(prob, names, "y", sid, q, t)


def add_progress_variables(prob: pulp.LpProblem, data: PlanningData, sets: ModelSets, variables: Variables,
                           names: NameRegistry) -> None:
    """Cumulative "done by t" variables; a frozen period reuses the variable of the period before."""
    active = set(data.active)

    def cumulative(target: dict[tuple[str, Period], ByVariable], key: str, family: str, binary: bool) -> None:
        previous: ByVariable = None
        for t in data.periods:
            if t in active:
                previous = (_binary(prob, names, family, key, t) if binary
                            else _fraction(prob, names, family, key, t))
            target[key, t] = previous

    for gid in data.groups:
        cumulative(variables.moved_by, gid, "M", binary=False)
    for k in sets.movable_networks:
        cumulative(variables.network_by, k, "N", binary=True)
    for r in sets.closable_rooms:
        cumulative(variables.closed_by, r, "C", binary=True)
