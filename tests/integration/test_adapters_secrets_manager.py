"""The Secrets Manager adapters against moto: the token vault keeps its contract under the tokens
key and reads fresh; the app secrets answer what the operator filled, or AppNotConfiguredError."""

from __future__ import annotations

import boto3
import pytest

from local_stack.resources import create_resources
from shared.adapters.secrets_manager import SecretsManagerAppSecrets, SecretsManagerTokenVault
from shared.ports.app_secrets import AppNotConfiguredError
from shared.resources import ResourceNames
from tests.contracts.token_vault import TokenVaultContract, a_token_set
from tests.integration.conftest import WEBHOOK_KEY, XERO_CLIENT_ID, XERO_CLIENT_SECRET, Stage


class TestSecretsManagerTokenVault(TokenVaultContract):
    @pytest.fixture
    def vault(self, stage: Stage) -> SecretsManagerTokenVault:
        return SecretsManagerTokenVault(stage.names)


def test_a_token_secret_is_encrypted_with_the_tokens_key(stage: Stage) -> None:
    # Given the vault / When a tenant's tokens are written
    SecretsManagerTokenVault(stage.names).write("tenant-1", a_token_set())
    # Then the secret names the tokens key
    described = boto3.client("secretsmanager").describe_secret(SecretId=stage.names.token_secret("tenant-1"))
    assert described["KmsKeyId"] in {stage.names.tokens_key_alias, stage.tokens_key_id}


def test_a_token_set_written_by_another_worker_is_read_at_once(stage: Stage) -> None:
    # Given one worker's vault that has read version 1
    reader = SecretsManagerTokenVault(stage.names)
    reader.write("tenant-1", a_token_set(1))
    reader.read("tenant-1")
    # When another worker writes version 2
    SecretsManagerTokenVault(stage.names).write("tenant-1", a_token_set(2))
    # Then the first worker's next read sees version 2 (no cache)
    assert reader.read("tenant-1") == a_token_set(2)


def test_the_xero_app_credentials_are_read_from_the_app_secret(stage: Stage) -> None:
    # Given a stage whose app secret the operator filled / When the Xero app is asked for
    credentials = SecretsManagerAppSecrets(stage.names).xero_app()
    # Then it is the filled client id and secret
    assert (credentials.client_id, credentials.client_secret.get_secret_value()) == (XERO_CLIENT_ID, XERO_CLIENT_SECRET)


def test_the_webhook_key_is_read_from_its_secret(stage: Stage) -> None:
    # Given a stage whose webhook key was filled / When it is asked for / Then it is the key
    assert SecretsManagerAppSecrets(stage.names).webhook_key() == WEBHOOK_KEY


@pytest.fixture
def unfilled(stage: Stage) -> ResourceNames:
    """A second stage as freshly deployed: app secrets created with no value."""
    names = ResourceNames(f"{stage.name}u")
    create_resources(names, xero_client_id="", xero_client_secret="", webhook_key="")
    return names


def test_an_unfilled_xero_app_secret_is_not_configured(unfilled: ResourceNames) -> None:
    # Given a secret the operator has not filled / When the Xero app is asked for / Then it is refused
    with pytest.raises(AppNotConfiguredError):
        SecretsManagerAppSecrets(unfilled).xero_app()


def test_an_unfilled_webhook_key_is_not_configured(unfilled: ResourceNames) -> None:
    # Given a webhook key secret with no value / When it is asked for / Then it is refused
    with pytest.raises(AppNotConfiguredError):
        SecretsManagerAppSecrets(unfilled).webhook_key()


def test_an_app_secret_without_client_fields_is_not_configured(stage: Stage) -> None:
    # Given an app secret the operator filled with the wrong shape
    boto3.client("secretsmanager").put_secret_value(SecretId=stage.names.xero_app_secret, SecretString='{"id": "x"}')
    # When the Xero app is asked for / Then it is refused
    with pytest.raises(AppNotConfiguredError):
        SecretsManagerAppSecrets(stage.names).xero_app()


def test_an_app_secret_that_is_not_json_is_not_configured(stage: Stage) -> None:
    # Given an app secret filled with plain text
    boto3.client("secretsmanager").put_secret_value(SecretId=stage.names.xero_app_secret, SecretString="client:secret")
    # When the Xero app is asked for / Then it is refused
    with pytest.raises(AppNotConfiguredError):
        SecretsManagerAppSecrets(stage.names).xero_app()
