"""Intent to Receive: the series of POSTs Xero makes before it enables an app's webhook (FACTS.md §2.3).

Each request carries the empty ITR body with a real or a deliberately wrong `x-xero-signature`. The
receiver must answer 200 to every correctly signed one and 401 to every incorrectly signed one, with
no body, within 5 seconds. How many requests Xero sends and in what order was NOT FOUND: the simulator
sends both kinds in a random order, so a receiver cannot pass by guessing a pattern.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from xero_simulator.msjson import naive_utc
from xero_simulator.webhooks.payload import intent_to_receive_body, new_entropy
from xero_simulator.webhooks.posting import post_signed
from xero_simulator.webhooks.signature import forged_signature, sign

CORRECTLY_SIGNED = 2
INCORRECTLY_SIGNED = 2
# Xero's portal words a wrong answer to a bad signature this way (`XeroAPI/xero-ruby#243`); the other
# wordings were not found and follow its pattern.
NOT_401 = "Response to incorrectly signed payload not 401"
NOT_200 = "Response to correctly signed payload not 200"


@dataclass(frozen=True)
class IntentCheck:
    """One ITR request: how it was signed, what came back, and whether Xero would accept it."""

    correctly_signed: bool
    status: int | None
    body: str
    latency_ms: float
    problem: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "signature": "correct" if self.correctly_signed else "incorrect",
            "expected_status": 200 if self.correctly_signed else 401,
            "status": self.status,
            "body": self.body,
            "latency_ms": self.latency_ms,
            "passed": self.problem is None,
            "problem": self.problem,
        }


@dataclass(frozen=True)
class IntentToReceive:
    url: str
    ran_at: datetime
    checks: tuple[IntentCheck, ...]

    @property
    def passed(self) -> bool:
        return all(check.problem is None for check in self.checks)

    @property
    def reason(self) -> str:
        return next((check.problem for check in self.checks if check.problem), "")

    def as_json(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "ran_at": naive_utc(self.ran_at),
            "passed": self.passed,
            "reason": self.reason,
            "requests": [check.as_json() for check in self.checks],
        }


def run_intent_to_receive(url: str, webhook_key: str, now: datetime, timeout: float) -> IntentToReceive:
    """Send the ITR series to `url` and judge every answer; all must pass for the webhook to be enabled."""
    plan = [True] * CORRECTLY_SIGNED + [False] * INCORRECTLY_SIGNED
    random.SystemRandom().shuffle(plan)
    checks = []
    for correctly_signed in plan:
        body = intent_to_receive_body(new_entropy())
        signature = sign(webhook_key, body) if correctly_signed else forged_signature(body)
        answer = post_signed(url, body, signature, timeout)
        if correctly_signed:
            problem = answer.problem(200, timeout, wrong_status=NOT_200)
        else:
            problem = answer.problem(401, timeout, wrong_status=NOT_401)
        checks.append(IntentCheck(correctly_signed, answer.status, answer.body, answer.latency_ms, problem))
    return IntentToReceive(url, now, tuple(checks))
