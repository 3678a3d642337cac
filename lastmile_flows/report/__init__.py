"""Reports of a comparison: JSON for machines, Markdown for pull requests, text for the
terminal, and the committee report (one HTML file with the diagrams, for the steering
committee).

Every name is imported on first use (:mod:`lastmile_flows.lazy`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lastmile_flows.lazy import exports

if TYPE_CHECKING:
    from lastmile_flows.report.committee import committee_report
    from lastmile_flows.report.jsonreport import comparison_json, comparison_schema
    from lastmile_flows.report.markdown import comparison_markdown
    from lastmile_flows.report.text import comparison_text

__all__ = [
    "committee_report",
    "comparison_json",
    "comparison_markdown",
    "comparison_schema",
    "comparison_text",
]

_HOME = {
    "committee_report": "lastmile_flows.report.committee",
    "comparison_json": "lastmile_flows.report.jsonreport",
    "comparison_markdown": "lastmile_flows.report.markdown",
    "comparison_schema": "lastmile_flows.report.jsonreport",
    "comparison_text": "lastmile_flows.report.text",
}

__getattr__, __dir__ = exports(globals(), _HOME)
