"""The subset of Xero's `where` language the simulator understands, and its refusal of the rest."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from xero_simulator.accounting.querying import parse_where
from xero_simulator.errors import ValidationError

BANK = {"Status": "ACTIVE", "Type": "BANK", "Name": "Business Bank", "Contact": {"ContactID": "AB-12"}}
ARCHIVED = {"Status": "ARCHIVED", "Type": "REVENUE", "Name": "Old Sales", "Total": Decimal("12.50")}


@pytest.mark.parametrize(
    ("clause", "matches_bank", "matches_archived"),
    [
        ('Status=="ACTIVE"', True, False),
        ('Status=="ACTIVE" AND Type=="BANK"', True, False),
        ('Type=="BANK" OR Status=="ARCHIVED"', True, True),
        ('Status!="ACTIVE"', False, True),
        ('(Type=="BANK" OR Type=="REVENUE") AND Status=="ARCHIVED"', False, True),
        ('Name.Contains("bank")', True, False),
        ('Name.StartsWith("Old")', False, True),
        ('Contact.ContactID==Guid("ab-12")', True, False),
        ("Total>=10", False, True),
    ],
)
def test_where_clauses_filter_as_xero_does(clause: str, matches_bank: bool, matches_archived: bool) -> None:
    predicate = parse_where(clause)
    assert (predicate(BANK), predicate(ARCHIVED)) == (matches_bank, matches_archived)


def test_dates_compare_with_datetime_literals() -> None:
    predicate = parse_where("Date>=DateTime(2024,01,01)")
    assert predicate({"Date": date(2024, 1, 2)}) is True
    assert predicate({"Date": date(2023, 12, 31)}) is False


def test_booleans_compare_with_true_and_false() -> None:
    assert parse_where("IsSold==true")({"IsSold": True}) is True


@pytest.mark.parametrize("clause", ['Status=="ACTIVE" AND', "Status=", 'Name.Matches("x")', "DROP TABLE"])
def test_a_clause_that_cannot_be_parsed_is_refused(clause: str) -> None:
    with pytest.raises(ValidationError):
        parse_where(clause)
