"""The vendored OpenAPI specs as a gate: what they accept and reject, and that every route is in them."""

from __future__ import annotations

import pytest

from tests.simulator.endpoints import REQUIRED_ENDPOINTS
from xero_simulator import conformance
from xero_simulator.routing import accounting
from xero_simulator.server import ROUTE_MODULES  # noqa: F401 - importing the server registers every route

# Request examples in the spec that its own schemas reject. Listed so that a new spec version that
# adds or fixes one is noticed; the simulator follows the schema, except where docs/simulator.md says.
SELF_CONTRADICTING_EXAMPLES = {
    ("POST", "/BankTransactions"),  # example omits LineItems, which the schema requires
    ("POST", "/BankTransactions/{BankTransactionID}"),  # same
    ("PUT", "/BankTransfers"),  # example sends Amount as the string "50.00"
}
# POST /Payments/{PaymentID}: the example wraps {"Payments": [{"Status": "DELETED"}]} while the schema is a bare
# PaymentDelete; Xero's documentation uses the wrapped form, so the simulator accepts both (conformance.py).

# Routes that answer as Xero does for operations the spec leaves out: POST/PUT /Organisation answer 501.
OUTSIDE_THE_SPEC = {("POST", "/Organisation"), ("PUT", "/Organisation")}

SELF_CONTRADICTING_RESPONSE_EXAMPLES = {
    ("GET", "/Payments"),  # BatchPayment.TotalAmount given as the string "50.00"
    ("GET", "/Payments/{PaymentID}"),  # same
    ("DELETE", "/CreditNotes/{CreditNoteID}/Allocations/{AllocationID}"),  # omits Amount, which Allocation requires
}


def _request_example(method: str, path: str) -> object:
    op = conformance.operation(conformance.ACCOUNTING_URI, path, method)
    assert op is not None
    return op.spec.get("requestBody", {}).get("content", {}).get("application/json", {}).get("example")


def test_every_required_endpoint_is_served() -> None:
    served = {(route.method, route.spec_path) for route in accounting.routes}
    assert REQUIRED_ENDPOINTS - served == set()


def test_every_served_route_is_an_operation_of_xeros_spec() -> None:
    unknown = {
        (r.method, r.spec_path)
        for r in accounting.routes
        if conformance.operation(conformance.ACCOUNTING_URI, r.spec_path, r.method) is None
    }
    assert unknown == OUTSIDE_THE_SPEC


def test_the_specs_request_examples_pass_the_request_check_except_the_known_contradictions() -> None:
    rejected = set()
    for method, path in conformance.spec_paths():
        example = _request_example(method, path)
        if example is None:
            continue
        op = conformance.operation(conformance.ACCOUNTING_URI, path, method)
        assert op is not None
        try:
            conformance.check_request(op, example)
        except conformance.ConformanceError:
            rejected.add((method, path))
    assert rejected == SELF_CONTRADICTING_EXAMPLES


def test_a_wrong_type_in_a_request_is_a_conformance_error() -> None:
    op = conformance.operation(conformance.ACCOUNTING_URI, "/Invoices", "PUT")
    assert op is not None
    with pytest.raises(conformance.ConformanceError, match="Quantity"):
        conformance.check_request(op, {"Invoices": [{"LineItems": [{"Quantity": "three"}]}]})


def test_a_response_missing_what_the_schema_requires_is_a_conformance_error() -> None:
    op = conformance.operation(
        conformance.ACCOUNTING_URI, "/CreditNotes/{CreditNoteID}/Allocations/{AllocationID}", "DELETE"
    )
    assert op is not None
    with pytest.raises(conformance.ConformanceError, match="Amount"):
        conformance.check_response(op, 200, {"AllocationID": "x", "IsDeleted": True})


def test_the_specs_response_examples_pass_the_response_check_except_the_known_contradictions() -> None:
    rejected, checked = set(), 0
    for method, path in REQUIRED_ENDPOINTS:
        op = conformance.operation(conformance.ACCOUNTING_URI, path, method)
        assert op is not None
        content = op.spec.get("responses", {}).get("200", {}).get("content", {}).get("application/json", {})
        if "example" not in content:
            continue
        checked += 1
        try:
            conformance.check_response(op, 200, content["example"])
        except conformance.ConformanceError:
            rejected.add((method, path))
    assert checked > 30
    assert rejected == SELF_CONTRADICTING_RESPONSE_EXAMPLES
