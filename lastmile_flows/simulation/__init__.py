"""Discrete-event simulation and trust calibration: queues, backlogs and escaped errors.

``simulate(model)`` runs a process, or both sides of a redesign, for some months at its
volume; ``sweep_review_share(redesign)`` trades the share of an AI step's output sent to review
against reviewer FTE, escaped errors and cycle time. Nothing here imports numpy until it runs.
"""

from lastmile_flows.simulation.calendar import ArrivalProfile, Calendar
from lastmile_flows.simulation.distributions import (
    Distribution,
    Exponential,
    Fixed,
    Lognormal,
    Triangular,
    parse_distribution,
)
from lastmile_flows.simulation.results import (
    EdgeCaseFigures,
    LittleCheck,
    QueueFigures,
    SideResult,
    SimulationResult,
    StepFigures,
    TrustResult,
)
from lastmile_flows.simulation.run import SerialExecutor, default_executor, simulate
from lastmile_flows.simulation.stats import Estimate
from lastmile_flows.simulation.sweep import (
    ReviewShareSweep,
    SweepPoint,
    sweep_review_share,
    with_review_share,
)
from lastmile_flows.simulation.vectorised import capacity_free_cycle_times, escape_rates

__all__ = [
    "ArrivalProfile",
    "Calendar",
    "Distribution",
    "EdgeCaseFigures",
    "Estimate",
    "Exponential",
    "Fixed",
    "LittleCheck",
    "Lognormal",
    "QueueFigures",
    "ReviewShareSweep",
    "SerialExecutor",
    "SideResult",
    "SimulationResult",
    "StepFigures",
    "SweepPoint",
    "Triangular",
    "TrustResult",
    "capacity_free_cycle_times",
    "default_executor",
    "escape_rates",
    "parse_distribution",
    "simulate",
    "sweep_review_share",
    "with_review_share",
]
