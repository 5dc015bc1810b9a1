"""Keyed hashes and the personal-data registry.

Identity that must be remembered (opt-in history, pseudonyms, blocks, rate limits) is stored as
HMAC-SHA256(secret, scope + user id). The secret lives outside the database, so a copy of the
database alone names no one. Each scope yields an unrelated key, so tables cannot be joined on it.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Protocol


class KeyedHasher:
    def __init__(self, secret: bytes) -> None:
        if len(secret) < 16:
            raise ValueError("the hashing secret must be at least 16 bytes")
        self._secret = secret

    def key(self, scope: str, user_id: int) -> str:
        message = f"{scope}\x1f{user_id}".encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()

    def __repr__(self) -> str:
        return "KeyedHasher(<secret hidden>)"


@dataclass(frozen=True)
class StoredItem:
    """One human-readable line about what a feature keeps for a member."""

    feature: str
    description: str


class PersonalDataProvider(Protocol):
    """Every feature that stores anything about a member can show it and delete it."""

    feature: str

    async def describe(self, user_id: int) -> list[StoredItem]: ...

    async def delete(self, user_id: int) -> int: ...


class PersonalDataRegistry:
    def __init__(self) -> None:
        self._providers: dict[str, PersonalDataProvider] = {}

    def register(self, provider: PersonalDataProvider) -> None:
        self._providers[provider.feature] = provider

    def unregister(self, feature: str) -> None:
        self._providers.pop(feature, None)

    async def describe(self, user_id: int) -> list[StoredItem]:
        found: list[StoredItem] = []
        for provider in self._providers.values():
            found.extend(await provider.describe(user_id))
        return found

    async def delete(self, user_id: int) -> int:
        removed = 0
        for provider in self._providers.values():
            removed += await provider.delete(user_id)
        return removed
