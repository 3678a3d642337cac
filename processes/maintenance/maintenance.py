"""Manufacturer: route-based machine inspections replaced by sensor-driven predictive maintenance.

Written in Python to show the notebook style of authoring. A case is one inspection of one asset
(a pump, a press, a conveyor drive); the plant runs about 900 of them a month.
"""

from lastmile_flows import (
    Branch,
    EdgeCase,
    Gateway,
    Process,
    Redesign,
    RetiredEdgeCase,
    Role,
    Step,
)

TECHNICIAN = Role(id="technician", name="Maintenance technician", cost_per_hour=48, headcount=6)
PLANNER = Role(id="planner", name="Maintenance planner", cost_per_hour=55, headcount=1)
SUPERVISOR = Role(id="supervisor", name="Shift supervisor", cost_per_hour=60, headcount=2)
RELIABILITY = Role(id="reliability", name="Reliability engineer", cost_per_hour=72, headcount=1)
STORES = Role(id="stores", name="Stores clerk", cost_per_hour=35, headcount=1)
CMMS = Role(id="cmms", name="Maintenance system (CMMS)", kind="system")

ABNORMAL_NOISE = EdgeCase(
    id="abnormal_noise",
    name="Bearing noise only senior technicians recognise",
    rate=0.04,
    owner="technician",
    handling_minutes=15,
    tribal=True,
    recovery="A senior technician listens, decides whether to stop the line.",
)
PART_OBSOLETE = EdgeCase(
    id="part_obsolete",
    name="Spare part obsolete or on long lead time",
    rate=0.10,
    owner="stores",
    handling_minutes=30,
    recovery="Source an equivalent part; the planner reschedules.",
)
PRODUCTION_CONFLICT = EdgeCase(
    id="production_conflict",
    name="Downtime clashes with a customer order run",
    rate=0.20,
    owner="supervisor",
    handling_minutes=20,
    recovery="Supervisor and planner agree a later window.",
)
# Reading a failure mode takes the same know-how whether a technician or a model raised the alarm.
AMBIGUOUS_FAILURE_MODE = EdgeCase(
    id="ambiguous_failure_mode",
    name="Failure mode unclear from readings",
    rate=0.15,
    owner="reliability",
    handling_minutes=40,
    tribal=True,
)

# The shared tail: once a defect is confirmed, the repair runs the same way in both versions.
ORDER_PARTS = Step(
    id="order_parts",
    name="Reserve or order spare parts",
    role="stores",
    touch_minutes=8,
    edge_cases=(PART_OBSOLETE,),
)
SCHEDULE_DOWNTIME = Step(
    id="schedule_downtime",
    name="Schedule downtime window",
    role="supervisor",
    wait_minutes=1440,
    touch_minutes=15,
    edge_cases=(PRODUCTION_CONFLICT,),
)
REPAIR = Step(
    id="repair",
    name="Repair or replace component",
    role="technician",
    wait_minutes=720,
    touch_minutes=90,
    next="close_inspection",
)

current = Process(
    id="maintenance",
    name="Asset inspection (route-based)",
    version="current",
    description="Technicians walk a fixed weekly route, take readings by hand and key them in.",
    roles=(TECHNICIAN, PLANNER, SUPERVISOR, RELIABILITY, STORES, CMMS),
    steps=(
        Step(id="plan_route", name="Plan inspection route", role="planner", touch_minutes=2),
        Step(id="walk_route", name="Walk to asset", role="technician", touch_minutes=10),
        Step(
            id="inspect_asset",
            name="Take vibration and temperature readings",
            role="technician",
            touch_minutes=20,
            edge_cases=(ABNORMAL_NOISE,),
        ),
        Step(
            id="record_readings",
            name="Write readings on paper sheet",
            role="technician",
            touch_minutes=5,
        ),
        Step(
            id="enter_cmms",
            name="Key readings into CMMS",
            role="technician",
            wait_minutes=480,
            touch_minutes=6,
            next="defect_found",
            edge_cases=(
                EdgeCase(
                    id="transcription_error",
                    name="Reading mistyped from paper",
                    rate=0.03,
                    owner="planner",
                    handling_minutes=10,
                ),
            ),
        ),
        Step(
            id="assess_defect",
            name="Assess defect and failure mode",
            role="reliability",
            wait_minutes=480,
            touch_minutes=25,
            edge_cases=(AMBIGUOUS_FAILURE_MODE,),
        ),
        Step(id="create_work_order", name="Create work order", role="planner", touch_minutes=10),
        ORDER_PARTS,
        SCHEDULE_DOWNTIME,
        REPAIR,
        Step(
            id="close_inspection",
            name="Close inspection in CMMS",
            role="technician",
            touch_minutes=3,
        ),
    ),
    gateways=(
        Gateway(
            id="defect_found",
            name="Defect found?",
            branches=(
                Branch(to="assess_defect", probability=0.12, label="yes"),
                Branch(to="close_inspection", probability=0.88, label="no"),
            ),
        ),
    ),
)

SENSOR_NET = Role(id="sensor_net", name="Condition sensors", kind="system")
ANOMALY_AI = Role(id="anomaly_ai", name="Anomaly detection model", kind="ai")

redesigned = Process(
    id="maintenance",
    name="Asset inspection (predictive)",
    version="redesign-v1",
    description=(
        "Wireless sensors stream readings; a model flags anomalies and drafts work orders. "
        "Two technician posts are not refilled."
    ),
    roles=(
        TECHNICIAN.model_copy(update={"headcount": 4}),
        PLANNER,
        SUPERVISOR,
        RELIABILITY,
        STORES,
        CMMS,
        SENSOR_NET,
        ANOMALY_AI,
    ),
    steps=(
        Step(
            id="stream_readings",
            name="Stream condition readings",
            role="sensor_net",
            kind="system",
            touch_minutes=0.1,
            replaces=("walk_route", "inspect_asset", "record_readings", "enter_cmms"),
            edge_cases=(
                EdgeCase(
                    id="sensor_dropout",
                    name="Sensor stops reporting (battery, gateway)",
                    rate=0.03,
                    recovery="Not assigned: the asset goes unmonitored until someone notices.",
                ),
                ABNORMAL_NOISE,
            ),
        ),
        Step(
            id="detect_anomaly",
            name="Score readings for anomalies",
            role="anomaly_ai",
            kind="ai",
            ai_mode="suggest",
            touch_minutes=0.1,
            next="anomaly",
            edge_cases=(
                EdgeCase(
                    id="missed_anomaly",
                    name="Model misses a developing fault",
                    rate=0.01,
                    ai_failure=True,
                    owner="reliability",
                    handling_minutes=60,
                    recovery="Found at the monthly spot check or when the asset fails.",
                ),
            ),
        ),
        Step(
            id="review_alert",
            name="Review anomaly alert",
            role="reliability",
            kind="review",
            reviews="detect_anomaly",
            wait_minutes=120,
            touch_minutes=12,
            replaces=("assess_defect",),
            next="confirmed",
            edge_cases=(AMBIGUOUS_FAILURE_MODE,),
        ),
        Step(
            id="draft_work_order",
            name="Draft work order",
            role="anomaly_ai",
            kind="ai",
            ai_mode="draft",
            touch_minutes=0.1,
            replaces=("create_work_order",),
        ),
        Step(
            id="approve_work_order",
            name="Approve drafted work order",
            role="planner",
            kind="review",
            reviews="draft_work_order",
            touch_minutes=3,
        ),
        ORDER_PARTS,
        SCHEDULE_DOWNTIME,
        REPAIR,
        Step(
            id="spot_check",
            name="Monthly spot check walk-down",
            role="technician",
            touch_minutes=4,
            replaces=("plan_route",),
            next="close_inspection",
        ),
        Step(
            id="close_inspection",
            name="Close inspection in CMMS",
            role="cmms",
            kind="system",
            touch_minutes=0.1,
        ),
    ),
    retired_edge_cases=(
        RetiredEdgeCase(
            id="transcription_error",
            reason="Readings go from the sensor to the CMMS; nobody copies them from paper.",
        ),
    ),
    gateways=(
        Gateway(
            id="anomaly",
            name="Anomaly flagged?",
            branches=(
                Branch(to="review_alert", probability=0.15, label="yes"),
                Branch(to="spot_check", probability=0.85, label="no"),
            ),
        ),
        Gateway(
            id="confirmed",
            name="Fault confirmed?",
            branches=(
                Branch(to="draft_work_order", probability=0.6, label="yes"),
                Branch(to="close_inspection", probability=0.4, label="false alarm"),
            ),
        ),
    ),
)

redesign = Redesign(
    id="predictive_maintenance",
    name="Predictive maintenance inspection",
    description="Replace route-based inspections with sensors and an anomaly model.",
    current=current,
    redesigned=redesigned,
    volume_per_month=900,
)
