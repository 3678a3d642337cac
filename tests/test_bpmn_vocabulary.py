"""The BPMN vocabulary: every tag the export writes is one the import reads back as the same
kind, and every kind of the model has a tag."""

from __future__ import annotations

from typing import get_args

import pytest

from lastmile_flows.bpmn.vocabulary import (
    BOUNDARY_TRIGGERS,
    EVENT_TAG,
    EVENT_TAGS,
    GATEWAY_TAG,
    GATEWAY_TAGS,
    STEP_TAGS,
    TASK_TAG,
    TRIGGER_TAG,
    TRIGGERS,
)
from lastmile_flows.model.elements import EventKind, GatewayKind, StepKind, Trigger

FAMILIES = [
    (TASK_TAG, STEP_TAGS, StepKind),
    (EVENT_TAG, EVENT_TAGS, EventKind),
    (GATEWAY_TAG, GATEWAY_TAGS, GatewayKind),
    (TRIGGER_TAG, TRIGGERS, Trigger),
]


@pytest.mark.parametrize(("written", "read", "kinds"), FAMILIES)
def test_every_model_kind_is_written_as_a_tag_the_import_reads(
    written: dict[str, str], read: dict[str, str], kinds: object
) -> None:
    assert sorted(written) == sorted(get_args(kinds))
    assert all(tag in read for tag in written.values())


@pytest.mark.parametrize(("written", "read", "kinds"), FAMILIES)
def test_a_tag_read_back_gives_a_kind_written_as_that_tag(
    written: dict[str, str], read: dict[str, str], kinds: object
) -> None:
    for tag in set(written.values()):
        assert written[read[tag]] == tag


def test_people_and_service_tasks_read_back_as_manual_and_system_steps() -> None:
    assert (STEP_TAGS["userTask"], STEP_TAGS["serviceTask"]) == ("manual", "system")


def test_boundary_events_have_every_trigger_but_link_and_terminate() -> None:
    assert set(TRIGGER_TAG) - BOUNDARY_TRIGGERS == {"link", "terminate"}
