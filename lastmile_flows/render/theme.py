"""Colours, shapes and fonts: one place, chosen for a projector and for colour-blind readers.

Kinds differ by shape and border style as well as colour (AI steps are rounded and double-
bordered, reviews are bold, system steps are square), so a grey-scale print still tells them
apart.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CHANGE_STYLE", "FONT", "INK", "KIND_STYLE", "MUTED", "SEVERITY_STYLE", "Style"]

FONT = "Helvetica"
INK = "#1a202c"
MUTED = "#718096"
RED = "#c53030"


@dataclass(frozen=True)
class Style:
    fill: str
    border: str
    shape: str = "box"
    style: str = "filled"
    penwidth: float = 1.2
    font: str = INK
    peripheries: int = 1


KIND_STYLE = {
    "manual": Style(fill="#dbeafe", border="#1e40af", style="filled,rounded"),
    "ai": Style(fill="#ede9fe", border="#6d28d9", style="filled,rounded", peripheries=2),
    "system": Style(fill="#e5e7eb", border="#374151"),
    "review": Style(fill="#fef3c7", border="#b45309", style="filled,rounded,bold", penwidth=2.4),
}
"""Steps by kind: manual blue, AI violet (double border), system grey (square), review amber."""

EDGE_CASE_OWNED = Style(fill="#ffffff", border="#c05621", shape="note")
EDGE_CASE_UNOWNED = Style(
    fill="#fed7d7", border=RED, shape="note", style="filled,bold", penwidth=2.4, font="#742a2a"
)
GATEWAY = Style(fill="#fefcbf", border="#744210", shape="diamond")
START = Style(fill="#c6f6d5", border="#276749", shape="circle")
END = Style(fill="#fed7d7", border="#9b2c2c", shape="doublecircle")
INTERMEDIATE = Style(fill="#edf2f7", border="#4a5568", shape="doublecircle")
EVENT_STYLE = {"start": START, "intermediate": INTERMEDIATE, "end": END}
GATEWAY_SYMBOL = {
    "exclusive": "\u00d7",
    "parallel": "+",
    "inclusive": "\u25cb",
    "event_based": "\u2b20",
}
"""The mark inside a gateway's diamond, as in BPMN: a cross, +, a circle, a pentagon."""

LANE_FILL = ("#f8fafc", "#f1f5f9")
AI_LANE_FILL = "#faf5ff"
REMOVED_LANE_FILL = "#fff5f5"

CHANGE_STYLE = {
    "eliminated": Style(fill="#edf2f7", border="#a0aec0", style="filled,dashed", font=MUTED),
    "automated": KIND_STYLE["ai"],
    "assisted": Style(fill="#dbeafe", border="#6d28d9", style="filled,rounded", penwidth=2.4),
    "review_added": Style(
        fill="#fde68a", border="#b45309", style="filled,rounded,bold", penwidth=3.5
    ),
    "added": Style(fill="#dcfce7", border="#15803d", style="filled,rounded", penwidth=2.4),
}
"""Diff colours where the change matters more than the kind."""

CHANGE_TAG = {
    "eliminated": "ELIMINATED",
    "automated": "AUTOMATED",
    "assisted": "AI-ASSISTED",
    "review_added": "NEW REVIEW",
    "added": "NEW STEP",
    "reassigned": "REASSIGNED",
    "retimed": "RETIMED",
    "merged": "MERGED",
    "split": "SPLIT",
    "unchanged": "",
}

SEVERITY_STYLE = {
    "error": Style(fill="#c53030", border="#742a2a", style="filled,rounded", font="#ffffff"),
    "warning": Style(fill="#dd6b20", border="#7b341e", style="filled,rounded", font="#ffffff"),
    "info": Style(fill="#3182ce", border="#2a4365", style="filled,rounded", font="#ffffff"),
}
SEVERITY_MARK = {"error": "\u2716", "warning": "\u26a0", "info": "\u2139"}

HANDOFF_ADDED = "#dd6b20"
HANDOFF_REMOVED = "#a0aec0"
FLOW = "#2d3748"
RECOVERY = "#c05621"
