"""Settings every function shares, read from the environment once at cold start.

Each function has its own settings model (functions/<name>/settings.py) extending this one; nothing
else reads os.environ.
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

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

    model_config = SettingsConfigDict(frozen=True, extra="ignore")

    login_url: str = Field(default="https://login.xero.com", validation_alias="XERO_LOGIN_URL")
    identity_url: str = Field(default="https://identity.xero.com", validation_alias="XERO_IDENTITY_URL")
    api_url: str = Field(default="https://api.xero.com", validation_alias="XERO_API_URL")
