"""The platform API's settings, read from the environment once at cold start."""

from __future__ import annotations

from shared.settings import FunctionSettings, HostedPages, XeroEndpoints


class ApiSettings(FunctionSettings, XeroEndpoints, HostedPages):
    """PUBLIC_BASE_URL is required: a deployment that forgets it fails at cold start, not with localhost URLs."""
