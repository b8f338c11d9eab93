"""Small inline SVG charts drawn in Python: lines, stacked bars against a limit, and grids.

No chart library and no script: tooltips are SVG ``<title>`` elements, which every
browser shows on hover. Every piece of text passes through ``esc`` (inventory ids and
names may hold markup).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import escape

NumberFormat = Callable[[float], str]

# Colours that read on white and in print; the limit is always red, the target always dark.
PALETTE = ("#2563eb", "#16a34a", "#ea580c", "#9333ea", "#0891b2", "#ca8a04")
LIMIT_COLOUR = "#dc2626"
TARGET_COLOUR = "#111827"
GRID_COLOUR = "#e5e7eb"
FONTS = "'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei','WenQuanYi Micro Hei',sans-serif"
"""On the root element, so that an SVG saved as a file of its own still finds a CJK font; a page's CSS overrides it."""
AXIS_TEXT = "#4b5563"
FROZEN_FILL = "#f3f4f6"


def esc(text: object) -> str:
    """Text or attribute value, escaped for HTML and SVG (quotes too)."""
    return escape(str(text), quote=True)


def fmt_number(value: float) -> str:
    if abs(value) >= 100 or float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.1f}"


def fmt_share(value: float) -> str:
    return f"{value:.0%}"


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 times a power of ten at or above ``value`` (axis tops read well)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value - 1e-9:
            return step * power
    return 10 * power


def department_colour(position: int) -> str:
    """A distinct colour per department: hues a golden angle apart, two lightness bands."""
    hue = (position * 137.508) % 360
    lightness = 34 if position % 2 == 0 else 44  # dark enough for white text in the Gantt cells
    return f"hsl({hue:.0f},62%,{lightness}%)"


@dataclass(frozen=True)
class Line:
    label: str
    values: Sequence[float]
    colour: str
    dashed: bool = False


@dataclass(frozen=True)
class Marker:
    """A point drawn on top of the lines, e.g. a year-end target."""

    position: int
    value: float
    colour: str
    label: str


@dataclass(frozen=True)
class Bars:
    label: str
    values: Sequence[float]
    colour: str


@dataclass
class Frame:
    """Plot area inside an SVG of ``width`` x ``height`` with category slots along x."""

    categories: Sequence[str]
    y_max: float
    width: int = 640
    height: int = 260
    left: int = 56
    right: int = 16
    top: int = 14
    bottom: int = 42
    shaded: frozenset[int] = field(default_factory=frozenset)
    """Category positions drawn with a grey background (frozen quarters)."""

    @property
    def slot(self) -> float:
        return (self.width - self.left - self.right) / max(len(self.categories), 1)

    def x(self, position: float) -> float:
        """Centre of category ``position``."""
        return self.left + self.slot * (position + 0.5)

    def y(self, value: float) -> float:
        plot = self.height - self.top - self.bottom
        return self.top + plot * (1 - min(max(value / self.y_max, 0.0), 1.05))

    def axes(self, y_format: NumberFormat, ticks: int = 5) -> list[str]:
        parts = []
        for position in self.shaded:
            parts.append(f'<rect x="{self.left + self.slot * position:.1f}" y="{self.top}" width="{self.slot:.1f}" '
                         f'height="{self.height - self.top - self.bottom}" fill="{FROZEN_FILL}"/>')
        for tick in range(ticks + 1):
            value = self.y_max * tick / ticks
            y = self.y(value)
            parts.append(f'<line x1="{self.left}" x2="{self.width - self.right}" y1="{y:.1f}" y2="{y:.1f}" '
                         f'stroke="{GRID_COLOUR}"/>')
            parts.append(f'<text x="{self.left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
                         f'fill="{AXIS_TEXT}">{esc(y_format(value))}</text>')
        every = max(1, math.ceil(len(self.categories) * 46 / (self.width - self.left - self.right)))
        for position, category in enumerate(self.categories):
            if position % every:
                continue
            parts.append(f'<text x="{self.x(position):.1f}" y="{self.height - self.bottom + 16}" text-anchor="middle" '
                         f'font-size="11" fill="{AXIS_TEXT}">{esc(category)}</text>')
        return parts

    def svg(self, body: list[str], title: str, css_class: str = "chart") -> str:
        return (f'<svg class="{esc(css_class)}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {self.width} {self.height}" '
                f'font-family="{FONTS}" role="img" aria-label="{esc(title)}">' + "".join(body) + "</svg>")


def line_chart(categories: Sequence[str], lines: Sequence[Line], title: str, *, y_max: float | None = None,
               y_format: NumberFormat = fmt_number, markers: Sequence[Marker] = (),
               shaded: frozenset[int] = frozenset(), width: int = 640, height: int = 260) -> str:
    """Lines over categories, with optional markers (targets) and a y axis from 0."""
    top = y_max if y_max is not None else nice_ceiling(max((max(line.values, default=0) for line in lines), default=1))
    frame = Frame(categories, top, width=width, height=height, shaded=shaded)
    body = frame.axes(y_format)
    for line in lines:
        points = " ".join(f"{frame.x(i):.1f},{frame.y(v):.1f}" for i, v in enumerate(line.values))
        dash = ' stroke-dasharray="6 4"' if line.dashed else ""
        body.append(f'<polyline class="series" points="{points}" fill="none" stroke="{esc(line.colour)}" '
                    f'stroke-width="2.5"{dash}/>')
        for i, value in enumerate(line.values):
            body.append(f'<circle cx="{frame.x(i):.1f}" cy="{frame.y(value):.1f}" r="3.5" fill="{esc(line.colour)}">'
                        f'<title>{esc(line.label)} {esc(categories[i])}: {esc(y_format(value))}</title></circle>')
    # Targets that coincide (three KPIs at 80% in the same year) are spread sideways so that each shows.
    coinciding: dict[tuple[int, float], list[Marker]] = {}
    for marker in markers:
        coinciding.setdefault((marker.position, round(marker.value, 3)), []).append(marker)
    for marker in markers:
        group = coinciding[marker.position, round(marker.value, 3)]
        x = frame.x(marker.position) + 9 * (group.index(marker) - (len(group) - 1) / 2)
        y = frame.y(marker.value)
        body.append(f'<path class="target" d="M{x:.1f},{y - 7:.1f} L{x + 7:.1f},{y:.1f} L{x:.1f},{y + 7:.1f} '
                    f'L{x - 7:.1f},{y:.1f} Z" fill="white" stroke="{esc(marker.colour)}" stroke-width="2.5">'
                    f'<title>{esc(marker.label)}</title></path>')
    return frame.svg(body, title)


def bar_chart(categories: Sequence[str], stacks: Sequence[Bars], title: str, *,
              limit: Sequence[float | None] | None = None, limit_label: str = "",
              y_format: NumberFormat = fmt_number, shaded: frozenset[int] = frozenset(),
              width: int = 640, height: int = 260) -> str:
    """Stacked bars per category; ``limit`` draws a red step line and outlines any bar above it."""
    totals = [sum(stack.values[i] for stack in stacks) for i in range(len(categories))]
    limits = [value for value in (limit or []) if value is not None]
    frame = Frame(categories, nice_ceiling(max(totals + limits + [1e-9])), width=width, height=height, shaded=shaded)
    body = frame.axes(y_format)
    bar_width = frame.slot * 0.62
    for i, category in enumerate(categories):
        base = 0.0
        for stack in stacks:
            value = stack.values[i]
            if value <= 0:
                continue
            y_top, y_bottom = frame.y(base + value), frame.y(base)
            body.append(f'<rect class="bar" x="{frame.x(i) - bar_width / 2:.1f}" y="{y_top:.1f}" width="{bar_width:.1f}" '
                        f'height="{max(y_bottom - y_top, 0.5):.1f}" fill="{esc(stack.colour)}">'
                        f'<title>{esc(category)} {esc(stack.label)}: {esc(y_format(value))}</title></rect>')
            base += value
        bound = limit[i] if limit is not None else None
        if bound is not None and totals[i] > bound + 1e-6:
            body.append(f'<rect x="{frame.x(i) - bar_width / 2 - 2:.1f}" y="{frame.y(totals[i]) - 2:.1f}" '
                        f'width="{bar_width + 4:.1f}" height="{frame.y(0) - frame.y(totals[i]) + 4:.1f}" fill="none" '
                        f'stroke="{LIMIT_COLOUR}" stroke-width="2"/>')
    if limit is not None:
        body.extend(_step_line(frame, limit, limit_label, y_format))
    return frame.svg(body, title)


def use_chart(categories: Sequence[str], used: Sequence[float], capacity: Sequence[float | None], title: str, *,
              used_label: str, capacity_label: str, colour: str = PALETTE[0], y_format: NumberFormat = fmt_number,
              width: int = 360, height: int = 180, css_class: str = "chart small") -> str:
    """Use as a filled area against capacity as a red step line; periods above capacity get a red dot."""
    limits = [value for value in capacity if value is not None]
    frame = Frame(categories, nice_ceiling(max(list(used) + limits + [1e-9])), width=width, height=height,
                  left=48, bottom=34)
    body = frame.axes(y_format, ticks=4)
    if used:
        top = " ".join(f"{frame.x(i):.1f},{frame.y(v):.1f}" for i, v in enumerate(used))
        area = f"{frame.x(0):.1f},{frame.y(0):.1f} {top} {frame.x(len(used) - 1):.1f},{frame.y(0):.1f}"
        body.append(f'<polygon class="use" points="{area}" fill="{esc(colour)}" fill-opacity="0.25" stroke="none"/>')
        body.append(f'<polyline class="series" points="{top}" fill="none" stroke="{esc(colour)}" stroke-width="2"/>')
    for i, value in enumerate(used):
        over = capacity[i] is not None and value > (capacity[i] or 0) + 1e-6
        body.append(f'<circle cx="{frame.x(i):.1f}" cy="{frame.y(value):.1f}" r="{4 if over else 2.5}" '
                    f'fill="{LIMIT_COLOUR if over else esc(colour)}"><title>{esc(categories[i])} {esc(used_label)}: '
                    f'{esc(y_format(value))} / {esc(capacity_label)}: {esc(y_format(capacity[i] or 0))}</title></circle>')
    body.extend(_step_line(frame, capacity, capacity_label, y_format))
    return frame.svg(body, title, css_class)


def _step_line(frame: Frame, limit: Sequence[float | None], label: str, y_format: NumberFormat) -> list[str]:
    """A limit drawn as a step across each category slot (it changes only between quarters)."""
    parts = []
    for i, value in enumerate(limit):
        if value is None:
            continue
        x0, x1 = frame.left + frame.slot * i, frame.left + frame.slot * (i + 1)
        y = frame.y(value)
        parts.append(f'<line class="limit" x1="{x0:.1f}" x2="{x1:.1f}" y1="{y:.1f}" y2="{y:.1f}" stroke="{LIMIT_COLOUR}" '
                     f'stroke-width="2" stroke-dasharray="5 3"><title>{esc(label)}: {esc(y_format(value))}</title></line>')
        following = limit[i + 1] if i + 1 < len(limit) else None
        if following is not None and following != value:
            parts.append(f'<line x1="{x1:.1f}" x2="{x1:.1f}" y1="{y:.1f}" y2="{frame.y(following):.1f}" '
                         f'stroke="{LIMIT_COLOUR}" stroke-width="1" stroke-dasharray="2 2"/>')
    return parts


@dataclass(frozen=True)
class GridCell:
    count: int
    tooltip: str
    text: str = ""
    """What to print in the cell; the count when empty."""


@dataclass(frozen=True)
class GridRow:
    label: str
    colour: str
    cells: Sequence[GridCell | None]
    tooltip: str = ""


def grid_chart(columns: Sequence[str], rows: Sequence[GridRow], title: str, *, label_width: int = 230,
               cell_width: int = 64, row_height: int = 22, shaded: frozenset[int] = frozenset(),
               css_class: str = "grid") -> str:
    """A row per item, a column per period: cells in the row's colour, darker for larger counts.

    Quarter labels head the columns, and repeat at the foot of a tall chart; a line marks each new
    year; a cell's number is white on a dark cell and dark on a light one, so that it always reads.
    """
    width = label_width + cell_width * len(columns) + 8
    header = 24
    footer = 20 if len(rows) > 12 else 0
    height = header + row_height * len(rows) + 4 + footer
    peak = max((cell.count for row in rows for cell in row.cells if cell is not None), default=1) or 1
    body = []
    for position, column in enumerate(columns):
        x = label_width + cell_width * position
        if position in shaded:
            body.append(f'<rect x="{x}" y="{header}" width="{cell_width}" height="{row_height * len(rows)}" '
                        f'fill="{FROZEN_FILL}"/>')
        body.append(f'<text x="{x + cell_width / 2:.1f}" y="16" text-anchor="middle" font-size="11" '
                    f'fill="{AXIS_TEXT}">{esc(column)}</text>')
        if footer:
            body.append(f'<text x="{x + cell_width / 2:.1f}" y="{height - 6}" text-anchor="middle" font-size="11" '
                        f'fill="{AXIS_TEXT}">{esc(column)}</text>')
        if position and column.endswith("Q1"):
            body.append(f'<line class="year" x1="{x}" x2="{x}" y1="4" y2="{header + row_height * len(rows)}" '
                        f'stroke="#9ca3af" stroke-width="1"/>')
    for index, row in enumerate(rows):
        y = header + row_height * index
        if index % 2:
            body.append(f'<rect x="0" y="{y}" width="{width}" height="{row_height}" fill="#f9fafb" fill-opacity="0.7"/>')
        body.append(f'<text class="row-label" x="{label_width - 8}" y="{y + row_height / 2 + 4:.1f}" text-anchor="end" '
                    f'font-size="12">{esc(clip(row.label, label_width))}<title>{esc(row.tooltip or row.label)}</title></text>')
        for position, cell in enumerate(row.cells):
            if cell is None:
                continue
            x = label_width + cell_width * position
            opacity = 0.35 + 0.65 * cell.count / peak
            ink = "white" if opacity >= 0.6 else "#111827"
            body.append(f'<rect class="cell" x="{x + 2}" y="{y + 2}" width="{cell_width - 4}" height="{row_height - 4}" '
                        f'rx="3" fill="{esc(row.colour)}" fill-opacity="{opacity:.2f}"><title>{esc(cell.tooltip)}</title></rect>')
            body.append(f'<text x="{x + cell_width / 2:.1f}" y="{y + row_height / 2 + 4:.1f}" text-anchor="middle" '
                        f'font-size="11" fill="{ink}" pointer-events="none">{esc(cell.text or cell.count)}</text>')
    return (f'<svg class="{esc(css_class)}" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" font-family="{FONTS}" role="img" aria-label="{esc(title)}">' + "".join(body) + "</svg>")


def display_width(text: str) -> int:
    """Approximate width in half-width characters: CJK characters count two."""
    return sum(2 if ord(char) > 0x2E80 else 1 for char in text)


def clip(text: str, pixels: int, pixels_per_unit: float = 6.6) -> str:
    """``text`` shortened with an ellipsis to fit about ``pixels`` at 12 px (the full text goes in a tooltip)."""
    room = int((pixels - 12) / pixels_per_unit)
    if display_width(text) <= room:
        return text
    kept = []
    used = 0
    for char in text:
        used += 2 if ord(char) > 0x2E80 else 1
        if used > room - 1:
            break
        kept.append(char)
    return "".join(kept) + "…"


def grouped_bar_chart(categories: Sequence[str], groups: Sequence[Bars], title: str, *,
                      markers: Sequence[Sequence[float | None]] = (), y_max: float | None = None,
                      y_format: NumberFormat = fmt_number, marker_label: str = "", width: int = 760,
                      height: int = 300) -> str:
    """Bars side by side within each category; ``markers[g][i]`` draws a target on bar g of category i."""
    top = y_max if y_max is not None else nice_ceiling(max((max(g.values, default=0) for g in groups), default=1))
    frame = Frame(categories, top, width=width, height=height, top=44)
    body = frame.axes(y_format)
    # Title and legend inside the drawing, so that the SVG also reads as a file of its own.
    body.append(f'<text x="{frame.left}" y="16" font-size="14" font-weight="bold">{esc(title)}</text>')
    x = float(frame.left)
    for group in groups:
        body.append(f'<rect x="{x:.0f}" y="25" width="11" height="11" fill="{esc(group.colour)}"/>'
                    f'<text x="{x + 15:.0f}" y="35" font-size="12">{esc(group.label)}</text>')
        x += 30 + display_width(group.label) * 6.5
    if markers:
        body.append(f'<line x1="{x:.0f}" x2="{x + 14:.0f}" y1="30" y2="30" stroke="{TARGET_COLOUR}" stroke-width="3"/>'
                    f'<text x="{x + 19:.0f}" y="35" font-size="12">{esc(marker_label)}</text>')
    bar_width = frame.slot * 0.8 / max(len(groups), 1)
    for g, group in enumerate(groups):
        for i, category in enumerate(categories):
            value = group.values[i]
            x = frame.x(i) - frame.slot * 0.4 + bar_width * g
            body.append(f'<rect class="bar" x="{x:.1f}" y="{frame.y(value):.1f}" width="{bar_width * 0.9:.1f}" '
                        f'height="{max(frame.y(0) - frame.y(value), 0.5):.1f}" fill="{esc(group.colour)}">'
                        f'<title>{esc(category)} {esc(group.label)}: {esc(y_format(value))}</title></rect>')
            target = markers[g][i] if g < len(markers) else None
            if target is not None:
                y = frame.y(target)
                body.append(f'<line class="target" x1="{x - 2:.1f}" x2="{x + bar_width * 0.9 + 2:.1f}" y1="{y:.1f}" '
                            f'y2="{y:.1f}" stroke="{TARGET_COLOUR}" stroke-width="3"><title>{esc(group.label)} '
                            f'{esc(y_format(target))}</title></line>')
    return frame.svg(body, title)
