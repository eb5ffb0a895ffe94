"""Several organisations in one consent: the hosted picker, POST /oauth/pick, and the connections not chosen."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shared.domain.connections import ConnectionStatus
from shared.domain.platform_events import EventType
from shared.ports.xero_identity import XeroUnavailableError
from tests.unit.connect_fakes import ORG_A, ORG_B, PICK_URL, RETURN_URL, TENANT, Answer, ConnectWorld


@pytest.fixture
def world() -> ConnectWorld:
    return ConnectWorld()


@pytest.fixture
def picker(world: ConnectWorld) -> Answer:
    """The callback's answer to a consent covering two organisations."""
    return world.connect([ORG_A, ORG_B])


def xero_connection_ids(world: ConnectWorld) -> dict[str, str]:
    """Xero tenant id -> connection id, as the picking connection recorded them."""
    connection = world.state.connections.get(TENANT)
    assert connection is not None
    return {choice.xero_tenant_id: choice.xero_connection_id for choice in connection.choices}


def test_several_organisations_show_the_picker_with_stable_ids(picker: Answer) -> None:
    # Given a consent covering two organisations (the fixture)
    # When the callback answers
    page = picker.page()
    # Then the picker offers both as radio buttons with stable ids, posting to /oauth/pick
    assert picker.status == 200
    assert page.main_id == "pick-organisation"
    assert {f"org-{ORG_A[0]}", f"org-{ORG_B[0]}", "pick", "pick-form"} <= page.ids
    assert page.radios == [ORG_A[0], ORG_B[0]]
    assert page.form_action == PICK_URL
    assert page.hidden["pick_token"]


def test_picking_connection_keeps_the_choices_and_return_url_and_publishes_nothing(
    world: ConnectWorld, picker: Answer
) -> None:
    # Given a consent covering two organisations (the fixture)
    # When the picker is shown
    connection = world.state.connections.get(TENANT)
    # Then the connection waits in PICKING with both choices, the tokens are already stored, and no event went out
    assert connection is not None
    assert connection.status is ConnectionStatus.PICKING
    assert [c.name for c in connection.choices] == [ORG_A[1], ORG_B[1]]
    assert connection.return_url == RETURN_URL
    assert world.vault.read(TENANT) is not None
    assert world.bus.events == []


def test_picking_connects_the_chosen_organisation_and_returns_to_the_platform(
    world: ConnectWorld, picker: Answer
) -> None:
    # Given the picker for two organisations
    # When the tenant picks the second
    answer = world.pick(picker, ORG_B[0])
    # Then the browser goes back connected, and the connection is to that organisation
    assert answer.status == 302
    assert answer.query == {"from": "connect", "status": "connected", "tenant_id": TENANT}
    connection = world.state.connections.get(TENANT)
    assert connection is not None
    assert connection.status is ConnectionStatus.CONNECTED
    assert (connection.xero_tenant_id, connection.organisation_name) == ORG_B
    assert connection.connected_since == world.clock.now()
    assert connection.choices == []
    [event] = world.bus.of_type(EventType.CONNECTION_CONNECTED)
    assert event.data["xero_tenant_id"] == ORG_B[0]


def test_picking_deletes_the_connection_not_chosen(world: ConnectWorld, picker: Answer) -> None:
    # Given the picker for two organisations
    ids = xero_connection_ids(world)
    # When the tenant picks the first
    world.pick(picker, ORG_A[0])
    # Then Xero was asked to delete the other one, by its connection id, and only that one
    assert world.identity.deleted_connections == [ids[ORG_B[0]]]
    tokens = world.vault.read(TENANT)
    assert tokens is not None
    remaining = world.identity.connections(tokens.access_token.get_secret_value())
    assert [row.tenant_id for row in remaining] == [ORG_A[0]]


def test_pick_token_is_single_use(world: ConnectWorld, picker: Answer) -> None:
    # Given a pick that was made
    world.pick(picker, ORG_A[0])
    # When the same form is posted again with the other organisation
    answer = world.pick(picker, ORG_B[0])
    # Then it is refused and the first choice stands
    assert answer.status == 400
    assert answer.page().main_id == "pick-unusable"
    connection = world.state.connections.get(TENANT)
    assert connection is not None
    assert connection.xero_tenant_id == ORG_A[0]
    assert len(world.bus.events) == 1


def test_expired_pick_token_is_refused(world: ConnectWorld, picker: Answer) -> None:
    # Given a picker left open for 10 minutes
    world.clock.advance(timedelta(minutes=10))
    # When the tenant picks
    answer = world.pick(picker, ORG_A[0])
    # Then the choice has expired and nothing was connected or deleted
    assert answer.status == 400
    assert answer.page().main_id == "pick-unusable"
    assert world.identity.deleted_connections == []
    assert world.bus.events == []


def test_forged_pick_token_is_refused(world: ConnectWorld, picker: Answer) -> None:
    # Given the picker for two organisations
    # When a form with a token this service never issued is posted
    answer = world.pick(picker, ORG_A[0], token="forged-pick-token")
    # Then it is refused and nothing happens
    assert answer.status == 400
    assert world.identity.deleted_connections == []
    connection = world.state.connections.get(TENANT)
    assert connection is not None
    assert connection.status is ConnectionStatus.PICKING


def test_oauth_state_is_not_accepted_as_a_pick_token(world: ConnectWorld, picker: Answer) -> None:
    # Given a live OAuth state of another connect attempt
    state = world.open_authorise(world.connect_session()).query["state"]
    # When it is posted as a pick token
    answer = world.pick(picker, ORG_A[0], token=state)
    # Then it is refused, and the state can still complete its own callback
    assert answer.status == 400
    assert world.verifier_of(state)


def test_choosing_no_offered_organisation_shows_the_picker_again(world: ConnectWorld, picker: Answer) -> None:
    # Given the picker for two organisations
    # When the form is posted without a choice, or with an organisation that was not offered
    unchosen = world.pick(picker, None)
    # Then the picker comes back (400) with a fresh token, and nothing was deleted
    assert unchosen.status == 400
    assert unchosen.page().main_id == "pick-organisation"
    assert "Choose one of the organisations" in unchosen.body
    assert world.identity.deleted_connections == []
    assert world.pick(unchosen, "3c4b8a77-0000-4000-8000-000000000000").status == 400


def test_picker_shown_again_can_be_completed(world: ConnectWorld, picker: Answer) -> None:
    # Given a picker shown again after an empty post
    again = world.pick(picker, None)
    # When the tenant picks on it
    answer = world.pick(again, ORG_A[0])
    # Then the tenant is connected
    assert answer.query["status"] == "connected"


def test_xero_unavailable_while_deleting_shows_the_picker_again_and_a_retry_completes(
    world: ConnectWorld, picker: Answer
) -> None:
    # Given Xero not answering the first delete
    world.identity.fail_next("delete_connection", XeroUnavailableError("503"))
    ids = xero_connection_ids(world)
    # When the tenant picks, then picks again on the picker shown
    unavailable = world.pick(picker, ORG_A[0])
    answer = world.pick(unavailable, ORG_A[0])
    # Then the first answer is the picker with 503, and the retry connects and deletes the other connection
    assert unavailable.status == 503
    assert unavailable.page().main_id == "pick-organisation"
    assert answer.query["status"] == "connected"
    assert world.identity.deleted_connections == [ids[ORG_B[0]]]


def test_a_connection_already_gone_at_xero_does_not_stop_the_pick(world: ConnectWorld, picker: Answer) -> None:
    # Given the user removed the other organisation at Xero while the picker was open
    world.identity.disconnect(ORG_B[0])
    # When the tenant picks the first
    answer = world.pick(picker, ORG_A[0])
    # Then Xero's 404 for the other connection is fine: the tenant is connected
    assert answer.query["status"] == "connected"


def test_a_post_stuffed_with_fields_is_refused_as_no_pick(world: ConnectWorld, picker: Answer) -> None:
    # Given the picker for two organisations
    token = picker.page().hidden["pick_token"]
    # When a form with far more fields than the picker's is posted
    stuffed = "&".join([f"pick_token={token}", f"organisation={ORG_A[0]}", *(f"f{n}=x" for n in range(20))])
    answer = world.request("POST", "/oauth/pick", form=stuffed)
    # Then it is refused as a pick without a token, and nothing happens
    assert answer.status == 400
    assert answer.page().main_id == "pick-unusable"
    assert world.identity.deleted_connections == []
