"""Evidence from event logs: read a log, summarise it, draft a current-state model from it,
calibrate a model's numbers with provenance, and check where practice departs from the model."""

from lastmile_flows.evidence.read import EventLog, read_log

__all__ = ["EventLog", "read_log"]
