"""GET and PUT /sync/settings (checked against Xero's reference data), PUT /sync/enabled, GET /xero/reference."""

from __future__ import annotations

from datetime import timedelta

from shared.domain.inbound.reconcile_state import fresh, put_off, succeeded, waiting
from shared.domain.inbound.settings import NOT_CHOSEN, InboundEntitySettings, SyncedKind
from shared.domain.reference_data import ToldElement
from tests.unit.api.api_world import ApiWorld
from tests.unit.api.record_bodies import reference_data, settings


def test_settings_never_saved_are_the_defaults_which_send_nothing(world: ApiWorld, tenant_id: str) -> None:
    # When the platform reads the settings of a tenant that has none
    answer = world.call("GET", f"/v1/tenants/{tenant_id}/sync/settings")
    # Then they are the defaults, switched off
    assert answer.status == 200
    assert answer.body["enabled"] is False
    assert answer.body["invoice_status"] == "AUTHORISED"


def test_settings_that_fit_the_organisation_are_saved(world: ApiWorld, tenant_id: str) -> None:
    # Given a tenant whose reference data was pulled
    world.records.settings.put_reference(tenant_id, reference_data())
    # When the platform saves settings that name its accounts
    answer = world.call("PUT", f"/v1/tenants/{tenant_id}/sync/settings", body=settings(invoice_status="DRAFT"))
    # Then they are saved and read back
    assert answer.status == 200
    read = world.call("GET", f"/v1/tenants/{tenant_id}/sync/settings").body
    assert (read["sales_account"], read["invoice_status"]) == ("200", "DRAFT")


def test_settings_naming_what_xero_lacks_are_refused_field_by_field(world: ApiWorld, tenant_id: str) -> None:
    # Given a tenant whose reference data was pulled
    world.records.settings.put_reference(tenant_id, reference_data())
    # When the platform saves an archived sales account and a tax rate Xero does not have
    body = settings(sales_account="260", tax_rates={"GST": "NOSUCHTAX"})
    answer = world.call("PUT", f"/v1/tenants/{tenant_id}/sync/settings", body=body)
    # Then it is refused naming both settings, and nothing is saved
    assert answer.status == 422
    fields = [error["field"] for error in answer.body["errors"]]
    assert fields == ["body.sales_account", "body.tax_rates.GST"]
    assert "archived" in answer.body["errors"][0]["message"]
    assert world.records.settings.get(tenant_id) is None


def test_settings_before_the_reference_data_is_pulled_are_a_conflict(world: ApiWorld, tenant_id: str) -> None:
    # When the platform saves settings before the tenant's Xero reference data was pulled
    answer = world.call("PUT", f"/v1/tenants/{tenant_id}/sync/settings", body=settings())
    # Then it is a 409 explaining that the reference data comes once the tenant is connected
    assert answer.status == 409
    assert "pulled once the tenant is connected" in answer.body["detail"]


def test_malformed_settings_are_refused_before_any_check(world: ApiWorld, tenant_id: str) -> None:
    # When the platform saves a status Xero does not create documents in
    answer = world.call("PUT", f"/v1/tenants/{tenant_id}/sync/settings", body=settings(invoice_status="PAID"))
    # Then it is refused naming the field and the allowed values
    assert answer.status == 422
    assert answer.body["errors"][0]["field"] == "body.invoice_status"
    assert "'AUTHORISED'" in answer.body["errors"][0]["message"]


def test_settings_cannot_switch_the_sync_on(world: ApiWorld, tenant_id: str) -> None:
    # Given a tenant whose reference data was pulled and whose sync is off
    world.records.settings.put_reference(tenant_id, reference_data())
    # When a settings change tries to switch it on
    answer = world.call("PUT", f"/v1/tenants/{tenant_id}/sync/settings", body=settings(enabled=True))
    # Then it is refused, pointing at the platform's switch
    assert answer.status == 422
    assert answer.body["errors"][0]["field"] == "body.enabled"
    assert "sync/enabled" in answer.body["errors"][0]["message"]


def test_saving_settings_keeps_the_platforms_switch(world: ApiWorld, tenant_id: str) -> None:
    # Given a tenant switched on by the platform
    world.records.settings.put_reference(tenant_id, reference_data())
    world.call("PUT", f"/v1/tenants/{tenant_id}/sync/enabled", body={"enabled": True})
    # When settings without `enabled` are saved
    answer = world.call("PUT", f"/v1/tenants/{tenant_id}/sync/settings", body=settings())
    # Then the tenant is still switched on
    assert answer.body["enabled"] is True


def test_switching_the_sync_on_needs_no_reference_data_and_queues_a_sync(world: ApiWorld, tenant_id: str) -> None:
    # When the platform switches on a tenant whose reference data was never pulled
    answer = world.call("PUT", f"/v1/tenants/{tenant_id}/sync/enabled", body={"enabled": True})
    # Then it is on, and the worker is asked to send what waited while it was off, and to read from Xero
    # every kind the connection's initial sync put off while the sync was off
    assert answer.status == 200
    assert answer.body == {"enabled": True}
    [(group, request)] = world.sync_requests()
    assert (group, request["entity"], request["reason"]) == (tenant_id, None, "enabled")
    assert set(request["reconcile"]) == {kind.value for kind in SyncedKind}


def test_switching_the_sync_off_keeps_the_other_settings(world: ApiWorld, tenant_id: str) -> None:
    # Given saved settings and a tenant switched on
    world.records.settings.put_reference(tenant_id, reference_data())
    world.call("PUT", f"/v1/tenants/{tenant_id}/sync/settings", body=settings())
    world.call("PUT", f"/v1/tenants/{tenant_id}/sync/enabled", body={"enabled": True})
    # When the platform switches it off
    world.call("PUT", f"/v1/tenants/{tenant_id}/sync/enabled", body={"enabled": False})
    # Then it is off with its settings intact
    read = world.call("GET", f"/v1/tenants/{tenant_id}/sync/settings").body
    assert (read["enabled"], read["sales_account"]) == (False, "200")


def test_reference_data_not_pulled_yet_is_a_404(world: ApiWorld, tenant_id: str) -> None:
    # When the platform reads reference data that was never pulled
    answer = world.call("GET", f"/v1/tenants/{tenant_id}/xero/reference")
    # Then it is a 404 saying when it will be there
    assert answer.status == 404
    assert "pulled once the tenant is connected" in answer.body["detail"]


def test_reference_data_is_read_as_pulled(world: ApiWorld, tenant_id: str) -> None:
    # Given the tenant's reference data was pulled
    world.records.settings.put_reference(tenant_id, reference_data())
    # When the platform reads it to offer accounts in a settings screen
    answer = world.call("GET", f"/v1/tenants/{tenant_id}/xero/reference")
    # Then the accounts, tax rates and tracking categories are there
    assert answer.status == 200
    assert [account["code"] for account in answer.body["accounts"]] == ["200", "310", "404", "090", "260"]
    assert answer.body["tracking_categories"][0]["options"][0]["name"] == "North"


def test_reference_data_is_read_without_what_xero_sync_keeps_for_itself(world: ApiWorld, tenant_id: str) -> None:
    # Given reference data the platform was told of (xero-sync keeps what it told, per element)
    told = {"account#acc-200": ToldElement(version=2, digest="d" * 32)}
    world.records.settings.put_reference(tenant_id, reference_data().model_copy(update={"told": told}))
    # When the platform reads it
    answer = world.call("GET", f"/v1/tenants/{tenant_id}/xero/reference")
    # Then it holds Xero's data only
    assert answer.status == 200
    assert "told" not in answer.body
    assert "accounts_checked_at" not in answer.body


def test_one_tenants_settings_are_not_another_tenants(world: ApiWorld, tenant_id: str) -> None:
    # Given settings saved for one tenant
    world.records.settings.put_reference(tenant_id, reference_data())
    world.call("PUT", f"/v1/tenants/{tenant_id}/sync/settings", body=settings())
    # When another tenant's settings and reference data are read
    other = world.tenant("Other Co")
    read = world.call("GET", f"/v1/tenants/{other}/sync/settings").body
    reference = world.call("GET", f"/v1/tenants/{other}/xero/reference")
    # Then they are its own: defaults, and nothing pulled
    assert read["sales_account"] is None
    assert reference.status == 404


def test_what_comes_from_xero_is_saved_per_kind(world: ApiWorld, tenant_id: str) -> None:
    # Given a tenant whose reference data was pulled
    world.records.settings.put_reference(tenant_id, reference_data())
    # When the platform saves: invoices from Xero only and unpaid only, Xero winning contacts' conflicts
    inbound = {
        "kinds": {
            "invoice": {"direction": "from_xero", "only_unpaid": True},
            "contact": {"conflict_winner": "xero"},
        }
    }
    answer = world.call("PUT", f"/v1/tenants/{tenant_id}/sync/settings", body=settings(inbound=inbound))
    # Then they are saved and read back, other kinds keeping their defaults
    assert answer.status == 200, answer.text
    read = world.call("GET", f"/v1/tenants/{tenant_id}/sync/settings").body["inbound"]["kinds"]
    assert (read["invoice"]["direction"], read["invoice"]["only_unpaid"], read["contact"]["conflict_winner"]) == (
        "from_xero",
        True,
        "xero",
    )


def test_tax_rates_cannot_be_sent_to_xero(world: ApiWorld, tenant_id: str) -> None:
    # When the platform asks for tax rates to go to Xero
    inbound = {"kinds": {"tax_rate": {"direction": "to_xero"}}}
    answer = world.call("PUT", f"/v1/tenants/{tenant_id}/sync/settings", body=settings(inbound=inbound))
    # Then it is refused naming the inbound settings (tax rates come one way, from Xero)
    assert answer.status == 422
    assert [(e["field"], e["problem"]) for e in answer.body["errors"]] == [("body.inbound", "value_error")]


def test_a_shorter_reconciliation_interval_counts_from_the_last_run(world: ApiWorld, tenant_id: str) -> None:
    # Given invoices reconciled at noon, next due at 12:15 by the default 15 minutes, and contacts in the middle
    # of a read stopped on page 3
    world.records.settings.put_reference(tenant_id, reference_data())
    noon = world.clock.now()
    read = succeeded(
        fresh(tenant_id, SyncedKind.INVOICE, noon), noon, InboundEntitySettings(reconcile_interval_minutes=15)
    )
    world.reconcile_states.put(read)
    stopped = waiting(fresh(tenant_id, SyncedKind.CONTACT, noon), noon, 3, noon + timedelta(minutes=30), "minute limit")
    world.reconcile_states.put(stopped.model_copy(update={"last_success": noon}))
    world.clock.advance(timedelta(minutes=2))
    # When the platform shortens both to every minute
    every_minute = {"reconcile_interval_minutes": 1}
    inbound = {"kinds": {"invoice": every_minute, "contact": every_minute}}
    answer = world.call("PUT", f"/v1/tenants/{tenant_id}/sync/settings", body=settings(inbound=inbound))
    # Then invoices are due now (a minute after the last run has passed), not at 12:15; the stopped read keeps its time
    assert answer.status == 200
    invoices = world.reconcile_states.get(tenant_id, SyncedKind.INVOICE)
    contacts = world.reconcile_states.get(tenant_id, SyncedKind.CONTACT)
    assert invoices is not None
    assert contacts is not None
    assert (invoices.due_at, invoices.note) == (noon + timedelta(minutes=2), "interval shortened")
    assert contacts.due_at == noon + timedelta(minutes=30)


def test_choosing_a_date_for_bank_transactions_makes_their_reconciliation_due_at_once(
    world: ApiWorld, tenant_id: str
) -> None:
    # Given bank transactions put off, unscheduled, because the tenant had not chosen them
    world.records.settings.put_reference(tenant_id, reference_data())
    noon = world.clock.now()
    world.reconcile_states.put(put_off(fresh(tenant_id, SyncedKind.BANK_TRANSACTION, noon), None, NOT_CHOSEN))
    world.clock.advance(timedelta(minutes=2))
    # When the platform sets since for them
    inbound = {"kinds": {"bank_transaction": {"direction": "from_xero", "since": "2026-01-01"}}}
    answer = world.call("PUT", f"/v1/tenants/{tenant_id}/sync/settings", body=settings(inbound=inbound))
    # Then they are due now
    assert answer.status == 200, answer.text
    bank = world.reconcile_states.get(tenant_id, SyncedKind.BANK_TRANSACTION)
    assert bank is not None
    assert (bank.due_at, bank.note) == (noon + timedelta(minutes=2), "chosen in the settings")
