"""The registry of constraint families: each one's name, builder, whether it links cities, and how a violation reads.

The decomposition (which rows may tie cities together), the explanation of an infeasible scenario
(how an exceeded limit is named and told), the report (reading those names back) and the golden LP
files all read this one list. Adding a family is one entry here and its ``add_<family>(m)`` builder
in planner/constraints.py. A builder may write more than one family (``add_capacity`` writes the
pool-use rows and the capacity limits); builders run once each, in the order of their first entry.

``links_cities`` has no default on purpose: a family whose rows span cities (a province-wide limit,
a shared pool) and were not marked would join every city into one block, and the province would
lose its decomposition without a word. A row whose family is not registered is an error.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from models.errors import MigplanError
from planner.constraints import (
    add_bandwidth,
    add_budget,
    add_capacity,
    add_co_migrate,
    add_committed,
    add_complete,
    add_cutovers,
    add_dr_placement,
    add_dr_zone,
    add_finished,
    add_kpi_floor,
    add_network_progress,
    add_network_ready,
    add_progress,
    add_requires,
    add_room_after_systems,
    add_room_progress,
    add_team_days,
)
from planner.data import RESOURCES
from planner.model import Model

Builder = Callable[[Model], None]
UNITS = {"vcpu": "vCPU", "memory_gb": "GB memory", "storage_tb": "TB storage"}
FIELD_PATTERNS = {"subject": ".+", "resource": "|".join(RESOURCES), "when": r"\S+"}
"""What each field of a violated limit's id may hold, for reading the id back."""


@dataclass(frozen=True)
class LimitText:
    """How a violated (elastic) limit of a family is named in plan.json and told to a user.

    ``fields`` name the constraint's ids in order (``subject``, ``resource``, ``when``);
    ``constraint`` and ``detail`` are format strings over them, ``detail`` also over
    ``excess`` (how much the limit must grow) and ``unit`` (the resource's unit).
    """

    fields: tuple[str, ...]
    constraint: str
    detail: str

    def describe(self, ids: tuple[str, ...], excess: float) -> tuple[str, str]:
        """(constraint id, detail) of a limit exceeded by ``excess``."""
        values = dict(zip(self.fields, ids))
        resource = values.get("resource", "")
        return self.constraint.format(**values), self.detail.format(**values, excess=excess,
                                                                   unit=UNITS.get(resource, resource))

    def pattern(self) -> re.Pattern[str]:
        """A pattern reading the fields back from a constraint id written by :meth:`describe`."""
        parts = re.split(r"\{(\w+)\}", self.constraint)
        regex = "".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>{FIELD_PATTERNS[part]})"
                        for i, part in enumerate(parts))
        return re.compile(f"^{regex}$")


@dataclass(frozen=True)
class ConstraintFamily:
    """One family of rows: the first part of each row's name."""

    name: str
    builder: Builder
    links_cities: bool
    """Its rows may span several cities (shared limits, province-wide floors, shared pools)."""
    limit: LimitText | None = None
    """For a limit that may be elastic: how its violation reads; None for the other families."""


FAMILIES: tuple[ConstraintFamily, ...] = (
    ConstraintFamily("progress", add_progress, links_cities=False),
    ConstraintFamily("co_migrate", add_co_migrate, links_cities=False),
    ConstraintFamily("network_progress", add_network_progress, links_cities=False),
    ConstraintFamily("room_progress", add_room_progress, links_cities=False),
    ConstraintFamily("dr_placement", add_dr_placement, links_cities=False),
    ConstraintFamily("dr_zone", add_dr_zone, links_cities=False),
    ConstraintFamily("dr_pair", add_dr_zone, links_cities=False),
    ConstraintFamily("requires", add_requires, links_cities=False),
    ConstraintFamily("requires_across", add_requires, links_cities=True),
    ConstraintFamily("network_ready", add_network_ready, links_cities=False),
    ConstraintFamily("room_after_systems", add_room_after_systems, links_cities=False),
    ConstraintFamily("use", add_capacity, links_cities=True),
    ConstraintFamily("capacity", add_capacity, links_cities=True, limit=LimitText(
        ("subject", "resource", "when"), "capacity:{subject}:{resource}@{when}",
        "pool {subject} {unit} short by {excess:,.0f} in {when}")),
    ConstraintFamily("bandwidth", add_bandwidth, links_cities=True, limit=LimitText(
        ("when",), "bandwidth@{when}", "extranet bandwidth short by {excess:,.0f} Mbps in {when}")),
    ConstraintFamily("team_days", add_team_days, links_cities=True, limit=LimitText(
        ("when",), "team_days@{when}", "team days short by {excess:,.0f} in {when}")),
    ConstraintFamily("budget", add_budget, links_cities=True, limit=LimitText(
        ("when",), "budget@{when}", "budget short by {excess:,.1f} 万元 in {when}")),
    ConstraintFamily("cutovers", add_cutovers, links_cities=False, limit=LimitText(
        ("subject", "when"), "cutovers:{subject}@{when}",
        "cutover cap of department {subject} short by {excess:,.0f} in {when}")),
    ConstraintFamily("kpi_floor", add_kpi_floor, links_cities=True),
    ConstraintFamily("complete", add_complete, links_cities=False),
    ConstraintFamily("finished_by", add_finished, links_cities=True),
    ConstraintFamily("finished_stays", add_finished, links_cities=True),
    ConstraintFamily("committed", add_committed, links_cities=False),
    ConstraintFamily("committed_network", add_committed, links_cities=False),
    ConstraintFamily("committed_room", add_committed, links_cities=False),
)
BY_NAME = {family.name: family for family in FAMILIES}


def builders() -> list[Builder]:
    """Each builder once, in the order of its first family."""
    return list(dict.fromkeys(family.builder for family in FAMILIES))


def family(name: str) -> ConstraintFamily:
    """The registered family of that name; an error naming the registry when there is none."""
    found = BY_NAME.get(name)
    if found is None:
        raise MigplanError(f"constraint family {name!r} is not registered in planner/families.py")
    return found


def limit_families() -> list[ConstraintFamily]:
    """The families whose violation an explanation names (the elastic limits), in registry order."""
    return [entry for entry in FAMILIES if entry.limit is not None]
