"""The platform API function: tenants, connect sessions and connections under /v1, behind API keys."""
