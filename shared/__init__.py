"""Code shared by xero-sync's Lambda functions: domain, use cases, ports, and their adapters and fakes.

Layers (docs/decisions.md): `domain` holds pydantic models and rules; `usecases` are plain
functions and small classes over domain models and `ports`; `adapters` are the only modules that
import boto3 or httpx; `fakes` are in-memory ports for unit tests.
"""
