"""The largest and smallest numbers a model may give: beyond them a number is a typo, or would
overflow the figures; and the event-log engine's memory cap. Here, not in the model or the
engine, so the command line can bound its options without loading their code."""

MAX_MINUTES = 10_000_000.0
"""The longest duration a model may give, in minutes (about 19 years): larger numbers are typos,
and numbers near the float limit would overflow into infinity in the figures."""
MAX_COST_PER_HOUR = 1_000_000.0
MAX_HEADCOUNT = 1_000_000.0
MAX_VOLUME = 1_000_000_000.0
"""The most cases a month a redesign may give."""
MAX_HOURS_PER_FTE_MONTH = 744.0
"""Every hour of a 31-day month."""
MIN_HOURS_PER_FTE_MONTH = 1.0
"""Less is a typo (and tiny divisors overflow the FTE figures into infinity)."""

DEFAULT_MEMORY_LIMIT = "1500MB"
"""The event-log engine's (DuckDB's) own memory cap; past it, sorts and joins spill to a
temporary folder."""


def checked_size(text: str) -> str:
    """``text`` as DuckDB reads a size (``1500MB``, ``4 GB``, ``2GiB``); ValueError otherwise."""
    cleaned = text.strip().upper().replace(" ", "")
    digits = cleaned.rstrip("KMGTIB")
    if not digits.replace(".", "", 1).isdigit():
        raise ValueError(f"memory_limit {text!r}: give a size such as '1500MB' or '4GB'")
    return cleaned
