"""API keys: issued once in full, kept only as the SHA-256 of their secret, checked in constant time."""

from __future__ import annotations

import hashlib

import pytest

from shared.fakes.clock import SettableClock
from shared.fakes.memory_state import MemoryApiKeyStore
from shared.usecases.api_keys import ApiKeyRejectedError, authenticate_api_key, create_api_key


def test_issued_key_names_its_key_id() -> None:
    # When a key is created
    issued = create_api_key(MemoryApiKeyStore(), "platform backend", SettableClock().now())
    # Then it reads xsk_<key id>_<secret>
    assert issued.key.startswith(f"xsk_{issued.key_id}_")


def test_only_the_hash_of_the_secret_is_stored() -> None:
    # Given a key store
    keys = MemoryApiKeyStore()
    # When a key is created
    issued = create_api_key(keys, "platform backend", SettableClock().now())
    # Then the store holds the secret's SHA-256 and not the secret
    secret = issued.key.split("_", 2)[2]
    assert keys.secret_hash(issued.key_id) == hashlib.sha256(secret.encode()).hexdigest()


def test_issued_key_authenticates_as_its_key_id() -> None:
    # Given an issued key
    keys = MemoryApiKeyStore()
    issued = create_api_key(keys, "platform backend", SettableClock().now())
    # When it is presented, Then it authenticates as its key id
    assert authenticate_api_key(keys, issued.key) == issued.key_id


def test_two_keys_never_share_an_id_or_secret() -> None:
    # When two keys are created
    keys = MemoryApiKeyStore()
    first = create_api_key(keys, "one", SettableClock().now())
    second = create_api_key(keys, "two", SettableClock().now())
    # Then they differ in id and in secret
    assert first.key_id != second.key_id
    assert first.key.split("_", 2)[2] != second.key.split("_", 2)[2]


def test_key_of_another_id_with_this_secret_is_rejected() -> None:
    # Given two issued keys
    keys = MemoryApiKeyStore()
    first = create_api_key(keys, "one", SettableClock().now())
    second = create_api_key(keys, "two", SettableClock().now())
    # When the first's secret is presented under the second's id
    forged = f"xsk_{second.key_id}_{first.key.split('_', 2)[2]}"
    # Then it is rejected
    with pytest.raises(ApiKeyRejectedError):
        authenticate_api_key(keys, forged)
