"""Fixtures of the integration suite: one moto server per test process, one fresh stage per test.

Every test process (pytest-xdist worker) starts its own moto server on a free loopback port and
points boto3 at it through AWS_ENDPOINT_URL, with fake credentials, for the whole session. Tests
share that server but never a stage: the `stage` fixture creates every resource of a new, random
stage name, so tests stay independent without restarting moto.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from moto.server import ThreadedMotoServer

from local_stack import moto_atomic
from local_stack.resources import StageResources, create_resources
from shared.resources import ResourceNames

REGION = "eu-west-1"
XERO_CLIENT_ID = "integration-client-id"
XERO_CLIENT_SECRET = "integration-client-secret"
WEBHOOK_KEY = "integration-webhook-key"


@pytest.fixture(scope="session")
def aws_endpoint() -> Iterator[str]:
    """The URL of this process's moto server, with the environment pointing boto3 at it."""
    moto_atomic.apply()  # as in the local stack: DynamoDB's conditional writes are atomic
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    # moto's server logs every request at INFO; failures are easier to read without them.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("AWS_ENDPOINT_URL", endpoint)
        # botocore reads AWS_DEFAULT_REGION; the functions' settings read AWS_REGION (as Lambda sets both).
        env.setenv("AWS_REGION", REGION)
        env.setenv("AWS_DEFAULT_REGION", REGION)
        env.setenv("AWS_ACCESS_KEY_ID", "testing")
        env.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        env.setenv("AWS_SESSION_TOKEN", "testing")
        # Never let a developer's profile or credential files reach moto (or AWS by mistake).
        env.delenv("AWS_PROFILE", raising=False)
        env.setenv("AWS_CONFIG_FILE", "/nonexistent/aws-config")
        env.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials")
        # botocore's account-based endpoints are not routed by moto (shared/notes/aws.md §4).
        env.setenv("AWS_ACCOUNT_ID_ENDPOINT_MODE", "disabled")
        yield endpoint
    server.stop()


@dataclass(frozen=True)
class Stage:
    """A stage created for one test: its names, the moto endpoint, and the created resources' ids."""

    name: str
    names: ResourceNames
    endpoint_url: str
    resources: StageResources

    @property
    def tokens_key_id(self) -> str:
        return self.resources.tokens_key_id


@pytest.fixture
def stage(aws_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Stage:
    """Every resource of a fresh random stage, with the Xero app and webhook secrets filled; STAGE is
    set to it so functions' settings name the same resources."""
    name = f"it{secrets.token_hex(4)}"
    names = ResourceNames(name)
    resources = create_resources(
        names, xero_client_id=XERO_CLIENT_ID, xero_client_secret=XERO_CLIENT_SECRET, webhook_key=WEBHOOK_KEY
    )
    monkeypatch.setenv("STAGE", name)
    return Stage(name=name, names=names, endpoint_url=aws_endpoint, resources=resources)
