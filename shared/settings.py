"""Settings every function shares, read from the environment once at cold start.

Each function has its own settings model (functions/<name>/settings.py) extending this one; nothing
else reads os.environ.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from shared.resources import ResourceNames


class FunctionSettings(BaseSettings):
    model_config = SettingsConfigDict(frozen=True, extra="ignore")

    stage: str = Field(default="dev", validation_alias="STAGE")
    aws_region: str = Field(default="eu-west-1", validation_alias="AWS_REGION")
    # Set locally (moto's server mode) and unset in AWS, where boto3 finds the regional endpoints.
    aws_endpoint_url: str | None = Field(default=None, validation_alias="AWS_ENDPOINT_URL")

    @property
    def names(self) -> ResourceNames:
        return ResourceNames(self.stage)


class XeroEndpoints(BaseSettings):
    """Xero's three hosts; locally all three are the simulator's address."""

    # populate_by_name: code may also build it with field names (XeroEndpoints(identity_url=...)).
    model_config = SettingsConfigDict(frozen=True, extra="ignore", populate_by_name=True)

    login_url: str = Field(default="https://login.xero.com", validation_alias="XERO_LOGIN_URL")
    identity_url: str = Field(default="https://identity.xero.com", validation_alias="XERO_IDENTITY_URL")
    api_url: str = Field(default="https://api.xero.com", validation_alias="XERO_API_URL")


class HostedPages(BaseSettings):
    """Where the tenant's browser is sent: the API's public URL and the platform's allowed return URLs."""

    model_config = SettingsConfigDict(frozen=True, extra="ignore")

    # The API's own base URL: hosted authorise URLs are PUBLIC_BASE_URL + /oauth/authorize?session=...,
    # and Xero redirects to PUBLIC_BASE_URL + /oauth/callback (registered exactly, FACTS.md §1.2).
    public_base_url: str = Field(validation_alias="PUBLIC_BASE_URL")
    # Comma-separated URL prefixes a return URL must start with (shared/domain/return_urls.py); empty refuses all.
    return_url_allowlist: Annotated[tuple[str, ...], NoDecode] = Field(
        default=(), validation_alias="RETURN_URL_ALLOWLIST"
    )

    @field_validator("return_url_allowlist", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(prefix.strip() for prefix in value.split(",") if prefix.strip())
        return value
