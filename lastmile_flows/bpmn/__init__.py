"""BPMN 2.0 interchange: import from modeling tools, export with layout (BPMNDI)."""

from lastmile_flows.bpmn.reader import (
    BpmnImport,
    BpmnImportWarning,
    ImportNote,
    import_bpmn,
    read_bpmn,
)
from lastmile_flows.bpmn.writer import write_bpmn

__all__ = [
    "BpmnImport",
    "BpmnImportWarning",
    "ImportNote",
    "import_bpmn",
    "read_bpmn",
    "write_bpmn",
]
