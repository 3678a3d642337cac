"""The AI-error ledger of one replication: how many outputs of each trusted AI step were wrong,
how many of those a review caught, and how many escaped to customers (and by which failure
mode).

An output that reaches a reviewer is wrong with the chance ``error_if_reviewed`` and caught
with the review step's catch rate; the outputs of a case that no review saw are settled when
the case ends, each wrong with the chance ``error_if_unreviewed``. Draws come from the
replication's own stream, in that order, so the same seed gives the same counts.
"""

from __future__ import annotations

from collections.abc import Callable

from lastmile_flows.simulation.plan import TrustPlan

__all__ = ["ErrorLedger"]


class ErrorLedger:
    """Errors, catches and escapes of each trusted AI step (numbered as in ``Plan.trust``)."""

    __slots__ = ("by_mode", "caught", "errors", "escaped", "reviews", "trust", "uni", "visits")

    def __init__(self, trust: list[TrustPlan], uni: Callable[[], float]) -> None:
        self.trust = trust
        self.uni = uni
        self.errors = [0] * len(trust)
        self.caught = [0] * len(trust)
        self.escaped = [0] * len(trust)
        self.by_mode = [[0] * (len(t.modes) + 1) for t in trust]
        """Escapes by failure mode, the last column for those of no stated mode."""
        self.visits: dict[int, list[int]] = {}
        """Per open case, the outputs of each AI step it has had."""
        self.reviews: dict[int, list[int]] = {}
        """Per open case, the reviews of each AI step's output it has had."""

    def produced(self, case: int, number: int) -> None:
        """AI step ``number`` gave case ``case`` an output."""
        seen = self.visits.get(case)
        if seen is None:
            seen = self.visits[case] = [0] * len(self.trust)
        seen[number] += 1

    def reviewed(self, case: int, number: int, catch: float) -> None:
        """A review (catching ``catch`` of the errors it sees) checked an output of AI step
        ``number`` for case ``case``: it is wrong or not, and caught or escaped."""
        reviewed = self.reviews.get(case)
        if reviewed is None:
            reviewed = self.reviews[case] = [0] * len(self.trust)
        reviewed[number] += 1
        if self.uni() < self.trust[number].error_if_reviewed:
            self.errors[number] += 1
            if self.uni() < catch:
                self.caught[number] += 1
            else:
                self.escape(number)

    def settle(self, case: int) -> None:
        """Case ``case`` is done: each of its outputs that no review saw is wrong or not, and
        a wrong one escapes."""
        seen = self.visits.pop(case, None)
        if seen is None:
            return
        reviewed = self.reviews.pop(case, None) or [0] * len(self.trust)
        for number, visits in enumerate(seen):
            for _ in range(max(0, visits - reviewed[number])):
                if self.uni() < self.trust[number].error_if_unreviewed:
                    self.errors[number] += 1
                    self.escape(number)

    def escape(self, number: int) -> None:
        """A wrong output of AI step ``number`` reaches a customer, in one failure mode."""
        self.escaped[number] += 1
        cumulative = self.trust[number].mode_cum
        if cumulative:
            u = self.uni()
            for mode, bound in enumerate(cumulative):
                if u < bound:
                    self.by_mode[number][mode] += 1
                    return
        self.by_mode[number][-1] += 1
