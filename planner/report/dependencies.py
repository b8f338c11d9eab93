"""A department's dependency picture as SVG: its systems, what they require, the networks they use.

Columns from left to right: the private networks the department's systems use, then the systems in
layers, each to the right of everything it ``requires`` (systems of other departments drawn dashed).
A system's box is coloured by what the plan does to it and says when and where it goes; the full
name and the plan's line are in the box's tooltip. ``requires`` has no cycle (validation refuses
one), so the layers are well defined.
"""

from __future__ import annotations

from dataclasses import dataclass

from models.inventory import Inventory, System
from models.plan import Action
from planner.report.labels import Labels
from planner.report.svg import AXIS_TEXT, FONTS, clip, esc

BOX_WIDTH = 240
BOX_HEIGHT = 38
COLUMN_GAP = 60
ROW_GAP = 12
MARGIN = 12
ACTION_COLOURS = {"migrate": "#15803d", "retire": "#a16207", "stay": "#6b7280", "done": "#1d4ed8",
                  "interconnect": "#7c3aed", "keep": "#6b7280"}
NETWORK_COLOUR = "#0e7490"


@dataclass(frozen=True)
class Node:
    key: str
    title: str
    subtitle: str
    tooltip: str
    colour: str
    dashed: bool = False


def _layers(systems: list[System], by_id: dict[str, System]) -> dict[str, int]:
    """Each system's layer: 0 without requirements among those drawn, else one past its deepest requirement."""
    drawn = {system.id for system in systems}
    layer: dict[str, int] = {}

    def depth(system_id: str) -> int:
        if system_id not in layer:
            requirements = [other for other in by_id[system_id].requires if other in drawn and other in by_id]
            layer[system_id] = 1 + max((depth(other) for other in requirements), default=-1)
        return layer[system_id]

    for system in systems:
        depth(system.id)
    return layer


def dependency_svg(department: str, inventory: Inventory, actions: dict[tuple[str, str], Action], labels: Labels) -> str:
    """The department's picture; empty when it has no system."""
    own = [system for system in inventory.systems if system.department == department]
    if not own:
        return ""
    by_id = inventory.system_by_id
    external = [by_id[other] for system in own for other in system.requires
                if other in by_id and by_id[other].department != department]
    external = list({system.id: system for system in external}.values())
    systems = own + external
    layer = _layers(systems, by_id)
    networks = list(dict.fromkeys(n for system in own for n in system.networks if n in inventory.network_by_id))
    pool_names = {pool.id: pool.name for pool in inventory.clouds}

    columns: list[list[Node]] = [[] for _ in range(1 + max(layer.values(), default=0) + 1)]
    for network_id in networks:
        network = inventory.network_by_id[network_id]
        action = actions.get(("network", network_id))
        verb = labels.action(action.action) if action else ""
        when = f"{action.period}" if action and action.period else ""
        columns[0].append(Node(f"network:{network_id}", network.name or network_id, f"{labels['network']} {verb} {when}",
                               f"{network.name} ({network_id}): {verb} {when}", NETWORK_COLOUR))
    for system in systems:
        action = actions.get(("system", system.id))
        verb = labels.action(action.action) if action else ""
        where = f" → {pool_names.get(action.target, action.target)}" if action and action.target else ""
        when = f"{action.period} " if action and action.period else ""
        colour = ACTION_COLOURS.get(action.action, "#6b7280") if action else "#6b7280"
        outside = system.department != department
        known = outside and system.department in inventory.department_by_id
        department_name = inventory.department_by_id[system.department].name if known else ""
        columns[1 + layer[system.id]].append(Node(
            f"system:{system.id}", system.name or system.id, f"{when}{verb}{where}",
            f"{system.name} ({system.id}){' — ' + department_name if department_name else ''}: {when}{verb}{where}",
            colour, dashed=outside))
    columns = [column for column in columns if column] or [[]]
    place: dict[str, tuple[float, float]] = {}
    for index, column in enumerate(columns):
        for row, node in enumerate(column):
            place[node.key] = (MARGIN + index * (BOX_WIDTH + COLUMN_GAP), MARGIN + 18 + row * (BOX_HEIGHT + ROW_GAP))
    width = MARGIN * 2 + len(columns) * BOX_WIDTH + (len(columns) - 1) * COLUMN_GAP
    height = MARGIN * 2 + 18 + max(len(column) for column in columns) * (BOX_HEIGHT + ROW_GAP)
    title = f"{inventory.department_by_id[department].name if department in inventory.department_by_id else department}"
    parts = [f'<svg class="dependencies" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" role="img" font-family="{esc(FONTS)}">'
             f"<title>{esc(title)}</title>"
             f'<text x="{MARGIN}" y="{MARGIN + 8}" font-size="11" fill="{AXIS_TEXT}">'
             f"{esc(labels['dependencies_lead'])}</text>"]
    for system in own:
        target = place[f"system:{system.id}"]
        for network_id in system.networks:
            if f"network:{network_id}" in place:
                parts.append(_edge(place[f"network:{network_id}"], target, "#94a3b8", dashed=True))
        for other in system.requires:
            if f"system:{other}" in place:
                parts.append(_edge(place[f"system:{other}"], target, "#374151", dashed=False))
    for column in columns:
        for node in column:
            x, y = place[node.key]
            dash = ' stroke-dasharray="4 3"' if node.dashed else ""
            parts.append(
                f'<g class="node"><title>{esc(node.tooltip)}</title>'
                f'<rect x="{x}" y="{y}" width="{BOX_WIDTH}" height="{BOX_HEIGHT}" rx="5" fill="white" '
                f'stroke="{node.colour}" stroke-width="2"{dash}/>'
                f'<rect x="{x}" y="{y}" width="6" height="{BOX_HEIGHT}" rx="2" fill="{node.colour}"/>'
                f'<text x="{x + 12}" y="{y + 15}" font-size="12" fill="#111827">{esc(clip(node.title, BOX_WIDTH - 18))}</text>'
                f'<text x="{x + 12}" y="{y + 31}" font-size="10.5" fill="{AXIS_TEXT}">'
                f'{esc(clip(node.subtitle, BOX_WIDTH - 18, 6.0))}</text>'
                "</g>"
            )
    parts.append("</svg>")
    return "".join(parts)


def _edge(start: tuple[float, float], end: tuple[float, float], colour: str, dashed: bool) -> str:
    """A curve from the right side of one box to the left side of another, ending in an arrowhead drawn inline
    (a marker would need ``url(#…)``, and the report refers to nothing, not even within itself)."""
    x1, y1 = start[0] + BOX_WIDTH, start[1] + BOX_HEIGHT / 2
    x2, y2 = end[0], end[1] + BOX_HEIGHT / 2
    middle = (x1 + x2) / 2
    dash = ' stroke-dasharray="5 4"' if dashed else ""
    return (f'<path class="edge" d="M{x1:.0f},{y1:.0f} C{middle:.0f},{y1:.0f} {middle:.0f},{y2:.0f} {x2 - 6:.0f},{y2:.0f}" '
            f'fill="none" stroke="{colour}" stroke-width="1.4"{dash}/>'
            f'<path d="M{x2:.0f},{y2:.0f}L{x2 - 7:.0f},{y2 - 4:.0f}L{x2 - 7:.0f},{y2 + 4:.0f}z" fill="{colour}"/>')
