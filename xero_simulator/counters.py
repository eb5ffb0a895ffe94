"""What the simulator saw: calls per endpoint and tenant, 429s by limit, idempotent replays, deliveries."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any


class Counters:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.calls: Counter[tuple[str, str]] = Counter()  # (tenant or "-", "GET /Invoices")
        self.rate_limited: Counter[str] = Counter()  # X-Rate-Limit-Problem -> count
        self.idempotent_replays = 0
        self.token_grants: Counter[str] = Counter()  # grant_type -> successful token responses
        self.webhook_deliveries: Counter[str] = Counter()  # outcome -> count

    def count_call(self, tenant_id: str | None, endpoint: str) -> None:
        with self._lock:
            self.calls[(tenant_id or "-", endpoint)] += 1

    def count_429(self, problem: str) -> None:
        with self._lock:
            self.rate_limited[problem] += 1

    def count_replay(self) -> None:
        with self._lock:
            self.idempotent_replays += 1

    def count_grant(self, grant_type: str) -> None:
        with self._lock:
            self.token_grants[grant_type] += 1

    def count_delivery(self, outcome: str) -> None:
        with self._lock:
            self.webhook_deliveries[outcome] += 1

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "calls": [
                    {"tenantId": tenant, "endpoint": endpoint, "count": n}
                    for (tenant, endpoint), n in sorted(self.calls.items())
                ],
                "totalCalls": sum(self.calls.values()),
                "rateLimited": dict(self.rate_limited),
                "idempotentReplays": self.idempotent_replays,
                "tokenGrants": dict(self.token_grants),
                "webhookDeliveries": dict(self.webhook_deliveries),
            }

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self.rate_limited.clear()
            self.idempotent_replays = 0
            self.token_grants.clear()
            self.webhook_deliveries.clear()
