"""The scheduled function's settings, read from the environment once at cold start.

It needs the stage's resource names (table, token secrets, app secret, bus), the region, and
Xero's hosts for refreshing tokens.
"""

from __future__ import annotations

from shared.settings import FunctionSettings, XeroEndpoints


class ScheduledSyncSettings(FunctionSettings, XeroEndpoints):
    pass
