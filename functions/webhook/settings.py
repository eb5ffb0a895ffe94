"""The webhook function's settings, read from the environment once at cold start.

It needs only the stage's resource names (table, queue, webhook key secret) and the region; the
webhook key itself is read from Secrets Manager, never from the environment.
"""

from __future__ import annotations

from shared.settings import FunctionSettings


class WebhookSettings(FunctionSettings):
    pass
