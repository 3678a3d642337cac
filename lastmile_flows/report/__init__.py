"""Reports of a comparison: JSON for machines, Markdown for pull requests and committees, text
for the terminal.

Every name is imported on first use (:mod:`lastmile_flows.lazy`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lastmile_flows.lazy import exports

if TYPE_CHECKING:
    from lastmile_flows.report.jsonreport import comparison_json, comparison_schema
    from lastmile_flows.report.markdown import comparison_markdown
    from lastmile_flows.report.text import comparison_text

__all__ = ["comparison_json", "comparison_markdown", "comparison_schema", "comparison_text"]

_HOME = {
    "comparison_json": "lastmile_flows.report.jsonreport",
    "comparison_markdown": "lastmile_flows.report.markdown",
    "comparison_schema": "lastmile_flows.report.jsonreport",
    "comparison_text": "lastmile_flows.report.text",
}

__getattr__, __dir__ = exports(globals(), _HOME)
