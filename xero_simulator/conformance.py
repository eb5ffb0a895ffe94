"""Xero's OpenAPI specs (vendored in xero_simulator/openapi/, MIT) as a gate on the simulator's traffic.

Every request body is checked against the operation's request schema (Xero rejects what its schema
rejects), and, in strict mode, every response body against the operation's response schema, so a
simulator answer that real Xero could not give fails the test that caused it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema.exceptions import best_match
from openapi_schema_validator import OAS30ReadValidator, OAS30Validator, OAS31Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SPEC_DIR = Path(__file__).parent / "openapi"
ACCOUNTING_URI = "urn:xero:accounting"
IDENTITY_URI = "urn:xero:identity"
WEBHOOKS_URI = "urn:xero:webhooks"
_SPECS = {
    ACCOUNTING_URI: "xero_accounting.yaml",
    IDENTITY_URI: "xero-identity.yaml",
    WEBHOOKS_URI: "xero-webhooks.yaml",
}


class ConformanceError(Exception):
    """A body that Xero's OpenAPI spec does not allow."""


class _SpecLoader(yaml.CSafeLoader):
    """YAML's safe loader without its timestamp rule: the specs' example dates must stay strings."""


_SpecLoader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.CSafeLoader.yaml_implicit_resolvers.items()
}


@cache
def load_spec(uri: str) -> dict[str, Any]:
    with (SPEC_DIR / _SPECS[uri]).open(encoding="utf-8") as handle:
        spec: dict[str, Any] = yaml.load(handle, Loader=_SpecLoader)  # noqa: S506 - a subclass of the safe loader
    return spec


@cache
def _registry() -> Registry[Any]:
    resources = [(uri, Resource.from_contents(load_spec(uri), default_specification=DRAFT4)) for uri in _SPECS]
    return Registry().with_resources(resources)


@dataclass(frozen=True)
class Operation:
    uri: str
    path: str
    method: str
    spec: dict[str, Any]

    def request_schema(self) -> dict[str, Any] | None:
        content = self.spec.get("requestBody", {}).get("content", {})
        schema = content.get("application/json", {}).get("schema")
        return _absolute(self.uri, schema) if schema else None

    def response_schema(self, status: int) -> dict[str, Any] | None:
        responses = self.spec.get("responses", {})
        answer = responses.get(str(status)) or responses.get("default")
        if answer is None:
            return None
        if "$ref" in answer:
            answer = _resolve(self.uri, answer["$ref"])
        schema = answer.get("content", {}).get("application/json", {}).get("schema")
        return _absolute(self.uri, schema) if schema else None


def _resolve(uri: str, ref: str) -> dict[str, Any]:
    node: Any = load_spec(uri)
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    result: dict[str, Any] = node
    return result


def _absolute(uri: str, schema: dict[str, Any]) -> dict[str, Any]:
    """Make the operation's `#/components/...` refs point into the right spec document."""
    rebased: dict[str, Any] = _rebase(uri, schema)
    return rebased


def _rebase(uri: str, node: Any) -> Any:
    if isinstance(node, dict):
        return {k: (f"{uri}{v}" if k == "$ref" and v.startswith("#") else _rebase(uri, v)) for k, v in node.items()}
    if isinstance(node, list):
        return [_rebase(uri, item) for item in node]
    return node


@cache
def operation(uri: str, path: str, method: str) -> Operation | None:
    """The spec's operation for a path template as the spec spells it (case-insensitive) and a method."""
    paths = load_spec(uri)["paths"]
    for candidate, item in paths.items():
        if candidate.lower() == path.lower() and method.lower() in item:
            return Operation(uri, candidate, method.lower(), item[method.lower()])
    return None


def _check(validator_class: Any, schema: dict[str, Any], body: Any, what: str) -> None:
    validator = validator_class(schema, registry=_registry())
    error = best_match(validator.iter_errors(body))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(root)"
        raise ConformanceError(f"{what} does not match Xero's schema at {where}: {error.message[:300]}")


# Operations whose request schema is a bare object while the spec's own request example (and
# Xero's documentation) wrap it in its collection: both forms are accepted. deletePayment's schema
# is PaymentDelete {"Status": "DELETED"}, its example {"Payments": [{"Status": "DELETED"}]} (FACTS.md §4.8).
_WRAPPED_REQUESTS = {("/Payments/{PaymentID}", "post"): "Payments"}


def check_request(op: Operation, body: Any) -> None:
    """Raise ConformanceError when Xero's schema rejects this request body.

    Read-only properties are allowed in requests: Xero ignores them, and the spec's own request
    examples send them (UpdatedDateUTC on Contacts, SentToContact on CreditNotes).
    """
    schema = op.request_schema()
    if schema is None:
        return
    wrapper = _WRAPPED_REQUESTS.get((op.path, op.method))
    if wrapper is not None and isinstance(body, dict) and set(body) == {wrapper}:
        schema = {"type": "object", "properties": {wrapper: {"type": "array", "items": schema}}}
    _check(OAS30Validator, schema, body, "request body")


def check_response(op: Operation, status: int, body: Any) -> None:
    """Raise ConformanceError when this response body is not one Xero's schema allows."""
    schema = op.response_schema(status)
    if schema is not None:
        _check(OAS30ReadValidator, schema, body, f"{status} response of {op.method.upper()} {op.path}")


def spec_paths(uri: str = ACCOUNTING_URI) -> list[tuple[str, str]]:
    """Every (method, path) the spec defines, for coverage tests."""
    methods = {"get", "put", "post", "delete", "patch"}
    return [(m.upper(), p) for p, item in load_spec(uri)["paths"].items() for m in item if m in methods]


def check_webhook_payload(body: Any, schema: str = "WebhookEvent") -> None:
    """Raise ConformanceError when a webhook payload is not one OAS-WH's `schema` allows (FACTS.md §2.4).

    OAS-WH is OpenAPI 3.1 and spells its enumerations as `oneOf` of `const`s, which only a 3.1 validator reads.
    """
    reference = {"$ref": f"{WEBHOOKS_URI}#/components/schemas/{schema}"}
    _check(OAS31Validator, reference, body, f"webhook payload ({schema})")
