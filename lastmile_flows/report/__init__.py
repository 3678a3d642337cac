"""Reports of a comparison: JSON for machines, Markdown for pull requests and committees, text
for the terminal."""

from lastmile_flows.report.jsonreport import comparison_json, comparison_schema
from lastmile_flows.report.markdown import comparison_markdown
from lastmile_flows.report.text import comparison_text

__all__ = ["comparison_json", "comparison_markdown", "comparison_schema", "comparison_text"]
