"""Colours, strokes and type: one place, chosen for a projector, a printout and colour-blind
readers.

Kinds differ by more than colour: AI steps carry an "AI" mark (never a double border, which
means *transaction* in BPMN), reviews a heavy border, system steps square corners, removed
work a dashed grey outline and struck-out name, an exception nobody owns a red fill and a
warning sign. Every style has a legend entry, and a legend shows only the entries a diagram
uses (:mod:`lastmile_flows.render.legend`).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "FONT",
    "INK",
    "LINK_STYLE",
    "MUTED",
    "NODE_STYLE",
    "SEVERITY_COLOUR",
    "SIZE",
    "SLIDE_SIZE",
    "LinkStyle",
    "NodeStyle",
]

FONT = "DejaVu Sans, Verdana, Arial, Helvetica, sans-serif"
"""The face the sizes are measured in first (:mod:`lastmile_flows.layout.text`), then wider or
equal fallbacks."""
INK = "#1a202c"
MUTED = "#4a5568"
RED = "#c53030"


@dataclass(frozen=True)
class Size:
    text: float = 14.0
    facts: float = 12.0
    chip: float = 12.0
    callout: float = 12.0
    label: float = 12.0
    edge_case: float = 12.0
    lane: float = 15.0
    title: float = 22.0
    caption: float = 15.0
    legend: float = 13.0
    wrap: float = 14.0
    """The widest a step's name runs before it wraps, in ems of its font."""


SIZE = Size()
"""Font sizes in pixels: nothing a committee must read is under 12 px at the size drawn."""
SLIDE_SIZE = Size(
    text=17.0,
    facts=14.0,
    chip=13.0,
    callout=13.0,
    label=14.0,
    edge_case=14.0,
    lane=17.0,
    legend=15.0,
    wrap=11.0,
)
"""Font sizes on a committee slide: the smallest is 13 px, so a slide scaled down to 12/13 of
its size to fit still shows no text under 12 px at 1920 x 1080."""


@dataclass(frozen=True)
class NodeStyle:
    fill: str
    border: str
    width: float = 1.4
    dash: str = ""
    radius: float = 8.0
    ink: str = INK
    struck: bool = False
    legend: str = ""
    """The legend's words for it (empty: not in the legend)."""


NODE_STYLE: dict[str, NodeStyle] = {
    "manual": NodeStyle("#dbeafe", "#1e40af", legend="Manual step"),
    "ai": NodeStyle("#ede9fe", "#6d28d9", legend="AI step (with its mode)"),
    "system": NodeStyle("#e5e7eb", "#374151", radius=0.0, legend="System step"),
    "review": NodeStyle("#fef3c7", "#b45309", width=3.0, legend="Human review of AI output"),
    "automated": NodeStyle("#ede9fe", "#6d28d9", width=2.6, legend="Now done by AI"),
    "assisted": NodeStyle("#dbeafe", "#6d28d9", width=2.6, legend="Person stays, AI assists"),
    "review_added": NodeStyle("#fde68a", "#b45309", width=3.4, legend="New review of AI output"),
    "added": NodeStyle("#dcfce7", "#15803d", width=2.6, legend="New step"),
    "ghost": NodeStyle(
        "#f7fafc", "#a0aec0", dash="6 4", ink=MUTED, struck=True, legend="Removed work"
    ),
    "collapsed": NodeStyle("#f8fafc", "#94a3b8", dash="2 3", legend="Unchanged steps, folded"),
    "continued": NodeStyle(
        "#ffffff", "#4a5568", dash="8 4", ink=MUTED, legend="Continues on another slide"
    ),
    "gateway": NodeStyle("#fefcbf", "#744210", radius=0.0, legend="Decision (\u00d7) or split (+)"),
    "start": NodeStyle("#c6f6d5", "#276749", legend="Start"),
    "end": NodeStyle("#fed7d7", "#9b2c2c", width=2.6, legend="End"),
    "intermediate": NodeStyle("#edf2f7", "#4a5568", legend="Event"),
    "edge_case": NodeStyle("#ffffff", "#c05621", radius=3.0, legend="Exception and its owner"),
    "edge_case_unowned": NodeStyle(
        "#fed7d7", RED, width=2.4, radius=3.0, ink="#742a2a", legend="Exception nobody handles"
    ),
    "edge_case_dropped": NodeStyle(
        "#fff5f5",
        RED,
        width=2.0,
        dash="5 3",
        radius=3.0,
        ink="#742a2a",
        legend="Exception the redesign drops",
    ),
    "owner_gone": NodeStyle(
        "#fff5f5",
        RED,
        width=1.6,
        dash="3 3",
        radius=3.0,
        ink="#742a2a",
        legend="Owner whose role is gone",
    ),
    "workaround": NodeStyle(
        "#fffaf0", "#c05621", dash="6 4", legend="Done in practice, not in the model"
    ),
    "caption": NodeStyle("none", "none", width=0.0, ink=MUTED),
}
"""Steps by kind and by change, the other shapes, edge cases."""


@dataclass(frozen=True)
class LinkStyle:
    colour: str
    width: float = 1.6
    dash: str = ""
    arrow: bool = True
    legend: str = ""


LINK_STYLE: dict[str, LinkStyle] = {
    "flow": LinkStyle("#2d3748", legend="Flow"),
    "handoff_new": LinkStyle("#dd6b20", width=2.8, legend="New hand-off between roles"),
    "recovery": LinkStyle("#c05621", dash="6 4", legend="Where an exception is handled"),
    "taken_over": LinkStyle("#6d28d9", width=1.4, dash="2 4", legend="Taken over by"),
    "owner_tie": LinkStyle(RED, width=1.6, dash="4 3", legend="Owned by a removed role"),
    "workaround": LinkStyle(
        "#c05621", width=1.4, dash="6 4", legend="Where practice leaves the flow"
    ),
}

SEVERITY_COLOUR = {"error": "#c53030", "warning": "#c05621", "info": "#2b6cb0"}
"""Callout circles: a finding's number, in its severity's colour."""

LANE_FILL = ("#f8fafc", "#eef2f7")
LANE_HEADER = "#e2e8f0"
AI_LANE_FILL = "#f8f5ff"
REMOVED_LANE_FILL = "#fff5f5"
REMOVED_LANE_HEADER = "#fed7d7"
GRID_LINE = "#cbd5e0"
GATEWAY_SYMBOL = {
    "exclusive": "\u00d7",
    "parallel": "+",
    "inclusive": "\u25cb",
    "event_based": "\u2b20",
}
"""The mark inside a gateway's diamond, as in BPMN: a cross, +, a circle, a pentagon."""
CHIP = {
    "automated": ("NOW AI", "#6d28d9"),
    "assisted": ("AI-ASSISTED", "#6d28d9"),
    "review_added": ("NEW REVIEW", "#b45309"),
    "added": ("NEW", "#15803d"),
    "reassigned": ("NEW OWNER", "#2b6cb0"),
    "retimed": ("RETIMED", "#4a5568"),
    "merged": ("MERGED", "#2b6cb0"),
    "split": ("SPLIT", "#2b6cb0"),
    "eliminated": ("REMOVED", "#718096"),
    "replaced": ("TAKEN OVER", "#6d28d9"),
    "skipped": ("SKIPPED", "#b7791f"),
}
"""A diff's tag at the top of a changed step: its words and colour."""
