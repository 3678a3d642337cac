"""The flow elements of one process (or pool), read into records in one pass over its children.

Each child is dispatched on its tag to the reader of its family (steps, events, gateways,
boundary events, sequence flows); artifacts are read after the pass, and every other element is
noted, with the reason from :data:`~lastmile_flows.bpmn.vocabulary.UNMAPPED` when there is one.
Attributes are read once per element into a dict (lxml's ``get`` parses the name each time).
Most elements have no documentation, extension elements or condition: one XPath finds those that
do, and only their children are looked up (by Clark name, filtered in C).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import cast

from lxml import etree

from lastmile_flows.bpmn.fields import fields_of
from lastmile_flows.bpmn.names import LM, MODEL, XSI, lm, local, model
from lastmile_flows.bpmn.records import Collected, RawBoundary, RawFlow, RawNode, line_of
from lastmile_flows.bpmn.vocabulary import (
    CONTAINERS,
    EVENT_TAGS,
    GATEWAY_TAGS,
    STEP_TAGS,
    TRIGGERS,
    UNMAPPED,
)
from lastmile_flows.model.elements import EDGE_CASE_VALUE_FIELDS, STEP_VALUE_FIELDS

__all__ = ["artifacts", "documentation", "flow_elements", "foreign", "text_of"]

_MODEL = f"{{{MODEL}}}"
_LM = f"{{{LM}}}"
_DOCUMENTATION = model("documentation")
_EXTENSIONS = model("extensionElements")
_CONDITION = model("conditionExpression")
_ANNOTATED = etree.XPath(
    "*[bpmn:documentation or bpmn:extensionElements or bpmn:conditionExpression]",
    namespaces={"bpmn": MODEL},
)
_DEFINITION_REF = model("eventDefinitionRef")
_UNNAMED, _ROLE, _GENERATED, _ORIGIN = lm("unnamed"), lm("role"), lm("generated"), lm("origin")
_IMPLICIT, _PROBABILITY = lm("implicit"), lm("probability")
_KNOWN_NAMESPACES = frozenset({MODEL, LM, XSI, "http://www.w3.org/XML/1998/namespace"})
_KNOWN_PREFIXES = tuple(f"{{{namespace}}}" for namespace in sorted(_KNOWN_NAMESPACES))
_SKIPPED = frozenset({"laneSet", "documentation", "extensionElements"})
_QUIET = frozenset({"documentation", "extensionElements", "incoming", "outgoing", "laneSet"})
_ARTIFACTS = frozenset({"textAnnotation", "association", "group"})


@dataclass
class _Pool:
    """What the readers of one pool's elements share."""

    found: Collected
    role: str
    member: dict[str, str]
    annotated: set[etree._Element]
    """The children with documentation, extension elements or a condition (most have none).
    lxml keeps one proxy per element while it is referenced, so the walk meets these very
    objects."""
    starts: list[str] = field(default_factory=list)

    def notes(self, element: etree._Element) -> list[str]:
        return documentation(element) if element in self.annotated else []


def text_of(element: etree._Element, *, strip: bool = True) -> str:
    text = "".join(map(str, element.itertext()))
    return text.strip() if strip else text


def documentation(element: etree._Element) -> list[str]:
    """The element's non-empty ``documentation`` texts, as written."""
    texts = [text_of(doc, strip=False) for doc in element.iterchildren(_DOCUMENTATION)]
    return [text for text in texts if text]


def foreign(element: etree._Element, found: Collected) -> None:
    """Note vendor attributes and extension elements: the model does not carry them."""
    names = sorted(
        _prefixed(element, key)
        for key in map(str, element.attrib)
        if key[:1] == "{" and key[1:].partition("}")[0] not in _KNOWN_NAMESPACES
    )
    extensions = next(element.iterchildren(_EXTENSIONS), None)
    if extensions is not None:
        tagged = [child for child in extensions if isinstance(child.tag, str)]
        names += sorted(
            {_prefixed(child, child.tag) for child in tagged}
            - {_prefixed(child, child.tag) for child in tagged if child.tag.startswith(_LM)}
        )
    if names:
        shown = ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
        found.note(f"vendor extension data not imported: {shown}", element)


def _prefixed(element: etree._Element, name: str) -> str:
    namespace, _, tail = name[1:].partition("}") if name.startswith("{") else ("", "", name)
    prefix = next((p for p, uri in element.nsmap.items() if uri == namespace and p), None)
    return f"{prefix}:{tail}" if prefix else tail


def flow_elements(
    found: Collected, container: etree._Element, pool_role: str, member: dict[str, str]
) -> None:
    """Read every flow element of ``container`` (a process) into ``found``, in file order."""
    pool = _Pool(found, pool_role, member, set(cast(list[etree._Element], _ANNOTATED(container))))
    for element in container:
        entry = _BY_TAG.get(element.tag)
        if entry is None:
            _other(pool, element)
            continue
        name, reader = entry
        attributes = cast(dict[str, str], dict(element.items()))  # lxml gives str
        if attributes.get(_GENERATED) == "true" or attributes.get(_ORIGIN) == "handled":
            continue  # drawn for modeling tools; the edge case itself carries the facts
        if attributes.get("default"):
            found.defaults.add(attributes["default"])
        if reader(pool, element, name, attributes) and (
            element in pool.annotated or _foreign_attributes(attributes)
        ):
            foreign(element, found)
    artifacts(container, found)
    found.starts_by_pool[pool_role] = pool.starts


def _other(pool: _Pool, element: etree._Element) -> None:
    """A child no reader takes: skipped (comments, lanes, documentation, artifacts, drawn
    elements) or noted."""
    tag = element.tag
    if not isinstance(tag, str):
        return
    name = local(tag)
    if name in _SKIPPED:
        return
    if not tag.startswith(_MODEL):
        pool.found.note("element of another namespace not imported", element)
        return
    if element.get(_GENERATED) == "true" or element.get(_ORIGIN) == "handled":
        return
    if element.get("default"):
        pool.found.defaults.add(element.get("default", ""))
    if name not in _ARTIFACTS:
        pool.found.note(UNMAPPED.get(name, f"{name} is not imported"), element)


def _foreign_attributes(attributes: dict[str, str]) -> bool:
    """Whether an attribute is in a namespace :func:`foreign` notes (a quick look first)."""
    return any(key[0] == "{" and not key.startswith(_KNOWN_PREFIXES) for key in attributes)


def _node(
    pool: _Pool,
    element: etree._Element,
    tag: str,
    attributes: dict[str, str],
    category: str,
    kind: str,
) -> RawNode:
    """A flow node's record: what steps, events and gateways share."""
    bpmn_id = attributes.get("id") or ""
    unnamed = attributes.get(_UNNAMED) == "true"
    node = RawNode(
        pool.found.ids(bpmn_id),
        bpmn_id,
        tag,
        line_of(element),
        category,
        kind,
        "" if unnamed else attributes.get("name") or "",
        pool.member.get(bpmn_id, pool.role),
        notes=pool.notes(element),
        unnamed=unnamed,
        pool=pool.role,
    )
    pool.found.nodes.append(node)
    return node


def _step(pool: _Pool, element: etree._Element, tag: str, attributes: dict[str, str]) -> bool:
    found = pool.found
    if tag in CONTAINERS and attributes.get("triggeredByEvent") == "true":
        found.note(
            "event sub-process not imported (it handles events outside the flow; model what it "
            "handles as edge cases)",
            element,
        )
        return False
    node = _node(pool, element, tag, attributes, "step", STEP_TAGS[tag])
    node.fields = fields_of(attributes, STEP_VALUE_FIELDS)
    if attributes.get(_ROLE):
        node.role = attributes[_ROLE]
    if tag in CONTAINERS:
        _inner(element, found)
    elif tag == "callActivity":
        called = attributes.get("calledElement") or "an unnamed process"
        found.note(f"call activity imported as one step (calls {called!r})", element)
    return True


def _inner(element: etree._Element, found: Collected) -> None:
    """Note what a sub-process holds: it is imported as one step."""
    inner = [
        child.get("id") or local(child.tag)
        for child in element
        if isinstance(child.tag, str) and local(child.tag) not in _QUIET
    ]
    if inner:
        shown = ", ".join(inner[:8]) + (f" and {len(inner) - 8} more" if len(inner) > 8 else "")
        found.note(
            f"sub-process imported as one step; its {len(inner)} inner elements are not: {shown}",
            element,
        )


def _event(pool: _Pool, element: etree._Element, tag: str, attributes: dict[str, str]) -> bool:
    trigger = _trigger(element, pool.found)
    node = _node(pool, element, tag, attributes, "event", EVENT_TAGS[tag])
    node.trigger = trigger
    node.implicit = attributes.get(_IMPLICIT) == "true"
    if node.kind == "start":
        pool.starts.append(node.id)
    return True


def _gateway(pool: _Pool, element: etree._Element, tag: str, attributes: dict[str, str]) -> bool:
    if tag == "complexGateway":
        pool.found.note("complex gateway imported as an inclusive gateway", element)
    _node(pool, element, tag, attributes, "gateway", GATEWAY_TAGS[tag])
    return True


def _boundary(pool: _Pool, element: etree._Element, tag: str, attributes: dict[str, str]) -> bool:
    found = pool.found
    bpmn_id = attributes.get("id") or ""
    unnamed = attributes.get(_UNNAMED) == "true"
    model_id = found.ids(bpmn_id)
    found.boundaries.append(
        RawBoundary(
            id=model_id,
            bpmn_id=bpmn_id,
            attached=attributes.get("attachedToRef", ""),
            name="" if unnamed else attributes.get("name") or "",
            trigger=_trigger(element, found),
            line=line_of(element),
            fields=fields_of(attributes, EDGE_CASE_VALUE_FIELDS),
            notes=pool.notes(element),
            unnamed=unnamed,
        )
    )
    return True


def _sequence_flow(
    pool: _Pool, element: etree._Element, tag: str, attributes: dict[str, str]
) -> bool:
    condition = None
    if element in pool.annotated:
        condition = next(element.iterchildren(_CONDITION), None)
    pool.found.flows.append(
        RawFlow(
            id=attributes.get("id") or "",
            source=attributes.get("sourceRef", ""),
            target=attributes.get("targetRef", ""),
            name=attributes.get("name") or "",
            condition=text_of(condition) if condition is not None else "",
            default=False,
            line=line_of(element),
            origin=attributes.get(_ORIGIN),
            probability=attributes.get(_PROBABILITY),
        )
    )
    return True


def _trigger(element: etree._Element, found: Collected) -> str | None:
    """The trigger of an event (its first event definition, of any namespace)."""
    triggers = [TRIGGERS[local(c.tag)] for c in element if local(c.tag) in TRIGGERS]
    if len(triggers) > 1:
        found.note(
            f"has {len(triggers)} event definitions ({', '.join(triggers)}); "
            f"imported as {triggers[0]}",
            element,
        )
    if not triggers and next(element.iterchildren(_DEFINITION_REF), None) is not None:
        found.note(
            "its event definition is a reference to a shared one; imported as plain", element
        )
    return triggers[0] if triggers else None


_Reader = Callable[[_Pool, etree._Element, str, dict[str, str]], bool]
"""Reads one element into the pool's records; False when it was noted and left out."""
_READERS: dict[str, _Reader] = {
    **dict.fromkeys(STEP_TAGS, _step),
    **dict.fromkeys(EVENT_TAGS, _event),
    **dict.fromkeys(GATEWAY_TAGS, _gateway),
    "boundaryEvent": _boundary,
    "sequenceFlow": _sequence_flow,
}
_BY_TAG: dict[object, tuple[str, _Reader]] = {
    model(name): (name, reader) for name, reader in _READERS.items()
}
"""By Clark name: the reader of each BPMN element we map, and its local name."""


def artifacts(container: etree._Element, found: Collected) -> None:
    """Text annotations become notes of the element they are associated with (or of the
    process); groups are noted."""
    texts = {
        a.get("id", ""): text_of(next(a.iterchildren(model("text")), a))
        for a in container.iterchildren(model("textAnnotation"))
    }
    attached: set[str] = set()
    associations = list(container.iterchildren(model("association")))
    by_bpmn = {node.bpmn_id: node for node in found.nodes} if associations else {}
    roles_by_id = {role.id: role for role in found.roles}
    for association in associations:
        source, target = association.get("sourceRef", ""), association.get("targetRef", "")
        annotation, other = (source, target) if source in texts else (target, source)
        if annotation not in texts:
            found.note("association between non-annotations not imported", association)
            continue
        attached.add(annotation)
        node = by_bpmn.get(other)
        text = texts[annotation]
        known = found.ids.known(other)
        if node is not None and node.category != "event":
            node.notes.append(text)
        elif known is not None and known in roles_by_id:
            roles_by_id[known].notes.append(text)
        elif text:
            label = node.name or node.id if node is not None else other
            found.notes.append(f"{label}: {text}")
    for annotation_id, text in texts.items():
        if annotation_id not in attached and text:
            found.notes.append(text)
    for group in container.iterchildren(model("group")):
        found.note("group not imported (groups do not change the flow)", group)
