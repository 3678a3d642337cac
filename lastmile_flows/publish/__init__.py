"""Documents for the people around a redesign: the committee report (HTML), the text form of a
model for ``git diff``, and the checks a review workflow runs. Built on the reports and the
diagrams; nothing below imports it."""

from lastmile_flows.publish.committee import committee_report

__all__ = ["committee_report"]
