"""The domain data model: plain, typed, immutable records mirroring FORMATS.md."""

from models.errors import (
    InputError,
    MigplanError,
    PlanInfeasible,
    PlanRejected,
    PlaybookError,
    Problem,
    ScenarioError,
    SourceError,
    ValidationFailed,
)
from models.inventory import (
    Capacity,
    CloudPool,
    Department,
    Extranet,
    Inventory,
    Network,
    Room,
    System,
)
from models.period import Period
from models.plan import Action, KpiRow, Plan, SolveInfo, Violation
from models.scenario import KPI_NAMES, Scenario

__all__ = [
    "KPI_NAMES",
    "Action",
    "Capacity",
    "CloudPool",
    "Department",
    "Extranet",
    "InputError",
    "Inventory",
    "KpiRow",
    "MigplanError",
    "Network",
    "Period",
    "Plan",
    "PlanInfeasible",
    "PlanRejected",
    "PlaybookError",
    "Problem",
    "Room",
    "Scenario",
    "ScenarioError",
    "SolveInfo",
    "SourceError",
    "System",
    "ValidationFailed",
    "Violation",
]
