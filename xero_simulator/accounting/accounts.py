"""Routes: the chart of accounts (GET/PUT /Accounts, GET/POST/DELETE /Accounts/{AccountID}).

Rules (FACTS.md §4.11): Type from the AccountType enum, Class derived from Type and read-only,
Code unique and at most 10 characters, Name unique ("Please enter a unique Name."), Status ACTIVE
may become ARCHIVED and back. System accounts (a SystemAccount value) can be neither archived nor
deleted, and an account any document uses cannot be deleted, only archived.
"""

from __future__ import annotations

from typing import Any

from xero_simulator.accounting.batch import ElementError
from xero_simulator.accounting.querying import ListRules, list_records
from xero_simulator.accounting.references import account_in_use, resolve_tax_rate
from xero_simulator.accounting.unbatched_writes import write_each
from xero_simulator.charts import ACCOUNT_CLASS
from xero_simulator.errors import ValidationError, found
from xero_simulator.routing import ApiRequest, accounting
from xero_simulator.scopes import ScopeFamily
from xero_simulator.world import new_id

MAX_CODE_LENGTH = 10  # FACTS.md §4.11
_RULES = ListRules(id_field="AccountID")
# Fields a client may set; Class, SystemAccount, ReportingCodeName, HasAttachments and UpdatedDateUTC are Xero's.
_WRITABLE = (
    "Code",
    "Name",
    "Type",
    "BankAccountNumber",
    "Status",
    "Description",
    "BankAccountType",
    "CurrencyCode",
    "TaxType",
    "EnablePaymentsToAccount",
    "ShowInExpenseClaims",
    "ReportingCode",
    "AddToWatchlist",
)


def _stored(req: ApiRequest, account_id: str) -> dict[str, Any]:
    record = found(req.org.records("Accounts").get(account_id.strip().lower()))
    return record


def _check_code(req: ApiRequest, code: Any, account_id: str | None) -> None:
    if not isinstance(code, str) or not code.strip():
        raise ElementError("Please enter a Code.")
    if len(code.strip()) > MAX_CODE_LENGTH:
        raise ElementError(f"The Code must not be more than {MAX_CODE_LENGTH} characters long.")
    for other in req.org.records("Accounts").values():
        if other["AccountID"] != account_id and (other.get("Code") or "").lower() == code.strip().lower():
            raise ElementError("Please enter a unique Code.")


def _check_name(req: ApiRequest, name: Any, account_id: str | None) -> None:
    if not isinstance(name, str) or not name.strip():
        raise ElementError("Please enter a Name.")
    for other in req.org.records("Accounts").values():
        if other["AccountID"] != account_id and other["Name"].strip().lower() == name.strip().lower():
            raise ElementError("Please enter a unique Name.")  # FACTS.md §4.11


def _check_type(account_type: Any) -> str:
    if account_type not in ACCOUNT_CLASS:
        raise ElementError(f"'{account_type}' is not a valid account Type.")
    return str(account_type)


def _no_tax_type(req: ApiRequest) -> str:
    """The rate a new account gets when none is given: AU's BAS Excluded, elsewhere No GST/VAT/Tax Exempt."""
    return "BASEXCLUDED" if "BASEXCLUDED" in req.org.records("TaxRates") else "NONE"


def _create(req: ApiRequest, element: dict[str, Any]) -> dict[str, Any]:
    account_type = _check_type(element.get("Type"))
    # A bank account is identified by its number; Xero lets it go without a code.
    if account_type != "BANK" or element.get("Code"):
        _check_code(req, element.get("Code"), None)
    _check_name(req, element.get("Name"), None)
    if account_type == "BANK" and not element.get("BankAccountNumber"):
        raise ElementError("Please enter a Bank Account Number.")
    record: dict[str, Any] = {
        "AccountID": new_id(),
        "Type": account_type,
        "Class": ACCOUNT_CLASS[account_type],
        "Status": "ACTIVE",
        "TaxType": _no_tax_type(req),
        "EnablePaymentsToAccount": False,
        "ShowInExpenseClaims": False,
        "ReportingCode": "",
        "HasAttachments": False,
        **{k: element[k] for k in _WRITABLE if k in element and k not in {"Status", "Type"}},
    }
    if isinstance(record.get("Code"), str):
        record["Code"] = record["Code"].strip()
    resolve_tax_rate(req, record["TaxType"], account=record)
    if account_type == "BANK":
        record.setdefault("BankAccountType", "BANK")
        record.setdefault("CurrencyCode", req.org.base_currency)
    record["UpdatedDateUTC"] = req.now
    req.org.records("Accounts")[record["AccountID"]] = record
    return record


def _update(req: ApiRequest, record: dict[str, Any], element: dict[str, Any]) -> dict[str, Any]:
    account_id = record["AccountID"]
    changes = {k: element[k] for k in _WRITABLE if k in element}
    if "Code" in changes:
        _check_code(req, changes["Code"], account_id)
        changes["Code"] = changes["Code"].strip()
    if "Name" in changes:
        _check_name(req, changes["Name"], account_id)
    if "Type" in changes and changes["Type"] != record["Type"]:
        _check_type(changes["Type"])
        if record.get("SystemAccount"):
            raise ElementError("The Type of a system account cannot be changed.")
        if "BANK" in {changes["Type"], record["Type"]}:
            raise ElementError("The Type of a bank account cannot be changed, nor can an account become one.")
    status = changes.get("Status", record["Status"])
    if status not in {"ACTIVE", "ARCHIVED"}:
        # "ACTIVE can be updated to ARCHIVED" (OAS-ACC Account.Status); deleting is DELETE's job.
        raise ElementError(f"An account's Status can only be ACTIVE or ARCHIVED, not {status}.")
    if status == "ARCHIVED" and record.get("SystemAccount"):
        raise ElementError("System accounts cannot be archived.")
    candidate = {**record, **changes}
    if "Type" in changes:
        candidate["Class"] = ACCOUNT_CLASS[candidate["Type"]]
    if "TaxType" in changes or "Type" in changes:
        resolve_tax_rate(req, candidate["TaxType"], account=candidate)
    record.update(candidate)
    record["UpdatedDateUTC"] = req.now
    return record


@accounting.route("GET", "/Accounts", ScopeFamily.SETTINGS)
def list_accounts(req: ApiRequest) -> dict[str, Any]:
    """The chart of accounts, filtered by where/order/If-Modified-Since."""
    records, _ = list_records(req, req.org.records("Accounts").values(), _RULES)
    return {"Accounts": records}


@accounting.route("GET", "/Accounts/{AccountID}", ScopeFamily.SETTINGS)
def get_account(req: ApiRequest) -> dict[str, Any]:
    """One account by AccountID, as a one-element collection."""
    return {"Accounts": [_stored(req, req.path_params["AccountID"])]}


@accounting.route("PUT", "/Accounts", ScopeFamily.SETTINGS)
def create_account(req: ApiRequest) -> dict[str, Any]:
    """Create one account from a single Account object (FACTS.md §3.2)."""
    return write_each(req, "Accounts", _create)


@accounting.route("POST", "/Accounts/{AccountID}", ScopeFamily.SETTINGS)
def update_account(req: ApiRequest) -> dict[str, Any]:
    """Update the account in the path: rename, recode, retype, change its tax rate, archive or restore it."""
    record = _stored(req, req.path_params["AccountID"])
    return write_each(req, "Accounts", lambda r, element: _update(r, record, element))


@accounting.route("DELETE", "/Accounts/{AccountID}", ScopeFamily.SETTINGS)
def delete_account(req: ApiRequest) -> dict[str, Any]:
    """Delete an account nothing uses; system accounts and accounts on any document are refused."""
    record = _stored(req, req.path_params["AccountID"])
    if record.get("SystemAccount"):
        raise ValidationError(["System accounts cannot be deleted."])
    if account_in_use(req.org, record):
        raise ValidationError(["This account has been used and cannot be deleted. Archive it instead."])
    del req.org.records("Accounts")[record["AccountID"]]
    return {"Accounts": [{**record, "Status": "DELETED", "UpdatedDateUTC": req.now}]}
