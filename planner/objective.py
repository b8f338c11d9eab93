"""The objective: the FORMATS.md ``min_cost`` of a plan, plus the penalties of missed targets and elastic limits."""

from __future__ import annotations

from collections import defaultdict

import pulp

from planner.data import RETIRE, PlanningData
from planner.model import Expression, Model, ModelSets, Variables
from planner.terms import by_terms, expression, one_off_terms

MISSED_OBJECT_WAN = 1e6
"""Penalty per room, network or system a hard KPI floor misses: far above what any plan costs."""


def cost_expression(data: PlanningData, sets: ModelSets, variables: Variables) -> tuple[Expression, float]:
    """FORMATS.md ``min_cost``: one-off costs in their period plus a quarter of annual costs per period.

    Returns the decided part as an expression and the constant part (rooms kept open,
    networks never migrated, systems already on a cloud) as a number.
    """
    periods = list(data.periods)
    quarters_from = {t: len(periods) - i for i, t in enumerate(periods)}
    terms: dict[pulp.LpVariable, float] = defaultdict(float)
    constant = 0.0
    for var, coefficient in one_off_terms(data, sets, variables, periods).items():
        terms[var] += coefficient
    vcpu = {uid: data.part_size(part, "vcpu") for uid, part in data.parts.items()}
    for (uid, pool, t), var in variables.x.items():
        if pool == RETIRE:
            continue
        rate = data.pool(pool).vcpu_annual_cost_wan / 4
        terms[var] += rate * vcpu[uid] * quarters_from[t]
    for (sid, pool, t), var in variables.y.items():
        system = data.systems[sid].system
        if system.dr == "active-active":
            terms[var] += data.pool(pool).vcpu_annual_cost_wan / 4 * system.vcpu * quarters_from[t]
    for room_id, policy in data.rooms.items():
        quarterly = policy.room.annual_cost_wan / 4
        if policy.fate == "close":
            constant += quarterly * len(periods)
            for t in periods:
                for var in by_terms(variables.closed_by[room_id, t]):
                    terms[var] -= quarterly
        elif policy.fate == "keep":
            constant += quarterly * len(periods)
    for k, policy in data.networks.items():
        quarterly = policy.network.annual_cost_wan / 4
        if policy.fate == "migrate":
            constant += quarterly * len(periods)
            for t in periods:
                for var in by_terms(variables.network_by[k, t]):
                    terms[var] -= quarterly
        elif policy.fate in ("interconnect", "stay") or policy.network.state == "interconnected":
            constant += quarterly * len(periods)
    for system in data.inventory.systems:
        if system.state == "cloud" and system.current_cloud is not None:
            constant += data.pool(system.current_cloud).vcpu_annual_cost_wan / 4 * system.vcpu * len(periods)
    return expression(dict(terms)), constant


def objective(data: PlanningData, model: Model) -> Expression:
    """min cost + penalty x (missed KPI objects + objects left at ``complete_by``) (soft or elastic targets)
    + big penalties on elastic limits. With ``Elastic.finish`` (an explanation): the quarters before
    everything is done, sum_t (1 - F[t]), instead."""
    if model.elastic.finish:
        return expression({var: -1.0 for var in model.variables.finished.values()},
                          constant=float(len(model.variables.finished)))
    terms: dict[pulp.LpVariable, float] = dict(model.cost.items())
    targets = data.scenario.targets
    for (kpi, _year), short in model.variables.short.items():
        # Soft targets cost what the scenario says per point; a hard one costs more per missed object
        # than any plan costs, whatever the number of objects (a share of a point would be too cheap
        # on a province: 1e6 / 870 rooms is less than emptying a big room costs).
        penalty = targets.penalty_wan_per_point * 100 / max(data.kpi_total(kpi), 1) if targets.soft else MISSED_OBJECT_WAN
        terms[short] = terms.get(short, 0.0) + penalty
    for (kind, _key), left in model.variables.left.items():
        # Soft: an object left costs a point of its KPI; hard (elastic only to accept any start): as a missed floor.
        kpi = {"group": "cloud_adoption", "network": "network_migration", "room": "room_consolidation"}[kind]
        terms[left] = (targets.penalty_wan_per_point * 100 / max(data.kpi_total(kpi), 1)
                       if targets.soft else MISSED_OBJECT_WAN)
    for slack, bound in model.variables.slack.values():
        # Relative to the limit, so the explanation prefers small shares of any one limit.
        terms[slack] = terms.get(slack, 0.0) + 1e4 / max(abs(bound), 1.0)
    return expression(terms, constant=model.constant_cost)
