"""Contact matching before creating: contact number, then email, then name (issue 4, §2)."""

from __future__ import annotations

from typing import Any

from shared.domain.mapping.matching import match_contact
from tests.unit.mapping.mapping_world import contact


def xero_contact(contact_id: str, name: str, **fields: Any) -> dict[str, Any]:
    return {"ContactID": contact_id, "Name": name, "ContactStatus": "ACTIVE", **fields}


def test_the_contact_number_matches_first() -> None:
    # Given one contact with our number and another with our email
    candidates = [
        xero_contact("by-email", "Someone", EmailAddress="ap@acme.test"),
        xero_contact("by-number", "Acme (old name)", ContactNumber="C-42"),
    ]
    # When the contact is matched
    found = match_contact(contact(contact_number="C-42", email="ap@acme.test"), candidates)
    # Then the number decides
    assert found == "by-number"


def test_an_archived_contact_matches_by_its_number() -> None:
    # Given an archived contact holding our contact number
    candidates = [xero_contact("archived", "Acme", ContactNumber="C-42", ContactStatus="ARCHIVED")]
    # When the contact is matched / Then it is ours (the update makes it active again)
    assert match_contact(contact(contact_number="C-42"), candidates) == "archived"


def test_the_email_matches_case_insensitively_when_no_number_does() -> None:
    # Given a contact whose email differs only in case and spacing
    candidates = [xero_contact("by-email", "Acme Accounts", EmailAddress=" AP@Acme.Test")]
    # When the contact is matched / Then the email decides
    assert match_contact(contact(contact_number="C-42", email="ap@acme.test"), candidates) == "by-email"


def test_an_archived_contact_does_not_match_by_email() -> None:
    # Given only an archived contact with our email
    candidates = [xero_contact("archived", "Old Acme", EmailAddress="ap@acme.test", ContactStatus="ARCHIVED")]
    # When the contact is matched / Then nothing matches
    assert match_contact(contact(email="ap@acme.test"), candidates) is None


def test_an_email_two_contacts_share_leaves_the_decision_to_the_name() -> None:
    # Given two branches sharing an email, one of them with our name
    candidates = [
        xero_contact("north", "Acme North", EmailAddress="ap@acme.test"),
        xero_contact("south", "Acme Pty Ltd", EmailAddress="ap@acme.test"),
    ]
    # When the contact is matched / Then the name decides
    assert match_contact(contact(email="ap@acme.test"), candidates) == "south"


def test_the_name_matches_trimmed_and_case_insensitively() -> None:
    # Given a contact whose name differs only in case and spacing
    candidates = [xero_contact("by-name", "  ACME pty ltd ")]
    # When the contact is matched / Then the name decides
    assert match_contact(contact(name="Acme Pty Ltd"), candidates) == "by-name"


def test_an_archived_namesake_does_not_match() -> None:
    # Given only an archived contact with our name (Xero frees archived names for reuse)
    candidates = [xero_contact("archived", "Acme Pty Ltd", ContactStatus="ARCHIVED")]
    # When the contact is matched / Then nothing matches, so a new contact may be made
    assert match_contact(contact(), candidates) is None


def test_nothing_matches_a_contact_xero_does_not_have() -> None:
    # Given unrelated contacts
    candidates = [xero_contact("other", "Globex", ContactNumber="C-1", EmailAddress="hi@globex.test")]
    # When the contact is matched / Then nothing matches
    assert match_contact(contact(contact_number="C-42", email="ap@acme.test"), candidates) is None
