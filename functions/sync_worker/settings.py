"""The sync worker's settings, read from the environment once at cold start.

It needs the stage's resource names (table, queue, token secrets, app secret, bus), the region,
and Xero's hosts (the Accounting API for the push, the identity service for token refreshes).
"""

from __future__ import annotations

from shared.settings import FunctionSettings, XeroEndpoints


class SyncWorkerSettings(FunctionSettings, XeroEndpoints):
    pass
