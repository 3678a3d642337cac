"""Evidence from event logs: read a log, summarise it, draft a current-state model from it,
calibrate a model's numbers with their provenance, and check where practice departs from the
model.

Layers: this package reads the model and analysis layers and draws on the render layer (the
conformance overlay); nothing below imports it. DuckDB, rustxes and polars are imported on first
use, never by ``import lastmile_flows``.
"""

from lastmile_flows.evidence.calibrate import Calibration, calibrate
from lastmile_flows.evidence.conform import Conformance, Deviation, conform
from lastmile_flows.evidence.discover import Discovery, discover_process
from lastmile_flows.evidence.mapping import ActivityMap, map_activities, read_mapping
from lastmile_flows.evidence.overlay import conformance_svg, overlay_data
from lastmile_flows.evidence.practice import practice_findings, with_practice
from lastmile_flows.evidence.queries import QUERIES, for_engine
from lastmile_flows.evidence.read import EventLog, read_log
from lastmile_flows.evidence.summary import LogSummary, summarise_log

__all__ = [
    "QUERIES",
    "ActivityMap",
    "Calibration",
    "Conformance",
    "Deviation",
    "Discovery",
    "EventLog",
    "LogSummary",
    "calibrate",
    "conform",
    "conformance_svg",
    "discover_process",
    "for_engine",
    "map_activities",
    "overlay_data",
    "practice_findings",
    "read_log",
    "read_mapping",
    "summarise_log",
    "with_practice",
]
