"""The platform API function: tenants, connections, records, sync and settings under /v1, behind API keys."""
