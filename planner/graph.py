"""The dependency graph: ``co_migrate`` contracted into move groups, ``requires`` as
precedence between groups, and each group's readiness on its private networks."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from planner.policy import NetworkPolicy, SystemPolicy


@dataclass(frozen=True)
class MovePart:
    """Migrating members of a move group that share a pool: the group's unit of placement.

    co_migrate asks for the same period, never the same pool (an x86 application and its
    信创 database are a normal pair), so a group whose members have no pool in common moves
    as several parts, in one quarter, each into a pool its members share.
    """

    id: str
    """The group's id for its first part, else the part's first member: unique among all parts."""
    group: str
    """The move group it belongs to."""
    members: tuple[str, ...]
    """Migrating member system ids; empty for the single part of a group whose members all retire."""
    pools: tuple[str, ...]
    """Pools every member of the part may use; empty when the group only retires."""


@dataclass(frozen=True)
class MoveGroup:
    """Systems that must move in the same period (a connected component of co_migrate)."""

    id: str
    """The first member's id, stable across runs."""
    members: tuple[str, ...]
    """Member system ids, migrating or retiring."""
    parts: tuple[MovePart, ...]
    """Its units of placement: one when its migrating members share a pool (or all retire), more otherwise."""
    networks: tuple[str, ...]
    """Private networks of its migrating members: migrated or interconnected no later than the move."""
    rooms: tuple[str, ...]
    """Rooms the members leave."""
    department_counts: tuple[tuple[str, int], ...]
    """Cutovers per department when the group moves."""

    @property
    def retires_only(self) -> bool:
        return not self.parts[0].pools

    @property
    def pools(self) -> tuple[str, ...]:
        """Every pool some part may use."""
        return tuple(dict.fromkeys(pool for part in self.parts for pool in part.pools))


@dataclass(frozen=True)
class DependencyGraph:
    groups: dict[str, MoveGroup]
    group_of: dict[str, str]
    """System id -> its group id, for systems the planner moves."""
    precedence: tuple[tuple[str, str], ...]
    """(earlier group, later group): the later moves no earlier than the earlier."""
    blocked: dict[str, str]
    """System id -> why it cannot move (a co_migrate partner or a required system stays), and what would change that."""

    @property
    def parts(self) -> dict[str, MovePart]:
        """Part id -> part, over every group."""
        return {part.id: part for group in self.groups.values() for part in group.parts}

    @property
    def part_of(self) -> dict[str, str]:
        """Migrating system id -> the id of its part."""
        return {sid: part.id for group in self.groups.values() for part in group.parts for sid in part.members}


def build_graph(policies: dict[str, SystemPolicy], networks: dict[str, NetworkPolicy]) -> DependencyGraph:
    """Contract co_migrate, derive precedence, and find systems blocked by a staying partner.

    A system whose co_migrate partner stays cannot move either (they move in the same
    period or not at all): its whole group stays, naming that partner. A system that
    requires one that will never be on a cloud, or whose users reach it through a network
    that stays private (a classified one), is blocked too. Blocks propagate until nothing
    changes, and each carries its reason and what would lift it.
    """
    movable = {sid for sid, policy in policies.items() if policy.fate in ("migrate", "retire")}
    co_graph = nx.Graph()
    co_graph.add_nodes_from(movable)
    for sid in movable:
        for partner in policies[sid].system.co_migrate:
            # A partner done before the horizon imposes nothing, and links no one to anyone.
            if partner not in policies or policies[partner].fate != "done":
                co_graph.add_edge(sid, partner)
    blocked: dict[str, str] = {}
    # Sorted, so that groups (and with them the model's rows and columns) come in the same order every run.
    components = sorted(sorted(c) for c in nx.connected_components(co_graph))
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
                        blocked[sid] = (f"co_migrate partner {culprit} stays: it moves once {culprit} can "
                                        f"(see {culprit}'s reason), or drop the co_migrate link")
                changed = True
        for sid in movable - blocked.keys():
            if policies[sid].fate != "migrate":
                continue  # precedence binds migrations: a retirement waits for no network and no requirement
            staying_network = next((n for n in policies[sid].system.networks if networks[n].fate == "stay"), None)
            if staying_network is not None:
                blocked[sid] = (f"reached through network {staying_network}, which stays "
                                f"({networks[staying_network].reason}): give its users another way in "
                                f"and take {staying_network} out of `networks`, or mark it must_stay")
                changed = True
                continue
            for required in policies[sid].system.requires:
                fate = policies[required].fate if required in policies else "stay"
                if fate == "stay" or required in blocked:
                    blocked[sid] = (f"requires {required}, which stays: it moves once {required} can, "
                                    f"or drop {required} from `requires`")
                    changed = True
                    break

    groups: dict[str, MoveGroup] = {}
    group_of: dict[str, str] = {}
    for component in components:
        members = [sid for sid in component if sid in movable and sid not in blocked]
        if not members:
            continue
        migrating = [sid for sid in members if policies[sid].fate == "migrate"]
        departments: dict[str, int] = {}
        for sid in members:
            department = policies[sid].system.department
            departments[department] = departments.get(department, 0) + 1
        group = MoveGroup(
            id=members[0],
            members=tuple(members),
            parts=_parts(members[0], migrating, policies),
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


def _parts(group_id: str, migrating: list[str], policies: dict[str, SystemPolicy]) -> tuple[MovePart, ...]:
    """Split the migrating members into parts that each share a pool, first-fit in member order.

    Members that all share a pool make one part (the usual case, and the smallest model);
    otherwise each member joins the first part it still shares a pool with.
    """
    if not migrating:
        return (MovePart(group_id, group_id, (), ()),)
    parts: list[tuple[list[str], list[str]]] = []
    for sid in migrating:
        pools = policies[sid].pools
        for members, shared in parts:
            common = [pool for pool in shared if pool in pools]
            if common:
                members.append(sid)
                shared[:] = common
                break
        else:
            parts.append(([sid], list(pools)))
    return tuple(
        MovePart(group_id if i == 0 else members[0], group_id, tuple(members), tuple(shared))
        for i, (members, shared) in enumerate(parts)
    )
