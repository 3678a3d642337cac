"""First pass of the import: the BPMN elements we map, read into plain records.

Nothing here decides how the model looks; :mod:`lastmile_flows.bpmn.assemble` does. Every
element that is not mapped is noted (:class:`ImportNote`), never dropped silently. This module
reads the pools, lanes and collaborations; :mod:`lastmile_flows.bpmn.flow` reads what flows in
each pool.
"""

from __future__ import annotations

from typing import cast

from lxml import etree

from lastmile_flows.bpmn.fields import PROCESS_FIELDS, evidence_data, read_fields
from lastmile_flows.bpmn.flow import artifacts, documentation, flow_elements, foreign, text_of
from lastmile_flows.bpmn.names import lm, local, model
from lastmile_flows.bpmn.records import Collected, RawRole, line_of
from lastmile_flows.errors import BpmnError
from lastmile_flows.model.elements import ROLE_VALUE_FIELDS

__all__ = ["collect"]

Pool = tuple[etree._Element | None, etree._Element | None]
"""A participant and the process it holds (either may be missing, not both)."""

_IDS = etree.XPath("//@id", smart_strings=False)
_CONVERSATIONS = frozenset(
    {"conversation", "conversationLink", "callConversation", "subConversation"}
)
_LANE, _CHILD_LANES, _NODE_REF = model("lane"), model("childLaneSet"), model("flowNodeRef")


def collect(root: etree._Element, path: str | None, choose: str | None) -> Collected:
    """Read the processes of a ``definitions`` element (all pools, or the one ``choose`` names)."""
    found = Collected(path=path)
    found.ids.reserve(cast(list[str], _IDS(root)))
    collaborations = root.findall(model("collaboration"))
    pools = _pools(root, collaborations, found)
    if choose is not None:
        pools = _chosen(pools, choose, path)
    first = next((proc for _, proc in pools if proc is not None), None)
    if first is not None:
        _head(first, found)
    if len(pools) > 1 or (pools and pools[0][0] is not None):
        for collaboration in collaborations:
            found.name = found.name or (collaboration.get("name") or "").strip()
    for pool_participant, body in pools:
        _pool(found, pool_participant, body)
    for collaboration in collaborations:
        _collaboration(collaboration, found)
    if choose is None:
        for tag in ("choreography", "globalConversation"):
            for element in root.iterchildren(model(tag)):
                found.note(f"{tag} elements are not imported", element)
    _renamed(root, found)
    return found


def _pools(
    root: etree._Element, collaborations: list[etree._Element], found: Collected
) -> list[Pool]:
    """Each participant with its process, then each process no participant names."""
    processes = {p.get("id", ""): p for p in root.iterchildren(model("process"))}
    pools: list[Pool] = []
    referenced: set[str] = set()
    for collaboration in collaborations:
        for participant in collaboration.iterchildren(model("participant")):
            ref = participant.get("processRef")
            if ref:
                referenced.add(ref)
                if ref not in processes:
                    found.note(f"names process {ref!r}, which the file does not hold", participant)
            pools.append((participant, processes.get(ref or "")))
    return pools + [(None, p) for pid, p in processes.items() if pid not in referenced]


def _chosen(pools: list[Pool], choose: str, path: str | None) -> list[Pool]:
    """The pool whose participant or process has the id ``choose``."""
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
        raise BpmnError(
            f"no process or participant {choose!r}; valid: {', '.join(valid) or '(none)'}",
            path=path,
        )
    return picked


def _head(first: etree._Element, found: Collected) -> None:
    """The process's own id, name and fields, from the first pool that holds a process."""
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


def _collaboration(collaboration: etree._Element, found: Collected) -> None:
    """Message flows; vendor data, artifacts and conversations are noted."""
    foreign(collaboration, found)
    artifacts(collaboration, found)
    for flow in collaboration.iterchildren(model("messageFlow")):
        found.messages.append(
            (
                flow.get("sourceRef", ""),
                flow.get("targetRef", ""),
                flow.get("name") or "",
                line_of(flow),
            )
        )
    for child in collaboration:
        if local(child.tag) in _CONVERSATIONS:
            found.note("conversations are not imported", child)


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
    """One pool: a role (or its lanes' roles), its extension data and its flow elements."""
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
        foreign(participant, found)
    found.notes += documentation(process)
    if found.ours:
        found.notes[:] = documentation(process)
    foreign(process, found)
    _extensions(process, found)
    flow_elements(found, process, pool_role.id, member)


def _extensions(process: etree._Element, found: Collected) -> None:
    """Our own extension elements: messages, retired edge cases, evidence."""
    extensions = next(process.iterchildren(model("extensionElements")), None)
    if extensions is None:
        return
    for item in extensions.iterchildren(lm("message")):
        found.messages.append(
            (item.get("source", ""), item.get("target", ""), item.get("name", ""), None)
        )
    for item in extensions.iterchildren(lm("retired")):
        found.retired.append({"id": item.get("id", ""), "reason": item.get("reason", "")})
    found.evidence += [evidence_data(item) for item in extensions.iterchildren(lm("evidence"))]


def _lane_roles(
    process: etree._Element, found: Collected, pool: str
) -> tuple[list[RawRole], dict[str, str]]:
    """Leaf lanes become roles ("Parent / Child" when nested); flow node id -> role id."""
    roles: list[RawRole] = []
    member: dict[str, str] = {}

    def walk(lane_set: etree._Element, prefix: str) -> None:
        for lane in lane_set.iterchildren(_LANE):
            name = lane.get("name") or ""
            path = f"{prefix} / {name}" if prefix and name else (name or prefix)
            children = next(lane.iterchildren(_CHILD_LANES), None)
            if children is not None and next(children.iterchildren(_LANE), None) is not None:
                walk(children, path)
                continue
            role = _lane_role(lane, path, found, f"{pool}-lane-{len(roles) + 1}")
            roles.append(role)
            foreign(lane, found)
            for ref in lane.iterchildren(_NODE_REF):  # text_of, quicker when it is all text
                member[(ref.text or "").strip() if len(ref) == 0 else text_of(ref)] = role.id

    for lane_set in process.iterchildren(model("laneSet")):
        walk(lane_set, "")
    return roles, member


def _lane_role(lane: etree._Element, path: str, found: Collected, fallback: str) -> RawRole:
    """A leaf lane's role (``fallback`` is its id when the lane has none)."""
    bpmn_id = lane.get("id") or fallback
    role_id = lane.get(lm("role")) or found.ids(bpmn_id)
    if lane.get(lm("role")):
        found.ids(bpmn_id)  # reserve the lane's own id too
    unnamed = lane.get(lm("unnamed")) == "true"
    role = RawRole(
        id=role_id,
        name="" if unnamed else path,
        line=line_of(lane),
        lane=True,
        fields=read_fields(lane, ROLE_VALUE_FIELDS),
        notes=documentation(lane),
    )
    role.kind_given = "kind" in role.fields
    return role
