"""The validation rules: a stable code, a name, a group, a severity and a remedy for each.

Like the audit's rules (:mod:`lastmile_flows.analysis.rules`), a validation rule is data: every
problem names a rule of this table (never an id made from a message), a test gives each rule a
broken model that names it, and the README's rule table lists them. Codes never change meaning
once released; new rules get new codes.

Groups say what a rule guards, for a reader: ``ids``, ``references``, ``kinds``, ``ownership``,
``ai_governance``, ``review_capacity``, ``structure`` (the flow graph), ``fields`` (field-level
checks of types and ranges), ``redesign`` and ``evidence``.

The module is over 400 lines on purpose: it is one table, in code order, that the README's rule
table mirrors; split by group, a reader looking a code up would search several files.
"""

from __future__ import annotations

from dataclasses import dataclass

from lastmile_flows.severity import Severity

__all__ = [
    "FIELD_RULES",
    "VALIDATION_RULES",
    "ValidationRule",
    "field_rule",
    "validation_rule",
]


@dataclass(frozen=True)
class ValidationRule:
    code: str
    name: str
    group: str
    severity: Severity
    summary: str
    remedy: str


def _rule(
    code: str, name: str, group: str, summary: str, remedy: str, severity: Severity = "error"
) -> ValidationRule:
    return ValidationRule(code, name, group, severity, summary, remedy)


VALIDATION_RULES: tuple[ValidationRule, ...] = (
    _rule("LV101", "duplicate-id", "ids", "an id used twice", "Give each element its own id."),
    _rule(
        "LV102",
        "reserved-id",
        "ids",
        "a role named 'none', which an edge case's owner uses to mean nobody",
        "Rename the role.",
    ),
    _rule(
        "LV111",
        "unknown-role",
        "references",
        "a role reference names no role",
        "Use one of the valid role ids the message lists.",
    ),
    _rule(
        "LV112",
        "unknown-step",
        "references",
        "a step reference (recovery_step, reviews) names no step",
        "Use one of the valid step ids the message lists.",
    ),
    _rule(
        "LV113",
        "unknown-node",
        "references",
        "a flow, next or branch names no step, gateway or event",
        "Use one of the valid node ids the message lists.",
    ),
    _rule(
        "LV114",
        "unknown-message-endpoint",
        "references",
        "a message names no step, event or role",
        "Use a step, event or role id for the message's source and target.",
    ),
    _rule(
        "LV121",
        "step-role-kind",
        "kinds",
        "manual and review steps are done by human roles, AI steps by AI roles, system steps "
        "by systems",
        "Give the step a role of the kind it needs, or change the step's kind.",
    ),
    _rule(
        "LV122",
        "non-human-staffing",
        "kinds",
        "only human roles have a cost per hour or a headcount",
        "Move the cost to run_cost_per_month or run_cost_per_execution of the AI or system "
        "steps, or remove it.",
    ),
    _rule(
        "LV123",
        "running-cost-on-human-step",
        "kinds",
        "running costs describe AI and system steps; people's work costs their role's cost "
        "per hour",
        "Remove the running cost, or set it on the AI or system step.",
    ),
    _rule(
        "LV131",
        "ai-mode-missing",
        "ai_governance",
        "an AI step without ai_mode",
        "Say whether the AI suggests, drafts or acts.",
    ),
    _rule(
        "LV132",
        "ai-mode-on-non-ai-step",
        "ai_governance",
        "ai_mode on a step that is not an AI step",
        "Remove ai_mode, or make the step kind: ai.",
    ),
    _rule(
        "LV133",
        "accountable-not-human",
        "ai_governance",
        "the accountable role of an AI or system step is not human",
        "Name a human role as accountable.",
    ),
    _rule(
        "LV134",
        "accountable-on-human-step",
        "ai_governance",
        "accountable on a step a person already does",
        "Remove accountable: the step's role answers for it.",
    ),
    _rule(
        "LV135",
        "ai-failure-on-non-ai-step",
        "ai_governance",
        "an ai_failure edge case on a step that is not an AI step",
        "Move the edge case to the AI step, or drop ai_failure.",
    ),
    _rule(
        "LV136",
        "ai-act-unaccountable",
        "ai_governance",
        "an AI step in act mode with no accountable human role and no review step",
        "Name an accountable human role or add a review step.",
        "warning",
    ),
    _rule(
        "LV137",
        "trust-field-on-non-ai-step",
        "ai_governance",
        "error_rate, accuracy or confidence_routing on a step that is not an AI step",
        "Move the figure to the AI step.",
    ),
    _rule(
        "LV138",
        "error-rate-accuracy-disagree",
        "ai_governance",
        "error_rate and accuracy, both given, do not add up to 1",
        "Give one of the two.",
    ),
    _rule(
        "LV139",
        "routing-curve-not-monotone",
        "ai_governance",
        "a confidence routing curve whose review shares do not rise or whose error shares fall",
        "List the points least confident first, each share at least the one before.",
    ),
    _rule(
        "LV140",
        "error-share-on-non-ai-failure",
        "ai_governance",
        "error_share on an edge case that is not an ai_failure",
        "Mark the edge case ai_failure: true, or remove error_share.",
    ),
    _rule(
        "LV141",
        "error-shares-above-one",
        "ai_governance",
        "the error shares of one AI step's failure modes add up to more than 1",
        "Make the shares add up to 1 at most.",
    ),
    _rule(
        "LV151",
        "review-of-non-ai-step",
        "review_capacity",
        "a review step checks a step that is not an AI step",
        "Point reviews at an AI step.",
    ),
    _rule(
        "LV152",
        "review-target-missing",
        "review_capacity",
        "a review step that names no AI step",
        "Set reviews to the AI step it checks.",
    ),
    _rule(
        "LV153",
        "review-field-on-non-review-step",
        "review_capacity",
        "reviews, review_rate or catch_rate on a step that is not a review step",
        "Set kind: review, or remove the field.",
    ),
    _rule(
        "LV154",
        "review-rate-applied-twice",
        "review_capacity",
        "a review step reached only through a branch or an edge case with a share p, and "
        "given review_rate p as well: it reviews p x p of the cases",
        "Leave review_rate at 1 when the routing already picks the cases to review; keep it "
        "below 1 only to sample the routed cases.",
        "warning",
    ),
    _rule(
        "LV161",
        "no-steps",
        "structure",
        "a process with no step",
        "Add the steps of the process.",
    ),
    _rule("LV162", "no-start", "structure", "no start event", "Add a start event."),
    _rule("LV163", "no-end", "structure", "no end event", "Add an end event."),
    _rule(
        "LV164",
        "duplicate-flow",
        "structure",
        "the same flow given twice",
        "Remove one of the two flows.",
    ),
    _rule(
        "LV165",
        "flow-from-end",
        "structure",
        "a flow out of an end event",
        "Remove the flow, or make the event intermediate.",
    ),
    _rule(
        "LV166",
        "flow-into-start",
        "structure",
        "a flow into a start event",
        "Remove the flow, or make the event intermediate.",
    ),
    _rule(
        "LV167",
        "step-fans-out",
        "structure",
        "a step or event that flows to several places without a gateway",
        "Route the flows through an exclusive or parallel gateway.",
    ),
    _rule(
        "LV168",
        "gateway-without-branches",
        "structure",
        "a gateway with no branch",
        "Give the gateway its branches.",
    ),
    _rule(
        "LV169",
        "probability-missing",
        "structure",
        "a branch of a decision without a probability",
        "Give every branch of the decision its share of the cases.",
    ),
    _rule(
        "LV170",
        "probabilities-not-one",
        "structure",
        "the branch probabilities of an exclusive gateway do not sum to 1 (within 1e-6)",
        "Make the shares add up to 1.",
    ),
    _rule(
        "LV171",
        "probability-off-exclusive",
        "structure",
        "a probability on a flow that is not a branch of a decision",
        "Remove the probability, or route the flow through an exclusive gateway.",
    ),
    _rule(
        "LV172",
        "unreachable",
        "structure",
        "an element no start event reaches",
        "Give the step before it a next:, or name it as an edge case's recovery_step.",
    ),
    _rule(
        "LV173",
        "dead-end",
        "structure",
        "an element that never reaches an end event",
        "Give it a next: towards an end event.",
    ),
    _rule(
        "LV174",
        "loop-without-exit",
        "structure",
        "a loop no case ever leaves (every way out has probability 0)",
        "Give a way out of the loop a probability above zero.",
    ),
    _rule(
        "LV181",
        "unknown-current-step",
        "redesign",
        "a redesigned step's replaces names no current step",
        "Use the id of the current step it takes over.",
    ),
    _rule(
        "LV182",
        "unknown-current-edge-case",
        "redesign",
        "an edge case's replaces, or a retired edge case, names no current edge case",
        "Use the id of the current edge case.",
    ),
    _rule(
        "LV183",
        "retired-edge-case-still-listed",
        "redesign",
        "an edge case both retired and still listed at a step",
        "Keep one of the two.",
    ),
    _rule(
        "LV184",
        "currency-mismatch",
        "redesign",
        "the current and the redesigned process state different currencies",
        "State one currency for both (costs are compared as they are, never converted).",
    ),
    _rule(
        "LV191",
        "evidence-duplicate",
        "evidence",
        "two evidence records for one figure",
        "Keep one.",
        "warning",
    ),
    _rule(
        "LV192",
        "evidence-stale",
        "evidence",
        "evidence for a figure the model no longer has",
        "Remove the record, or measure again.",
        "warning",
    ),
)

FIELD_RULES: dict[str, ValidationRule] = {
    kind: _rule(code, name, "fields", summary, remedy)
    for kind, code, name, summary, remedy in (
        (
            "extra_forbidden",
            "LV201",
            "unknown-field",
            "a field the element does not have",
            "Use one of the valid fields the message lists.",
        ),
        ("missing", "LV202", "missing-field", "a required field not given", "Give the field."),
        (
            "literal_error",
            "LV203",
            "invalid-choice",
            "a value not among the field's choices",
            "Use one of the valid values the message lists.",
        ),
        (
            "greater_than_equal",
            "LV204",
            "greater-than-equal",
            "a number below the field's least value (negative times, rates, volumes)",
            "Give a number in the field's range.",
        ),
        (
            "less_than_equal",
            "LV205",
            "less-than-equal",
            "a number above what the field can mean (a rate above 1, minutes above 19 years)",
            "Give a number in the field's range.",
        ),
        (
            "value_error",
            "LV206",
            "invalid-value",
            "a value the field refuses (an id with spaces, a currency that is not a code)",
            "Fix the value as the message says.",
        ),
        (
            "string_too_short",
            "LV207",
            "too-short",
            "an empty text where one is needed (a retired edge case's reason)",
            "Write the text.",
        ),
        (
            "type",
            "LV208",
            "wrong-type",
            "a value of the wrong type (text for a number, a list for a text)",
            "Give a value of the type the field takes.",
        ),
    )
}
"""Field-level rules, by pydantic error type (``type`` stands for every other type error)."""

_BY_NAME: dict[str, ValidationRule] = {
    r.name: r for r in (*VALIDATION_RULES, *FIELD_RULES.values())
}


def validation_rule(name: str) -> ValidationRule:
    """The rule with this name; ``KeyError`` for a name no rule has (a bug, never user input)."""
    return _BY_NAME[name]


def field_rule(pydantic_type: str) -> ValidationRule:
    """The field-level rule of a pydantic error type."""
    return FIELD_RULES.get(pydantic_type, FIELD_RULES["type"])
