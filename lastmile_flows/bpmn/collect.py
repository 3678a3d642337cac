"""First pass of the import: the BPMN elements we map, read into plain records.

Nothing here decides how the model looks; :mod:`lastmile_flows.bpmn.assemble` does. Every
element that is not mapped is noted (:class:`ImportNote`), never dropped silently.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from lastmile_flows.bpmn.fields import (
    EDGE_CASE_FIELDS,
    PROCESS_FIELDS,
    ROLE_FIELDS,
    STEP_FIELDS,
    evidence_data,
    read_fields,
)
from lastmile_flows.bpmn.names import LM, MODEL, XSI, lm, local, model

__all__ = [
    "Collected",
    "IdMap",
    "ImportNote",
    "RawBoundary",
    "RawFlow",
    "RawNode",
    "RawRole",
    "collect",
]

STEP_TAGS = {
    "task": "manual",
    "userTask": "manual",
    "manualTask": "manual",
    "sendTask": "manual",
    "receiveTask": "manual",
    "serviceTask": "system",
    "scriptTask": "system",
    "businessRuleTask": "system",
    "callActivity": "manual",
    "subProcess": "manual",
    "transaction": "manual",
    "adHocSubProcess": "manual",
}
CONTAINERS = frozenset({"subProcess", "transaction", "adHocSubProcess"})
EVENT_TAGS = {
    "startEvent": "start",
    "endEvent": "end",
    "intermediateCatchEvent": "intermediate",
    "intermediateThrowEvent": "intermediate",
}
GATEWAY_TAGS = {
    "exclusiveGateway": "exclusive",
    "parallelGateway": "parallel",
    "inclusiveGateway": "inclusive",
    "eventBasedGateway": "event_based",
    "complexGateway": "inclusive",
}
TRIGGERS = {
    "messageEventDefinition": "message",
    "timerEventDefinition": "timer",
    "errorEventDefinition": "error",
    "escalationEventDefinition": "escalation",
    "conditionalEventDefinition": "conditional",
    "signalEventDefinition": "signal",
    "compensateEventDefinition": "compensation",
    "cancelEventDefinition": "cancel",
    "linkEventDefinition": "link",
    "terminateEventDefinition": "terminate",
}
_KNOWN_NAMESPACES = frozenset({MODEL, LM, XSI, "http://www.w3.org/XML/1998/namespace"})
_QUIET = frozenset({"documentation", "extensionElements", "incoming", "outgoing"})
_BAD_ID_CHARS = re.compile(r"[^A-Za-z0-9_-]")


@dataclass(frozen=True)
class ImportNote:
    """Something in the file that the model does not carry, or that the import had to assume."""

    message: str
    element_id: str | None = None
    tag: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        element = f"<{self.tag} id={self.element_id!r}> " if self.tag else ""
        return f"{where}{element}{self.message}"


_VALID_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


class IdMap:
    """BPMN ids (XML NCNames) to model ids (ASCII letters, digits, '_' and '-'), one to one."""

    def __init__(self) -> None:
        self._ids: dict[str, str] = {}
        self._used: set[str] = set()
        self.renamed: dict[str, str] = {}
        """BPMN ids the model could not keep as they were, and what they became."""

    def __call__(self, bpmn_id: str) -> str:
        if bpmn_id in self._ids:
            return self._ids[bpmn_id]
        base = _BAD_ID_CHARS.sub("_", bpmn_id) or "_"
        if not (base[0].isascii() and (base[0].isalpha() or base[0] == "_")):
            base = "_" + base
        candidate, number = base, 2
        while candidate in self._used:
            candidate, number = f"{base}-{number}", number + 1
        self._ids[bpmn_id] = candidate
        self._used.add(candidate)
        if candidate != bpmn_id and bpmn_id and not bpmn_id.startswith("\x00"):
            self.renamed[bpmn_id] = candidate
        return candidate

    def reserve(self, bpmn_ids: Iterable[str]) -> None:
        """Keep every id that is already a valid model id as it is, whatever comes first in
        the file, so only the ids that must change do (and an ASCII id never yields to a
        rewritten one)."""
        for bpmn_id in bpmn_ids:
            if _VALID_ID.fullmatch(bpmn_id) and bpmn_id not in self._used:
                self._ids[bpmn_id] = bpmn_id
                self._used.add(bpmn_id)

    def fresh(self, base: str) -> str:
        """A new id, not taken by any BPMN element, for something the import adds."""
        return self(f"\x00{base}") if base in self._used else self(base)

    def known(self, bpmn_id: str) -> str | None:
        return self._ids.get(bpmn_id)


@dataclass
class RawRole:
    id: str
    name: str
    line: int | None
    lane: bool
    fields: dict[str, object] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    kind_given: bool = False


@dataclass
class RawNode:
    id: str
    bpmn_id: str
    tag: str
    line: int | None
    category: str  # "step", "event" or "gateway"
    kind: str
    name: str
    role: str | None
    trigger: str | None = None
    notes: list[str] = field(default_factory=list)
    fields: dict[str, object] = field(default_factory=dict)
    unnamed: bool = False
    implicit: bool = False
    pool: str = ""


@dataclass
class RawFlow:
    id: str
    source: str
    target: str
    name: str
    condition: str
    default: bool
    line: int | None
    origin: str | None
    probability: str | None


@dataclass
class RawBoundary:
    id: str
    bpmn_id: str
    attached: str
    name: str
    trigger: str | None
    line: int | None
    fields: dict[str, object] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    unnamed: bool = False


@dataclass
class Collected:
    """Everything mapped from the file, in document order."""

    path: str | None
    process_id: str = ""
    name: str = ""
    fields: dict[str, object] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    ours: bool = False
    roles: list[RawRole] = field(default_factory=list)
    nodes: list[RawNode] = field(default_factory=list)
    flows: list[RawFlow] = field(default_factory=list)
    boundaries: list[RawBoundary] = field(default_factory=list)
    messages: list[tuple[str, str, str, int | None]] = field(default_factory=list)
    retired: list[dict[str, str]] = field(default_factory=list)
    evidence: list[dict[str, str]] = field(default_factory=list)
    starts_by_pool: dict[str, list[str]] = field(default_factory=dict)
    pool_roles: dict[str, str] = field(default_factory=dict)
    defaults: set[str] = field(default_factory=set)
    former_roles: list[str] = field(default_factory=list)
    process_bpmn_id: str | None = None
    report: list[ImportNote] = field(default_factory=list)
    ids: IdMap = field(default_factory=IdMap)

    def note(self, message: str, element: etree._Element | None = None) -> None:
        if element is None:
            self.report.append(ImportNote(message))
            return
        self.report.append(
            ImportNote(message, element.get("id"), local(element.tag), line_of(element))
        )


def line_of(element: etree._Element) -> int | None:
    """The element's line in the file (lxml knows it for parsed elements)."""
    line = element.sourceline
    return line if isinstance(line, int) else None


def _text(element: etree._Element, *, strip: bool = True) -> str:
    text = "".join(str(part) for part in element.itertext())
    return text.strip() if strip else text


def _node(
    found: Collected,
    element: etree._Element,
    *,
    category: str,
    kind: str,
    role: str,
    pool: str,
    **extra: Any,
) -> RawNode:
    """A flow node's record: what steps, events and gateways share, read from ``element``."""
    bpmn_id = element.get("id") or ""
    unnamed = element.get(lm("unnamed")) == "true"
    return RawNode(
        id=found.ids(bpmn_id),
        bpmn_id=bpmn_id,
        tag=local(element.tag),
        line=line_of(element),
        category=category,
        kind=kind,
        name="" if unnamed else element.get("name") or "",
        role=role,
        notes=_documentation(element),
        unnamed=unnamed,
        pool=pool,
        **extra,
    )


def _documentation(element: etree._Element) -> list[str]:
    texts = [_text(doc, strip=False) for doc in element.findall(model("documentation"))]
    return [text for text in texts if text]


def _trigger(element: etree._Element, found: Collected) -> str | None:
    triggers = [TRIGGERS[local(c.tag)] for c in element if local(c.tag) in TRIGGERS]
    if len(triggers) > 1:
        found.note(
            f"has {len(triggers)} event definitions ({', '.join(triggers)}); "
            f"imported as {triggers[0]}",
            element,
        )
    if not triggers and element.find(model("eventDefinitionRef")) is not None:
        found.note(
            "its event definition is a reference to a shared one; imported as plain", element
        )
    return triggers[0] if triggers else None


def _foreign(element: etree._Element, found: Collected) -> None:
    """Note vendor attributes and extension elements: the model does not carry them."""
    names = sorted(
        _prefixed(element, key)
        for key in map(str, element.attrib)
        if key.startswith("{") and key[1:].partition("}")[0] not in _KNOWN_NAMESPACES
    )
    extensions = element.find(model("extensionElements"))
    if extensions is not None:
        names += sorted(
            {_prefixed(child, child.tag) for child in extensions if isinstance(child.tag, str)}
            - {
                _prefixed(child, child.tag)
                for child in extensions
                if child.tag.startswith(f"{{{LM}}}")
            }
        )
    if names:
        shown = ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
        found.note(f"vendor extension data not imported: {shown}", element)


def _prefixed(element: etree._Element, name: str) -> str:
    namespace, _, tail = name[1:].partition("}") if name.startswith("{") else ("", "", name)
    prefix = next((p for p, uri in element.nsmap.items() if uri == namespace and p), None)
    return f"{prefix}:{tail}" if prefix else tail


def _lane_roles(
    process: etree._Element, found: Collected, pool: str
) -> tuple[list[RawRole], dict[str, str]]:
    """Leaf lanes become roles ("Parent / Child" when nested); flow node id -> role id."""
    roles: list[RawRole] = []
    member: dict[str, str] = {}

    def walk(lane_set: etree._Element, prefix: str) -> None:
        for lane in lane_set.findall(model("lane")):
            name = lane.get("name") or ""
            path = f"{prefix} / {name}" if prefix and name else (name or prefix)
            children = lane.find(model("childLaneSet"))
            if children is not None and children.findall(model("lane")):
                walk(children, path)
                continue
            bpmn_id = lane.get("id") or f"{pool}-lane-{len(roles) + 1}"
            role_id = lane.get(lm("role")) or found.ids(bpmn_id)
            if lane.get(lm("role")):
                found.ids(bpmn_id)  # reserve the lane's own id too
            unnamed = lane.get(lm("unnamed")) == "true"
            role = RawRole(
                id=role_id,
                name="" if unnamed else path,
                line=line_of(lane),
                lane=True,
                fields=read_fields(lane, ROLE_FIELDS),
                notes=_documentation(lane),
            )
            role.kind_given = "kind" in role.fields
            roles.append(role)
            _foreign(lane, found)
            for ref in lane.findall(model("flowNodeRef")):
                member[_text(ref)] = role.id

    for lane_set in process.findall(model("laneSet")):
        walk(lane_set, "")
    return roles, member


def collect(root: etree._Element, path: str | None, choose: str | None) -> Collected:
    """Read the processes of a ``definitions`` element (all pools, or the one ``choose`` names)."""
    found = Collected(path=path)
    found.ids.reserve(
        element.get("id", "") for element in root.iter() if isinstance(element.tag, str)
    )
    processes = {p.get("id", ""): p for p in root.findall(model("process"))}
    pools: list[tuple[etree._Element | None, etree._Element | None]] = []
    referenced: set[str] = set()
    collaborations = root.findall(model("collaboration"))
    for collaboration in collaborations:
        for participant in collaboration.findall(model("participant")):
            ref = participant.get("processRef")
            if ref:
                referenced.add(ref)
                if ref not in processes:
                    found.note(f"names process {ref!r}, which the file does not hold", participant)
            pools.append((participant, processes.get(ref or "")))
    pools += [(None, p) for pid, p in processes.items() if pid not in referenced]
    if choose is not None:
        picked = [
            (part, proc)
            for part, proc in pools
            if choose
            in (
                (part.get("id") if part is not None else None),
                (proc.get("id") if proc is not None else None),
            )
        ]
        if not picked:
            valid = sorted(
                {proc.get("id", "") for _, proc in pools if proc is not None}
                | {part.get("id", "") for part, _ in pools if part is not None}
            )
            from lastmile_flows.errors import BpmnError

            raise BpmnError(
                f"no process or participant {choose!r}; valid: {', '.join(valid) or '(none)'}",
                path=path,
            )
        pools = picked
    with_work = [proc for _, proc in pools if proc is not None]
    first = with_work[0] if with_work else None
    if first is not None:
        found.ours = first.get(lm("id")) is not None
        found.process_bpmn_id = first.get("id")
        found.process_id = first.get(lm("id")) or found.ids(first.get("id") or "process")
        found.name = first.get("name") or ""
        found.fields = read_fields(first, PROCESS_FIELDS)
        found.former_roles = (first.get(lm("formerRoles")) or "").split()
        if found.former_roles:
            found.note(
                "edge cases name roles the redesign removed "
                f"({', '.join(found.former_roles)}): the audit reports them as owner removed",
                first,
            )
        if first.get(lm("unnamed")) == "true":
            found.name = ""
    if len(pools) > 1 or (pools and pools[0][0] is not None):
        for collaboration in collaborations:
            found.name = found.name or (collaboration.get("name") or "").strip()
    for pool_participant, body in pools:
        _pool(found, pool_participant, body)
    for collaboration in collaborations:
        _foreign(collaboration, found)
        _artifacts(collaboration, found)
        for flow in collaboration.findall(model("messageFlow")):
            found.messages.append(
                (
                    flow.get("sourceRef", ""),
                    flow.get("targetRef", ""),
                    flow.get("name") or "",
                    line_of(flow),
                )
            )
        for child in collaboration:
            if local(child.tag) in (
                "conversation",
                "conversationLink",
                "callConversation",
                "subConversation",
            ):
                found.note("conversations are not imported", child)
    if choose is None:
        for tag in ("choreography", "globalConversation"):
            for element in root.findall(model(tag)):
                found.note(f"{tag} elements are not imported", element)
    _renamed(root, found)
    return found


def _renamed(root: etree._Element, found: Collected) -> None:
    """A note for each BPMN id the model had to change (model ids are ASCII letters, digits,
    ``_`` and ``-``; XML allows more)."""
    if not found.ids.renamed:
        return
    for element in root.iter():
        bpmn_id = element.get("id") if isinstance(element.tag, str) else None
        if bpmn_id in found.ids.renamed:
            found.note(
                f"id {bpmn_id!r} becomes {found.ids.renamed.pop(bpmn_id)!r} in the model (model "
                "ids hold only ASCII letters, digits, '_' and '-')",
                element,
            )


def _pool(
    found: Collected, participant: etree._Element | None, process: etree._Element | None
) -> None:
    pool_element = participant if participant is not None else process
    assert pool_element is not None
    pool_bpmn = pool_element.get("id") or "pool"
    pool_name = pool_element.get("name") or ""
    if not pool_name and process is not None:
        pool_name = process.get("name") or ""
    pool_role = RawRole(
        id=found.ids(pool_bpmn), name=pool_name, line=line_of(pool_element), lane=False
    )
    if participant is not None and process is not None:
        found.ids(process.get("id") or "process")
    found.pool_roles[pool_bpmn] = pool_role.id
    if participant is not None and process is not None and process.get("id"):
        found.pool_roles[process.get("id", "")] = pool_role.id
    if process is None:
        found.roles.append(pool_role)  # a black-box pool: a role that messages reach
        return
    lanes, member = _lane_roles(process, found, pool_role.id)
    found.roles.append(pool_role)
    found.roles += lanes
    if participant is not None:
        _foreign(participant, found)
    found.notes += _documentation(process)
    if found.ours:
        found.notes[:] = _documentation(process)
    _foreign(process, found)
    extensions = process.find(model("extensionElements"))
    if extensions is not None:
        for item in extensions.findall(lm("message")):
            found.messages.append(
                (item.get("source", ""), item.get("target", ""), item.get("name", ""), None)
            )
        for item in extensions.findall(lm("retired")):
            found.retired.append({"id": item.get("id", ""), "reason": item.get("reason", "")})
        found.evidence += [evidence_data(item) for item in extensions.findall(lm("evidence"))]
    _flow_elements(found, process, pool_role.id, member)


def _flow_elements(
    found: Collected, container: etree._Element, pool_role: str, member: dict[str, str]
) -> None:
    starts: list[str] = []
    for element in container:
        tag = local(element.tag)
        if not tag or tag in ("laneSet", "documentation", "extensionElements"):
            continue
        if element.tag.startswith(f"{{{MODEL}}}") is False:
            found.note("element of another namespace not imported", element)
            continue
        if element.get(lm("generated")) == "true" or element.get(lm("origin")) == "handled":
            continue  # drawn for modeling tools; the edge case itself carries the facts
        bpmn_id = element.get("id") or ""
        name = element.get("name") or ""
        unnamed = element.get(lm("unnamed")) == "true"
        role = member.get(bpmn_id, pool_role)
        line = line_of(element)
        if element.get("default"):
            found.defaults.add(element.get("default", ""))
        if tag in STEP_TAGS:
            if tag in CONTAINERS and element.get("triggeredByEvent") == "true":
                found.note(
                    "event sub-process not imported (it handles events outside the flow; model "
                    "what it handles as edge cases)",
                    element,
                )
                continue
            node = _node(
                found,
                element,
                category="step",
                kind=STEP_TAGS[tag],
                role=element.get(lm("role")) or role,
                pool=pool_role,
                fields=read_fields(element, STEP_FIELDS),
            )
            if tag in CONTAINERS:
                inner = [
                    child.get("id") or local(child.tag)
                    for child in element
                    if local(child.tag) not in _QUIET
                    and local(child.tag) != "laneSet"
                    and isinstance(child.tag, str)
                ]
                if inner:
                    shown = ", ".join(inner[:8]) + (
                        f" and {len(inner) - 8} more" if len(inner) > 8 else ""
                    )
                    found.note(
                        f"sub-process imported as one step; its {len(inner)} inner elements are "
                        f"not: {shown}",
                        element,
                    )
            elif tag == "callActivity":
                called = element.get("calledElement") or "an unnamed process"
                found.note(f"call activity imported as one step (calls {called!r})", element)
            found.nodes.append(node)
        elif tag in EVENT_TAGS:
            node = _node(
                found,
                element,
                category="event",
                kind=EVENT_TAGS[tag],
                role=role,
                pool=pool_role,
                trigger=_trigger(element, found),
                implicit=element.get(lm("implicit")) == "true",
            )
            if node.kind == "start":
                starts.append(node.id)
            found.nodes.append(node)
        elif tag in GATEWAY_TAGS:
            if tag == "complexGateway":
                found.note("complex gateway imported as an inclusive gateway", element)
            found.nodes.append(
                _node(
                    found,
                    element,
                    category="gateway",
                    kind=GATEWAY_TAGS[tag],
                    role=role,
                    pool=pool_role,
                )
            )
        elif tag == "boundaryEvent":
            found.boundaries.append(
                RawBoundary(
                    id=found.ids(bpmn_id),
                    bpmn_id=bpmn_id,
                    attached=element.get("attachedToRef", ""),
                    name="" if unnamed else name,
                    trigger=_trigger(element, found),
                    line=line,
                    fields=read_fields(element, EDGE_CASE_FIELDS),
                    notes=_documentation(element),
                    unnamed=unnamed,
                )
            )
        elif tag == "sequenceFlow":
            condition = element.find(model("conditionExpression"))
            found.flows.append(
                RawFlow(
                    id=bpmn_id,
                    source=element.get("sourceRef", ""),
                    target=element.get("targetRef", ""),
                    name=name,
                    condition=_text(condition) if condition is not None else "",
                    default=False,
                    line=line,
                    origin=element.get(lm("origin")),
                    probability=element.get(lm("probability")),
                )
            )
        elif tag in ("textAnnotation", "association", "group"):
            continue  # artifacts: read below
        else:
            found.note(_UNMAPPED.get(tag, f"{tag} is not imported"), element)
            continue
        _foreign(element, found)
    _artifacts(container, found)
    found.starts_by_pool[pool_role] = starts


_UNMAPPED = {
    "dataObject": "data object not imported (the model has no data)",
    "dataObjectReference": "data object reference not imported (the model has no data)",
    "dataStoreReference": "data store reference not imported (the model has no data)",
    "ioSpecification": "data inputs and outputs not imported",
    "property": "process property not imported",
    "dataInputAssociation": "data association not imported",
    "dataOutputAssociation": "data association not imported",
}


def _artifacts(container: etree._Element, found: Collected) -> None:
    """Text annotations become notes of the element they are associated with (or of the
    process); groups are noted."""
    texts = {
        a.get("id", ""): _text(next(iter(a.findall(model("text"))), a))
        for a in container.findall(model("textAnnotation"))
    }
    attached: set[str] = set()
    by_bpmn = {node.bpmn_id: node for node in found.nodes}
    roles_by_bpmn = {role.id: role for role in found.roles}
    for association in container.findall(model("association")):
        source, target = association.get("sourceRef", ""), association.get("targetRef", "")
        annotation, other = (source, target) if source in texts else (target, source)
        if annotation not in texts:
            found.note("association between non-annotations not imported", association)
            continue
        attached.add(annotation)
        node = by_bpmn.get(other)
        text = texts[annotation]
        if node is not None and node.category != "event":
            node.notes.append(text)
        elif other in found.ids._ids and found.ids(other) in roles_by_bpmn:
            roles_by_bpmn[found.ids(other)].notes.append(text)
        elif text:
            label = node.name or node.id if node is not None else other
            found.notes.append(f"{label}: {text}")
    for annotation_id, text in texts.items():
        if annotation_id not in attached and text:
            found.notes.append(text)
    for group in container.findall(model("group")):
        found.note("group not imported (groups do not change the flow)", group)
