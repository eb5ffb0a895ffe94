"""Keep-alive over fakes: connections idle for more than 7 days are refreshed through the custodian."""

from __future__ import annotations

from datetime import timedelta

from shared.domain.connections import ConnectionStatus
from shared.ports.xero_identity import XeroGrantError, XeroUnavailableError
from shared.usecases.keep_alive import KeepAlive, KeepAliveCounts
from tests.unit.custody_world import CustodyWorld


def keep_alive(world: CustodyWorld) -> KeepAlive:
    return KeepAlive(world.connections, world.custodian("keep-alive"), world.clock)


def test_a_connection_idle_for_more_than_seven_days_is_refreshed() -> None:
    # Given a connection last refreshed 8 days ago
    world = CustodyWorld()
    world.connect()
    world.clock.advance(timedelta(days=8))
    # When keep-alive runs
    counts = keep_alive(world).run()
    # Then its tokens were refreshed and the new refresh token recorded as issued now
    assert counts == KeepAliveCounts(refreshed=1)
    assert world.identity.rotations == 1
    assert world.connection().refresh_token_issued_at == world.clock.now()


def test_a_connection_refreshed_within_seven_days_is_left_alone() -> None:
    # Given a connection last refreshed 6 days ago
    world = CustodyWorld()
    world.connect()
    world.clock.advance(timedelta(days=6))
    # When keep-alive runs
    counts = keep_alive(world).run()
    # Then Xero was not asked
    assert counts == KeepAliveCounts()
    assert world.identity.refresh_attempts == 0


def test_a_refused_grant_is_counted_as_needing_reauthorisation() -> None:
    # Given an idle connection whose refresh token Xero refuses
    world = CustodyWorld()
    world.connect()
    world.clock.advance(timedelta(days=8))
    world.identity.fail_next("refresh", XeroGrantError("invalid_grant"))
    # When keep-alive runs
    counts = keep_alive(world).run()
    # Then it is counted, and the connection says so
    assert counts == KeepAliveCounts(needs_reauth=1)
    assert world.connection().status is ConnectionStatus.NEEDS_REAUTH


def test_xero_being_unavailable_is_counted_as_failed_and_leaves_the_connection_for_the_next_run() -> None:
    # Given an idle connection and Xero down
    world = CustodyWorld()
    world.connect()
    world.clock.advance(timedelta(days=8))
    world.identity.fail_next("refresh", XeroUnavailableError("503"))
    # When keep-alive runs twice
    first = keep_alive(world).run()
    second = keep_alive(world).run()
    # Then the first run failed and the second refreshed the connection
    assert first == KeepAliveCounts(failed=1)
    assert second == KeepAliveCounts(refreshed=1)
    assert world.connection().status is ConnectionStatus.CONNECTED
