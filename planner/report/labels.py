"""Every word the reports show, in Chinese (the default) and English: one table, one lookup."""

from __future__ import annotations

from typing import Literal

Language = Literal["zh", "en"]
LANGUAGES: tuple[Language, ...] = ("zh", "en")

LABELS: dict[str, tuple[str, str]] = {
    # Page and sections
    "title": ("政务信息化整合迁移计划报告", "Government IT consolidation plan report"),
    "scenario": ("情景", "Scenario"),
    "region": ("地区", "Region"),
    "horizon": ("规划期", "Horizon"),
    "status": ("求解状态", "Status"),
    "cost": ("总成本（万元）", "Total cost (万元)"),
    "bound": ("下界（万元）", "Bound (万元)"),
    "gap": ("最优性间隙", "Gap"),
    "solver": ("求解器", "Solver"),
    "cost_short": ("成本", "cost"),
    "bound_short": ("下界", "bound"),
    "gap_short": ("间隙", "gap"),
    "unproven": ("未经证明", "unproven"),
    "unproven_long": ("未经证明（无下界）", "unproven (no bound)"),
    "unproven_note": ("未经证明：没有下界，无法判断该计划离最优有多远，成本不能与其他计划直接比较。",
                      "Unproven: no bound says how far this plan is from the best one; its cost cannot be ranked "
                      "against other plans."),
    "unproven_ordering": ("注意：以下排序依据未经证明的计划（{names}），成本高低不代表情景优劣。",
                          "Note: this ordering rests on unproven plans ({names}); their costs do not rank the scenarios."),
    "generated": ("生成时间", "Generated"),
    "inventory_mismatch": ("注意：计划生成时所用的资产清单与当前清单不一致（inventory_sha256 不同）。",
                           "Note: the plan was made for a different inventory (inventory_sha256 differs)."),
    "section_violations": ("未满足的目标与约束", "Targets and limits not met"),
    "violations_lead": ("该计划不可行：以下目标或资源限制无法满足。表中为可达到的最好结果及缺口。",
                        "This plan is infeasible: the targets or limits below cannot be met. "
                        "The figures are the best reachable and the shortfall."),
    "soft_lead": ("以下软目标未达成（按罚分计入成本）。", "These soft targets are missed (penalised in the cost)."),
    "section_warnings": ("暂无法迁移的对象：需修改数据或资源池", "Objects that cannot move: change the data or the pools"),
    "warnings_lead": ("按应迁尽迁、应上尽上，下列对象本应迁移，但清单或资源池使其无法迁移；每行说明需要修改什么。",
                      "By 应迁尽迁 / 应上尽上 these objects should move, but the inventory or the pools keep them in "
                      "place; each row says what must change."),
    "completion": ("应迁尽迁、应上尽上：", "Completion (应迁尽迁):"),
    "what_to_change": ("原因与需修改的内容", "Why, and what to change"),
    "object": ("对象", "Object"),
    "section_kpis": ("考核指标（按季度）", "KPIs per quarter"),
    "section_waves": ("迁移批次甘特图", "Migration waves"),
    "waves_lead": ("每行一个部门，每格为该季度的割接数量（系统、专网、机房）；展开部门查看每个对象。",
                   "One row per department; each cell counts that quarter's cutovers (systems, networks, rooms). "
                   "Open a department to see every object."),
    "section_capacity": ("资源池容量使用", "Pool capacity use"),
    "capacity_lead": ("已用（含规划期前已上云系统；同城双活副本按全量、异地灾备按存储计入灾备资源池）对比容量。",
                      "Use (including systems on a cloud before the horizon; an active-active copy counts in full, "
                      "a backup its storage, in the DR pool) against capacity."),
    "section_bandwidth": ("电子政务外网带宽", "E-government extranet bandwidth"),
    "section_team": ("团队人天（按季度）", "Team days per quarter"),
    "section_spend": ("一次性支出", "One-off spending"),
    "spend_quarter": ("按季度", "Per quarter"),
    "spend_year": ("按年度，对比预算", "Per year, against the budget"),
    "section_stays": ("保留与不迁移清单", "Stays and keeps"),
    "stays_lead": ("不迁移的系统、保留的专网与机房，以及原因。", "Systems, networks and rooms that do not move, and why."),
    "filter": ("筛选…", "Filter…"),
    "none": ("无", "none"),
    "no_limit": ("未设上限", "no limit"),
    "frozen": ("冻结期", "freeze"),
    # Costs for decision makers, and a page per department
    "section_costs": ("成本构成", "What it costs"),
    "costs_lead": ("一次性费用与运行费用按单位拆分，并与维持现状（不迁移）对比；规划期内合计等于计划总成本。",
                   "One-off and running costs by department, against staying on premises (nothing moves); "
                   "over the horizon they add up to the plan's cost."),
    "one_off": ("一次性费用", "one-off"),
    "running": ("规划期运行费用", "running in the horizon"),
    "horizon_total": ("规划期合计", "horizon total"),
    "stay_on_premises": ("维持现状（规划期）", "staying on premises (horizon)"),
    "saving": ("规划期节省", "saving in the horizon"),
    "yearly_after": ("规划期后每年运行费用", "running per year after"),
    "yearly_stay": ("维持现状每年", "staying, per year"),
    "yearly_saving": ("每年节省", "saving per year"),
    "total": ("合计", "Total"),
    "section_departments": ("各单位任务清单", "Each department's tasks"),
    "departments_lead": ("每个单位一页，可直接打印：任务清单（按季度）、费用和系统依赖关系图。每个单位的任务清单另有一份 Excel 文件。",
                         "A page per department, ready to print: its tasks by quarter, its costs and the picture of "
                         "its systems' dependencies. Each department's list is also written as an Excel file."),
    "dependencies": ("依赖关系：专网 → 系统，被依赖系统 → 系统（虚线框为其他单位的系统）",
                     "Dependencies: network → system, required system → system (dashed: another department's)"),
    "dependencies_lead": ("左列为专网，右侧各列为系统，被依赖的系统在左",
                          "networks on the left, then systems, each right of what it requires"),
    "tasks_sheet": ("任务清单", "Tasks"),
    "costs_sheet": ("费用", "Costs"),
    "item": ("项目", "Item"),
    "cost_wan": ("金额（万元）", "Amount (万元)"),
    # KPIs
    "room_consolidation": ("机房整合率", "Room consolidation"),
    "network_migration": ("专网迁移率", "Network migration"),
    "cloud_adoption": ("系统上云率", "Cloud adoption"),
    "target": ("目标", "target"),
    "year_end": ("年末", "year end"),
    "required": ("要求", "required"),
    "reached": ("可达", "reached"),
    "shortfall": ("缺口", "short by"),
    "limit": ("限额", "limit"),
    "needed": ("需要", "needed"),
    "constraint": ("约束", "constraint"),
    # Resources
    "vcpu": ("vCPU（核）", "vCPU"),
    "memory_gb": ("内存（GB）", "Memory (GB)"),
    "storage_tb": ("存储（TB）", "Storage (TB)"),
    "used": ("已用", "used"),
    "peak": ("峰值", "peak"),
    "capacity": ("容量", "capacity"),
    "bandwidth_mbps": ("带宽（Mbps）", "Bandwidth (Mbps)"),
    "team_days": ("人天", "team days"),
    "budget": ("预算", "budget"),
    "spend": ("支出", "spent"),
    "spend_wan": ("支出（万元）", "Spending (万元)"),
    "systems_cost": ("系统迁移", "system migrations"),
    "networks_cost": ("专网迁移/互联", "network cutovers"),
    "rooms_cost": ("机房关停", "room closures"),
    "systems_effort": ("系统迁移", "system migrations"),
    "networks_effort": ("专网割接", "network cutovers"),
    # Objects and actions
    "system": ("系统", "System"),
    "network": ("专网", "Network"),
    "room": ("机房", "Room"),
    "systems": ("系统", "systems"),
    "networks": ("专网", "networks"),
    "rooms": ("机房", "rooms"),
    "department": ("部门", "Department"),
    "kind": ("类别", "Kind"),
    "id": ("编号", "Id"),
    "name": ("名称", "Name"),
    "action": ("动作", "Action"),
    "period": ("季度", "Quarter"),
    "year": ("年度", "Year"),
    "reason": ("原因", "Reason"),
    "reason_kind": ("原因类别", "Reason kind"),
    "count": ("数量", "Count"),
    "target_pool": ("目标资源池", "Target pool"),
    "dr_pool": ("灾备资源池", "DR pool"),
    "cutovers": ("割接", "cutovers"),
    "action_migrate": ("迁移", "migrate"),
    "action_retire": ("撤并", "retire"),
    "action_stay": ("保留", "stay"),
    "action_interconnect": ("互联", "interconnect"),
    "action_close": ("关停", "close"),
    "action_keep": ("保留", "keep"),
    "action_done": ("已完成", "done"),
    "status_optimal": ("最优", "optimal"),
    "status_feasible": ("可行（未证明最优）", "feasible (not proved optimal)"),
    "status_infeasible": ("不可行", "infeasible"),
    "short_optimal": ("最优", "optimal"),
    "short_feasible": ("可行", "feasible"),
    "short_infeasible": ("不可行", "infeasible"),
    "short_error": ("出错", "error"),
    "short_cost": ("成本(万元)", "cost (万元)"),
    "short_room_consolidation": ("机房整合", "rooms"),
    "short_network_migration": ("专网迁移", "networks"),
    "short_cloud_adoption": ("系统上云", "systems"),
    # Why something stays (see planner.policy and planner.graph for the sentences these classify)
    "why_classified": ("涉密", "classified"),
    "why_must_stay": ("确需保留", "must stay"),
    "why_must_keep": ("确需保留（互联）", "must keep (interconnect)"),
    "why_no_pool": ("无合适资源池", "no eligible pool"),
    "why_partner": ("关联系统保留", "partner stays"),
    "why_network": ("依赖的专网保留", "network stays"),
    "why_requires": ("依赖的系统保留", "required system stays"),
    "why_hosts": ("承载保留系统", "hosts staying systems"),
    "why_not_scheduled": ("规划期内未安排", "not scheduled in the horizon"),
    "why_other": ("其他", "other"),
    # Limits named in violations
    "limit_capacity": ("资源池容量", "pool capacity"),
    "limit_bandwidth": ("外网带宽", "extranet bandwidth"),
    "limit_team_days": ("团队人天", "team days"),
    "limit_budget": ("年度预算", "budget"),
    "limit_cutovers": ("部门割接上限", "department cutover cap"),
    "limit_other": ("其他限制", "other limit"),
    # Comparison
    "compare_title": ("情景对比", "Scenario comparison"),
    "binding": ("紧约束", "binding limits"),
    "error": ("出错", "error"),
}


def label(key: str, language: Language) -> str:
    """The text for ``key`` in ``language``; a missing key is a programming error, so it fails loudly."""
    chinese, english = LABELS[key]
    return chinese if language == "zh" else english


class Labels:
    """``labels["cost"]`` in one language, so templates stay short."""

    def __init__(self, language: Language) -> None:
        self.language = language

    def __getitem__(self, key: str) -> str:
        return label(key, self.language)

    def action(self, action: str) -> str:
        return label(f"action_{action}", self.language)

    def status(self, status: str) -> str:
        return label(f"status_{status}", self.language) if f"status_{status}" in LABELS else status
