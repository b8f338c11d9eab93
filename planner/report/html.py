"""The plan report: one self-contained HTML file (inline CSS, inline SVG, a few lines of script).

It opens offline: no CDN, no web font, no external script or image. Every string that
comes from the inventory, the scenario or the plan goes through ``esc``.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path

from inventory.outputs import write_file
from models.plan import Plan
from models.scenario import KPI_NAMES
from planner.data import RESOURCES, PlanningData
from planner.i18n import translate
from planner.quality import cost_text, gap_text, plan_quality
from planner.report import facts
from planner.report.costs import DepartmentCost, cost_by_department, total_cost
from planner.report.departments import department_pages
from planner.report.facts import ObjectRow
from planner.report.labels import Labels, Language
from planner.report.svg import (
    PALETTE,
    Bars,
    GridCell,
    GridRow,
    Line,
    Marker,
    bar_chart,
    department_colour,
    esc,
    fmt_number,
    fmt_share,
    grid_chart,
    line_chart,
    use_chart,
)

KPI_COLOURS = dict(zip(KPI_NAMES, PALETTE))
KIND_ORDER = {"network": 0, "system": 1, "room": 2}
"""Within a quarter: networks are cut over before the systems reached through them, rooms close last."""
SPLIT_COLOURS = {"systems": PALETTE[0], "networks": PALETTE[4], "rooms": PALETTE[2]}

CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei",
 system-ui,sans-serif;margin:0;background:#f8fafc;color:#111827;font-size:14px;line-height:1.5}
main{max-width:1320px;margin:0 auto;padding:20px 28px 48px}
h1{font-size:24px;margin:8px 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:2px solid #e5e7eb;padding-bottom:4px}
h3{font-size:14px;margin:12px 0 4px}
section{background:white;border:1px solid #e5e7eb;border-radius:8px;padding:8px 18px 16px;margin-top:18px}
.lead{color:#4b5563;margin:4px 0 10px}
.facts{display:flex;flex-wrap:wrap;gap:8px 24px;margin:8px 0}.facts div{min-width:120px}
.facts b{display:block;color:#6b7280;font-weight:normal;font-size:12px}
.badge{display:inline-block;padding:1px 10px;border-radius:10px;color:white;font-weight:bold}
.optimal{background:#15803d}.feasible,.unproven{background:#a16207}.infeasible{background:#b91c1c}
.alarm{border:3px solid #dc2626;background:#fef2f2}.alarm h2{color:#b91c1c;border-color:#fecaca}
.warn{border:2px solid #ca8a04;background:#fffbeb}
svg.chart{width:100%;max-width:760px;height:auto}svg.small{max-width:380px}
svg text{font-family:inherit}
.pools{display:grid;grid-template-columns:repeat(3,minmax(0,1fr));gap:0 12px}
.pool-title{grid-column:1/-1;margin:10px 0 0;font-weight:bold}
.pair{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:12px}
.legend{display:flex;flex-wrap:wrap;gap:4px 16px;font-size:12px;color:#374151;margin:4px 0}
.legend span::before{content:"";display:inline-block;width:12px;height:12px;margin-right:5px;vertical-align:-2px;
 background:var(--c);border-radius:2px}
.legend span.dash::before{height:0;border-top:2px dashed var(--c);background:none;vertical-align:3px}
.legend span.diamond::before{width:8px;height:8px;transform:rotate(45deg);border:2px solid var(--c);background:white}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{border-bottom:1px solid #e5e7eb;padding:4px 8px;
 text-align:left;vertical-align:top}th{background:#f3f4f6;position:sticky;top:0}td.num,th.num{text-align:right}
.miss{color:#b91c1c;font-weight:bold}.ok{color:#15803d}
details{margin:2px 0}.departments{max-height:640px;overflow:auto}summary{cursor:pointer;padding:2px 0}.scroll{overflow-x:auto}
.tablebox{max-height:560px;overflow:auto;border:1px solid #e5e7eb}
input.filter{padding:4px 8px;border:1px solid #d1d5db;border-radius:4px;width:260px;margin:6px 0}
.chips{display:flex;flex-wrap:wrap;gap:6px;margin:6px 0}.chips span{background:#eef2ff;border-radius:10px;padding:1px 10px}
footer{color:#6b7280;font-size:12px;margin-top:24px}
.dept-page{margin:18px 0;padding-top:8px;border-top:2px solid #e5e7eb}.dept-costs{margin:4px 0 8px}
table.tasks td{white-space:normal}figure{margin:10px 0}figcaption{font-size:12px;color:#4b5563}
tr.total td{font-weight:bold;border-top:2px solid #9ca3af}
@page{size:A4;margin:12mm}
@media print{
 body{font-size:11px;background:white}main{max-width:none;padding:0}
 input.filter,script{display:none}
 .departments,.tablebox,.scroll{max-height:none;overflow:visible}
 th{position:static}svg{max-width:100%;height:auto}
 section{break-inside:auto}h2,h3{break-after:avoid}tr,.node{break-inside:avoid}
 .dept-page{break-before:page;border-top:none}
}
"""

# Shows only the rows (or department blocks) whose text holds what is typed; no library needed.
SCRIPT = """
// Printing shows what is folded away on screen: every department's objects.
window.addEventListener("beforeprint", function () {
  document.querySelectorAll("details").forEach(function (element) { element.open = true; });
});
document.querySelectorAll("input[data-filter]").forEach(function (input) {
  input.addEventListener("input", function () {
    var query = input.value.trim().toLowerCase();
    document.querySelectorAll(input.dataset.filter).forEach(function (element) {
      element.hidden = query !== "" && element.textContent.toLowerCase().indexOf(query) < 0;
    });
  });
});
"""


def render_report(plan: Plan, data: PlanningData, language: Language = "zh", generated: datetime | None = None,
                  diff_section: str = "") -> str:
    """The whole report as one HTML document; `diff_section` is the changes from the previous
    plan (`planner.report.diff.diff_html`), shown after the KPIs when re-planning."""
    labels = Labels(language)
    rows = facts.object_rows(plan, data.inventory)
    periods = [str(period) for period in data.periods]
    frozen = frozenset(i for i, period in enumerate(data.periods) if period in set(data.scenario.resources.freeze))
    sections = [
        _header(plan, data, labels, generated or datetime.now(), rows),
        _warnings(plan, data, labels),
        _violations(plan, labels),
        _kpis(plan, data, labels, periods, frozen),
        diff_section,
        _costs(plan, data, labels),
        _waves(rows, data, labels, periods, frozen),
        _capacity(plan, data, labels, periods),
        _team_and_spending(plan, data, labels, periods, frozen),
        _stays(rows, labels),
        department_pages(plan, data, labels),
    ]
    title = f"{labels['title']} — {plan.scenario}"
    return (
        f'<!DOCTYPE html>\n<html lang="{"zh-CN" if language == "zh" else "en"}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{CSS}</style></head><body><main>"
        + "".join(section for section in sections if section)
        + f"<footer>migplan · {esc(plan.format)} · inventory {esc(plan.inventory_sha256[:12])}</footer>"
        + f"</main><script>{SCRIPT}</script></body></html>\n"
    )


def write_report(plan: Plan, data: PlanningData, path: Path, language: Language = "zh", diff_section: str = "") -> float:
    """Write the report to ``path``; return the seconds it took."""
    started = time.perf_counter()
    write_file(path, render_report(plan, data, language, diff_section=diff_section))
    return time.perf_counter() - started


def _legend(items: list[tuple[str, str, str]]) -> str:
    """Legend entries (label, colour, style: '' box, 'dash' line, 'diamond' marker)."""
    return '<div class="legend">' + "".join(
        f'<span class="{esc(style)}" style="--c:{esc(colour)}">{esc(text)}</span>' for text, colour, style in items
    ) + "</div>"


def _header(plan: Plan, data: PlanningData, labels: Labels, generated: datetime, rows: list[ObjectRow]) -> str:
    quality = plan_quality(plan)
    solve = plan.solve
    solver = "—" if solve is None else solve.solver
    unproven = not quality.proven and plan.status != "infeasible"
    gap = (f'<span class="badge unproven">{esc(labels["unproven"])}</span>' if unproven
           else esc(gap_text(quality, labels) if quality.proven else "—"))
    items = [
        (labels["scenario"], esc(plan.scenario)),
        (labels["region"], esc(data.inventory.region)),
        (labels["horizon"], esc(f"{data.scenario.horizon.start} – {data.scenario.horizon.end}")),
        (labels["status"], f'<span class="badge {esc(plan.status)}">{esc(labels.status(plan.status))}</span>'),
        (labels["cost"], esc(cost_text(quality.cost_wan))),
        (labels["bound"], esc(cost_text(quality.bound_wan))),
        (labels["gap"], gap),
        (labels["solver"], esc(solver)),
        (labels["generated"], esc(generated.strftime("%Y-%m-%d %H:%M"))),
    ]
    counts = Counter((row.action.kind, row.action.action) for row in rows)
    chips = "".join(
        f"<span>{esc(labels[kind])} {esc(labels.action(action))} {n}</span>"
        for (kind, action), n in sorted(counts.items(), key=lambda item: (KIND_ORDER[item[0][0]], item[0][1]))
    )
    mismatch = "" if facts.inventory_matches(plan, data.inventory) else f'<p class="miss">{esc(labels["inventory_mismatch"])}</p>'
    if unproven:
        mismatch += f'<p class="miss unproven-note">{esc(labels["unproven_note"])}</p>'
    description = f'<p class="lead">{esc(data.scenario.description)}</p>' if data.scenario.description else ""
    return (
        f"<header><h1>{esc(labels['title'])}</h1>{description}"
        '<div class="facts">' + "".join(f"<div><b>{esc(name)}</b>{value}</div>" for name, value in items) + "</div>"
        f'<div class="chips">{chips}</div>{mismatch}</header>'
    )


def _costs(plan: Plan, data: PlanningData, labels: Labels) -> str:
    """One-off against running costs per department, against staying on premises, in the horizon and per year after."""
    costs = cost_by_department(plan, data)
    if not costs:
        return ""
    names = {department.id: department.name for department in data.inventory.departments}
    keys = ("one_off", "running", "horizon_total", "stay_on_premises", "saving", "yearly_after", "yearly_stay",
            "yearly_saving")

    def cells(cost: DepartmentCost) -> str:
        values = (cost.one_off_wan, cost.running_wan, cost.total_wan, cost.stay_wan, cost.saving_wan,
                  cost.yearly_after_wan, cost.yearly_stay_wan, cost.yearly_saving_wan)
        return "".join(f"<td class='num{' miss' if value < -0.05 else ''}'>{value:,.1f}</td>" for value in values)

    header = f"<th>{esc(labels['department'])}</th>" + "".join(f"<th class=num>{esc(labels[key])}</th>" for key in keys)
    body = "".join(f"<tr><td>{esc(names.get(department, department))}</td>{cells(cost)}</tr>"
                   for department, cost in sorted(costs.items(), key=lambda item: -item[1].total_wan))
    total = total_cost(costs)
    chart = bar_chart([labels["one_off"], labels["running"], labels["stay_on_premises"]],
                      [Bars(labels["cost"], [total.one_off_wan, total.running_wan, total.stay_wan], PALETTE[0])],
                      labels["section_costs"], width=560, height=200)
    return (f'<section id="costs"><h2>{esc(labels["section_costs"])} <small>(万元)</small></h2>'
            f'<p class="lead">{esc(labels["costs_lead"])}</p>{chart}'
            f"<div class=tablebox><table><tr>{header}</tr>{body}"
            f"<tr class=total><td>{esc(labels['total'])}</td>{cells(total)}</tr></table></div></section>")


def _violations(plan: Plan, labels: Labels) -> str:
    if not plan.violations:
        return ""
    targets, limits = facts.split_violations(plan.violations)
    infeasible = plan.status == "infeasible"
    parts = [f'<section id="violations" class="{"alarm" if infeasible else "warn"}"><h2>⚠ {esc(labels["section_violations"])}</h2>',
             f'<p class="lead">{esc(labels["violations_lead"] if infeasible else labels["soft_lead"])}</p>']
    for completion in (v for v in plan.violations if facts.is_completion(v)):
        # The planner's sentence: what is left by department, what binds, and when everything can be done.
        parts.append(f'<p class="miss"><b>{esc(labels["completion"])}</b> {esc(completion.detail)}</p>')
    if targets:
        parts.append(f"<table><tr><th>{esc(labels['constraint'])}</th><th>{esc(labels['year_end'])}</th>"
                     f"<th class=num>{esc(labels['required'])}</th><th class=num>{esc(labels['reached'])}</th>"
                     f"<th class=num>{esc(labels['shortfall'])}</th></tr>")
        for miss in targets:
            short = (miss.required - miss.reached) if miss.required is not None and miss.reached is not None else None
            parts.append(
                f"<tr><td>{esc(labels[miss.kpi])}</td><td>{miss.year}</td>"
                f"<td class=num>{esc(_share(miss.required))}</td><td class='num miss'>{esc(_share(miss.reached))}</td>"
                f"<td class='num miss'>{esc(_share(short))}</td></tr>"
            )
        parts.append("</table>")
    if limits:
        summary = facts.binding_summary(limits)
        parts.append(f"<h3>{esc(labels['binding'])}</h3><div class=chips>" + "".join(
            f"<span>{esc(labels['limit_' + family])}{(' ' + esc(subject)) if subject else ''} × {n}</span>"
            for family, subject, n in summary
        ) + "</div>")
        parts.append(f"<div class=tablebox><table><tr><th>{esc(labels['constraint'])}</th><th>{esc(labels['period'])}</th>"
                     f"<th class=num>{esc(labels['limit'])}</th><th class=num>{esc(labels['needed'])}</th>"
                     f"<th class=num>{esc(labels['shortfall'])}</th></tr>")
        for limit in limits:
            # A limit the report does not know by name keeps the planner's own sentence.
            subject = translate(limit.detail, labels.language) if limit.family == "other" else " ".join(
                part for part in (limit.subject, labels[limit.resource] if limit.resource else "") if part)
            parts.append(
                f"<tr><td>{esc(labels['limit_' + limit.family])} {esc(subject)}</td><td>{esc(limit.when)}</td>"
                f"<td class=num>{esc(_number(limit.limit))}</td><td class=num>{esc(_number(limit.needed))}</td>"
                f"<td class='num miss'>{esc(_number(limit.excess))}</td></tr>"
            )
        parts.append("</table></div>")
    parts.append("</section>")
    return "".join(parts)


def _warnings(plan: Plan, data: PlanningData, labels: Labels) -> str:
    """Objects no plan can move until the data or the pools change, by department, each saying what to change."""
    if not plan.warnings:
        return ""
    from planner.completion import warnings_by_department

    parts = [f'<section id="warnings" class="warn"><h2>⚠ {esc(labels["section_warnings"])} ({len(plan.warnings)})</h2>',
             f'<p class="lead">{esc(labels["warnings_lead"])}</p><div class=tablebox><table>'
             f"<tr><th>{esc(labels['department'])}</th><th>{esc(labels['object'])}</th><th>{esc(labels['what_to_change'])}</th></tr>"]
    for department, warnings in warnings_by_department(plan.warnings, data.inventory):
        for warning in warnings:
            parts.append(f"<tr><td>{esc(department)}</td><td>{esc(labels[warning.kind])} {esc(warning.id)}</td>"
                         f"<td>{esc(warning.reason)}</td></tr>")
    parts.append("</table></div></section>")
    return "".join(parts)


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def _number(value: float | None) -> str:
    return "—" if value is None else fmt_number(value)


def _kpis(plan: Plan, data: PlanningData, labels: Labels, periods: list[str], frozen: frozenset[int]) -> str:
    by_period = {row.period: row for row in plan.kpis}
    position = {period: i for i, period in enumerate(data.periods)}
    lines = [
        Line(labels[kpi], [getattr(by_period[p], kpi) if p in by_period else 0.0 for p in data.periods], KPI_COLOURS[kpi])
        for kpi in KPI_NAMES
    ]
    markers = [
        Marker(position[period], floor, KPI_COLOURS[kpi], f"{labels[kpi]} {labels['target']} {period.year}: {floor:.0%}")
        for kpi, targets in facts.kpi_targets(data).items()
        for period, floor in targets
    ]
    chart = line_chart(periods, lines, labels["section_kpis"], y_max=1.0, y_format=fmt_share, markers=markers,
                       shaded=frozen, width=760, height=300)
    legend = _legend([(labels[kpi], KPI_COLOURS[kpi], "") for kpi in KPI_NAMES]
                     + [(labels["target"], "#111827", "diamond"), (labels["frozen"], "#e5e7eb", "")])
    table = [f"<table><tr><th>{esc(labels['year_end'])}</th>"
             + "".join(f"<th class=num>{esc(labels[kpi])}</th>" for kpi in KPI_NAMES) + "</tr>"]
    per_year = facts.kpi_at_target_years(plan, data)
    for index, year in enumerate(sorted(data.year_end)):
        cells = []
        for kpi in KPI_NAMES:
            _, value, target = per_year[kpi][index]
            if target is None:
                cells.append(f"<td class=num>{value:.0%}</td>")
            else:
                css = "ok" if value + 1e-9 >= target else "miss"
                cells.append(f"<td class='num {css}'>{value:.0%} / {target:.0%}</td>")
        table.append(f"<tr><td>{year}</td>{''.join(cells)}</tr>")
    table.append("</table>")
    return (f'<section id="kpis"><h2>{esc(labels["section_kpis"])}</h2>{legend}'
            f'<div class="pair"><div>{chart}</div><div>{"".join(table)}</div></div></section>')


def _waves(rows: list[ObjectRow], data: PlanningData, labels: Labels, periods: list[str], frozen: frozenset[int]) -> str:
    position = {period: i for i, period in enumerate(data.periods)}
    colours = {department.id: department_colour(i) for i, department in enumerate(data.inventory.departments)}
    names = {department.id: department.name for department in data.inventory.departments}
    # Department -> (column of its quarter, object) for every object that happens within the horizon.
    scheduled: dict[str, list[tuple[int, ObjectRow]]] = defaultdict(list)
    for row in rows:
        period = row.action.period
        if period is not None and period in position:
            scheduled[row.department].append((position[period], row))
    order = sorted(scheduled, key=lambda department: (min(column for column, _ in scheduled[department]),
                                                     names.get(department, department)))

    def name_of(department: str) -> str:
        return names.get(department) or department

    overview_rows = []
    for department in order:
        per_column: dict[int, Counter[str]] = defaultdict(Counter)
        for column, row in scheduled[department]:
            per_column[column][row.action.kind] += 1
        cells: list[GridCell | None] = [None] * len(periods)
        for column, kinds in per_column.items():
            detail = ", ".join(f"{labels[kind + 's']} {kinds[kind]}" for kind in ("system", "network", "room") if kinds[kind])
            cells[column] = GridCell(sum(kinds.values()), f"{name_of(department)} {periods[column]}: {detail}")
        overview_rows.append(GridRow(name_of(department), colours.get(department, "#6b7280"), cells,
                                     f"{name_of(department)} ({department})"))
    overview = grid_chart(periods, overview_rows, labels["section_waves"], shaded=frozen, css_class="grid waves")

    pool_names = {pool.id: pool.name for pool in data.inventory.clouds}
    blocks = []
    for department in order:
        members = sorted(scheduled[department], key=lambda item: (item[0], KIND_ORDER[item[1].action.kind], item[1].name))
        object_rows = []
        for column, row in members:
            action = row.action
            where = f" → {pool_names.get(action.target, action.target)}" if action.target else ""
            tooltip = (f"{labels[action.kind]} {row.name} ({action.id}): {labels.action(action.action)}{where} "
                       f"{action.period}" + (f" DR {pool_names.get(action.dr_target, action.dr_target)}"
                                             if action.dr_target else ""))
            object_cells: list[GridCell | None] = [None] * len(periods)
            object_cells[column] = GridCell(1, tooltip, labels.action(action.action))
            object_rows.append(GridRow(f"[{labels[action.kind]}] {row.name or action.id}", colours.get(department, "#6b7280"),
                                       object_cells, f"{row.name} ({action.id})"))
        counts = Counter(row.action.kind for _, row in members)
        summary = " · ".join(f"{labels[kind + 's']} {counts[kind]}" for kind in ("system", "network", "room") if counts[kind])
        chart = grid_chart(periods, object_rows, name_of(department), label_width=320, row_height=20, shaded=frozen,
                           css_class="grid objects")
        blocks.append(
            f'<details class="department"><summary><b style="color:{esc(colours.get(department, "#6b7280"))}">■</b> '
            f"{esc(name_of(department))} <small>({esc(department)}) — {esc(summary)}</small></summary>"
            f'<div class="scroll">{chart}</div></details>'
        )
    return (
        f'<section id="waves"><h2>{esc(labels["section_waves"])}</h2><p class="lead">{esc(labels["waves_lead"])}</p>'
        f'<div class="scroll">{overview}</div>'
        f'<input class="filter" type="search" placeholder="{esc(labels["filter"])}" data-filter="#waves details.department">'
        + '<div class="departments">' + "".join(blocks) + "</div></section>"
    )


def _capacity(plan: Plan, data: PlanningData, labels: Labels, periods: list[str]) -> str:
    use = facts.pool_use(plan, data)
    parts = [f'<section id="capacity"><h2>{esc(labels["section_capacity"])}</h2><p class="lead">{esc(labels["capacity_lead"])}</p>',
             _legend([(labels["used"], PALETTE[0], ""), (labels["capacity"], "#dc2626", "dash")]), '<div class="pools">']
    for pool in data.inventory.clouds:
        by_resource = use[pool.id]
        peak = max(series.peak_share for series in by_resource.values())
        parts.append(f'<div class="pool-title">{esc(pool.name)} <small>({esc(pool.id)}, {esc(pool.arch)}, '
                     f'{esc(pool.zone_key)}) — {esc(labels["peak"])} {peak:.0%}</small></div>')
        for resource in RESOURCES:
            series = by_resource[resource]
            colour = "#dc2626" if series.peak_share > 1 + 1e-9 else PALETTE[0]
            parts.append("<div>" + f"<h3>{esc(labels[resource])}</h3>" + use_chart(
                periods, series.used, series.limit, f"{pool.name} {labels[resource]}", used_label=labels["used"],
                capacity_label=labels["capacity"], colour=colour) + "</div>")
    parts.append("</div>")
    bandwidth = facts.bandwidth_use(plan, data)
    parts.append(f"<h3>{esc(labels['section_bandwidth'])} — {esc(labels['bandwidth_mbps'])}</h3>" + use_chart(
        periods, bandwidth.used, bandwidth.limit, labels["section_bandwidth"], used_label=labels["used"],
        capacity_label=labels["capacity"], width=760, height=220, css_class="chart"))
    parts.append("</section>")
    return "".join(parts)


def _team_and_spending(plan: Plan, data: PlanningData, labels: Labels, periods: list[str], frozen: frozenset[int]) -> str:
    effort, team_limit = facts.team_days(plan, data)
    unlimited = data.scenario.resources.team_days_per_period is None
    # A frozen quarter is shaded; drawing its limit of 0 as well would only add a cliff to the line.
    drawn_limit = [None if i in frozen else value for i, value in enumerate(team_limit)]
    team = bar_chart(periods, [Bars(labels["systems_effort"], effort.systems, SPLIT_COLOURS["systems"]),
                               Bars(labels["networks_effort"], effort.networks, SPLIT_COLOURS["networks"])],
                     labels["section_team"], limit=None if unlimited else drawn_limit, limit_label=labels["limit"],
                     shaded=frozen)
    spending = facts.one_off_spending(plan, data)
    quarterly = bar_chart(periods, [Bars(labels["systems_cost"], spending.systems, SPLIT_COLOURS["systems"]),
                                    Bars(labels["networks_cost"], spending.networks, SPLIT_COLOURS["networks"]),
                                    Bars(labels["rooms_cost"], spending.rooms, SPLIT_COLOURS["rooms"])],
                          labels["spend_quarter"], shaded=frozen)
    years = facts.yearly_spending(spending, data)
    yearly = bar_chart([str(year) for year, _, _ in years], [Bars(labels["spend"], [amount for _, amount, _ in years], PALETTE[3])],
                       labels["spend_year"], limit=[budget for _, _, budget in years], limit_label=labels["budget"])
    year_table = (f"<table><tr><th>{esc(labels['year'])}</th><th class=num>{esc(labels['spend_wan'])}</th>"
                  f"<th class=num>{esc(labels['budget'])}</th></tr>" + "".join(
                      f"<tr><td>{year}</td><td class='num {'miss' if budget is not None and amount > budget + 1e-6 else ''}'>"
                      f"{amount:,.1f}</td><td class=num>{'—' if budget is None else f'{budget:,.1f}'}</td></tr>"
                      for year, amount, budget in years) + "</table>")
    team_note = f'<p class="lead">{esc(labels["no_limit"])}</p>' if unlimited else ""
    return (
        f'<section id="team"><h2>{esc(labels["section_team"])}</h2>'
        + _legend([(labels["systems_effort"], SPLIT_COLOURS["systems"], ""), (labels["networks_effort"], SPLIT_COLOURS["networks"], ""),
                   (labels["limit"], "#dc2626", "dash"), (labels["frozen"], "#e5e7eb", "")])
        + f"{team_note}{team}</section>"
        f'<section id="spending"><h2>{esc(labels["section_spend"])}</h2><div class="pair"><div><h3>{esc(labels["spend_quarter"])}</h3>'
        + _legend([(labels["systems_cost"], SPLIT_COLOURS["systems"], ""), (labels["networks_cost"], SPLIT_COLOURS["networks"], ""),
                   (labels["rooms_cost"], SPLIT_COLOURS["rooms"], "")])
        + f"{quarterly}</div><div><h3>{esc(labels['spend_year'])}</h3>"
        + _legend([(labels["spend"], PALETTE[3], ""), (labels["budget"], "#dc2626", "dash")])
        + f"{yearly}{year_table}</div></div></section>"
    )


def _stays(rows: list[ObjectRow], labels: Labels) -> str:
    stays = sorted((row for row in rows if facts.is_stay(row.action)),
                   key=lambda r: (KIND_ORDER[r.action.kind], facts.reason_kind(r.action), r.department_name, r.action.id))
    kinds = Counter(facts.reason_kind(row.action) for row in stays)
    chips = "".join(f"<span>{esc(labels[kind])} {n}</span>" for kind, n in kinds.most_common())
    header = "".join(f"<th>{esc(labels[key])}</th>" for key in ("kind", "id", "name", "department", "action", "reason_kind", "reason"))
    body = "".join(
        f"<tr><td>{esc(labels[row.action.kind])}</td><td>{esc(row.action.id)}</td><td>{esc(row.name)}</td>"
        f"<td>{esc(row.department_name or row.department)}</td><td>{esc(labels.action(row.action.action))}</td>"
        f"<td>{esc(labels[facts.reason_kind(row.action)])}</td><td>{esc(translate(row.action.reason or '', labels.language))}</td></tr>"
        for row in stays
    )
    if not stays:
        return f'<section id="stays"><h2>{esc(labels["section_stays"])}</h2><p>{esc(labels["none"])}</p></section>'
    return (
        f'<section id="stays"><h2>{esc(labels["section_stays"])} ({len(stays)})</h2><p class="lead">{esc(labels["stays_lead"])}</p>'
        f'<div class="chips">{chips}</div>'
        f'<input class="filter" type="search" placeholder="{esc(labels["filter"])}" data-filter="#stays tbody tr">'
        f"<div class=tablebox><table><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table></div></section>"
    )
