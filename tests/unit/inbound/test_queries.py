"""How each collection is read: the parameters that keep a read from missing what it needs."""

from __future__ import annotations

import pytest

from shared.domain.inbound.queries import by_ids


def test_contacts_are_read_with_the_archived_ones() -> None:
    # Given a read of one contact by id / When its query is built
    # Then archived contacts are included: an archived one must read as archived, not as missing
    assert by_ids("Contacts", ["c-1"]) == {"includeArchived": "true", "page": "1", "IDs": "c-1"}


def test_payments_are_read_by_a_where_of_their_ids() -> None:
    # Given a read of two payments (GET /Payments takes no IDs=) / When its query is built
    query = by_ids("Payments", ["p-1", "p-2"])
    # Then it asks by where, paged
    assert query == {"page": "1", "where": 'PaymentID==Guid("p-1") OR PaymentID==Guid("p-2")'}


def test_a_read_by_id_asks_for_no_more_than_one_call_takes() -> None:
    # Given 51 invoice ids / When their query is built / Then it is refused
    with pytest.raises(ValueError, match="1 to 50 ids"):
        by_ids("Invoices", [f"i-{n}" for n in range(51)])
