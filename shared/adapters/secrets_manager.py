"""Secrets Manager behind two ports: the token vault (one secret per connection, under the tokens
KMS key) and the Xero app's own secrets (filled by the operator after deployment)."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.utilities.parameters import SecretsProvider
from aws_lambda_powertools.utilities.parameters.exceptions import GetParameterError
from botocore.exceptions import ClientError
from pydantic import SecretStr, ValidationError

from shared.adapters.aws_client import AwsClient
from shared.domain.tokens import TokenSet
from shared.observability import tracer
from shared.ports.app_secrets import AppNotConfiguredError, AppSecrets, XeroAppCredentials
from shared.ports.token_vault import TokenVault
from shared.resources import ResourceNames

# App secrets change only when the operator rotates them: five minutes of caching saves a call on
# nearly every invocation (Powertools' default max_age, shared/notes/aws.md §1).
APP_SECRETS_MAX_AGE_SECONDS = 300


def _error_code(error: ClientError) -> str:
    return str(error.response["Error"]["Code"])


class SecretsManagerTokenVault(TokenVault):
    """Reads go straight to GetSecretValue, never through a cache: Xero rotates the refresh token
    on every use, so a token set five minutes old may already be spent (FACTS.md §1.4)."""

    def __init__(self, names: ResourceNames, *, region_name: str | None = None, client: Any | None = None) -> None:
        self._names = names
        self._client = AwsClient("secretsmanager", region_name, client)

    @tracer.capture_method(capture_response=False)
    def read(self, tenant_id: str) -> TokenSet | None:
        try:
            answer = self._client().get_secret_value(SecretId=self._names.token_secret(tenant_id))
        except ClientError as error:
            if _error_code(error) == "ResourceNotFoundException":
                return None
            raise
        return TokenSet.model_validate_json(answer["SecretString"])

    @tracer.capture_method(capture_response=False)
    def write(self, tenant_id: str, tokens: TokenSet) -> None:
        """A new version of the tenant's secret; the first write creates it under the tokens key."""
        name = self._names.token_secret(tenant_id)
        value = json.dumps(_revealed(tokens))
        try:
            self._client().put_secret_value(SecretId=name, SecretString=value)
            return
        except ClientError as error:
            if _error_code(error) != "ResourceNotFoundException":
                raise
        try:
            self._client().create_secret(Name=name, KmsKeyId=self._names.tokens_key_alias, SecretString=value)
        except ClientError as error:
            # Another worker created it between our two calls: ours is then just the next version.
            if _error_code(error) != "ResourceExistsException":
                raise
            self._client().put_secret_value(SecretId=name, SecretString=value)

    def delete(self, tenant_id: str) -> None:
        """Deleted at once, without the recovery window: the tokens were revoked at Xero before
        this, and a secret waiting for deletion would block the tenant from connecting again."""
        try:
            self._client().delete_secret(SecretId=self._names.token_secret(tenant_id), ForceDeleteWithoutRecovery=True)
        except ClientError as error:
            if _error_code(error) != "ResourceNotFoundException":
                raise


def _revealed(tokens: TokenSet) -> dict[str, Any]:
    """The token set as its secret stores it: the one place the secrets are written out in clear."""
    return {
        **tokens.model_dump(mode="json"),
        "access_token": tokens.access_token.get_secret_value(),
        "refresh_token": tokens.refresh_token.get_secret_value(),
    }


class SecretsManagerAppSecrets(AppSecrets):
    """Through Powertools parameters, cached for five minutes; an empty, missing or malformed
    secret is AppNotConfiguredError (and is not cached, so filling it takes effect at once)."""

    def __init__(self, names: ResourceNames, *, region_name: str | None = None, client: Any | None = None) -> None:
        self._names = names
        self._client = AwsClient("secretsmanager", region_name, client)
        self._provider: SecretsProvider | None = None

    def _secret(self, name: str) -> str:
        if self._provider is None:
            self._provider = SecretsProvider(boto3_client=self._client())
        try:
            value = self._provider.get(name, max_age=APP_SECRETS_MAX_AGE_SECONDS)
        except GetParameterError as error:
            cause = error.__context__
            if isinstance(cause, ClientError) and _error_code(cause) == "ResourceNotFoundException":
                raise AppNotConfiguredError(f"{name} has no value yet") from error
            raise
        if not isinstance(value, str) or not value.strip():
            raise AppNotConfiguredError(f"{name} has no text value")
        return value

    @tracer.capture_method(capture_response=False)
    def xero_app(self) -> XeroAppCredentials:
        name = self._names.xero_app_secret
        try:
            fields = json.loads(self._secret(name))
            return XeroAppCredentials(client_id=fields["client_id"], client_secret=SecretStr(fields["client_secret"]))
        except (ValueError, TypeError, KeyError, ValidationError) as error:
            raise AppNotConfiguredError(f"{name} is not JSON with client_id and client_secret") from error

    @tracer.capture_method(capture_response=False)
    def webhook_key(self) -> str:
        # Stripped: a key pasted into the console often brings a newline, which would make every
        # signature check fail.
        return self._secret(self._names.webhook_key_secret).strip()
