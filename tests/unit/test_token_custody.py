"""Token custody's rules over fakes: refresh ahead, one refresh per rotation, store before use,
lost answers and crashed workers recovered inside Xero's grace, and needs_reauth decided once."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from shared.domain.connections import ConnectionStatus
from shared.domain.tokens import TokenSet
from shared.ports.xero_accounting import XeroApiError
from shared.ports.xero_identity import XeroAnswerLostError, XeroGrantError, XeroUnavailableError
from shared.usecases.token_custody import (
    REFRESH_LEASE,
    WAIT_FOR_REFRESH_SECONDS,
    NotConnectedError,
    ReauthorisationNeededError,
    RefreshInProgressError,
    RefreshLeaseLostError,
)
from tests.unit.custody_world import OTHER_XERO_TENANT, TENANT, XERO_TENANT, CustodyWorld

NEAR_EXPIRY = timedelta(minutes=26)  # 4 minutes left: inside the 5-minute refresh-ahead window


@pytest.fixture
def world() -> CustodyWorld:
    return CustodyWorld()


def test_an_access_token_with_more_than_five_minutes_left_is_used_as_stored(world: CustodyWorld) -> None:
    # Given a connection whose access token has 6 minutes left
    stored = world.connect()
    world.clock.advance(timedelta(minutes=24))
    # When a worker asks for a token
    token = world.custodian().access_token(TENANT)
    # Then it gets the stored one and Xero is not asked
    assert token == stored.access_token.get_secret_value()
    assert world.identity.refresh_attempts == 0


def test_an_access_token_with_less_than_five_minutes_left_is_refreshed_first(world: CustodyWorld) -> None:
    # Given a connection whose access token has 4 minutes left
    stored = world.connect()
    world.clock.advance(NEAR_EXPIRY)
    # When a worker asks for a token
    token = world.custodian().access_token(TENANT)
    # Then it gets a new one that Xero accepts, stored as version 2 and recorded on the connection
    assert token != stored.access_token.get_secret_value()
    assert world.identity.accepts(token)
    assert world.stored().access_token.get_secret_value() == token
    assert world.stored().version == 2
    assert world.connection().token_version == 2
    assert world.connection().refresh_token_issued_at == world.clock.now()


def test_refreshed_tokens_are_in_the_vault_before_the_refresh_is_recorded(world: CustodyWorld) -> None:
    # Given a connection due for refresh, and a record of the order of writes
    world.connect()
    world.clock.advance(NEAR_EXPIRY)
    order: list[str] = []
    write, record = world.vault.write, world.connections.record_refresh

    def vault_write(tenant_id: str, tokens: TokenSet) -> None:
        order.append("vault")
        write(tenant_id, tokens)

    def record_refresh(*args: object, **kwargs: object) -> bool:
        order.append("record")
        return record(*args, **kwargs)  # type: ignore[arg-type]

    world.vault.write = vault_write  # type: ignore[method-assign]
    world.connections.record_refresh = record_refresh  # type: ignore[method-assign]
    # When a worker refreshes
    world.custodian().access_token(TENANT)
    # Then the tokens were stored before anyone could see the new version
    assert order == ["vault", "record"]


def test_concurrent_workers_at_expiry_cause_one_refresh_and_share_its_token() -> None:
    # Given a connection at expiry, and a Xero that takes 50 ms to refresh
    world = CustodyWorld(latency=0.05)
    world.connect()
    world.clock.advance(timedelta(minutes=30))
    custodians = [world.custodian(f"worker-{n}", real_sleep=True) for n in range(20)]
    start = threading.Barrier(len(custodians))

    def ask(custodian_index: int) -> str:
        start.wait()
        return custodians[custodian_index].access_token(TENANT)

    # When 20 workers ask for a token at the same moment
    with ThreadPoolExecutor(len(custodians)) as pool:
        tokens = list(pool.map(ask, range(len(custodians))))
    # Then Xero rotated once and every worker holds the same, valid token
    assert world.identity.rotations == 1
    assert len(set(tokens)) == 1
    assert world.identity.accepts(tokens[0])


def test_a_lost_refresh_answer_is_retried_with_the_same_refresh_token(world: CustodyWorld) -> None:
    # Given a connection due for refresh, and a network that loses Xero's first answer
    world.connect()
    world.clock.advance(NEAR_EXPIRY)
    world.identity.lose_next_refresh_answers(1)
    # When a worker asks for a token
    token = world.custodian().access_token(TENANT)
    # Then the stored refresh token was spent again inside the grace and its answer is valid and stored
    assert world.identity.refresh_attempts == 2
    assert world.identity.accepts(token)
    assert world.stored().access_token.get_secret_value() == token


def test_refresh_answers_lost_beyond_the_retries_keep_the_stored_tokens_for_the_next_call(
    world: CustodyWorld,
) -> None:
    # Given every answer to the first worker's refreshes is lost
    stored = world.connect()
    world.clock.advance(NEAR_EXPIRY)
    world.identity.lose_next_refresh_answers(3)
    with pytest.raises(XeroAnswerLostError):
        world.custodian("worker-1").access_token(TENANT)
    # When another worker asks ten minutes later (inside the 30-minute grace)
    world.clock.advance(timedelta(minutes=10))
    token = world.custodian("worker-2").access_token(TENANT)
    # Then the stored refresh token still works: the connection recovered
    assert world.identity.accepts(token)
    assert world.stored().version == stored.version + 1


def test_a_lost_refresh_answer_is_not_retried_when_too_little_of_the_lease_is_left(world: CustodyWorld) -> None:
    # Given Xero takes 20 seconds to answer a refresh, and that answer is lost
    world.connect()
    world.clock.advance(NEAR_EXPIRY)
    world.identity.lose_next_refresh_answers(1)
    refresh = world.identity.refresh

    def slow_refresh(refresh_token: str) -> object:
        world.clock.advance(20)
        return refresh(refresh_token)

    world.identity.refresh = slow_refresh  # type: ignore[method-assign, assignment]
    # When a worker asks for a token, then it gives up rather than retry past its 30-second lease
    with pytest.raises(XeroAnswerLostError):
        world.custodian().access_token(TENANT)
    assert world.identity.refresh_attempts == 1
    assert world.connection().refresh_lease_owner is None


def test_a_worker_that_crashed_holding_the_lease_is_taken_over_once_the_lease_expires(world: CustodyWorld) -> None:
    # Given a worker took the lease, spent the stored refresh token at Xero and died before storing the answer
    stored = world.connect()
    world.clock.advance(NEAR_EXPIRY)
    assert world.connections.acquire_refresh_lease(TENANT, "crashed", 1, world.clock.now(), REFRESH_LEASE)
    world.identity.refresh(stored.refresh_token.get_secret_value())
    # When another worker asks for a token after the lease has expired
    world.clock.advance(REFRESH_LEASE + timedelta(seconds=1))
    token = world.custodian("worker-2").access_token(TENANT)
    # Then it spent the same refresh token again (inside the grace) and got a valid token
    assert world.identity.accepts(token)
    assert world.connection().token_version == 2


def test_a_worker_gives_up_waiting_for_a_lease_holder_after_the_wait(world: CustodyWorld) -> None:
    # Given another worker holds the lease (and keeps it)
    world.connect()
    world.clock.advance(NEAR_EXPIRY)
    assert world.connections.acquire_refresh_lease(TENANT, "slow", 1, world.clock.now(), REFRESH_LEASE)
    # When this worker asks for a token
    with pytest.raises(RefreshInProgressError):
        world.custodian().access_token(TENANT)
    # Then it waited about the bounded time, never refreshed, and Xero was not asked
    assert WAIT_FOR_REFRESH_SECONDS <= sum(world.pauses.asked) < WAIT_FOR_REFRESH_SECONDS + 1
    assert world.identity.refresh_attempts == 0


def test_a_waiting_worker_uses_the_tokens_the_lease_holder_recorded(world: CustodyWorld) -> None:
    # Given another worker holds the lease and finishes its refresh while this one waits
    world.connect()
    world.clock.advance(NEAR_EXPIRY)
    assert world.connections.acquire_refresh_lease(TENANT, "holder", 1, world.clock.now(), REFRESH_LEASE)
    holder_token: list[str] = []

    def holder_finishes(seconds: float) -> None:
        if not holder_token:
            world.connections.release_refresh_lease(TENANT, "holder")
            holder_token.append(world.custodian("holder").access_token(TENANT))

    waiter = world.custodian("waiter")
    waiter._sleep = holder_finishes
    # When this worker asks for a token
    token = waiter.access_token(TENANT)
    # Then it got the holder's token, and Xero rotated once
    assert token == holder_token[0]
    assert world.identity.rotations == 1


def test_invalid_grant_sets_needs_reauth_with_words_a_tenant_can_act_on(world: CustodyWorld) -> None:
    # Given Xero refuses the connection's refresh token
    world.connect()
    world.clock.advance(NEAR_EXPIRY)
    world.identity.fail_next("refresh", XeroGrantError("invalid_grant"))
    # When a worker asks for a token
    with pytest.raises(ReauthorisationNeededError) as raised:
        world.custodian().access_token(TENANT)
    # Then the connection needs reauthorisation, and says what to do
    connection = world.connection()
    assert connection.status is ConnectionStatus.NEEDS_REAUTH
    assert connection.last_error == str(raised.value)
    assert "Demo Company (AU)" in str(raised.value)
    assert "Connect to Xero again" in str(raised.value)


def test_a_worker_that_read_the_connection_before_another_decided_needs_reauth_does_not_announce_it_again(
    world: CustodyWorld,
) -> None:
    # Given the user disconnected the only organisation in Xero, so its refresh token is refused
    world.connect()
    world.identity.disconnect(XERO_TENANT)
    world.clock.advance(timedelta(minutes=30))
    # ... and worker 2 read the connection just before worker 1 found that out, decided and released the lease
    acquire = world.connections.acquire_refresh_lease
    first = world.custodian("worker-1")

    def worker_1_decides_first(*args: object, **kwargs: object) -> bool:
        world.connections.acquire_refresh_lease = acquire  # type: ignore[method-assign]
        with pytest.raises(ReauthorisationNeededError):
            first.access_token(TENANT)
        return acquire(*args, **kwargs)  # type: ignore[arg-type]

    world.connections.acquire_refresh_lease = worker_1_decides_first  # type: ignore[method-assign]
    # When worker 2 then takes the lease
    with pytest.raises(ReauthorisationNeededError):
        world.custodian("worker-2").access_token(TENANT)
    # Then Xero was asked once, and the platform heard of it once, with the tenant's words
    assert world.identity.refresh_attempts == 1
    assert len(world.needs_reauth_events()) == 1
    assert world.needs_reauth_events()[0].data["reason"] == world.connection().last_error


def test_a_connection_needing_reauth_is_refused_without_asking_xero(world: CustodyWorld) -> None:
    # Given a connection already marked as needing reauthorisation
    world.connect()
    world.connections.set_status(TENANT, ConnectionStatus.NEEDS_REAUTH, "Reconnect please.", world.clock.now())
    world.clock.advance(NEAR_EXPIRY)
    # When a worker asks for a token
    with pytest.raises(ReauthorisationNeededError, match="Reconnect please"):
        world.custodian().access_token(TENANT)
    # Then Xero was not asked and no further event was published
    assert world.identity.refresh_attempts == 0
    assert world.needs_reauth_events() == []


@pytest.mark.parametrize("status", [ConnectionStatus.DISCONNECTED, ConnectionStatus.PICKING])
def test_a_connection_that_is_not_connected_gives_no_token(world: CustodyWorld, status: ConnectionStatus) -> None:
    # Given a connection that is disconnected or still picking its organisation
    world.connect()
    world.connections.set_status(TENANT, status, None, world.clock.now())
    # When a worker asks for a token, then it is refused
    with pytest.raises(NotConnectedError):
        world.custodian().access_token(TENANT)


def test_a_tenant_without_a_connection_gives_no_token(world: CustodyWorld) -> None:
    # Given no connection at all, when a worker asks for a token, then it is refused
    with pytest.raises(NotConnectedError):
        world.custodian().access_token(TENANT)


def test_invalid_client_is_raised_and_leaves_the_connection_connected(world: CustodyWorld) -> None:
    # Given the app's credentials are wrong (an operator's mistake, not the tenant's)
    world.connect()
    world.clock.advance(NEAR_EXPIRY)
    world.identity.fail_next("refresh", XeroGrantError("invalid_client"))
    # When a worker asks for a token
    with pytest.raises(XeroGrantError, match="invalid_client"):
        world.custodian().access_token(TENANT)
    # Then the connection stays connected and nothing is published
    assert world.connection().status is ConnectionStatus.CONNECTED
    assert world.needs_reauth_events() == []


def test_xero_being_unavailable_releases_the_lease_for_the_next_attempt(world: CustodyWorld) -> None:
    # Given Xero is down for the first refresh
    world.connect()
    world.clock.advance(NEAR_EXPIRY)
    world.identity.fail_next("refresh", XeroUnavailableError("503"))
    with pytest.raises(XeroUnavailableError):
        world.custodian("worker-1").access_token(TENANT)
    # When another worker asks at once (well inside the 30-second lease)
    token = world.custodian("worker-2").access_token(TENANT)
    # Then it refreshed without waiting for the lease to expire
    assert world.identity.accepts(token)
    assert world.pauses.asked == []


def test_a_refresh_stored_but_not_recorded_is_recorded_by_the_next_lease_holder(world: CustodyWorld) -> None:
    # Given a worker stored a refreshed token set (version 2) and died before recording it
    stored = world.connect()
    world.clock.advance(NEAR_EXPIRY)
    assert world.connections.acquire_refresh_lease(TENANT, "crashed", 1, world.clock.now(), REFRESH_LEASE)
    grant = world.identity.refresh(stored.refresh_token.get_secret_value())
    assert grant.refresh_token is not None
    refreshed = TokenSet(
        access_token=grant.access_token,
        refresh_token=grant.refresh_token,
        expires_at=world.clock.now() + timedelta(seconds=grant.expires_in),
        scopes=grant.scopes,
        version=2,
    )
    world.vault.write(TENANT, refreshed)
    # When another worker asks for a token after the lease expired
    world.clock.advance(REFRESH_LEASE + timedelta(seconds=1))
    token = world.custodian("worker-2").access_token(TENANT)
    # Then it used the stored tokens without spending their refresh token, and recorded version 2
    assert token == refreshed.access_token.get_secret_value()
    assert world.identity.rotations == 1
    assert world.connection().token_version == 2


def test_missing_token_secret_sets_needs_reauth(world: CustodyWorld) -> None:
    # Given the connection's token secret is gone
    world.connect()
    world.vault.delete(TENANT)
    # When a worker asks for a token
    with pytest.raises(ReauthorisationNeededError):
        world.custodian().access_token(TENANT)
    # Then the connection needs reauthorisation and the platform is told
    assert world.connection().status is ConnectionStatus.NEEDS_REAUTH
    assert len(world.needs_reauth_events()) == 1


def test_a_refresh_that_outlives_its_lease_is_not_recorded(world: CustodyWorld) -> None:
    # Given Xero's refresh takes so long that the lease expires and another worker takes it
    world.connect()
    world.clock.advance(NEAR_EXPIRY)
    refresh = world.identity.refresh

    def slow_refresh(refresh_token: str) -> object:
        world.clock.advance(REFRESH_LEASE + timedelta(seconds=1))
        assert world.connections.acquire_refresh_lease(TENANT, "taker", 1, world.clock.now(), REFRESH_LEASE)
        return refresh(refresh_token)

    world.identity.refresh = slow_refresh  # type: ignore[method-assign, assignment]
    # When the slow worker finishes, then it reports the lost lease instead of recording its refresh
    with pytest.raises(RefreshLeaseLostError):
        world.custodian("slow").access_token(TENANT)
    assert world.connection().token_version == 1
    assert world.connection().refresh_lease_owner == "taker"


def test_keep_alive_refresh_renews_a_refresh_token_issued_before_the_cutoff(world: CustodyWorld) -> None:
    # Given a connection whose refresh token was issued 8 days ago (its access token long expired)
    world.connect()
    world.clock.advance(timedelta(days=8))
    # When keep-alive refreshes tokens issued more than 7 days ago
    refreshed = world.custodian().refresh_if_issued_before(TENANT, world.clock.now() - timedelta(days=7))
    # Then it was refreshed
    assert refreshed
    assert world.connection().refresh_token_issued_at == world.clock.now()


def test_keep_alive_refresh_leaves_a_recently_refreshed_connection_alone(world: CustodyWorld) -> None:
    # Given a connection refreshed a minute ago
    world.connect()
    world.clock.advance(timedelta(minutes=1))
    # When keep-alive refreshes tokens issued more than 7 days ago
    refreshed = world.custodian().refresh_if_issued_before(TENANT, world.clock.now() - timedelta(days=7))
    # Then nothing happened at Xero
    assert not refreshed
    assert world.identity.refresh_attempts == 0


def test_a_rejection_for_an_organisation_xero_no_longer_lists_sets_needs_reauth(world: CustodyWorld) -> None:
    # Given the user disconnected our organisation in Xero but keeps another one connected to the app
    world.connect(also=(OTHER_XERO_TENANT,))
    world.identity.disconnect(XERO_TENANT)
    # When a worker reports that Xero answered 403 to a fresh token
    needs_reauth = world.custodian().report_rejected(TENANT, 403, "AuthenticationUnsuccessful")
    # Then the connection needs reauthorisation, in words about the disconnect, and the platform is told
    assert needs_reauth
    assert world.connection().status is ConnectionStatus.NEEDS_REAUTH
    assert "disconnected" in (world.connection().last_error or "")
    assert len(world.needs_reauth_events()) == 1


def test_a_rejection_for_an_organisation_xero_still_lists_changes_nothing(world: CustodyWorld) -> None:
    # Given a connection Xero still lists
    world.connect()
    # When a worker reports a 401 (say, a missing scope)
    needs_reauth = world.custodian().report_rejected(TENANT, 401, "insufficient_scope")
    # Then the connection stays connected and nothing is published
    assert not needs_reauth
    assert world.connection().status is ConnectionStatus.CONNECTED
    assert world.needs_reauth_events() == []


def test_a_rejection_reported_by_many_workers_publishes_one_event() -> None:
    # Given the organisation was disconnected in Xero, which takes 50 ms to list connections
    world = CustodyWorld(latency=0.05)
    world.connect()
    world.identity.disconnect(XERO_TENANT)
    custodians = [world.custodian(f"worker-{n}", real_sleep=True) for n in range(10)]
    start = threading.Barrier(len(custodians))

    def report(index: int) -> bool:
        start.wait()
        return custodians[index].report_rejected(TENANT, 403, "AuthenticationUnsuccessful")

    # When 10 workers report their 403 at once
    with ThreadPoolExecutor(len(custodians)) as pool:
        outcomes = list(pool.map(report, range(len(custodians))))
    # Then all learn that the connection needs reauthorisation, and the platform hears it once
    assert outcomes == [True] * 10
    assert len(world.needs_reauth_events()) == 1


def test_a_rejected_access_token_is_refreshed_before_asking_xero_for_connections(world: CustodyWorld) -> None:
    # Given Xero revoked the stored access token (a superseded pair) though its refresh token works
    stored = world.connect()
    world.identity.fail_next("connections", XeroApiError(401, "AuthenticationUnsuccessful"))
    # When a worker reports a 401
    needs_reauth = world.custodian().report_rejected(TENANT, 401, "AuthenticationUnsuccessful")
    # Then the custodian refreshed, found the organisation still listed, and left it connected
    assert not needs_reauth
    assert world.identity.rotations == 1
    assert world.stored().version == stored.version + 1
    assert world.connection().status is ConnectionStatus.CONNECTED
