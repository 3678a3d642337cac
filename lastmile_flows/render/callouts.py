"""Findings as a committee reads them: numbered, pinned to the element they concern, and said
in plain words ("① Price differs from list: its owner, Customer service lead, is removed").
The rule's code and name stay in the tooltip.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from lastmile_flows.analysis.comparison import Comparison
from lastmile_flows.analysis.findings import Finding
from lastmile_flows.escape import plain_text
from lastmile_flows.model import Process
from lastmile_flows.render.scene import Callout

__all__ = ["Names", "numbered", "plain_words"]


class Names:
    """Element and role names of both versions of a process, by id (the redesign's first)."""

    def __init__(self, current: Process, redesigned: Process) -> None:
        self.names: dict[str, str] = {}
        for process in (current, redesigned):
            self.names |= {role.id: role.label for role in process.roles}
            self.names |= {step.id: step.label for step in process.steps}
            self.names |= {case.id: case.label for _, case in process.edge_cases()}
            self.names |= {gateway.id: gateway.label for gateway in process.gateways}
        self.redesigned = redesigned

    def __call__(self, element_id: str) -> str:
        return plain_text(self.names.get(element_id, element_id))

    def staffing(self, role_id: str) -> str:
        role = next((r for r in self.redesigned.roles if r.id == role_id), None)
        if role is None:
            return "is removed by the redesign"
        return "has nobody in it (0 FTE)"


def _at(ids: tuple[str, ...], index: int) -> str:
    return ids[index] if len(ids) > index else ""


_WORDS: dict[str, Callable[[Finding, Names], str]] = {
    "edge_case.no_owner": lambda f, n: f"{n(f.element_ids[0])}: nobody owns this exception",
    "edge_case.owner_removed": lambda f, n: (
        f"{n(f.element_ids[0])}: its owner, {n(_at(f.element_ids, 2))}, "
        f"{n.staffing(_at(f.element_ids, 2))}"
    ),
    "edge_case.dropped": lambda f, n: (
        f"{n(f.element_ids[0])}: handled today at {n(_at(f.element_ids, 1))}, dropped by the "
        "redesign (nobody handles it now)"
    ),
    "edge_case.tribal_knowledge_at_risk": lambda f, n: (
        f"{n(f.element_ids[0])}: the know-how is only in people's heads, and "
        f"{n(_at(f.element_ids, 2))} loses its people"
    ),
    "edge_case.owner_not_human": lambda f, n: (
        f"{n(f.element_ids[0])}: owned by {n(_at(f.element_ids, 2))}, which cannot catch "
        "its own failures"
    ),
    "edge_case.carried_implicitly": lambda f, n: (
        f"{n(f.element_ids[0])}: not restated at {n(_at(f.element_ids, 1))}; who handles it "
        "now is assumed, not said"
    ),
    "edge_case.retired": lambda f, n: f"{n(f.element_ids[0])}: declared impossible now",
    "ai.no_fallback": lambda f, n: (
        f"{n(f.element_ids[0])}: when the AI gets it wrong, nobody staffed catches it"
    ),
    "ai.acts_unsupervised": lambda f, n: (
        f"{n(f.element_ids[0])}: the AI acts with no accountable person and no review"
    ),
    "ai.no_human_decision": lambda f, n: f"{n(f.element_ids[0])}: AI output goes unchecked",
    "review.over_capacity": lambda f, n: (
        f"{n(f.element_ids[0])}: more review work than the people staffed can do"
    ),
    "role.over_capacity": lambda f, n: (
        f"{n(f.element_ids[0])}: more work than its headcount can do"
    ),
    "step.assisted_without_saving": lambda f, n: (
        f"{n(_at(f.element_ids, 0))}: AI assists, but the person's time does not fall"
    ),
    "productivity.gap": lambda f, n: "Reviews and new steps eat half or more of the savings",
    "compare.suggest_replaces": lambda f, n: (
        f"{n(_at(f.element_ids, 1))} looks like {n(_at(f.element_ids, 0))}: say if it replaces it"
    ),
}


def plain_words(finding: Finding, names: Names) -> str:
    """One line a committee understands, naming the elements by their names."""
    words = _WORDS.get(finding.name)
    if words is None:
        return plain_text(finding.message)
    try:
        return words(finding, names)
    except IndexError:
        return plain_text(finding.message)


def numbered(
    comparison: Comparison, names: Names, keep: Callable[[Finding], bool]
) -> list[tuple[Finding, Callout]]:
    """The findings ``keep`` selects, numbered from 1 in the comparison's order."""
    found: list[tuple[Finding, Callout]] = []
    for finding in comparison.findings:
        if not keep(finding):
            continue
        callout = Callout(
            number=len(found) + 1,
            severity=finding.severity,
            text=plain_words(finding, names),
            detail=f"{finding.code} {finding.name}",
        )
        found.append((finding, callout))
    return found


def targets(finding: Finding, ids: Iterable[tuple[str, dict[str, str]]]) -> str | None:
    """The svg id a finding is pinned to: the first of its elements drawn (``ids`` maps model
    ids to svg ids, one mapping per version, the finding's own version first)."""
    for _, mapping in ids:
        for element_id in finding.element_ids:
            if element_id in mapping:
                return mapping[element_id]
    return None
