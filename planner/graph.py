"""The dependency graph: ``co_migrate`` contracted into move groups, ``requires`` as
precedence between groups, and each group's readiness on its private networks."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from models.errors import InputError
from planner.policy import NetworkPolicy, SystemPolicy


@dataclass(frozen=True)
class MoveGroup:
    """Systems that must move in the same period (a connected component of co_migrate)."""

    id: str
    """The first member's id, stable across runs."""
    members: tuple[str, ...]
    """Member system ids, migrating or retiring."""
    pools: tuple[str, ...]
    """Pools every migrating member may use; the group moves into one of them. Empty when all retire."""
    networks: tuple[str, ...]
    """Private networks of its migrating members: migrated or interconnected no later than the move."""
    rooms: tuple[str, ...]
    """Rooms the members leave."""
    department_counts: tuple[tuple[str, int], ...]
    """Cutovers per department when the group moves."""

    @property
    def retires_only(self) -> bool:
        return not self.pools


@dataclass(frozen=True)
class DependencyGraph:
    groups: dict[str, MoveGroup]
    group_of: dict[str, str]
    """System id -> its group id, for systems the planner moves."""
    precedence: tuple[tuple[str, str], ...]
    """(earlier group, later group): the later moves no earlier than the earlier."""
    blocked: dict[str, str]
    """System id -> why it cannot move (a co_migrate partner or a required system stays)."""


def build_graph(policies: dict[str, SystemPolicy], networks: dict[str, NetworkPolicy]) -> DependencyGraph:
    """Contract co_migrate, derive precedence, and find systems blocked by a staying partner.

    A system whose co_migrate partner stays cannot move either (they move in the same
    period or not at all); a system that requires one that will never be on a cloud, or
    whose users reach it through a network that stays private (a classified one), is
    blocked too. Blocks propagate until nothing changes, and each carries its reason.
    """
    movable = {sid for sid, policy in policies.items() if policy.fate in ("migrate", "retire")}
    co_graph = nx.Graph()
    co_graph.add_nodes_from(movable)
    for sid in movable:
        for partner in policies[sid].system.co_migrate:
            co_graph.add_edge(sid, partner)
    blocked: dict[str, str] = {}
    components = [sorted(c) for c in nx.connected_components(co_graph)]
    changed = True
    while changed:
        changed = False
        for component in components:
            # Skip a component only once all its movable members are blocked: a member blocked for its
            # own reason (a network that stays) must block its partners too.
            if all(sid in blocked for sid in component if sid in movable):
                continue
            outsider = next((s for s in component if s not in movable), None)
            culprit = outsider or next((s for s in component if s in blocked), None)
            if culprit is not None:
                for sid in component:
                    if sid in movable and sid not in blocked:
                        blocked[sid] = f"co_migrate partner {culprit} stays"
                changed = True
        for sid in movable - blocked.keys():
            if policies[sid].fate == "migrate":
                staying_network = next((n for n in policies[sid].system.networks if networks[n].fate == "stay"), None)
                if staying_network is not None:
                    blocked[sid] = f"reached through network {staying_network}, which stays ({networks[staying_network].reason})"
                    changed = True
                    continue
            for required in policies[sid].system.requires:
                fate = policies[required].fate if required in policies else "stay"
                if fate == "stay" or required in blocked:
                    blocked[sid] = f"requires {required}, which stays"
                    changed = True
                    break

    groups: dict[str, MoveGroup] = {}
    group_of: dict[str, str] = {}
    for component in components:
        members = [sid for sid in component if sid in movable and sid not in blocked]
        if not members:
            continue
        migrating = [sid for sid in members if policies[sid].fate == "migrate"]
        shared = _shared_pools([policies[sid].pools for sid in migrating])
        if migrating and not shared:
            raise InputError(
                "co_migrate group " + ", ".join(members) + " has no pool every member may use "
                "(check arch, mlps_level, cloud pins and industry pools of these systems)"
            )
        departments: dict[str, int] = {}
        for sid in members:
            department = policies[sid].system.department
            departments[department] = departments.get(department, 0) + 1
        group = MoveGroup(
            id=members[0],
            members=tuple(members),
            pools=shared,
            networks=tuple(sorted({n for sid in migrating for n in policies[sid].system.networks})),
            rooms=tuple(sorted({policies[sid].system.room for sid in members if policies[sid].system.room})),
            department_counts=tuple(sorted(departments.items())),
        )
        groups[group.id] = group
        for sid in members:
            group_of[sid] = group.id

    precedence: set[tuple[str, str]] = set()
    for sid, gid in group_of.items():
        for required in policies[sid].system.requires:
            if required in group_of and group_of[required] != gid:
                precedence.add((group_of[required], gid))
    return DependencyGraph(groups, group_of, tuple(sorted(precedence)), blocked)


def _shared_pools(pool_lists: list[tuple[str, ...]]) -> tuple[str, ...]:
    if not pool_lists:
        return ()
    shared = set(pool_lists[0]).intersection(*pool_lists[1:])
    return tuple(pool for pool in pool_lists[0] if pool in shared)
