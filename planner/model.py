"""What the MILP is made of: its index sets, variables and the model object every builder receives.

Notation (t a period of the horizon, A the periods that allow cutovers):

- ``x[u,p,t]`` binary: part u of a move group moves into pool p (or retires) in t in A
  (a group is one part unless its co_migrate members share no pool);
- ``y[s,q,t]`` binary: the DR copy of system s is placed in pool q in t;
- ``M[g,t]``, ``N[k,t]``, ``C[r,t]`` in [0,1]: group g has moved, network k is
  migrated or interconnected, room r is closed, by the end of t. N and C are the
  binary decisions; M is implied integral by x. In a frozen period each is the
  same variable as in the period before, so nothing happens there;
- ``U[p,ρ,t]`` continuous: use of resource ρ in pool p by migrated systems at t;
- ``short[kpi,year]`` >= 0: missed KPI objects, only with ``targets.soft``;
- ``left[o]`` in [0,1]: object o is not done by ``complete_by``, only when completion is elastic.

The model is built by :func:`planner.build.create_model`: variables (planner/variables.py), the
constraint families of the registry (planner/families.py, builders in planner/constraints.py) and
the objective (planner/objective.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pulp

from models.period import Period
from planner.data import PlanningData
from planner.names import NameRegistry

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
    finish: bool = False
    """Explanation only: the model asks for the earliest quarter by which every eligible object is done
    (``add_finished``; its objective is that quarter, not the cost)."""


@dataclass
class ModelSets:
    """Index sets derived from the planning data: what exists in the model."""

    options: dict[str, tuple[str, ...]]
    """Part -> pools it may move into (or RETIRE)."""
    dr_systems: dict[str, dict[str, list[str]]]
    """DR system -> primary pool -> pools its copy may use."""
    movable_networks: list[str]
    closable_rooms: list[str]
    groups_by_room: dict[str, list[str]]


@dataclass
class Variables:
    """The model's variables by their indices (see the notation above)."""

    x: dict[tuple[str, str, Period], pulp.LpVariable] = field(default_factory=dict)
    y: dict[tuple[str, str, Period], pulp.LpVariable] = field(default_factory=dict)
    moved_by: dict[tuple[str, Period], ByVariable] = field(default_factory=dict)
    network_by: dict[tuple[str, Period], ByVariable] = field(default_factory=dict)
    closed_by: dict[tuple[str, Period], ByVariable] = field(default_factory=dict)
    use: dict[tuple[str, str, Period], pulp.LpVariable] = field(default_factory=dict)
    short: dict[tuple[str, int], pulp.LpVariable] = field(default_factory=dict)
    left: dict[tuple[str, str], pulp.LpVariable] = field(default_factory=dict)
    finished: dict[Period, pulp.LpVariable] = field(default_factory=dict)
    """With ``Elastic.finish``: 1 when every eligible object is done by the end of the quarter."""
    """Completion shortfall by (kind, id): 1 when the object is not done by ``complete_by``."""
    slack: dict[str, tuple[pulp.LpVariable, float]] = field(default_factory=dict)
    """Elastic slack and its limit, by the name of the constraint it relaxes."""


@dataclass
class Model:
    """The MILP and what it was built from: the argument of every ``add_<family>(m)``."""

    prob: pulp.LpProblem
    data: PlanningData
    sets: ModelSets
    variables: Variables
    names: NameRegistry
    elastic: Elastic
    cost: Expression = field(default_factory=Expression)
    """The FORMATS.md min_cost total, without penalties (set once the constraints are built)."""
    constant_cost: float = 0.0
    columns: list[pulp.LpVariable] = field(default_factory=list)
    """Every variable of the model, in PuLP's order (by name), listed once the model is built:
    ``prob.variables()`` walks every entry of every row again on each call (seconds on a province)."""
