"""The BPMN words the import reads and the export writes: one table per element family.

Each family is written as the export uses it (model kind -> BPMN tag); what the import reads is
derived from it: every written tag maps back to the first kind that writes it, plus the tags
only other tools write (``complexGateway``, ``scriptTask``, ...), which the import maps to the
nearest kind. So a tag the writer emits is always one the reader knows, with the same meaning.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = [
    "BOUNDARY_TRIGGERS",
    "CONTAINERS",
    "EVENT_TAG",
    "EVENT_TAGS",
    "GATEWAY_TAG",
    "GATEWAY_TAGS",
    "STEP_TAGS",
    "TASK_TAG",
    "TRIGGERS",
    "TRIGGER_TAG",
    "UNMAPPED",
]


def _read(written: Mapping[str, str], **others: str) -> dict[str, str]:
    """BPMN tag -> model kind: the inverse of ``written`` (the first kind writing a tag keeps
    it), then the tags only other tools write."""
    found: dict[str, str] = {}
    for kind, tag in written.items():
        found.setdefault(tag, kind)
    return found | others


TASK_TAG = {
    "manual": "userTask",
    "review": "userTask",
    "system": "serviceTask",
    "ai": "serviceTask",
}
"""The task each step kind is written as (people's work, or a service's)."""
STEP_TAGS = _read(
    TASK_TAG,
    task="manual",
    manualTask="manual",
    sendTask="manual",
    receiveTask="manual",
    scriptTask="system",
    businessRuleTask="system",
    callActivity="manual",
    subProcess="manual",
    transaction="manual",
    adHocSubProcess="manual",
)
CONTAINERS = frozenset({"subProcess", "transaction", "adHocSubProcess"})
"""Activities that hold a flow of their own (imported as one step)."""

EVENT_TAG = {"start": "startEvent", "intermediate": "intermediateCatchEvent", "end": "endEvent"}
EVENT_TAGS = _read(EVENT_TAG, intermediateThrowEvent="intermediate")

GATEWAY_TAG = {
    "exclusive": "exclusiveGateway",
    "parallel": "parallelGateway",
    "inclusive": "inclusiveGateway",
    "event_based": "eventBasedGateway",
}
GATEWAY_TAGS = _read(GATEWAY_TAG, complexGateway="inclusive")

TRIGGER_TAG = {
    "message": "messageEventDefinition",
    "timer": "timerEventDefinition",
    "error": "errorEventDefinition",
    "escalation": "escalationEventDefinition",
    "conditional": "conditionalEventDefinition",
    "signal": "signalEventDefinition",
    "compensation": "compensateEventDefinition",
    "cancel": "cancelEventDefinition",
    "link": "linkEventDefinition",
    "terminate": "terminateEventDefinition",
}
"""The event definition each trigger is written as."""
TRIGGERS = _read(TRIGGER_TAG)
BOUNDARY_TRIGGERS = frozenset(TRIGGER_TAG) - {"link", "terminate"}
"""The triggers a boundary event (an edge case) can have: BPMN has no link or terminate ones."""

UNMAPPED = {
    "dataObject": "data object not imported (the model has no data)",
    "dataObjectReference": "data object reference not imported (the model has no data)",
    "dataStoreReference": "data store reference not imported (the model has no data)",
    "ioSpecification": "data inputs and outputs not imported",
    "property": "process property not imported",
    "dataInputAssociation": "data association not imported",
    "dataOutputAssociation": "data association not imported",
}
"""Why each flow element the model has no place for is left out (others: "<tag> is not
imported")."""
