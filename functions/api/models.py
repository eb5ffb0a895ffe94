"""The platform API's request and response bodies: the contract docs/openapi.json publishes.

Request bodies refuse unknown fields, so a misspelt field (`returnUrl`) is a 422 rather than a
silently ignored value. Response bodies are built from the use cases' results here, in one place.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from shared.domain.tenants import Tenant
from shared.usecases.connect_sessions import IssuedConnectSession
from shared.usecases.connection_status import ConnectionReport, ReportedStatus, TokenHealth
from shared.usecases.connection_test import ConnectionTestOutcome, ConnectionTestResult


class NewTenant(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200, description="the tenant's display name")
    external_id: str | None = Field(
        default=None, min_length=1, max_length=200, description="the platform's own id for this tenant"
    )


class TenantBody(BaseModel):
    tenant_id: str = Field(description="xero-sync's id of the tenant")
    name: str
    external_id: str | None
    created_at: datetime

    @classmethod
    def of(cls, tenant: Tenant) -> TenantBody:
        return cls(
            tenant_id=tenant.tenant_id, name=tenant.name, external_id=tenant.external_id, created_at=tenant.created_at
        )


class TenantPage(BaseModel):
    tenants: list[TenantBody]
    next_cursor: str | None = Field(description="pass as `cursor` for the next page; null on the last page")


class NewConnectSession(BaseModel):
    model_config = ConfigDict(extra="forbid")

    return_url: str = Field(
        min_length=1,
        max_length=2048,
        description="where the tenant's browser returns after connecting; must be on RETURN_URL_ALLOWLIST",
    )


class ConnectSessionBody(BaseModel):
    authorize_url: str = Field(description="the hosted authorise URL: single use, bound to this tenant")
    expires_at: datetime

    @classmethod
    def of(cls, issued: IssuedConnectSession) -> ConnectSessionBody:
        return cls(authorize_url=issued.authorize_url, expires_at=issued.expires_at)


class Organisation(BaseModel):
    xero_tenant_id: str = Field(description="Xero's id of the organisation (its tenantId)")
    name: str | None


class TokenHealthBody(BaseModel):
    access_expires_at: datetime | None
    access_token_expired: bool = Field(description="expired access tokens are refreshed on the next call to Xero")
    refresh_token_issued_at: datetime | None
    refresh_token_age_seconds: int | None
    refresh_token_expires_at: datetime | None = Field(description="60 days after issue unless refreshed before")

    @classmethod
    def of(cls, health: TokenHealth) -> TokenHealthBody:
        age = health.refresh_token_age
        return cls(
            access_expires_at=health.access_expires_at,
            access_token_expired=health.access_token_expired,
            refresh_token_issued_at=health.refresh_token_issued_at,
            refresh_token_age_seconds=int(age.total_seconds()) if age is not None else None,
            refresh_token_expires_at=health.refresh_token_expires_at,
        )


class ConnectionBody(BaseModel):
    tenant_id: str
    status: ReportedStatus
    organisation: Organisation | None
    scopes: list[str] = Field(description="the scopes Xero granted")
    connected_since: datetime | None
    token_health: TokenHealthBody | None = Field(description="null when the connection holds no tokens")
    reauthorisation_needed: bool = Field(description="the tenant must connect again through a new connect session")
    last_error: str | None

    @classmethod
    def of(cls, report: ConnectionReport) -> ConnectionBody:
        organisation = (
            Organisation(xero_tenant_id=report.xero_tenant_id, name=report.organisation_name)
            if report.xero_tenant_id
            else None
        )
        return cls(
            tenant_id=report.tenant_id,
            status=report.status,
            organisation=organisation,
            scopes=list(report.scopes),
            connected_since=report.connected_since,
            token_health=TokenHealthBody.of(report.token) if report.token else None,
            reauthorisation_needed=report.reauthorisation_needed,
            last_error=report.last_error,
        )


class ConnectionTestBody(BaseModel):
    ok: bool
    outcome: ConnectionTestOutcome
    message: str = Field(description="what happened and what to do, in words a tenant can act on")
    organisation: Organisation | None = Field(description="the organisation Xero answered for, when it answered")

    @classmethod
    def of(cls, result: ConnectionTestResult) -> ConnectionTestBody:
        organisation = (
            Organisation(xero_tenant_id=result.xero_tenant_id, name=result.organisation_name)
            if result.xero_tenant_id
            else None
        )
        return cls(ok=result.ok, outcome=result.outcome, message=result.message, organisation=organisation)
