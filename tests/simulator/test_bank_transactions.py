"""Bank transactions (spend and receive money) through the simulator's Accounting API."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx

from tests.simulator.conftest import Tenant
from xero_simulator.world import ChangeEvent

RECONCILED = "This Bank Transaction cannot be edited as it has been reconciled with a Bank Statement."
NOT_MODIFIABLE = "Bank Transaction not of valid status for modification"
ID_NOT_FOUND = "The document with the supplied id was not found for this endpoint."


# --- Given / When helpers ---------------------------------------------------------------------


def spend(**fields: Any) -> dict[str, Any]:
    """Spend money from account 090: two pens at 5.50, office expenses, GST on expenses (10%)."""
    return {
        "Type": "SPEND",
        "Contact": {"Name": "Officeworks"},
        "BankAccount": {"Code": "090"},
        "Date": "2024-03-02",
        "LineItems": [{"Description": "Pens", "Quantity": 2, "UnitAmount": 5.5, "AccountCode": "453"}],
        **fields,
    }


def put(tenant: Tenant, *elements: dict[str, Any], **params: Any) -> httpx.Response:
    return tenant.api.put("/BankTransactions", params=params, json={"BankTransactions": list(elements)})


def post(tenant: Tenant, *elements: dict[str, Any], path_id: str | None = None) -> httpx.Response:
    path = f"/BankTransactions/{path_id}" if path_id else "/BankTransactions"
    return tenant.api.post(path, json={"BankTransactions": list(elements)})


def created(tenant: Tenant, **fields: Any) -> dict[str, Any]:
    response = put(tenant, spend(**fields))
    assert response.status_code == 200, response.text
    transaction: dict[str, Any] = response.json()["BankTransactions"][0]
    return transaction


def stored(tenant: Tenant, transaction_id: str, **params: Any) -> dict[str, Any]:
    response = tenant.api.get(f"/BankTransactions/{transaction_id}", params=params)
    assert response.status_code == 200, response.text
    transaction: dict[str, Any] = response.json()["BankTransactions"][0]
    return transaction


def messages(response: httpx.Response) -> list[str]:
    """The ValidationErrors of a 400 ValidationException, in order."""
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["Type"] == "ValidationException"
    return [error["Message"] for element in body["Elements"] for error in element["ValidationErrors"]]


def account(tenant: Tenant, code: str) -> dict[str, Any]:
    return next(a for a in tenant.org.records("Accounts").values() if a["Code"] == code)


# --- creating ---------------------------------------------------------------------------------


def test_spend_money_adds_tax_to_exclusive_line_amounts(tenant: Tenant) -> None:
    # Given two pens at 5.50 on GST on expenses (10%), amounts exclusive of tax
    element = spend()

    # When the spend money is created
    transaction = created(tenant, **element)

    # Then the totals are 11.00 + 1.10 tax = 12.10
    figures = (transaction["SubTotal"], transaction["TotalTax"], transaction["Total"])
    assert figures == (11.0, 1.1, 12.1)


def test_inclusive_line_amounts_carry_their_tax_inside_the_total(tenant: Tenant) -> None:
    # Given one line of 22.00 including GST (10%)
    lines = [{"Description": "Taxi", "LineAmount": 22, "AccountCode": "493"}]

    # When the spend money is created with LineAmountTypes Inclusive
    transaction = created(tenant, LineItems=lines, LineAmountTypes="Inclusive")

    # Then 2.00 of the 22.00 is tax
    assert (transaction["SubTotal"], transaction["TotalTax"], transaction["Total"]) == (20.0, 2.0, 22.0)


def test_receive_money_is_created_authorised_and_unreconciled(tenant: Tenant) -> None:
    # Given money received for a sale
    lines = [{"Description": "Cash sale", "Quantity": 1, "UnitAmount": 50, "AccountCode": "200"}]

    # When the receive money is created
    transaction = created(tenant, Type="RECEIVE", LineItems=lines)

    # Then it is AUTHORISED, not reconciled, in the bank account's currency
    assert (transaction["Type"], transaction["Status"], transaction["IsReconciled"]) == ("RECEIVE", "AUTHORISED", False)
    assert (transaction["BankAccount"]["Code"], transaction["CurrencyCode"]) == ("090", "AUD")


def test_transfer_types_are_refused_outside_bank_transfers(tenant: Tenant) -> None:
    # Given a SPEND-TRANSFER element
    element = spend(Type="SPEND-TRANSFER")

    # When it is created
    response = put(tenant, element)

    # Then it is refused: transfers are made with BankTransfers
    assert messages(response) == [
        "Bank transactions of type SPEND-TRANSFER can only be created by a bank transfer (BankTransfers)"
    ]


def test_overpayment_types_are_refused_as_not_modelled(tenant: Tenant) -> None:
    # Given a RECEIVE-OVERPAYMENT element
    element = spend(Type="RECEIVE-OVERPAYMENT")

    # When it is created
    response = put(tenant, element)

    # Then the simulator says it does not model it
    assert messages(response) == ["Bank transactions of type RECEIVE-OVERPAYMENT are not supported by this simulator"]


def test_the_bank_account_must_be_a_bank_account(tenant: Tenant) -> None:
    # Given the Sales account as the bank account
    element = spend(BankAccount={"Code": "200"})

    # When it is created
    response = put(tenant, element)

    # Then it is refused
    assert messages(response) == ["The account '200' is not a bank account"]


def test_an_archived_bank_account_is_refused(tenant: Tenant) -> None:
    # Given the savings account is archived
    savings = account(tenant, "091")
    savings["Status"] = "ARCHIVED"

    # When money is spent from it, named by AccountID
    response = put(tenant, spend(BankAccount={"AccountID": savings["AccountID"]}))

    # Then the archived account is refused
    assert messages(response) == [
        "The account '091' has been archived, or has been deleted. Each line item must reference a valid account."
    ]


def test_an_archived_tax_rate_on_a_line_is_refused(tenant: Tenant) -> None:
    # Given GST on Expenses is archived
    tenant.org.records("TaxRates")["INPUT"]["Status"] = "ARCHIVED"

    # When a line uses it
    lines = [{"Description": "Pens", "Quantity": 1, "UnitAmount": 5, "AccountCode": "453", "TaxType": "INPUT"}]
    response = put(tenant, spend(LineItems=lines))

    # Then the tax rate is refused
    assert messages(response) == [
        "The TaxType code INPUT does not exist or cannot be used for this type of transaction."
    ]


def test_at_least_one_line_item_is_required(tenant: Tenant) -> None:
    # Given an element with no line items
    element = spend(LineItems=[])

    # When it is created
    response = put(tenant, element)

    # Then it is refused
    assert messages(response) == ["One or more line items must be specified"]


def test_every_line_needs_an_account(tenant: Tenant) -> None:
    # Given a line with an amount and no account
    element = spend(LineItems=[{"Description": "Pens", "Quantity": 1, "UnitAmount": 5}])

    # When it is created
    response = put(tenant, element)

    # Then the account is asked for
    assert messages(response) == ["Account code must be specified."]


def test_discounts_are_refused_on_bank_transactions(tenant: Tenant) -> None:
    # Given a line with a 10% discount
    lines = [{"Description": "Pens", "Quantity": 1, "UnitAmount": 5, "AccountCode": "453", "DiscountRate": 10}]

    # When it is created
    response = put(tenant, spend(LineItems=lines))

    # Then the discount is refused
    assert messages(response) == ["Discounts (DiscountRate, DiscountAmount) are only supported on ACCREC invoices"]


def test_a_contact_is_required(tenant: Tenant) -> None:
    # Given an element without a Contact
    element = spend()
    del element["Contact"]

    # When it is created
    response = put(tenant, element)

    # Then it is refused
    assert messages(response) == ["A Contact must be specified for this type of transaction"]


def test_a_currency_other_than_the_bank_accounts_is_refused(tenant: Tenant) -> None:
    # Given an element in USD from the AUD bank account
    element = spend(CurrencyCode="USD")

    # When it is created
    response = put(tenant, element)

    # Then it is refused
    assert messages(response) == ["The currency USD does not match the currency of the bank account (AUD)"]


def test_a_transaction_dated_on_or_before_the_lock_date_is_refused(tenant: Tenant) -> None:
    # Given a period lock date of 31 March 2024
    tenant.org.period_lock_date = date(2024, 3, 31)

    # When money spent on 2 March 2024 is created
    response = put(tenant, spend())

    # Then the locked period refuses it
    assert messages(response) == [
        "The document date cannot be before the period lock date, currently set at 31-Mar-2024"
    ]


def test_every_problem_of_a_transaction_is_listed_together(tenant: Tenant) -> None:
    # Given an element with a non-bank account and no contact
    element = spend(BankAccount={"Code": "200"})
    del element["Contact"]

    # When it is created
    response = put(tenant, element)

    # Then both refusals come back at once
    assert set(messages(response)) == {
        "The account '200' is not a bank account",
        "A Contact must be specified for this type of transaction",
    }


def test_a_transaction_cannot_be_created_deleted(tenant: Tenant) -> None:
    # Given an element with Status DELETED
    element = spend(Status="DELETED")

    # When it is created
    response = put(tenant, element)

    # Then it is refused
    assert messages(response) == ["A bank transaction cannot be created with Status DELETED"]


def test_put_with_a_bank_transaction_id_is_refused(tenant: Tenant) -> None:
    # Given an existing transaction
    transaction = created(tenant)

    # When a PUT sends its id
    response = put(tenant, spend(BankTransactionID=transaction["BankTransactionID"]))

    # Then PUT does not update
    assert messages(response) == [ID_NOT_FOUND]


def test_unit_amounts_keep_four_decimals_when_asked_with_unitdp(tenant: Tenant) -> None:
    # Given a line at 1.2345 a unit
    lines = [{"Description": "Screws", "Quantity": 100, "UnitAmount": 1.2345, "AccountCode": "453"}]

    # When it is created with unitdp=4
    response = put(tenant, spend(LineItems=lines), unitdp=4)

    # Then the unit amount keeps four decimals, and the line amount is 123.45
    line = response.json()["BankTransactions"][0]["LineItems"][0]
    assert (line["UnitAmount"], line["LineAmount"]) == (1.2345, 123.45)


def test_a_batch_without_summarized_errors_answers_each_transaction_and_keeps_the_good_ones(tenant: Tenant) -> None:
    # Given one good element and one with a non-bank account
    good, bad = spend(Reference="good"), spend(Reference="bad", BankAccount={"Code": "200"})

    # When both are created with summarizeErrors=false
    response = put(tenant, good, bad, summarizeErrors="false")

    # Then the answer is 200 with OK and ERROR, and only the good one is stored
    assert response.status_code == 200, response.text
    assert [t["StatusAttributeString"] for t in response.json()["BankTransactions"]] == ["OK", "ERROR"]
    listed = tenant.api.get("/BankTransactions").json()["BankTransactions"]
    assert [t["Reference"] for t in listed] == ["good"]


def test_creating_a_bank_transaction_announces_no_webhook_event(tenant: Tenant) -> None:
    # Given an existing contact and a webhook listener
    created(tenant)
    heard: list[ChangeEvent] = []
    tenant.sim.world.change_listeners.append(heard.append)

    # When another spend money to that contact is created
    created(tenant)

    # Then nothing is announced: Xero has no bank transaction webhooks (FACTS.md §2.4)
    assert heard == []


# --- updating and deleting --------------------------------------------------------------------


def test_an_update_replaces_the_line_items_and_refigures_the_totals(tenant: Tenant) -> None:
    # Given spend money of 12.10
    transaction = created(tenant)

    # When it is updated with one line of 100.00
    lines = [{"Description": "Desk", "Quantity": 1, "UnitAmount": 100, "AccountCode": "453"}]
    element = spend(BankTransactionID=transaction["BankTransactionID"], LineItems=lines)
    response = post(tenant, element)

    # Then it has that line alone and totals 110.00
    assert response.status_code == 200, response.text
    after = stored(tenant, transaction["BankTransactionID"])
    assert ([line["Description"] for line in after["LineItems"]], after["Total"]) == (["Desk"], 110.0)


def test_a_transaction_is_updated_through_its_own_path(tenant: Tenant) -> None:
    # Given spend money with no reference
    transaction = created(tenant)

    # When POST /BankTransactions/{id} sets a reference
    response = post(tenant, spend(Reference="Receipt 7"), path_id=transaction["BankTransactionID"])

    # Then the reference is stored
    assert response.status_code == 200, response.text
    assert stored(tenant, transaction["BankTransactionID"])["Reference"] == "Receipt 7"


def test_post_with_an_unknown_bank_transaction_id_is_refused(tenant: Tenant) -> None:
    # Given an id no transaction has
    element = spend(BankTransactionID="00000000-0000-0000-0000-000000000005")

    # When it is posted
    response = post(tenant, element)

    # Then it is refused
    assert messages(response) == [ID_NOT_FOUND]


def test_a_transaction_is_deleted_by_setting_status_deleted(tenant: Tenant) -> None:
    # Given spend money
    transaction = created(tenant)

    # When it is posted with Status DELETED
    response = post(tenant, spend(Status="DELETED"), path_id=transaction["BankTransactionID"])

    # Then it is DELETED
    assert response.status_code == 200, response.text
    assert stored(tenant, transaction["BankTransactionID"])["Status"] == "DELETED"


def test_a_deleted_transaction_cannot_be_edited(tenant: Tenant) -> None:
    # Given deleted spend money
    transaction = created(tenant)
    post(tenant, spend(Status="DELETED"), path_id=transaction["BankTransactionID"])

    # When it is edited
    response = post(tenant, spend(Reference="again", Status="AUTHORISED"), path_id=transaction["BankTransactionID"])

    # Then it is refused
    assert messages(response) == [NOT_MODIFIABLE]


def test_a_transaction_cannot_be_voided(tenant: Tenant) -> None:
    # Given spend money
    transaction = created(tenant)

    # When it is posted with Status VOIDED
    response = post(tenant, spend(Status="VOIDED"), path_id=transaction["BankTransactionID"])

    # Then it is refused: deleting is the only status change
    assert messages(response) == [NOT_MODIFIABLE]


def test_a_reconciled_transaction_cannot_be_edited(tenant: Tenant) -> None:
    # Given spend money created as reconciled
    transaction = created(tenant, IsReconciled=True)

    # When its reference is changed
    response = post(tenant, spend(Reference="changed"), path_id=transaction["BankTransactionID"])

    # Then Xero's reconciled message refuses it
    assert messages(response) == [RECONCILED]


def test_a_reconciled_transaction_cannot_be_deleted(tenant: Tenant) -> None:
    # Given spend money created as reconciled
    transaction = created(tenant, IsReconciled=True)

    # When it is deleted
    response = post(tenant, spend(Status="DELETED"), path_id=transaction["BankTransactionID"])

    # Then it is refused and stays AUTHORISED
    assert messages(response) == [RECONCILED]
    assert stored(tenant, transaction["BankTransactionID"])["Status"] == "AUTHORISED"


def test_a_transaction_in_a_locked_period_cannot_be_deleted(tenant: Tenant) -> None:
    # Given spend money of 2 March 2024, then an end-of-year lock date of 31 March 2024
    transaction = created(tenant)
    tenant.org.end_of_year_lock_date = date(2024, 3, 31)

    # When it is deleted
    response = post(tenant, spend(Status="DELETED"), path_id=transaction["BankTransactionID"])

    # Then the lock date refuses it
    assert messages(response) == [
        "The document date cannot be before the end of year lock date, currently set at 31-Mar-2024"
    ]


# --- reading ----------------------------------------------------------------------------------


def test_an_unpaged_list_leaves_out_line_items(tenant: Tenant) -> None:
    # Given spend money with a line
    created(tenant)

    # When transactions are listed without a page
    listed = tenant.api.get("/BankTransactions").json()["BankTransactions"]

    # Then the line items are left out
    assert [t["LineItems"] for t in listed] == [[]]


def test_a_paged_list_carries_line_items_and_pagination(tenant: Tenant) -> None:
    # Given three spend moneys
    for reference in ("a", "b", "c"):
        created(tenant, Reference=reference)

    # When page 1 of size 2 is read
    body = tenant.api.get("/BankTransactions", params={"page": 1, "pageSize": 2}).json()

    # Then it holds two transactions with their lines, and the pagination counts three
    assert [len(t["LineItems"]) for t in body["BankTransactions"]] == [1, 1]
    assert body["pagination"] == {"page": 1, "pageSize": 2, "pageCount": 2, "itemCount": 3}


def test_transactions_are_filtered_with_where(tenant: Tenant) -> None:
    # Given a spend and a receive
    created(tenant)
    lines = [{"Description": "Cash sale", "Quantity": 1, "UnitAmount": 50, "AccountCode": "200"}]
    receive = created(tenant, Type="RECEIVE", LineItems=lines)

    # When transactions are listed where Type is RECEIVE
    response = tenant.api.get("/BankTransactions", params={"where": 'Type=="RECEIVE"'})

    # Then only the receive is listed
    assert [t["BankTransactionID"] for t in response.json()["BankTransactions"]] == [receive["BankTransactionID"]]


def test_transactions_are_ordered_as_asked(tenant: Tenant) -> None:
    # Given spend moneys of 1, 3 and 2 pens
    for quantity in (1, 3, 2):
        lines = [{"Description": "Pens", "Quantity": quantity, "UnitAmount": 10, "AccountCode": "453"}]
        created(tenant, LineItems=lines)

    # When they are listed by Total descending
    response = tenant.api.get("/BankTransactions", params={"order": "Total DESC"})

    # Then the largest comes first
    assert [t["Total"] for t in response.json()["BankTransactions"]] == [33.0, 22.0, 11.0]


def test_if_modified_since_lists_only_transactions_changed_after_it(tenant: Tenant) -> None:
    # Given spend money, then ten minutes later another
    created(tenant)
    tenant.sim.world.clock.advance(600)
    since = tenant.sim.world.clock.now()
    tenant.sim.world.clock.advance(1)
    later = created(tenant)

    # When transactions modified since the ten-minute mark are listed
    response = tenant.api.get("/BankTransactions", headers={"If-Modified-Since": since.isoformat()})

    # Then only the later one is listed
    assert [t["BankTransactionID"] for t in response.json()["BankTransactions"]] == [later["BankTransactionID"]]


def test_an_unknown_bank_transaction_id_is_not_found(tenant: Tenant) -> None:
    # Given no transaction with this id
    unknown = "00000000-0000-0000-0000-000000000006"

    # When it is read
    response = tenant.api.get(f"/BankTransactions/{unknown}")

    # Then the answer is 404
    assert response.status_code == 404


def test_a_single_transaction_shows_its_unit_amounts_to_two_decimals_by_default(tenant: Tenant) -> None:
    # Given a line created at 1.2345 a unit with unitdp=4
    lines = [{"Description": "Screws", "Quantity": 100, "UnitAmount": 1.2345, "AccountCode": "453"}]
    transaction = put(tenant, spend(LineItems=lines), unitdp=4).json()["BankTransactions"][0]

    # When it is read without unitdp
    line = stored(tenant, transaction["BankTransactionID"])["LineItems"][0]

    # Then the unit amount shows two decimals
    assert line["UnitAmount"] == 1.23


def test_a_transaction_shows_its_contacts_current_name(tenant: Tenant) -> None:
    # Given spend money to Officeworks, which is then renamed
    transaction = created(tenant)
    contact = tenant.org.records("Contacts")[transaction["Contact"]["ContactID"]]
    contact["Name"] = "Officeworks Pty Ltd"

    # When the transaction is read
    shown = stored(tenant, transaction["BankTransactionID"])

    # Then it shows the new name
    assert shown["Contact"]["Name"] == "Officeworks Pty Ltd"
