"""Creating and updating one invoice or credit note from one element of a PUT or POST batch.

`save_document(req, kind, element, ...)` validates the whole element first, collecting Xero's
messages, and raises ElementError before anything changes; only then does it create the contact
(if the element names a new one), store the document and announce the webhook event. That keeps
each element atomic, as `write_batch` requires.

Matching (FACTS.md §4.1, §4.7): PUT only creates. POST updates the document named by its id (in
the path or the element) or, for the numbered type (ACCREC, ACCRECCREDIT), by its number; else it
creates. ACCREC / ACCRECCREDIT numbers are unique and generated (INV-0001, CN-0001) when omitted;
ACCPAY / ACCPAYCREDIT numbers are the supplier's and may repeat.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from xero_simulator.accounting.batch import ElementError, Refusals
from xero_simulator.accounting.documents import (
    CREATABLE_STATUSES,
    FINAL_STATUSES,
    INVOICE,
    DocumentKind,
    Status,
    announce,
    check_lock_dates,
    check_transition,
    invalid_status_message,
    org_today,
    touch,
)
from xero_simulator.accounting.line_items import LineRules, build_lines
from xero_simulator.accounting.references import find_contact, resolve_contact
from xero_simulator.accounting.totals import ZERO, DocumentTotals, LineAmountTypes, unit_places
from xero_simulator.msjson import date_string, parse_date
from xero_simulator.routing import ApiRequest
from xero_simulator.world import new_id

# Xero's words: OAS-ACC examples (FACTS.md §4.4) and issue threads cited beside each.
NOT_FOUND_MESSAGE = "The document with the supplied id was not found for this endpoint."
CONTACT_REQUIRED = "A Contact must be specified for this type of transaction"  # NOT FOUND verbatim
LINES_REQUIRED = "One or more line items must be specified"  # waynerobinson/xeroizer#40
DUE_DATE_REQUIRED = "The document DueDate field must be specified."  # xeroizer#290, #395 (AUTHORISED only)
# Optional text fields copied as sent.
_TEXT_FIELDS = ("Reference", "Url", "BrandingThemeID")
_DATE_FIELDS = ("ExpectedPaymentDate", "PlannedPaymentDate")


def _unique_number_message(kind: DocumentKind) -> str:
    # "Invoice # must be unique." is Xero's (OAS-ACC PUT /Invoices 400 example); the credit-note
    # variant follows it (NOT FOUND).
    return f"{kind.noun} # must be unique."


def _numbered(req: ApiRequest, kind: DocumentKind, number: str, excluding: str | None = None) -> dict[str, Any] | None:
    wanted = number.strip().lower()
    for record in req.org.records(kind.collection).values():
        if record["Type"] != kind.numbered_type or record[kind.id_field] == excluding:
            continue
        if str(record.get(kind.number_field) or "").strip().lower() == wanted:
            return record
    return None


def _next_number(req: ApiRequest, kind: DocumentKind) -> str:
    """The organisation's next number, skipping numbers a client already used by hand."""
    while True:
        number = req.org.next_number(kind.number_prefix)
        if _numbered(req, kind, number) is None:
            return number


def _target(
    req: ApiRequest, kind: DocumentKind, element: dict[str, Any], path_id: str | None, create_only: bool
) -> dict[str, Any] | None:
    """The stored document this element updates, or None when it creates one."""
    records = req.org.records(kind.collection)
    given_id = path_id or element.get(kind.id_field)
    if given_id:
        if create_only:
            # PUT creates only (OAS-ACC summaries); Xero's answer to an id on PUT was NOT FOUND.
            raise ElementError(f"{kind.id_field} cannot be given when creating: PUT creates, POST updates")
        found = records.get(str(given_id).strip().lower())
        if found is None:
            raise ElementError(NOT_FOUND_MESSAGE)
        return found
    number = element.get(kind.number_field)
    if create_only or not number or element.get("Type") not in (None, kind.numbered_type):
        return None
    return _numbered(req, kind, str(number))


class _Draft:
    """One element being validated: what it will set, and every problem found, before anything changes."""

    def __init__(
        self,
        req: ApiRequest,
        kind: DocumentKind,
        element: dict[str, Any],
        *,
        type_: str,
        status: str,
        current: dict[str, Any] | None = None,
    ) -> None:
        self.req, self.kind, self.element, self.current = req, kind, element, current
        self.type_, self.status = type_, status
        self.posts = status != Status.DRAFT
        self.refusals = Refusals()
        self.problems = self.refusals.messages  # checks below append Xero's messages here too
        self.fields: dict[str, Any] = {}
        self.lines: list[dict[str, Any]] = []
        self.totals: DocumentTotals | None = None

    def _stored(self, field: str) -> Any:
        return (self.current or {}).get(field)

    def validate(self) -> None:
        """Every check create and update share; raises ElementError with all the problems found."""
        self.contact()
        self.number()
        self.dates()
        self.currency()
        self.line_items()
        self.lock_dates()
        if self.problems:
            raise ElementError(*self.problems)

    def contact(self) -> None:
        if "Contact" in self.element:
            self.refusals.check(find_contact, self.req, self.element["Contact"])
        elif self.current is None:
            self.problems.append(CONTACT_REQUIRED)

    def number(self) -> None:
        number = self.element.get(self.kind.number_field)
        if number is None:
            return
        unique = self.type_ == self.kind.numbered_type and str(number).strip()
        if unique and _numbered(self.req, self.kind, str(number), self._stored(self.kind.id_field)) is not None:
            self.problems.append(_unique_number_message(self.kind))
        self.fields[self.kind.number_field] = number

    def _date(self, field: str) -> date | None:
        value = self.element.get(field)
        if value is None or value == "":
            return None
        try:
            return parse_date(value)
        except ValueError as exc:
            self.problems.append(f"{field}: {exc}")
            return None

    def dates(self) -> None:
        day = self._date("Date") or self._stored("Date") or org_today(self.req.org, self.req.now)
        due = self._date("DueDate") or self._stored("DueDate")
        if self.kind.due_date_required and self.posts and due is None:
            self.problems.append(DUE_DATE_REQUIRED)
        self.fields.update({"Date": day, "DateString": date_string(day)})
        if due is not None:
            self.fields.update({"DueDate": due, "DueDateString": date_string(due)})
        for field in _DATE_FIELDS:
            value = self._date(field)
            if value is not None:
                self.fields[field] = value
        for field in _TEXT_FIELDS:
            if field in self.element:
                self.fields[field] = self.element[field]

    def currency(self) -> None:
        """Base currency always; others only when the organisation has added them (OAS-ACC Currencies)."""
        org = self.req.org
        code = str(self.element.get("CurrencyCode") or self._stored("CurrencyCode") or org.base_currency)
        enabled = {str(c.get("Code")) for c in org.records("Currencies").values()}
        if code != org.base_currency and code not in enabled:
            self.problems.append(f"Organisation is not subscribed to currency {code}")  # wording NOT FOUND
        if self.current is not None and self.current["CurrencyCode"] != code and self.current["Status"] != Status.DRAFT:
            # Conservative (NOT FOUND): the currency of a SUBMITTED or AUTHORISED document is fixed.
            self.problems.append(
                f"The currency of a {self.current['Status']} {self.kind.noun.lower()} cannot be changed"
            )
        self.fields["CurrencyCode"] = code
        if code == org.base_currency:
            self.fields["CurrencyRate"] = Decimal(1)
        elif self.element.get("CurrencyRate") is not None:
            self.fields["CurrencyRate"] = Decimal(str(self.element["CurrencyRate"]))
        elif self.current is None:
            self.fields["CurrencyRate"] = Decimal(1)  # the XE.com day rate is not modelled

    def line_items(self) -> None:
        amount_types = LineAmountTypes(
            self.element.get("LineAmountTypes") or self._stored("LineAmountTypes") or LineAmountTypes.EXCLUSIVE
        )
        self.fields["LineAmountTypes"] = amount_types.value
        rules = LineRules(
            amount_types=amount_types,
            unit_dp=unit_places(self.req.int_param("unitdp")),
            discounts_allowed=self.type_ in self.kind.discount_types,
            accounts_required=self.posts,
            sales=self.type_ == self.kind.sales_type,
        )
        existing = self._stored("LineItems") or []
        submitted = self.element.get("LineItems")
        if submitted is None:
            submitted = [{"LineItemID": line["LineItemID"]} for line in existing]  # unchanged lines, refigured
        built = self.refusals.check(build_lines, self.req, submitted, rules, existing)
        if built is not None:
            self.lines, self.totals = built
            if not self.lines:
                self.problems.append(LINES_REQUIRED)

    def lock_dates(self) -> None:
        """A posting document may not be dated in a locked period, nor a posted one changed there."""
        checked = {self.fields["Date"]} if self.posts else set()
        if self.current is not None and self.current["Status"] != Status.DRAFT:
            checked.add(self.current["Date"])
        for day in sorted(checked):
            before = len(self.problems)
            self.refusals.check(check_lock_dates, self.req.org, day)
            if len(self.problems) > before:
                break  # one message is enough: it names the lock date, not the document's date


def _amounts(kind: DocumentKind, totals: DocumentTotals) -> dict[str, Any]:
    figures: dict[str, Any] = {
        "SubTotal": totals.sub_total,
        "TotalTax": totals.total_tax,
        "Total": totals.total,
        kind.outstanding_field: totals.total,
    }
    if kind is INVOICE:
        figures.update(
            {
                "TotalDiscount": totals.total_discount,
                "IsDiscounted": totals.total_discount != ZERO,
                "AmountPaid": ZERO,
                "AmountCredited": ZERO,
            }
        )
    return figures


def _contact_summary(contact: dict[str, Any]) -> dict[str, Any]:
    return {"ContactID": contact["ContactID"], "Name": contact.get("Name")}


def _create(req: ApiRequest, kind: DocumentKind, element: dict[str, Any]) -> dict[str, Any]:
    problems: list[str] = []
    type_ = element.get("Type")
    if not type_:
        problems.append(f"{kind.noun} Type must be specified")  # Xero's wording NOT FOUND
    elif type_ not in kind.types:
        problems.append(f"{kind.noun} Type must be one of {', '.join(kind.types)}")
    status = str(element.get("Status") or Status.DRAFT.value)
    if status not in CREATABLE_STATUSES:
        problems.append(invalid_status_message(kind))
    draft = _Draft(req, kind, element, type_=str(type_), status=status)
    draft.problems.extend(problems)
    draft.validate()

    assert draft.totals is not None  # noqa: S101 - set whenever lines validated without problems
    contact = resolve_contact(req, element["Contact"])
    record: dict[str, Any] = {
        "Type": type_,
        kind.id_field: new_id(),
        kind.number_field: "",
        "Contact": _contact_summary(contact),
        "Status": status,
        **draft.fields,
        "LineItems": draft.lines,
        **_amounts(kind, draft.totals),
        "Payments": [],
        "HasAttachments": False,
        "SentToContact": False,
        "_created_by": req.app.client_id,
    }
    if type_ == kind.numbered_type and not str(record[kind.number_field]).strip():
        record[kind.number_field] = _next_number(req, kind)
    if kind is INVOICE:
        record.update({"CreditNotes": [], "Prepayments": [], "Overpayments": [], "HasErrors": False})
    else:
        record["Allocations"] = []
    _paid_when_nothing_is_due(kind, record)
    touch(record, req.now)
    req.org.records(kind.collection)[record[kind.id_field]] = record
    announce(req.org, record, "CREATE", req.now)
    return record


def _paid_when_nothing_is_due(kind: DocumentKind, record: dict[str, Any]) -> None:
    """An invoice or bill approved with a zero total is paid at once, as Xero marks it (docs/simulator.md)."""
    if kind is INVOICE and record["Status"] == Status.AUTHORISED and record["Total"] == ZERO:
        record["Status"] = Status.PAID.value
        record["FullyPaidOnDate"] = record["Date"]


def _finalise(req: ApiRequest, kind: DocumentKind, record: dict[str, Any], status: str) -> dict[str, Any]:
    """DELETE or VOID: nothing is outstanding on a document that no longer counts."""
    if record["Status"] != Status.DRAFT:
        check_lock_dates(req.org, record["Date"])
    record["Status"] = status
    record[kind.outstanding_field] = ZERO
    touch(record, req.now)
    announce(req.org, record, "UPDATE", req.now)
    return record


def _update(req: ApiRequest, kind: DocumentKind, record: dict[str, Any], element: dict[str, Any]) -> dict[str, Any]:
    status = str(element.get("Status") or record["Status"])
    check_transition(kind, record, status)
    type_ = element.get("Type") or record["Type"]
    if type_ != record["Type"]:
        # Conservative (NOT FOUND): a sales invoice never turns into a bill, nor back.
        raise ElementError(f"The Type of an existing {kind.noun.lower()} cannot be changed")
    if status in FINAL_STATUSES:
        return _finalise(req, kind, record, status)

    draft = _Draft(req, kind, element, type_=type_, status=status, current=record)
    draft.validate()

    assert draft.totals is not None  # noqa: S101 - set whenever lines validated without problems
    if "Contact" in element:
        record["Contact"] = _contact_summary(resolve_contact(req, element["Contact"]))
    record.update(draft.fields)
    record["LineItems"] = draft.lines
    # An unsettled document (check_transition refused settled ones) owes its whole Total.
    record.update(_amounts(kind, draft.totals))
    record["Status"] = status
    if type_ == kind.numbered_type and not str(record.get(kind.number_field) or "").strip():
        record[kind.number_field] = _next_number(req, kind)
    _paid_when_nothing_is_due(kind, record)
    touch(record, req.now)
    announce(req.org, record, "UPDATE", req.now)
    return record


def save_document(
    req: ApiRequest,
    kind: DocumentKind,
    element: dict[str, Any],
    *,
    path_id: str | None = None,
    create_only: bool = False,
) -> dict[str, Any]:
    """Create or update one document from a batch element; raises ElementError to refuse it unchanged."""
    current = _target(req, kind, element, path_id, create_only)
    if current is None:
        return _create(req, kind, element)
    return _update(req, kind, current, element)
