"""The scheduled function with its real adapters, against a moto stage and the simulator: keep-alive."""

from __future__ import annotations

from datetime import timedelta

import pytest

from functions.scheduled_sync.dependencies import build_dependencies
from functions.scheduled_sync.handler import lambda_handler
from functions.scheduled_sync.settings import ScheduledSyncSettings
from shared.domain.inbound.settings import SyncedKind
from tests.events import LocalLambdaContext, rule_arn, scheduled_event
from tests.integration.conftest import Stage
from tests.integration.xero_connected import xero_app
from xero_simulator.server import Simulator


def test_keep_alive_refreshes_an_idle_connection_and_leaves_a_fresh_one_alone(
    simulator: Simulator, stage: Stage, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given one tenant connected 8 days ago and idle since, and another connected just now
    app = xero_app(simulator, stage)
    idle = app.connect()
    app.clock.advance(timedelta(days=8).total_seconds())
    fresh = app.connect(new_user=True)
    for variable in ("XERO_LOGIN_URL", "XERO_IDENTITY_URL", "XERO_API_URL"):
        monkeypatch.setenv(variable, simulator.base_url)
    deps = build_dependencies(ScheduledSyncSettings(), clock=app.clock)
    # When the daily schedule fires
    result = lambda_handler(
        scheduled_event(rule_arn(f"{stage.names.prefix}-keep-alive")), LocalLambdaContext("scheduled-sync"), deps=deps
    )
    # Then the idle connection was refreshed at Xero and recorded; the fresh one was not touched
    assert result["keep_alive"] == {"refreshed": 1, "skipped": 0, "needs_reauth": 0, "failed": 0}
    assert simulator.counters.token_grants["refresh_token"] == 1
    assert idle.connection().token_version == 2
    assert idle.connection().refresh_token_issued_at == pytest.approx(app.clock.now(), abs=timedelta(seconds=5))
    assert idle.xero_accepts(idle.stored().access_token.get_secret_value())
    assert fresh.connection().token_version == 1
    # And neither tenant's worker has run yet: each kind of both is given a state due at once
    assert result["reconcile_missing"] == 2 * len(SyncedKind)
