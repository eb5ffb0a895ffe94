"""The platform API's OpenAPI document, generated from its routes and models; committed at docs/openapi.json.

`python -m functions.api.openapi` (or `make openapi`) rewrites the committed file; a unit test fails
when the committed file differs from what the code generates, so the published contract never
drifts from the code.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from aws_lambda_powertools.event_handler.openapi.models import APIKey, APIKeyIn
from pydantic.json_schema import models_json_schema

from functions.api.authentication import API_KEY_HEADER
from functions.api.handler import app
from shared.domain.records import MODEL_OF

DOCUMENT_PATH = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"
TITLE = "xero-sync platform API"
VERSION = "1.0.0"
DESCRIPTION = (
    "What a SaaS platform's backend calls to connect its customers (tenants) to Xero: create tenants, "
    "hand a tenant a hosted authorise URL, read, test and disconnect the tenant's Xero connection; write "
    "the tenant's records (contacts, items, invoices, bills, credit notes, payments) and follow each one "
    "to Xero through its ledger; map them with the tenant's sync settings. "
    "Every route needs an API key in the x-api-key header; errors are RFC 9457 problem details."
)


def openapi_document() -> str:
    """The document as committed: Powertools' schema of the resolver's routes, with the canonical record
    models the records routes refer to (their bodies are validated per entity, so Powertools does not
    see them), without the component schemas nothing refers to (Powertools always adds its own 422
    body, which errors.py replaces)."""
    schema = app.get_openapi_schema(
        title=TITLE,
        version=VERSION,
        description=DESCRIPTION,
        security_schemes={
            "apiKey": APIKey(
                name=API_KEY_HEADER,
                in_=APIKeyIn.header,
                description="`xsk_<key id>_<secret>`, issued once by `python -m functions.api.api_keys create`",
            )
        },
        security=[{"apiKey": []}],
    )
    document = json.loads(schema.model_dump_json(by_alias=True, exclude_none=True))
    _add_record_schemas(document)
    _drop_unreferenced_schemas(document)
    return json.dumps(document, indent=2) + "\n"


def _add_record_schemas(document: dict[str, Any]) -> None:
    _, definitions = models_json_schema(
        [(model, "validation") for model in MODEL_OF.values()], ref_template="#/components/schemas/{model}"
    )
    schemas: dict[str, Any] = document.setdefault("components", {}).setdefault("schemas", {})
    for name, schema in definitions.get("$defs", {}).items():
        schemas.setdefault(name, schema)


def _drop_unreferenced_schemas(document: dict[str, Any]) -> None:
    schemas: dict[str, Any] = document.get("components", {}).get("schemas", {})
    while True:
        text = json.dumps({key: value for key, value in document.items() if key != "components"})
        text += json.dumps(schemas)
        unused = [name for name in schemas if f'"#/components/schemas/{name}"' not in text]
        if not unused:
            return
        for name in unused:
            del schemas[name]


def main() -> None:
    parser = argparse.ArgumentParser(description="Write the platform API's OpenAPI document.")
    parser.add_argument("--output", type=Path, default=DOCUMENT_PATH, help="where to write it")
    arguments = parser.parse_args()
    arguments.output.write_text(openapi_document())


if __name__ == "__main__":
    main()
