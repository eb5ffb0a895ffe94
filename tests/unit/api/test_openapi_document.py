"""docs/openapi.json is the platform API's published contract: it must be what the code generates."""

from __future__ import annotations

import json

from functions.api.openapi import DOCUMENT_PATH, openapi_document


def test_committed_openapi_document_is_what_the_routes_generate() -> None:
    # Given the committed document and the one the routes and models generate now
    committed = DOCUMENT_PATH.read_text()
    generated = openapi_document()
    # Then they are identical (run `make openapi` after changing a route or a model)
    assert committed == generated, "docs/openapi.json is stale: run `make openapi` and commit the result"


def test_document_requires_the_api_key_on_every_operation() -> None:
    # Given the generated document
    document = json.loads(openapi_document())
    # Then the API key scheme is the document's security requirement and nothing overrides it
    assert document["security"] == [{"apiKey": []}]
    assert document["components"]["securitySchemes"]["apiKey"] == {
        "type": "apiKey",
        "description": "`xsk_<key id>_<secret>`, issued once by `python -m functions.api.api_keys create`",
        "in": "header",
        "name": "x-api-key",
    }
    operations = [operation for path in document["paths"].values() for operation in path.values()]
    assert len(operations) == 32
    assert all("security" not in operation for operation in operations)


def test_every_error_answer_is_documented_as_a_problem() -> None:
    # Given the generated document
    document = json.loads(openapi_document())
    # Then every 4xx and 5xx answer of every operation is a problem-details body
    errors = [
        response
        for path in document["paths"].values()
        for operation in path.values()
        for status, response in operation["responses"].items()
        if status.startswith(("4", "5"))
    ]
    assert errors
    assert all(
        response["content"] == {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
        for response in errors
    )
