"""The explanation of an infeasible scenario gets what is left of the time limit, at least a quarter of it."""

from __future__ import annotations

import pytest

from planner.explain import explanation_seconds


@pytest.mark.parametrize(("spent", "expected"), [(10.0, 50.0), (45.0, 15.0), (60.0, 15.0), (75.0, 15.0)])
def test_explanation_time_budget(spent: float, expected: float) -> None:
    """Limit 60 s: after 10 s the explanation has the 50 s left; after 45 s or more, a quarter (15 s)."""
    assert explanation_seconds(60.0, spent) == pytest.approx(expected)


def test_the_limit_short_by_the_largest_share_comes_first() -> None:
    """Two systems (5 team days and 3 万元 each) must both move in 2024 with 1 team day a quarter and a
    5 万元 budget: team days are short by at least 6 of 4 (150%), the budget by 1 of 5 (20%). Team days
    first, in the list and in the target's sentence, though "budget" sorts first by name."""
    from planner.api import PlanRequest, plan_scenario
    from tests.builders import inventory, loaded, scenario, system

    # Floors only: under the completion rule the plan would also name what is left (tests/planner/test_completion.py).
    scn = scenario(targets={"cloud_adoption": {"2024": 1.0}, "complete_by": "off"},
                   resources={"team_days_per_period": 1, "budget_wan_per_year": {"2024": 5}})
    plan = plan_scenario(loaded(inventory([system("s1"), system("s2")]), scn), PlanRequest(time_limit_s=30))
    assert plan.status == "infeasible"
    target, *limits = plan.violations
    families = [limit.constraint.split("@")[0] for limit in limits]
    assert families[0] == "team_days" and "budget" in families, families
    shares = [((limit.reached or 0) - (limit.required or 0)) / max(abs(limit.required or 0), 1.0) for limit in limits]
    assert shares == sorted(shares, reverse=True)
    binding = target.detail.split("; binding: ")[1]
    assert binding.index("team days short") < binding.index("budget short by 1.0 万元 in 2024")


def test_a_budget_too_small_to_finish_is_proven_infeasible_and_explained() -> None:
    """A generated 60-system city with the tight-budget scenario's budget (30% of the one-off costs), as the
    bundled tight-budget scenario: the bound proves that no plan finishes by complete_by (infeasible, not a
    time-limited 'feasible'), and the completion violation names what is left and the budget that binds."""
    from inventory.generate import TIGHT_BUDGET_FACTOR, baseline_scenario, generate
    from models.scenario import Scenario
    from planner.api import PlanRequest, plan_scenario
    from tests.builders import loaded

    inventory = generate(cities=1, systems_per_city=60, seed=3)
    scn = Scenario.model_validate(baseline_scenario(inventory, "inventory.yaml", budget_factor=TIGHT_BUDGET_FACTOR))
    plan = plan_scenario(loaded(inventory, scn), PlanRequest(time_limit_s=30))
    assert plan.status == "infeasible"
    (completion,) = [v for v in plan.violations if v.constraint.startswith("complete_by@")]
    assert " left (" in completion.detail and "budget short by" in completion.detail
    assert "not proven unreachable" not in completion.detail
