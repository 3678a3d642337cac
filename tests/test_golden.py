"""The example library's comparisons: golden reports, and the domain story asserted by id."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from lastmile_flows import compare
from lastmile_flows.report import comparison_schema
from tests.golden import GOLDEN, expected
from tests.support import library

GOLDEN_FILES = sorted(GOLDEN.glob("*.*"))
REDESIGNS = sorted({path.stem for path in GOLDEN_FILES})
"""The example redesigns by id, as their golden files name them (checked against the library)."""


@pytest.fixture(scope="module")
def reports() -> dict[Path, str]:
    """Each golden file's text as this code writes it (computed once: the library loads its
    Python models in child processes)."""
    return expected()


@pytest.mark.slow
def test_there_is_a_golden_file_for_every_report_and_no_other(reports: dict[Path, str]) -> None:
    missing = sorted(path.name for path in reports if not path.exists())
    assert missing == [], "run: .venv/bin/python -m tests.golden (then review the diff)"
    assert sorted(reports) == GOLDEN_FILES
    assert sorted(library()) == REDESIGNS


@pytest.mark.slow
@pytest.mark.parametrize("path", GOLDEN_FILES, ids=lambda path: path.name)
def test_report_matches_reviewed_golden_file(path: Path, reports: dict[Path, str]) -> None:
    text = reports[path]
    assert path.read_text(encoding="utf-8") == text, f"{path.name} changed: review, regenerate"


@pytest.mark.slow
def test_distributor_redesign_shows_the_rollback_story() -> None:
    comparison = compare(library()["order_entry_ai"])
    found = {(f.name, f.element_ids) for f in comparison.findings}
    # the experienced leads were let go: their exceptions lost their owner
    assert ("edge_case.owner_removed", ("duplicate_po", "post_to_erp", "csr_lead")) in found
    assert ("edge_case.owner_removed", ("contract_price", "apply_pricing", "csr_lead")) in found
    assert ("edge_case.owner_removed", ("partial_refused", "split_shipment", "csr_lead")) in found
    assert (
        "edge_case.tribal_knowledge_at_risk",
        ("duplicate_po", "post_to_erp", "csr_lead"),
    ) in found
    # the ERP integration brought a new failure nobody owns
    assert ("edge_case.no_owner", ("duplicate_erp_record", "post_to_erp")) in found
    # the review the AI needed was never staffed: its queue grows without bound
    assert ("review.backlog_unbounded", ("order_desk", "review_extraction")) in found
    # and at the piloted review share more AI errors reach customers than the committee accepts
    assert ("ai.errors_escape", ("extract_order", "review_extraction")) in found
    # pricing AI acts with nobody answerable
    assert ("ai.acts_unsupervised", ("apply_pricing",)) in found


@pytest.mark.slow
def test_maintenance_and_contract_redesigns_surface_their_unowned_failures() -> None:
    models = library()
    maintenance = {
        (f.name, f.element_ids) for f in compare(models["predictive_maintenance"]).findings
    }
    contracts = {(f.name, f.element_ids) for f in compare(models["contract_review_ai"]).findings}
    assert ("edge_case.no_owner", ("sensor_dropout", "stream_readings")) in maintenance
    assert ("edge_case.retired", ("transcription_error", "enter_cmms")) in maintenance
    assert ("edge_case.no_owner", ("missed_clause", "draft_deviations")) in contracts
    assert ("ai.no_human_decision", ("triage",)) in contracts


@pytest.mark.slow
@pytest.mark.parametrize("ident", REDESIGNS)
def test_json_output_validates_against_its_documented_schema(ident: str) -> None:
    schema = comparison_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    document = json.loads(compare(library()[ident]).to_json())
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(document)) == []
    assert document["schema_version"] == 1
    assert {"steps", "findings", "metrics"} <= set(document)
    assert set(document["metrics"]) == {
        "current",
        "redesigned",
        "delta",
        "dropped_exceptions_per_case",
        "dropped_exceptions_per_month",
    }
    assert {f["edge_case"] for f in document["edge_cases"]} == {
        case.id for _, case in library()[ident].current.edge_cases()
    }
    assert {"code", "name", "severity", "message", "element_ids"} <= set(document["findings"][0])
    assert {"change", "current", "redesigned"} <= set(document["steps"][0])


@pytest.mark.slow
def test_the_schema_rejects_a_tampered_document() -> None:
    document = json.loads(compare(library()["order_entry_ai"]).to_json())
    document["steps"][0]["change"] = "improved"
    errors = list(jsonschema.Draft202012Validator(comparison_schema()).iter_errors(document))
    assert errors
