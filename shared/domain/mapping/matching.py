"""Which existing Xero contact a platform contact is, so that retries and reconnections never duplicate it.

The sync worker first uses the Xero id the ledger stored; failing that, it asks Xero for likely
candidates and calls `match_contact`. The order (issue 4, §2): contact number, then email, then
name; the first step that finds exactly one contact decides.

- ContactNumber is the platform's own identifier written into Xero ("used to identify contacts
  in external systems", FACTS.md §4.10): it matches whatever the contact's status. An ARCHIVED
  contact holding it is ours, and Xero would refuse a second contact with the same number; the
  worker's update (contact_element with a Xero id) makes it ACTIVE again.
- Email (trimmed, case-insensitive) and name (trimmed, case-insensitive, as Xero compares names)
  match ACTIVE contacts only: Xero refuses archived contacts on documents, and a name is unique
  only among active contacts, so an archived namesake is another contact and a new one may be made.
- Two contacts sharing an email (two branches of one customer) say nothing about which one is
  meant: the email step then decides nothing and the name step goes on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from shared.domain.records import Contact

Candidate = dict[str, Any]


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _folded(value: object) -> str:
    return _text(value).casefold()


def _active(candidate: Candidate) -> bool:
    return str(candidate.get("ContactStatus", "ACTIVE")) == "ACTIVE"


def _only(candidates: list[Candidate], matches: Callable[[Candidate], bool]) -> str | None:
    found = {str(c["ContactID"]) for c in candidates if c.get("ContactID") and matches(c)}
    return found.pop() if len(found) == 1 else None


def match_contact(contact: Contact, candidates: list[Candidate]) -> str | None:
    """The ContactID of the Xero contact (among `candidates`, Xero's contact JSON) that is `contact`, or None."""
    number, email, name = _text(contact.contact_number), _folded(contact.email), _folded(contact.name)
    steps: list[tuple[str, Callable[[Candidate], bool]]] = [
        (number, lambda c: _text(c.get("ContactNumber")) == number),
        (email, lambda c: _active(c) and _folded(c.get("EmailAddress")) == email),
        (name, lambda c: _active(c) and _folded(c.get("Name")) == name),
    ]
    for wanted, matches in steps:
        if wanted:
            found = _only(candidates, matches)
            if found is not None:
                return found
    return None
