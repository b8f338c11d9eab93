"""How to solve (the solver settings, carried from the CLI to HiGHS under one name each) and what came of it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SolverSettings:
    """The solver and its limits: the scenario's ``solver`` section with the command line's overrides."""

    name: str = "highs"
    """highs, cbc or greedy."""
    time_limit_s: float = 60
    """Wall-clock seconds for the whole solve; HiGHS's ``time_limit`` is set from it and nothing else."""
    mip_gap: float = 0.005
    """Relative gap (plan - bound) / |plan| at which a plan counts as optimal."""
    threads: int | None = None
    verbose: bool = False
    search: bool = True
    """Run the primal search (planner/search.py) beside HiGHS."""
    ray: str | None = None
    """The Ray cluster that prices and lifts the decomposition's blocks (planner/cluster.py); None: this machine."""


@dataclass(frozen=True)
class SolverOutcome:
    """What a solve ended with; the plan itself is in the model's variables."""

    status: str
    """optimal, feasible, infeasible or failed."""
    bound: float | None
    gap: float | None
    seconds: float
