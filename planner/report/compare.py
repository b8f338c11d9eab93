"""Drawing a comparison of scenarios: one table, a CSV, an SVG chart and a page (the planning is planner/batch.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from inventory.outputs import csv_text, write_file
from models.scenario import KPI_NAMES
from planner.console import stdout_console
from planner.report.labels import Labels
from planner.report.svg import (
    PALETTE,
    Bars,
    bar_chart,
    esc,
    fmt_share,
    grouped_bar_chart,
)

KpiByYear = dict[str, list[tuple[int, float, float | None]]]
"""KPI -> (year, value at the year end, target or None)."""
STATUS_STYLES = {"optimal": "green", "feasible": "yellow", "infeasible": "red", "error": "red"}


@dataclass(frozen=True)
class ScenarioOutcome:
    """What the comparison needs from one scenario's plan (plain data: it crosses a process boundary)."""

    path: str
    name: str
    status: str
    """optimal, feasible, infeasible, or error (no plan at all; see ``error``)."""
    cost_wan: float | None = None
    bound_wan: float | None = None
    """The proved bound; None when nothing proves the plan's quality (it is then unproven)."""
    gap: float | None = None
    kpis: KpiByYear = field(default_factory=dict)
    binding: list[tuple[str, str, int]] = field(default_factory=list)
    """(limit family, subject, periods) of each limit that binds, from the violations."""
    targets_missed: list[str] = field(default_factory=list)
    complete_by: str = "off"
    """The completion rule's quarter (应迁尽迁), or off."""
    left: int = 0
    """Eligible objects the plan leaves undone at ``complete_by``."""
    warnings: int = 0
    """Objects blocked by the data or the pools (the plan's warnings)."""
    seconds: float = 0.0
    error: str = ""
    exit_code: int = 0
    """With ``error``: the exit code the failure would have had on its own (2 bad input, 3 infeasible...)."""
    out_dir: str | None = None
    """Folder holding this scenario's plan.json, ledger and report.html."""


def is_unproven(outcome: ScenarioOutcome) -> bool:
    """A plan in hand whose quality nothing proves (no bound)."""
    return outcome.status in ("optimal", "feasible") and outcome.gap is None


def unproven_ordering_warning(outcomes: list[ScenarioOutcome], labels: Labels) -> str | None:
    """Said when costs are compared and one of the compared plans is unproven: the ordering may be wrong."""
    planned = [outcome for outcome in outcomes if outcome.status in ("optimal", "feasible")]
    unproven = [outcome.name for outcome in planned if is_unproven(outcome)]
    if len(planned) < 2 or not unproven:
        return None
    return labels["unproven_ordering"].format(names=", ".join(unproven))


def _gap_cell(outcome: ScenarioOutcome, labels: Labels) -> str:
    if outcome.gap is not None:
        return f"{outcome.gap:.2%}"
    return labels["unproven"] if is_unproven(outcome) else "—"


def _target_years(outcomes: list[ScenarioOutcome]) -> list[int]:
    return sorted({year for o in outcomes for rows in o.kpis.values() for year, _, target in rows if target is not None})


def _binding_text(outcome: ScenarioOutcome, labels: Labels, limit: int = 4) -> str:
    parts = [f"{labels['limit_' + family]}{' ' + subject if subject else ''}×{n}" for family, subject, n in outcome.binding]
    return ", ".join(parts[:limit]) + (f" (+{len(parts) - limit})" if len(parts) > limit else "")


def _completion_text(outcome: ScenarioOutcome) -> str:
    """``2025Q4 ✓``, ``2025Q4 -8`` (eight left) or ``off``, and the blocked objects the user must look at."""
    text = outcome.complete_by if outcome.complete_by == "off" else (
        f"{outcome.complete_by} -{outcome.left}" if outcome.left else f"{outcome.complete_by} ✓")
    return text + (f"\n⚠ {outcome.warnings}" if outcome.warnings else "")


def comparison_table(outcomes: list[ScenarioOutcome], labels: Labels) -> Table:
    """One row per scenario: status, cost, each KPI per target year against its target, binding limits."""
    table = Table(title=labels["compare_title"], title_justify="left", show_lines=True)
    table.add_column(labels["scenario"], overflow="fold", min_width=14)
    table.add_column(labels["status"], no_wrap=True)
    table.add_column(labels["short_cost"], justify="right", no_wrap=True)
    table.add_column(labels["bound_short"], justify="right", no_wrap=True)
    table.add_column(labels["gap_short"], justify="right", no_wrap=True)
    table.add_column(labels["year_end"], no_wrap=True)
    for kpi in KPI_NAMES:
        table.add_column(labels["short_" + kpi], justify="right", no_wrap=True)
    table.add_column(labels["binding"], overflow="fold", min_width=16)
    years = _target_years(outcomes)
    for outcome in outcomes:
        style = STATUS_STYLES.get(outcome.status, "white")
        status = f"[{style}]{escape(labels['short_' + outcome.status])}[/{style}]"
        cost = "—" if outcome.cost_wan is None else f"{outcome.cost_wan:,.1f}"
        cells = []
        for kpi in KPI_NAMES:
            lines = []
            for year, value, target in outcome.kpis.get(kpi, []):
                if year not in years:
                    continue
                if target is None:
                    lines.append(f"{value:.0%}")
                else:
                    colour = "green" if value + 1e-9 >= target else "red"
                    lines.append(f"[{colour}]{value:.0%}[/{colour}]/{target:.0%}")
            cells.append("\n".join(lines) or "—")
        last = escape(outcome.error) if outcome.status == "error" else escape(_binding_text(outcome, labels)) or "—"
        year_column = "\n".join(str(year) for year in years) if outcome.kpis else "—"
        bound = "—" if outcome.bound_wan is None else f"{outcome.bound_wan:,.1f}"
        gap = _gap_cell(outcome, labels)
        gap = f"[yellow]{escape(gap)}[/yellow]" if is_unproven(outcome) else escape(gap)
        # Under the status: 应迁尽迁 met, or how much is left, and the blocked objects (warnings).
        status += "\n" + escape(_completion_text(outcome)) if outcome.status != "error" else ""
        table.add_row(escape(outcome.name), status, cost, bound, gap, year_column, *cells, last)
    return table


def print_comparison(outcomes: list[ScenarioOutcome], labels: Labels, console: Console | None = None) -> None:
    """The table on stdout (never cut when piped), then the warning when unproven plans are ranked."""
    console = console or stdout_console()
    console.print(comparison_table(outcomes, labels))
    warning = unproven_ordering_warning(outcomes, labels)
    if warning:
        console.print(warning, style="yellow", highlight=False)


def comparison_csv(outcomes: list[ScenarioOutcome]) -> str:
    """One row per scenario; a KPI column and a target column per KPI and target year."""
    years = _target_years(outcomes)
    kpi_columns = [(kpi, year) for kpi in KPI_NAMES for year in years]
    header = ["scenario", "file", "status", "cost_wan", "bound_wan", "gap", "proven", "seconds",
              *(f"{kpi}@{year}" for kpi, year in kpi_columns),
              *(f"target_{kpi}@{year}" for kpi, year in kpi_columns), "binding_limits", "error",
              "complete_by", "left_at_complete_by", "warnings"]
    rows = []
    for outcome in outcomes:
        values = {(kpi, year): (value, target) for kpi, rows in outcome.kpis.items() for year, value, target in rows}
        rows.append([
            outcome.name, outcome.path, outcome.status,
            "" if outcome.cost_wan is None else f"{outcome.cost_wan:.2f}",
            "" if outcome.bound_wan is None else f"{outcome.bound_wan:.2f}",
            "" if outcome.gap is None else f"{outcome.gap:.6f}",
            "" if outcome.status not in ("optimal", "feasible") else ("no" if is_unproven(outcome) else "yes"),
            f"{outcome.seconds:.1f}",
            *("" if (k, y) not in values else f"{values[k, y][0]:.4f}" for k, y in kpi_columns),
            *("" if values.get((k, y), (0, None))[1] is None else f"{values[k, y][1]:.4f}" for k, y in kpi_columns),
            "; ".join(f"{family}:{subject}×{n}" if subject else f"{family}×{n}" for family, subject, n in outcome.binding),
            outcome.error, outcome.complete_by, outcome.left, outcome.warnings,
        ])
    # Scenario names, paths and errors are free text: csv_text keeps spreadsheets from reading a formula.
    return csv_text(header, rows)


def comparison_svg(outcomes: list[ScenarioOutcome], labels: Labels) -> str:
    """KPIs at the end of each scenario's horizon, bars per KPI, targets as black ticks."""
    names = [outcome.name for outcome in outcomes]
    groups, markers = [], []
    for colour, kpi in zip(PALETTE, KPI_NAMES):
        finals = [outcome.kpis.get(kpi, [])[-1] if outcome.kpis.get(kpi) else None for outcome in outcomes]
        groups.append(Bars(labels[kpi], [final[1] if final else 0.0 for final in finals], colour))
        markers.append([final[2] if final else None for final in finals])
    title = f"{labels['compare_title']} — {labels['year_end']}"
    return grouped_bar_chart(names, groups, title, markers=markers, y_max=1.0, y_format=fmt_share,
                             marker_label=labels["target"])


def _kpi_lines(outcome: ScenarioOutcome, kpi: str) -> list[str]:
    return [f"{year}: {value:.0%}" + ("" if target is None else f" / {target:.0%}")
            for year, value, target in outcome.kpis.get(kpi, [])]


def comparison_html(outcomes: list[ScenarioOutcome], labels: Labels, out_dir: Path) -> str:
    """A page with the KPI chart, the cost chart and the table, linking each scenario's own report."""
    cost_chart = bar_chart([o.name for o in outcomes], [Bars(labels["cost"], [o.cost_wan or 0.0 for o in outcomes], PALETTE[3])],
                           labels["cost"], width=760, height=240)
    rows = []
    for outcome in outcomes:
        link = esc(outcome.name)
        if outcome.out_dir is not None:
            relative = Path(outcome.out_dir).relative_to(out_dir) / "report.html"
            link = f'<a href="{esc(relative.as_posix())}">{esc(outcome.name)}</a>'
        kpis = "".join("<td class=num>" + "<br>".join(esc(line) for line in _kpi_lines(outcome, kpi)) + "</td>"
                       for kpi in KPI_NAMES)
        detail = outcome.error if outcome.status == "error" else _binding_text(outcome, labels, limit=12)
        cost = "—" if outcome.cost_wan is None else f"{outcome.cost_wan:,.1f}"
        bound = "—" if outcome.bound_wan is None else f"{outcome.bound_wan:,.1f}"
        gap_class = "num unproven" if is_unproven(outcome) else "num"
        status = labels.status(outcome.status) if outcome.status != "error" else labels["error"]
        rows.append(f"<tr><td>{link}</td><td class='{esc(outcome.status)}'>{esc(status)}</td>"
                    f"<td class=num>{esc(cost)}</td><td class=num>{esc(bound)}</td>"
                    f"<td class='{gap_class}'>{esc(_gap_cell(outcome, labels))}</td>{kpis}<td>{esc(detail)}</td></tr>")
    header = "".join(f"<th>{esc(text)}</th>" for text in
                     [labels["scenario"], labels["status"], labels["cost"], labels["bound"], labels["gap"],
                      *(labels[k] for k in KPI_NAMES), labels["binding"]])
    warning = unproven_ordering_warning(outcomes, labels)
    warning_html = f'<p class="unproven">{esc(warning)}</p>' if warning else ""
    return (
        f'<!DOCTYPE html>\n<html lang="{"zh-CN" if labels.language == "zh" else "en"}"><head><meta charset="utf-8">'
        f"<title>{esc(labels['compare_title'])}</title><style>"
        "body{font-family:'Noto Sans CJK SC','PingFang SC','Microsoft YaHei','WenQuanYi Micro Hei',sans-serif;margin:24px;"
        "color:#111827}svg{max-width:760px;width:100%;height:auto;display:block;margin:12px 0}svg text{font-family:inherit}"
        "table{border-collapse:collapse}th,td{border-bottom:1px solid #e5e7eb;padding:4px 10px;text-align:left;vertical-align:top}"
        ".num{text-align:right}.optimal{color:#15803d}.feasible,.unproven{color:#a16207}.infeasible,.error{color:#b91c1c;font-weight:bold}"
        f"</style></head><body><h1>{esc(labels['compare_title'])}</h1>{comparison_svg(outcomes, labels)}"
        f"<h2>{esc(labels['cost'])}</h2>{cost_chart}"
        f"{warning_html}<table><tr>{header}</tr>{''.join(rows)}</table></body></html>\n"
    )


def write_comparison(outcomes: list[ScenarioOutcome], labels: Labels, out_dir: Path) -> list[Path]:
    """compare.csv, compare.svg and compare.html in ``out_dir``; return the paths written."""
    written = []
    for name, text in (("compare.csv", comparison_csv(outcomes)), ("compare.svg", comparison_svg(outcomes, labels)),
                       ("compare.html", comparison_html(outcomes, labels, out_dir))):
        path = out_dir / name
        write_file(path, text)
        written.append(path)
    return written
