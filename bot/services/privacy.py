"""Keyed hashes and the personal-data registry.

Identity that must be remembered (opt-in history, pseudonyms, blocks, rate limits) is stored as
HMAC-SHA256(secret, scope + user id). The secret lives outside the database, so a copy of the
database alone names no one. Each scope yields an unrelated key, so tables cannot be joined on it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

_BLOCK = 64  # SHA-256's block size: HMAC pads (or first hashes) the key to it


class KeyedHasher:
    """HMAC-SHA256 (RFC 2104) of `scope`, a separator and the user id, under the secret.

    The key's inner and outer SHA-256 states are computed once and copied for every key, which
    gives the same digest as `hmac.new` at about a third of its cost: `/mydata` computes one key
    per server that holds question data, thousands on a large instance.
    """

    def __init__(self, secret: bytes) -> None:
        if len(secret) < 16:
            raise ValueError("the hashing secret must be at least 16 bytes")
        padded = (hashlib.sha256(secret).digest() if len(secret) > _BLOCK else secret).ljust(
            _BLOCK, b"\0"
        )
        self._inner = hashlib.sha256(bytes(b ^ 0x36 for b in padded))
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in padded))

    def key(self, scope: str, user_id: int) -> str:
        inner = self._inner.copy()
        inner.update(f"{scope}\x1f{user_id}".encode())
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.hexdigest()

    def __repr__(self) -> str:
        return "KeyedHasher(<secret hidden>)"


@dataclass(frozen=True)
class StoredItem:
    """One human-readable line about what a feature keeps for a member."""

    feature: str
    description: str


class PersonalDataProvider(Protocol):
    """The contract every feature that stores anything about a member or a server keeps.

    `member_columns` names, per table, the columns holding member-derived keys or member text
    that `erase` removes; `server_tables` are the tables `forget_guild` empties of a server's
    rows. A test holds these against the schema, so a new column cannot slip past the contract.
    `delete` is the member's own /mydata delete (it may keep moderation records such as
    blocks); `erase` is the operator honouring a deletion request: nothing keyed from the id
    stays.
    """

    feature: str

    @property
    def member_columns(self) -> Mapping[str, tuple[str, ...]]: ...

    @property
    def server_tables(self) -> tuple[str, ...]: ...

    async def describe(self, user_id: int) -> list[StoredItem]: ...

    async def export(self, user_id: int) -> list[dict[str, Any]]: ...

    async def delete(self, user_id: int) -> int: ...

    async def erase(self, user_id: int) -> int: ...

    async def forget_guild(self, guild_id: int) -> int: ...


class PersonalDataRegistry:
    def __init__(self) -> None:
        self._providers: dict[str, PersonalDataProvider] = {}

    @property
    def providers(self) -> tuple[PersonalDataProvider, ...]:
        return tuple(self._providers.values())

    def register(self, provider: PersonalDataProvider) -> None:
        self._providers[provider.feature] = provider

    def unregister(self, feature: str) -> None:
        self._providers.pop(feature, None)

    async def describe(self, user_id: int) -> list[StoredItem]:
        found: list[StoredItem] = []
        for provider in self._providers.values():
            found.extend(await provider.describe(user_id))
        return found

    async def export(self, user_id: int) -> dict[str, list[dict[str, Any]]]:
        """Per feature, the member's records as plain JSON values; features with none left out."""
        found: dict[str, list[dict[str, Any]]] = {}
        for provider in self._providers.values():
            records = await provider.export(user_id)
            if records:
                found[provider.feature] = records
        return found

    async def delete(self, user_id: int) -> int:
        removed = 0
        for provider in self._providers.values():
            removed += await provider.delete(user_id)
        return removed

    async def erase(self, user_id: int) -> dict[str, int]:
        """Rows removed or unlinked per feature."""
        return {p.feature: await p.erase(user_id) for p in self._providers.values()}

    async def forget_guild(self, guild_id: int) -> dict[str, int]:
        """Rows removed per feature."""
        return {p.feature: await p.forget_guild(guild_id) for p in self._providers.values()}
