"""Where the validation rules put what they find: one list of problems, each located in the model.

A problem names a rule of :data:`~lastmile_flows.model.rulebook.VALIDATION_RULES` (an unknown
name is a bug, a ``KeyError``) and takes that rule's severity.
"""

from __future__ import annotations

from collections.abc import Collection

from lastmile_flows.model.problems import Loc, Problem, choices, did_you_mean
from lastmile_flows.model.rulebook import validation_rule

__all__ = ["Collector"]


class Collector:
    """Collects problems, describing each location against the model."""

    def __init__(self, model: object) -> None:
        self.model = model
        self.problems: list[Problem] = []

    def add(
        self,
        rule: str,
        message: str,
        *,
        element_id: str | None,
        loc: Loc,
    ) -> None:
        """A problem of a rule of :data:`~lastmile_flows.model.rulebook.VALIDATION_RULES`, at
        the rule's severity."""
        severity = validation_rule(rule).severity
        problem = Problem(rule, message, element_id, severity=severity)
        self.problems.append(problem.located(loc, self.model))

    def reference(
        self,
        value: str | None,
        valid: Collection[str],
        *,
        rule: str,
        what: str,
        element_id: str | None,
        loc: Loc,
    ) -> None:
        """An unknown reference: name it, list the valid choices, suggest a close one.
        (``valid`` is a set or a dict where a process can be large: only a reference that
        fails is sorted and searched.)"""
        if value is None or value in valid:
            return
        names = sorted(set(valid))
        self.add(
            rule,
            f"unknown {what} {value!r}{did_you_mean(value, names)}; valid: {choices(names)}",
            element_id=element_id,
            loc=loc,
        )
