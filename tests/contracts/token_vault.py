"""The TokenVault contract. A subclass provides the `vault` fixture."""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import SecretStr

from shared.domain.tokens import TokenSet
from shared.ports.token_vault import TokenVault


def a_token_set(version: int = 1) -> TokenSet:
    return TokenSet(
        access_token=SecretStr(f"access-{version}"),
        refresh_token=SecretStr(f"refresh-{version}"),
        expires_at=datetime(2026, 1, 5, 9, 30, tzinfo=UTC),
        scopes=("offline_access", "accounting.contacts"),
        version=version,
    )


class TokenVaultContract:
    def test_a_written_token_set_reads_back_with_its_secrets(self, vault: TokenVault) -> None:
        # Given a written token set
        vault.write("tenant-1", a_token_set())
        # When it is read
        tokens = vault.read("tenant-1")
        # Then it is the same, secrets included
        assert tokens == a_token_set()
        assert tokens is not None
        assert tokens.refresh_token.get_secret_value() == "refresh-1"

    def test_a_later_write_replaces_the_token_set(self, vault: TokenVault) -> None:
        # Given version 1 then version 2 written
        vault.write("tenant-1", a_token_set(1))
        vault.write("tenant-1", a_token_set(2))
        # When read / Then version 2 is what comes back
        assert vault.read("tenant-1") == a_token_set(2)

    def test_a_tenant_without_tokens_reads_none(self, vault: TokenVault) -> None:
        # Given nothing written / When read / Then there is none
        assert vault.read("tenant-1") is None

    def test_deleted_tokens_are_gone(self, vault: TokenVault) -> None:
        # Given written tokens
        vault.write("tenant-1", a_token_set())
        # When deleted / Then reading finds none
        vault.delete("tenant-1")
        assert vault.read("tenant-1") is None

    def test_tokens_can_be_written_again_after_deletion(self, vault: TokenVault) -> None:
        # Given tokens written and deleted (a disconnect)
        vault.write("tenant-1", a_token_set(1))
        vault.delete("tenant-1")
        # When the tenant connects again / Then the new tokens are stored
        vault.write("tenant-1", a_token_set(1))
        assert vault.read("tenant-1") == a_token_set(1)

    def test_deleting_absent_tokens_is_harmless(self, vault: TokenVault) -> None:
        # Given nothing written / When deleted / Then nothing fails and nothing is there
        vault.delete("tenant-1")
        assert vault.read("tenant-1") is None
