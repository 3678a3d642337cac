"""BPMN files of realistic shape at any size, as a modelling tool would save them.

One pool with eight lanes; tasks in blocks of ten (user, service and script tasks, 30 % of
them automated), an exclusive gateway after the eighth task of every block whose side branch
takes 15 % of cases, a boundary error event on 30 % of the tasks leading to a handling task,
and a diagram (BPMNDI) with a shape for every node and a waypoint list for every flow. The
file is written with lxml directly: a 100,000-task file takes seconds, where drawing it
through the model (``lastmile bpmn export``) would lay it out first.

Usage: ``.venv/bin/python -m benchmarks.bpmn_file TASKS -o FILE.bpmn``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lxml import etree

__all__ = ["bpmn_file"]

MODEL = "http://www.omg.org/spec/BPMN/20100524/MODEL"
DI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DD = "http://www.omg.org/spec/DD/20100524/DI"
LANES = 8
BLOCK = 10


def _tag(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


class _Writer:
    def __init__(self, tasks: int, *, diagram: bool) -> None:
        self.root = etree.Element(
            _tag(MODEL, "definitions"),
            nsmap={"bpmn": MODEL, "bpmndi": DI, "dc": DC, "di": DD},
            id="definitions",
            targetNamespace="http://example.com/bpmn",
        )
        collaboration = etree.SubElement(self.root, _tag(MODEL, "collaboration"), id="collab")
        etree.SubElement(
            collaboration,
            _tag(MODEL, "participant"),
            id="pool",
            name="Order handling",
            processRef="orders",
        )
        self.process = etree.SubElement(
            self.root, _tag(MODEL, "process"), id="orders", isExecutable="false"
        )
        lane_set = etree.SubElement(self.process, _tag(MODEL, "laneSet"), id="lanes")
        self.lanes = [
            etree.SubElement(lane_set, _tag(MODEL, "lane"), id=f"lane_{n}", name=f"Team {n}")
            for n in range(LANES)
        ]
        shapes = etree.SubElement(self.root, _tag(DI, "BPMNDiagram"), id="diagram")
        self.plane = etree.SubElement(
            shapes, _tag(DI, "BPMNPlane"), id="plane", bpmnElement="collab"
        )
        self.diagram = diagram
        self.position: dict[str, tuple[int, int]] = {}
        self.tasks = tasks

    def node(self, kind: str, node_id: str, lane: int, column: int, **extra: str) -> None:
        etree.SubElement(self.process, _tag(MODEL, kind), {"id": node_id, **extra})
        etree.SubElement(self.lanes[lane], _tag(MODEL, "flowNodeRef")).text = node_id
        x, y = 160 + 150 * column, 40 + 120 * lane
        self.position[node_id] = (x, y)
        if not self.diagram:
            return
        shape = etree.SubElement(
            self.plane, _tag(DI, "BPMNShape"), id=f"{node_id}_di", bpmnElement=node_id
        )
        etree.SubElement(shape, _tag(DC, "Bounds"), x=str(x), y=str(y), width="100", height="80")

    def flow(self, source: str, target: str, **extra: str) -> None:
        flow_id = f"flow_{source}_{target}"
        attributes = {"id": flow_id, "sourceRef": source, "targetRef": target, **extra}
        etree.SubElement(self.process, _tag(MODEL, "sequenceFlow"), attributes)
        if not self.diagram:
            return
        edge = etree.SubElement(
            self.plane, _tag(DI, "BPMNEdge"), id=f"{flow_id}_di", bpmnElement=flow_id
        )
        for node_id, dx in ((source, 100), (target, 0)):
            x, y = self.position[node_id]
            etree.SubElement(edge, _tag(DD, "waypoint"), x=str(x + dx), y=str(y + 40))

    def build(self) -> bytes:
        self.node("startEvent", "start", 0, 0, name="Order received")
        previous = "start"
        column = 1
        for index in range(self.tasks):
            offset = index % BLOCK
            full = index - offset + BLOCK <= self.tasks
            task_id = f"t{index}"
            kind = "serviceTask" if offset in (0, 3, 5) else "userTask"
            lane = (index // 3) % LANES
            self.node(kind, task_id, lane, column, name=f"Handle item {index} of the order")
            self.flow(previous, task_id)
            if offset == 9 and full:  # the usual path skips the side task
                self.flow(f"gw{index - 2}", task_id, name="yes")
            previous = task_id
            column += 1
            if offset in (0, 4, 9):
                self._boundary(task_id, lane, column)
            if offset == 7 and full:
                gateway = f"gw{index}"
                self.node("exclusiveGateway", gateway, lane, column, name="Check passed?")
                self.flow(task_id, gateway)
                previous = gateway
                column += 1
        self.node("endEvent", "end", 0, column, name="Order done")
        self.flow(previous, "end")
        return etree.tostring(self.root, xml_declaration=True, encoding="UTF-8")

    def _boundary(self, task_id: str, lane: int, column: int) -> None:
        event_id = f"{task_id}_err"
        element = etree.SubElement(
            self.process,
            _tag(MODEL, "boundaryEvent"),
            id=event_id,
            name="Exception",
            attachedToRef=task_id,
        )
        etree.SubElement(element, _tag(MODEL, "errorEventDefinition"), id=f"{event_id}_def")
        etree.SubElement(self.lanes[lane], _tag(MODEL, "flowNodeRef")).text = event_id
        x, y = self.position[task_id]
        self.position[event_id] = (x + 30, y + 60)
        if self.diagram:
            shape = etree.SubElement(
                self.plane, _tag(DI, "BPMNShape"), id=f"{event_id}_di", bpmnElement=event_id
            )
            etree.SubElement(
                shape, _tag(DC, "Bounds"), x=str(x + 30), y=str(y + 60), width="36", height="36"
            )
        handler = f"{task_id}_fix"
        self.node("userTask", handler, (lane + 1) % LANES, column, name="Handle the exception")
        self.flow(event_id, handler)
        end = f"{task_id}_end"
        self.node("endEvent", end, (lane + 1) % LANES, column + 1, name="Handled")
        self.flow(handler, end)


def bpmn_file(tasks: int, *, diagram: bool = True) -> bytes:
    """A BPMN file of about ``tasks`` tasks in the main flow (plus a handling task for each
    boundary event), the same bytes for the same size; ``diagram=False`` leaves out the
    BPMNDI shapes and edges (half the bytes)."""
    if tasks < 1:
        raise ValueError(f"tasks must be at least 1, not {tasks}")
    return _Writer(tasks, diagram=diagram).build()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("tasks", type=int)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args(argv)
    args.output.write_bytes(bpmn_file(args.tasks))
    return 0


if __name__ == "__main__":
    sys.exit(main())
