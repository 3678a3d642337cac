"""Rules for the trust-calibration fields of a step (see :mod:`lastmile_flows.analysis.trust`).

- ``error_rate``, ``accuracy`` and ``confidence_routing`` belong to AI steps (an AI step states
  how often it is wrong, and how its confidence ranks its errors); ``catch_rate`` belongs to
  review steps (checked with ``reviews`` and ``review_rate`` in :mod:`checks`);
- an AI step states its error rate or its accuracy, or both when they agree
  (``error_rate = 1 - accuracy``);
- a confidence routing curve lists points with ``review_share`` strictly increasing and
  ``error_share`` never falling: reviewing more of the output never catches fewer errors;
- ``error_share`` marks how an AI step's errors split across its ``ai_failure`` edge cases, and
  the shares of one step add up to 1 at most (the rest are errors of no named failure mode).

Locations are relative to the step (``("confidence_routing", 1, "error_share")``).
"""

from __future__ import annotations

from lastmile_flows.model.elements import Step
from lastmile_flows.model.problems import Problem

__all__ = ["AGREEMENT", "check_trust"]

AGREEMENT = 1e-6
"""How far ``error_rate`` and ``1 - accuracy`` may differ, and error shares exceed 1."""

_AI_FIELDS = ("error_rate", "accuracy", "confidence_routing")


def check_trust(step: Step) -> list[Problem]:
    """Every problem with the trust-calibration fields of one step."""
    found: list[Problem] = []
    if step.kind != "ai":
        for field in _AI_FIELDS:
            if step.says(field):
                found.append(
                    Problem(
                        "trust-field-on-non-ai-step",
                        f"{field} describes an AI step's output; this step is of kind "
                        f"{step.kind!r} (valid on kind: 'ai')",
                        step.id,
                        (field,),
                    )
                )
    if (
        step.error_rate is not None
        and step.accuracy is not None
        and abs(step.error_rate - (1 - step.accuracy)) > AGREEMENT
    ):
        found.append(
            Problem(
                "error-rate-accuracy-disagree",
                f"error_rate {step.error_rate:g} and accuracy {step.accuracy:g} disagree "
                f"(error_rate = 1 - accuracy = {1 - step.accuracy:g}); give one of the two",
                step.id,
                ("accuracy",),
            )
        )
    found += _check_routing(step)
    found += _check_error_shares(step)
    return found


def _check_routing(step: Step) -> list[Problem]:
    found: list[Problem] = []
    points = step.confidence_routing
    for index in range(1, len(points)):
        before, point = points[index - 1], points[index]
        if point.review_share <= before.review_share:
            found.append(
                Problem(
                    "routing-curve-not-monotone",
                    f"confidence_routing point {index} reviews {point.review_share:g} of the "
                    f"output, not more than point {index - 1} ({before.review_share:g}): list "
                    "points by increasing review_share",
                    step.id,
                    ("confidence_routing", index, "review_share"),
                )
            )
        elif point.error_share < before.error_share:
            found.append(
                Problem(
                    "routing-curve-not-monotone",
                    f"confidence_routing point {index} holds {point.error_share:g} of the "
                    f"errors, fewer than point {index - 1} ({before.error_share:g}) with less "
                    f"output reviewed; error_share must not fall (valid: {before.error_share:g} "
                    "to 1)",
                    step.id,
                    ("confidence_routing", index, "error_share"),
                )
            )
    return found


def _check_error_shares(step: Step) -> list[Problem]:
    found: list[Problem] = []
    total = 0.0
    for number, case in enumerate(step.edge_cases):
        if case.error_share is None:
            continue
        total += case.error_share
        if not case.ai_failure:
            failures = [c.id for c in step.edge_cases if c.ai_failure]
            found.append(
                Problem(
                    "error-share-on-non-ai-failure",
                    f"error_share splits an AI step's errors across its failure modes; "
                    f"{case.id!r} is not an ai_failure edge case (ai_failure edge cases here: "
                    f"{', '.join(repr(c) for c in sorted(failures)) or 'there are none'})",
                    case.id,
                    ("edge_cases", number, "error_share"),
                )
            )
    if total > 1 + AGREEMENT:
        found.append(
            Problem(
                "error-shares-above-one",
                f"the error_share of step {step.id!r}'s failure modes add up to {total:g}; "
                "they split its errors, so they add up to 1 at most",
                step.id,
                ("edge_cases",),
            )
        )
    return found
