"""The platform API composed on a moto stage, with the stage's app secret filled by a Xero app
registered at the simulator, as an operator does after deploying."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

import boto3
import pytest

from functions.api.dependencies import ApiDependencies, compose
from functions.api.settings import ApiSettings
from shared.usecases.api_keys import create_api_key
from tests.integration.conftest import Stage
from tests.simulator.identity_flow import Party, register
from xero_simulator.server import Simulator

RETURN_URL = "http://127.0.0.1:8780/_platform/return"


@dataclass(frozen=True)
class ApiOnSimulator:
    deps: ApiDependencies
    api_key: str
    party: Party  # the simulated Xero app, its user and its HTTP client (close it when done)


def api_on_simulator(simulator: Simulator, stage: Stage, monkeypatch: pytest.MonkeyPatch) -> ApiOnSimulator:
    party = register(simulator)
    app_secret = json.dumps({"client_id": party.app.client_id, "client_secret": party.app.client_secret})
    boto3.client("secretsmanager").put_secret_value(SecretId=stage.names.xero_app_secret, SecretString=app_secret)
    for variable in ("XERO_LOGIN_URL", "XERO_IDENTITY_URL", "XERO_API_URL"):
        monkeypatch.setenv(variable, simulator.base_url)
    monkeypatch.setenv("PUBLIC_BASE_URL", "http://127.0.0.1:8780")
    monkeypatch.setenv("RETURN_URL_ALLOWLIST", RETURN_URL)
    deps = compose(ApiSettings())
    key = create_api_key(deps.api_keys, "integration tests", datetime.now(UTC)).key
    return ApiOnSimulator(deps, key, party)
