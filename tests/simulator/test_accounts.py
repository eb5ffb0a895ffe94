"""The chart of accounts through /Accounts: lists, creation, updates, archiving and deletion (FACTS.md §4.11)."""

from __future__ import annotations

import re
from typing import Any

from tests.simulator.conftest import Tenant
from tests.simulator.reference_data import account_coded, messages
from xero_simulator.world import new_id


def _put(tenant: Tenant, **fields: Any) -> Any:
    return tenant.api.put("/Accounts", json={"Code": "455", "Name": "Software", "Type": "EXPENSE", **fields})


def test_accounts_list_the_seeded_chart_with_class_derived_from_type(tenant: Tenant) -> None:
    # When the chart is read
    accounts = tenant.api.get("/Accounts").json()["Accounts"]
    # Then it holds Xero's AU accounts, each with the Class its Type implies
    by_code = {a["Code"]: a for a in accounts if "Code" in a}
    assert (by_code["200"]["Type"], by_code["200"]["Class"]) == ("REVENUE", "REVENUE")
    assert (by_code["610"]["SystemAccount"], by_code["610"]["Class"]) == ("DEBTORS", "ASSET")
    assert by_code["800"]["Class"] == "LIABILITY"


def test_accounts_can_be_filtered_with_where(tenant: Tenant) -> None:
    # When only bank accounts are asked for
    answer = tenant.api.get("/Accounts", params={"where": 'Status=="ACTIVE" AND Type=="BANK"'})
    # Then only the two bank accounts come back
    assert sorted(a["Code"] for a in answer.json()["Accounts"]) == ["090", "091"]


def test_accounts_can_be_ordered(tenant: Tenant) -> None:
    # When accounts are ordered by Code descending
    codes = [a["Code"] for a in tenant.api.get("/Accounts", params={"order": "Code DESC"}).json()["Accounts"]]
    # Then the highest code comes first
    assert codes == sorted(codes, reverse=True)


def test_accounts_honour_if_modified_since(tenant: Tenant) -> None:
    # Given an account renamed a minute after the chart was seeded
    tenant.sim.world.clock.advance(30)
    since = tenant.sim.world.clock.now().isoformat()
    tenant.sim.world.clock.advance(30)
    rates = account_coded(tenant.api, "400")
    tenant.api.post(f"/Accounts/{rates['AccountID']}", json={"Accounts": [{"Name": "Marketing"}]})
    # When accounts changed since before the rename are asked for
    answer = tenant.api.get("/Accounts", headers={"If-Modified-Since": since})
    # Then only the renamed account comes back
    assert [a["Name"] for a in answer.json()["Accounts"]] == ["Marketing"]


def test_an_account_is_read_by_its_id(tenant: Tenant) -> None:
    # Given the Sales account's id
    sales = account_coded(tenant.api, "200")
    # When it is read by id
    answer = tenant.api.get(f"/Accounts/{sales['AccountID']}")
    # Then it is the one account in the collection
    assert [a["Code"] for a in answer.json()["Accounts"]] == ["200"]


def test_an_unknown_account_id_is_not_found(tenant: Tenant) -> None:
    # When an account id that does not exist is read
    answer = tenant.api.get(f"/Accounts/{new_id()}")
    # Then Xero answers 404
    assert answer.status_code == 404


def test_put_creates_an_active_account_with_its_class(tenant: Tenant) -> None:
    # When an expense account is created
    answer = _put(tenant)
    # Then it is ACTIVE, classed EXPENSE and readable from the chart
    created = answer.json()["Accounts"][0]
    assert (created["Status"], created["Class"]) == ("ACTIVE", "EXPENSE")
    assert account_coded(tenant.api, "455")["AccountID"] == created["AccountID"]


def test_put_stamps_the_account_with_the_time_of_the_change(tenant: Tenant) -> None:
    # Given Xero's clock moved on ten minutes
    moved_to = tenant.sim.world.clock.advance(600)
    # When an account is created
    created = _put(tenant).json()["Accounts"][0]
    # Then its UpdatedDateUTC is that simulated now, not the chart's seeding time
    stamped = int(re.findall(r"\d+", created["UpdatedDateUTC"])[0]) / 1000
    assert abs(stamped - moved_to.timestamp()) < 5


def test_account_code_must_be_unique(tenant: Tenant) -> None:
    # When an account reuses the Sales account's code
    answer = _put(tenant, Code="200")
    # Then Xero refuses it
    assert answer.status_code == 400
    assert messages(answer) == ["Please enter a unique Code."]


def test_account_name_must_be_unique(tenant: Tenant) -> None:
    # When an account reuses an existing name in another case
    answer = _put(tenant, Name="general expenses")
    # Then Xero refuses it with its own words
    assert answer.status_code == 400
    assert messages(answer) == ["Please enter a unique Name."]


def test_account_code_longer_than_ten_characters_is_refused(tenant: Tenant) -> None:
    # When an account code has 11 characters
    answer = _put(tenant, Code="12345678901")
    # Then it is refused
    assert answer.status_code == 400
    assert messages(answer) == ["The Code must not be more than 10 characters long."]


def test_account_type_outside_the_account_type_enum_is_refused(tenant: Tenant) -> None:
    # When an account has a Type Xero does not know
    answer = _put(tenant, Type="SPENDING")
    # Then it is refused and nothing is created
    assert answer.status_code == 400
    assert tenant.api.get("/Accounts", params={"where": 'Code=="455"'}).json()["Accounts"] == []


def test_account_tax_type_must_suit_the_account_class(tenant: Tenant) -> None:
    # When an expense account is given GST on Income, which Xero offers only on sales-side accounts
    answer = _put(tenant, TaxType="OUTPUT")
    # Then it is refused
    assert answer.status_code == 400
    assert messages(answer) == ["The TaxType code 'OUTPUT' cannot be used with account code '455'."]


def test_bank_account_needs_a_bank_account_number(tenant: Tenant) -> None:
    # When a bank account is created without its number
    answer = tenant.api.put("/Accounts", json={"Name": "Credit Card", "Type": "BANK", "BankAccountType": "CREDITCARD"})
    # Then it is refused
    assert answer.status_code == 400
    assert messages(answer) == ["Please enter a Bank Account Number."]


def test_bank_account_defaults_to_the_base_currency(tenant: Tenant) -> None:
    # When a bank account is created with its number only
    answer = tenant.api.put("/Accounts", json={"Name": "Float", "Type": "BANK", "BankAccountNumber": "123"})
    # Then it is a BANK-type bank account in AUD
    created = answer.json()["Accounts"][0]
    assert (created["BankAccountType"], created["CurrencyCode"], created["Class"]) == ("BANK", "AUD", "ASSET")


def test_post_renames_an_account(tenant: Tenant) -> None:
    # Given the Advertising account
    advertising = account_coded(tenant.api, "400")
    # When it is renamed
    answer = tenant.api.post(f"/Accounts/{advertising['AccountID']}", json={"Accounts": [{"Name": "Marketing"}]})
    # Then the chart shows the new name
    assert answer.json()["Accounts"][0]["Name"] == "Marketing"
    assert account_coded(tenant.api, "400")["Name"] == "Marketing"


def test_post_cannot_take_another_accounts_name(tenant: Tenant) -> None:
    # When Advertising is renamed to Rent
    advertising = account_coded(tenant.api, "400")
    answer = tenant.api.post(f"/Accounts/{advertising['AccountID']}", json={"Accounts": [{"Name": "Rent"}]})
    # Then Xero refuses it
    assert messages(answer) == ["Please enter a unique Name."]


def test_post_archives_an_account(tenant: Tenant) -> None:
    # When Advertising is archived
    advertising = account_coded(tenant.api, "400")
    tenant.api.post(f"/Accounts/{advertising['AccountID']}", json={"Accounts": [{"Status": "ARCHIVED"}]})
    # Then the chart shows it ARCHIVED
    assert account_coded(tenant.api, "400")["Status"] == "ARCHIVED"


def test_post_restores_an_archived_account(tenant: Tenant) -> None:
    # Given an archived account
    advertising = account_coded(tenant.api, "400")
    path = f"/Accounts/{advertising['AccountID']}"
    tenant.api.post(path, json={"Accounts": [{"Status": "ARCHIVED"}]})
    # When it is made ACTIVE again
    tenant.api.post(path, json={"Accounts": [{"Status": "ACTIVE"}]})
    # Then it is ACTIVE
    assert account_coded(tenant.api, "400")["Status"] == "ACTIVE"


def test_system_accounts_cannot_be_archived(tenant: Tenant) -> None:
    # When Accounts Receivable (SystemAccount DEBTORS) is archived
    debtors = account_coded(tenant.api, "610")
    answer = tenant.api.post(f"/Accounts/{debtors['AccountID']}", json={"Accounts": [{"Status": "ARCHIVED"}]})
    # Then Xero refuses and it stays ACTIVE
    assert messages(answer) == ["System accounts cannot be archived."]
    assert account_coded(tenant.api, "610")["Status"] == "ACTIVE"


def test_post_cannot_set_status_deleted(tenant: Tenant) -> None:
    # When an account's Status is set to DELETED by POST
    advertising = account_coded(tenant.api, "400")
    answer = tenant.api.post(f"/Accounts/{advertising['AccountID']}", json={"Accounts": [{"Status": "DELETED"}]})
    # Then it is refused: only ACTIVE <-> ARCHIVED is an update
    assert answer.status_code == 400
    assert account_coded(tenant.api, "400")["Status"] == "ACTIVE"


def test_system_account_type_cannot_change(tenant: Tenant) -> None:
    # When Accounts Payable is retyped
    creditors = account_coded(tenant.api, "800")
    answer = tenant.api.post(f"/Accounts/{creditors['AccountID']}", json={"Accounts": [{"Type": "LIABILITY"}]})
    # Then it is refused
    assert messages(answer) == ["The Type of a system account cannot be changed."]


def test_retyping_an_account_derives_its_new_class(tenant: Tenant) -> None:
    # When the Loan account becomes a NONCURRENT account
    loan = account_coded(tenant.api, "900")
    answer = tenant.api.post(f"/Accounts/{loan['AccountID']}", json={"Accounts": [{"Type": "NONCURRENT"}]})
    # Then its Class follows, from LIABILITY to ASSET
    assert answer.json()["Accounts"][0]["Class"] == "ASSET"


def test_delete_removes_an_unused_account(tenant: Tenant) -> None:
    # Given an account no document uses
    created = _put(tenant).json()["Accounts"][0]
    # When it is deleted
    answer = tenant.api.delete(f"/Accounts/{created['AccountID']}")
    # Then Xero answers it DELETED and the chart no longer has it
    assert answer.json()["Accounts"][0]["Status"] == "DELETED"
    assert tenant.api.get(f"/Accounts/{created['AccountID']}").status_code == 404


def test_system_accounts_cannot_be_deleted(tenant: Tenant) -> None:
    # When the GST account is deleted
    gst = account_coded(tenant.api, "820")
    answer = tenant.api.delete(f"/Accounts/{gst['AccountID']}")
    # Then Xero refuses
    assert answer.status_code == 400
    assert messages(answer) == ["System accounts cannot be deleted."]


def test_an_account_used_on_a_document_cannot_be_deleted(tenant: Tenant) -> None:
    # Given an invoice with a line on Advertising
    advertising = account_coded(tenant.api, "400")
    invoice_id = new_id()
    tenant.org.records("Invoices")[invoice_id] = {
        "InvoiceID": invoice_id,
        "Type": "ACCPAY",
        "LineItems": [{"AccountCode": "400", "LineAmount": 10}],
    }
    # When Advertising is deleted
    answer = tenant.api.delete(f"/Accounts/{advertising['AccountID']}")
    # Then Xero refuses and suggests archiving
    assert messages(answer) == ["This account has been used and cannot be deleted. Archive it instead."]


def test_an_account_a_payment_names_by_id_cannot_be_deleted(tenant: Tenant) -> None:
    # Given a payment into the savings account, referred to by AccountID
    savings = account_coded(tenant.api, "091")
    payment_id = new_id()
    tenant.org.records("Payments")[payment_id] = {
        "PaymentID": payment_id,
        "Account": {"AccountID": savings["AccountID"]},
    }
    # When the savings account is deleted
    answer = tenant.api.delete(f"/Accounts/{savings['AccountID']}")
    # Then Xero refuses
    assert answer.status_code == 400
