"""XML namespaces of BPMN 2.0 and of lastmile's own extension attributes."""

from __future__ import annotations

__all__ = ["BPMNDI", "DC", "DI", "LM", "MODEL", "NSMAP", "XSI", "lm", "local", "model"]

MODEL = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
LM = "urn:lastmile-flows:bpmn:1"
"""Our extension namespace: step kinds, AI modes, minutes, rates, owners, review links."""

NSMAP = {"bpmn": MODEL, "bpmndi": BPMNDI, "dc": DC, "di": DI, "lastmile": LM}


def model(name: str) -> str:
    """``{MODEL}name``: a BPMN model element or attribute name in Clark notation."""
    return f"{{{MODEL}}}{name}"


def lm(name: str) -> str:
    """``{LM}name``: one of our extension attributes."""
    return f"{{{LM}}}{name}"


def local(tag: object) -> str:
    """The local name of an element tag (comments and processing instructions give '')."""
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]
