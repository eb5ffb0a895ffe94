"""Scopes granted through the OAuth flow, enforced on Accounting calls (FACTS.md §1.4, §1.7)."""

from __future__ import annotations

from tests.simulator.identity_flow import accounting, connect, register
from xero_simulator.server import Simulator


def test_a_token_without_accounting_settings_is_refused_the_organisation(simulator: Simulator) -> None:
    # Given a token for contacts only
    party = register(simulator)
    api = accounting(party, connect(party, ("offline_access", "accounting.contacts"))["access_token"])
    # When it reads /Organisation
    answer = api.get("/Organisation")
    # Then Xero answers 401 with insufficient_scope in WWW-Authenticate
    assert answer.status_code == 401
    assert "insufficient_scope" in answer.headers["www-authenticate"]


def test_a_token_without_accounting_settings_is_refused_the_accounts(simulator: Simulator) -> None:
    # Given a token for transactions only
    party = register(simulator)
    api = accounting(party, connect(party, ("offline_access", "accounting.transactions"))["access_token"])
    # When it reads /Accounts
    answer = api.get("/Accounts")
    # Then Xero answers 401 with insufficient_scope in WWW-Authenticate
    assert answer.status_code == 401
    assert "insufficient_scope" in answer.headers["www-authenticate"]


def test_a_token_with_accounting_settings_read_reads_the_accounts(simulator: Simulator) -> None:
    # Given a token for settings.read
    party = register(simulator)
    api = accounting(party, connect(party, ("offline_access", "accounting.settings.read"))["access_token"])
    # When it reads /Accounts, then Xero answers 200
    assert api.get("/Accounts").status_code == 200


def test_a_granular_invoices_token_reads_invoices(simulator: Simulator) -> None:
    # Given a granular-only app's token for accounting.invoices
    party = register(simulator, granular_only=True)
    api = accounting(party, connect(party, ("offline_access", "accounting.invoices"))["access_token"])
    # When it reads /Invoices, then Xero answers 200
    assert api.get("/Invoices").status_code == 200


def test_a_granular_invoices_token_is_refused_the_payments(simulator: Simulator) -> None:
    # Given a granular-only app's token for accounting.invoices
    party = register(simulator, granular_only=True)
    api = accounting(party, connect(party, ("offline_access", "accounting.invoices"))["access_token"])
    # When it reads /Payments
    answer = api.get("/Payments")
    # Then Xero answers 401 insufficient_scope: payments need accounting.payments
    assert answer.status_code == 401
    assert "insufficient_scope" in answer.headers["www-authenticate"]


def test_scopes_are_additive_across_consents(simulator: Simulator) -> None:
    # Given a user who consented to settings
    party = register(simulator)
    connect(party, ("offline_access", "accounting.settings"))
    # When they consent again to contacts only
    tokens = connect(party, ("offline_access", "accounting.contacts"))
    # Then the new token carries both: a scope is only removed by revoking (FACTS.md §1.4)
    assert set(tokens["scope"].split()) == {"offline_access", "accounting.settings", "accounting.contacts"}
