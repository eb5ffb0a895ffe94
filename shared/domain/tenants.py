"""A tenant: one customer of the platform, who may connect one Xero organisation."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class Tenant(BaseModel):
    tenant_id: str = Field(description="xero-sync's id of the tenant (a UUID)")
    name: str = Field(min_length=1, max_length=200)
    external_id: str | None = Field(default=None, max_length=200, description="the platform's own id, if given")
    created_at: datetime
