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

SIZE_UNITS = ("B", "KB", "MB", "GB", "TB", "KIB", "MIB", "GIB", "TIB", "K", "M", "G", "T")
"""The units of a size DuckDB reads (1000-based, 1024-based with an I, or one letter)."""
DEFAULT_MEMORY_LIMIT = "1500MB"
"""The event-log engine's (DuckDB's) own memory cap; past it, sorts and joins spill to a
temporary folder."""


def checked_size(text: str) -> str:
    """``text`` as a size DuckDB reads (a positive number and a unit: ``1500MB``, ``4 GB``,
    ``2GiB``, ``512M``), upper-cased and without spaces; ValueError otherwise."""
    cleaned = text.strip().upper().replace(" ", "")
    number, unit = cleaned.rstrip("KMGTIB"), cleaned.lstrip("0123456789.")
    valid = number.replace(".", "", 1).isdigit() and number + unit == cleaned
    if not valid or unit not in SIZE_UNITS or float(number) <= 0:
        raise ValueError(
            f"memory_limit {text!r}: give a size such as '1500MB' or '4GB' (units: "
            f"{', '.join(SIZE_UNITS)})"
        )
    return cleaned
