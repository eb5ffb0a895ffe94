"""The verdict of a record that cannot be mapped: SKIPPED or PARKED, with every reason at once."""

from __future__ import annotations

import pytest

from shared.domain.ledger import SyncState
from shared.domain.mapping.context import NotMapped, Problems


def test_a_record_that_is_not_mapped_is_skipped_or_parked_only() -> None:
    # When a verdict of FAILED is made / Then it is refused: Xero's refusals are FAILED, not mapping's
    with pytest.raises(ValueError, match="skipped or parked"):
        NotMapped(SyncState.FAILED, "no")


def test_every_reason_of_a_record_is_reported_together() -> None:
    # Given two reasons to skip
    problems = Problems()
    problems.skip("The tax code X is not mapped.")
    problems.skip("The tax code Y is not mapped.")
    # When they are raised / Then one verdict carries both
    with pytest.raises(NotMapped) as verdict:
        problems.raise_any()
    assert verdict.value.reason == "The tax code X is not mapped. The tax code Y is not mapped."


def test_a_reason_to_skip_outranks_a_reason_to_park() -> None:
    # Given a record that waits for its contact and has an unmapped tax code
    problems = Problems()
    problems.park("Its contact is not in Xero yet.")
    problems.skip("The tax code X is not mapped.")
    # When they are raised / Then it is skipped, for waiting would not help
    with pytest.raises(NotMapped) as verdict:
        problems.raise_any()
    assert (verdict.value.state, verdict.value.reason) == (SyncState.SKIPPED, "The tax code X is not mapped.")


def test_a_record_without_problems_raises_nothing() -> None:
    # Given no problem / When raised / Then nothing is raised and nothing was noted
    problems = Problems()
    problems.raise_any()
    assert (problems.skipped, problems.parked) == ([], [])
