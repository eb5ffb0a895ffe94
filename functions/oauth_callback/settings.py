"""The OAuth callback function's settings, read from the environment once at cold start."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import NoDecode

from shared.settings import FunctionSettings, HostedPages, XeroEndpoints

DEFAULT_SCOPES = (
    "openid",
    "profile",
    "email",
    "offline_access",
    "accounting.settings",
    "accounting.contacts",
    "accounting.transactions",
    "accounting.reports.read",
)
CALLBACK_PATH = "/oauth/callback"
PICK_PATH = "/oauth/pick"


class OAuthCallbackSettings(FunctionSettings, XeroEndpoints, HostedPages):
    # Space-separated, as Xero's authorise URL takes them (FACTS.md §1.2, §1.7).
    xero_scopes: Annotated[tuple[str, ...], NoDecode] = Field(default=DEFAULT_SCOPES, validation_alias="XERO_SCOPES")

    @field_validator("xero_scopes", mode="before")
    @classmethod
    def _space_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(dict.fromkeys(value.split()))
        return value

    @field_validator("xero_scopes")
    @classmethod
    def _lasting(cls, scopes: tuple[str, ...]) -> tuple[str, ...]:
        # Without offline_access Xero issues no refresh token and every connection dies after 30 minutes (§1.3).
        if "offline_access" not in scopes:
            raise ValueError("XERO_SCOPES must include offline_access")
        return scopes

    @property
    def redirect_uri(self) -> str:
        return self.public_base_url.rstrip("/") + CALLBACK_PATH

    @property
    def pick_url(self) -> str:
        return self.public_base_url.rstrip("/") + PICK_PATH
