"""The scenario (FORMATS.md section 2): what to plan for, with which resources."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from models.period import Period

SCENARIO_FORMAT = "migplan-scenario/1"
MAX_HORIZON_QUARTERS = 40
"""Ten years: longer horizons are no plan anyone acts on, and their models grow past any machine's memory."""
KPI_NAMES: tuple[str, ...] = ("room_consolidation", "network_migration", "cloud_adoption")
Fraction = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
NonNegative = Annotated[float, Field(ge=0, allow_inf_nan=False)]


class Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)


class NetBoxInventory(Section):
    """An inventory read from NetBox instead of a file."""

    url: str
    """Base URL of the NetBox server."""
    token_env: str = "NETBOX_TOKEN"
    """Name of the environment variable holding the API token (the token itself is never in a file)."""
    mapping: str | None = None
    """Optional mapping file, relative to the scenario; the bundled default otherwise."""


class Horizon(Section):
    """The periods planned, both ends included."""

    start: Period
    """First quarter planned."""
    end: Period
    """Last quarter planned."""

    @model_validator(mode="after")
    def _ordered(self) -> Horizon:
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        quarters = self.end - self.start + 1
        if quarters > MAX_HORIZON_QUARTERS:
            raise ValueError(f"{self.start}-{self.end} is {quarters:,} quarters; "
                             f"migplan plans at most {MAX_HORIZON_QUARTERS} (ten years)")
        return self

    @property
    def periods(self) -> list[Period]:
        return Period.span(self.start, self.end)


class Targets(Section):
    """KPI floors at the end of a year (the last planned quarter of that year)."""

    room_consolidation: dict[int, Fraction] = {}
    """Year -> minimum share of non-classified rooms closed."""
    network_migration: dict[int, Fraction] = {}
    """Year -> minimum share of non-classified networks migrated."""
    cloud_adoption: dict[int, Fraction] = {}
    """Year -> minimum share of non-classified systems on a cloud."""
    soft: bool = False
    """True: a missed target costs a penalty instead of failing the plan."""
    penalty_wan_per_point: NonNegative = 100.0
    """Extension: with ``soft``, the penalty in 万元 per percentage point missed."""
    complete_by: Period | Literal["off"] | None = None
    """应迁尽迁/应上尽上: every eligible object is done by the end of this quarter.
    Absent: the horizon's end; ``off``: the floors only (a what-if)."""

    def floors(self) -> dict[str, dict[int, float]]:
        return {name: getattr(self, name) for name in KPI_NAMES}


class KpiOptions(Section):
    """How the KPIs count."""

    count_interconnected_networks: bool = False
    """Count interconnected (kept) networks as migrated."""
    count_retired_systems: bool = True
    """Count retired systems as on a cloud; otherwise they leave the denominator."""


class Resources(Section):
    """Limits that hold in every period."""

    team_days_per_period: NonNegative | None = None
    """Person-days of migration team available each quarter; absent means unlimited."""
    budget_wan_per_year: dict[int, NonNegative] = {}
    """Year -> one-off spending allowed (migrations, interconnections, closures), 万元."""
    freeze: tuple[Period, ...] = ()
    """No cutover in these quarters."""
    max_cutovers_per_department_per_period: Annotated[int, Field(ge=0)] | None = None
    """At most this many system cutovers per department per quarter; absent means unlimited."""


class SolverOptions(Section):
    """Which solver and how long it may take."""

    name: Literal["highs", "cbc", "greedy"] = "highs"
    """highs (default), cbc (fallback) or greedy (the hand-made baseline)."""
    time_limit_s: Annotated[float, Field(gt=0)] = 60
    """Wall-clock limit for the solve."""
    mip_gap: Annotated[float, Field(ge=0, le=1)] = 0.005
    """Relative optimality gap at which to stop."""
    threads: Annotated[int, Field(ge=1)] | None = None
    """Solver threads; absent lets the solver choose."""


class Scenario(Section):
    """A planning scenario."""

    format: Literal["migplan-scenario/1"] = SCENARIO_FORMAT
    """Always migplan-scenario/1."""
    name: str
    """Short name, written into the plan."""
    description: str = ""
    """What the scenario asks."""
    inventory: str | None = None
    """Inventory file, relative to the scenario file."""
    netbox: NetBoxInventory | None = None
    """Read the inventory from NetBox instead."""
    horizon: Horizon
    """Quarters planned."""
    targets: Targets = Targets()
    """KPI floors."""
    kpi: KpiOptions = KpiOptions()
    """How KPIs count."""
    resources: Resources = Resources()
    """Team, budget, freezes and cutover caps."""
    overrides: dict[str, dict[str, dict[str, Any]]] = {}
    """What-if edits of the inventory: list name -> object id -> fields to replace."""
    objective: Literal["min_cost"] = "min_cost"
    """Only min_cost: one-off plus running cost over the horizon."""
    solver: SolverOptions = SolverOptions()
    """Solver settings."""

    @model_validator(mode="after")
    def _one_inventory(self) -> Scenario:
        if (self.inventory is None) == (self.netbox is None):
            raise ValueError("give exactly one of 'inventory' (a file) or 'netbox' (a server)")
        return self

    @model_validator(mode="after")
    def _completion_in_horizon(self) -> Scenario:
        complete_by = self.targets.complete_by
        if isinstance(complete_by, Period) and not self.horizon.start <= complete_by <= self.horizon.end:
            raise ValueError(
                f"targets.complete_by {complete_by} is outside the horizon {self.horizon.start}..{self.horizon.end}"
            )
        return self

    @property
    def periods(self) -> list[Period]:
        return self.horizon.periods

    @property
    def complete_by(self) -> Period | None:
        """The quarter by which every eligible object is done, or None when completion is ``off``."""
        complete_by = self.targets.complete_by
        if complete_by == "off":
            return None
        return complete_by if isinstance(complete_by, Period) else self.horizon.end
