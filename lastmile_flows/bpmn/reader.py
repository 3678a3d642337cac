"""``read_bpmn``: a BPMN 2.0 file (from any modeling tool, or our own export) as a Process.

A collaboration becomes one process: each pool is a role, or, when it has lanes, each of its
(innermost) lanes is; message flows between pools are the process's ``messages``. What the
model does not carry is reported as an :class:`ImportNote` naming the element, never dropped
silently: ``import_bpmn`` returns them, ``read_bpmn`` issues each as a
:class:`BpmnImportWarning`.
"""

from __future__ import annotations

import gc
import os
import warnings
from dataclasses import dataclass

from lxml import etree

from lastmile_flows.bpmn.assemble import assemble
from lastmile_flows.bpmn.collect import collect
from lastmile_flows.bpmn.names import MODEL, local, model
from lastmile_flows.bpmn.records import ImportNote, line_of
from lastmile_flows.bpmn.vocabulary import EVENT_TAGS, GATEWAY_TAGS, STEP_TAGS
from lastmile_flows.bpmn.xmlsafe import parse_xml
from lastmile_flows.errors import BpmnError
from lastmile_flows.model import Process

__all__ = ["BpmnImport", "BpmnImportWarning", "ImportNote", "import_bpmn", "read_bpmn"]

Source = str | os.PathLike[str] | bytes


class BpmnImportWarning(UserWarning):
    """Something in a BPMN file the model does not carry, or a value the import assumed."""


@dataclass(frozen=True)
class BpmnImport:
    """An imported process and the notes on what was assumed or left out, in file order."""

    process: Process
    notes: tuple[ImportNote, ...]


def import_bpmn(source: Source, *, process: str | None = None) -> BpmnImport:
    """Import a BPMN 2.0 file (a path, or its bytes) with the notes on what was not mapped.

    ``process`` picks one pool (a participant or process id) of a collaboration; by default
    every pool is imported into one process. Raises :class:`~lastmile_flows.BpmnError` (or its
    subclasses ``UnsafeXmlError``, ``XmlEncodingError``) naming file, line, element and id.

    The cyclic garbage collector is paused while the file is read and turned back on after
    (when it was on): the import builds hundreds of thousands of short-lived objects and no
    cycles, and at 100,000 tasks the collector's repeated scans of that growing heap were a
    third of the time. The pause is bounded, like the heap, by the file size limit.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        return _import(source, process)
    finally:
        if paused:
            gc.enable()


def _import(source: Source, process: str | None) -> BpmnImport:
    document = parse_xml(source)
    root = document.root
    if local(root.tag) != "definitions" or not root.tag.startswith(f"{{{MODEL}}}"):
        namespace = root.tag[1:].partition("}")[0] if root.tag.startswith("{") else "no namespace"
        raise BpmnError(
            f"not a BPMN 2.0 file: the root element is {local(root.tag)!r} in {namespace!r}; "
            f"expected 'definitions' in {MODEL!r}",
            path=document.path,
            line=line_of(root),
            tag=local(root.tag),
        )
    _unique_ids(root, document.path)
    found = collect(root, document.path, process)
    imported, notes = assemble(found)
    return BpmnImport(process=imported, notes=(*found.report, *notes))


_READ = (*STEP_TAGS, *EVENT_TAGS, *GATEWAY_TAGS, "boundaryEvent", "lane", "process", "participant")
_NODE_TAGS = tuple(model(tag) for tag in _READ)


def _unique_ids(root: etree._Element, path: str | None) -> None:
    """Refuse a file in which two elements the import reads (flow nodes, lanes, processes,
    participants) share an id: which one a reference means is undecidable, and importing one of
    them would drop the other silently. (Tools also repeat ids on elements the import does not
    read, such as ``ioSpecification`` or ``globalTask``; those are left alone.)"""
    first: dict[str, etree._Element] = {}
    for element in root.iter(*_NODE_TAGS):
        bpmn_id = element.get("id")
        if bpmn_id is None:
            continue
        if bpmn_id in first:
            earlier = first[bpmn_id]
            raise BpmnError(
                f"id {bpmn_id!r} is used twice (also by <{local(earlier.tag)}> on line "
                f"{line_of(earlier)}); BPMN ids must be unique: rename one in the modeling tool",
                path=path,
                line=line_of(element),
                tag=local(element.tag),
                element_id=bpmn_id,
            )
        first[bpmn_id] = element


def read_bpmn(source: Source, *, process: str | None = None) -> Process:
    """:func:`import_bpmn`'s process; each note is issued as a :class:`BpmnImportWarning`."""
    result = import_bpmn(source, process=process)
    for note in result.notes:
        warnings.warn(str(note), BpmnImportWarning, stacklevel=2)
    return result.process
