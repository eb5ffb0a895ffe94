"""The tenant's existing Xero contacts, read once per push when a new contact needs matching.

Matching before creating is what keeps retries and reconnections from duplicating contacts:
a contact created by an earlier, interrupted push (or by the accountant) is found and updated
instead. One paged read (pageSize 1000, summaryOnly) lists them all for a few calls; it is read
again when Xero says a new contact's name is taken (created since the read).
"""

from __future__ import annotations

from typing import Any

from shared.domain.mapping.matching import match_contact
from shared.domain.records import Contact
from shared.ports.xero_accounting import XeroRequest
from shared.usecases.push.tenant_xero import TenantXero

PAGE_SIZE = 1000  # Xero's largest page (FACTS.md §4.2)


class ContactDirectory:
    def __init__(self, xero: TenantXero) -> None:
        self._xero = xero
        self._contacts: list[dict[str, Any]] | None = None

    def match(self, contact: Contact) -> str | None:
        """The Xero id of an existing contact that is `contact` (number, email, then name)."""
        if self._contacts is None:
            self._contacts = self._read()
        return match_contact(contact, self._contacts)

    def stale(self) -> None:
        """Xero knows contacts the directory does not: read it again on the next match."""
        self._contacts = None

    def _read(self) -> list[dict[str, Any]]:
        contacts: list[dict[str, Any]] = []
        page = 1
        while True:
            params = {"summaryOnly": "true", "page": str(page), "pageSize": str(PAGE_SIZE)}
            answer = self._xero.call(XeroRequest(method="GET", path="/Contacts", params=params))
            listed = answer.body.get("Contacts") or []
            contacts.extend(listed)
            if len(listed) < PAGE_SIZE:
                return contacts
            page += 1
