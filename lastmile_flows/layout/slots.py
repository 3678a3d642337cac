"""Where links leave and enter boxes: every link leaves its source's right side and enters
its target's left side, each at its own height (a slot), so no two links share a stub.

- A straight link (same row, nothing in between) uses the centre slot at both ends.
- The other links on a side are spread above and below the centre in the order they come
  from (links from above get the upper slots), :data:`SPACING` apart, or
  :data:`LABEL_SPACING` where a label sits above the stub.
- An entry slot never takes a height that an exit of the box just left of it in the same row
  uses (the two stubs would lie on one line in the channel between them).
- A small shape (a gateway's diamond, an event's circle) cannot hold many slots: a slot beyond
  its outline is reached by a lead that runs to the shape's middle and then into its top or
  bottom (:mod:`lastmile_flows.layout.router` draws it).

Offsets are in pixels from the box's centre line, negative upwards.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["LABEL_SPACING", "SPACING", "Side", "assign"]

SPACING = 14.0
LABEL_SPACING = 26.0


@dataclass(frozen=True)
class Side:
    """The links on one side of one box: ``(link id, approach key, labelled)``, and the
    offsets that side must not use."""

    links: tuple[tuple[str, float, bool], ...]
    straight: str | None = None
    avoid: frozenset[float] = frozenset()
    clear: float = 0.0
    """Offsets inside ``(-clear, clear)`` other than 0 are not used (inside a small shape)."""
    below: float = 0.0
    """Positive offsets under ``below`` are not used either (a small shape's name is there)."""


def assign(side: Side) -> dict[str, float]:
    """Link id -> offset for every link on the side (see the module docstring)."""
    found: dict[str, float] = {}
    labelled = {link: flag for link, _, flag in side.links}
    if side.straight is not None:
        found[side.straight] = 0.0
    others = sorted(
        (entry for entry in side.links if entry[0] != side.straight), key=lambda e: (e[1], e[0])
    )
    above = [link for link, approach, _ in others if approach < 0]
    below = [link for link, approach, _ in others if approach >= 0]
    if side.straight is None and 0.0 not in side.avoid:
        if below:
            found[below.pop(0)] = 0.0
        elif above:
            found[above.pop()] = 0.0
    taken = set(found.values())
    centre = next((link for link, value in found.items() if value == 0.0), None)
    # upwards, nearest the centre first: a stub must pass above the label of the one below it
    offset, lower_labelled = 0.0, centre is not None and labelled[centre]
    for link in reversed(above):
        offset = _next(offset - (LABEL_SPACING if lower_labelled else SPACING), -1, side, taken)
        found[link] = offset
        taken.add(offset)
        lower_labelled = labelled[link]
    # downwards: a labelled stub keeps its label clear of the stub above it
    offset = 0.0
    for link in below:
        offset = _next(offset + (LABEL_SPACING if labelled[link] else SPACING), 1, side, taken)
        found[link] = offset
        taken.add(offset)
    return found


def _next(offset: float, direction: int, side: Side, taken: set[float]) -> float:
    """The first offset from ``offset`` onwards (in ``direction``) that the side may use."""
    floor = max(side.clear, side.below) if direction > 0 else side.clear
    while (
        offset in taken
        or any(abs(offset - value) < SPACING for value in side.avoid)
        or (offset != 0.0 and abs(offset) < floor)
    ):
        if offset != 0.0 and abs(offset) < floor:
            offset = float(direction * floor)
            continue
        offset += direction * SPACING
    return offset
