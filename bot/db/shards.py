"""Which servers a process's due work covers: Discord's shard of a server, in SQL.

Discord puts a server on shard `(guild_id >> 22) % shard_count`; a process running some of the
shards receives only those servers' events, so it also posts, opens, closes and reminds only
for them. The same expression filters the due queries (`>>` and `%` on integer ids mean the
same in SQLite and PostgreSQL). The due indexes carry `guild_id` (migration 015), so the filter
is evaluated inside the index walk, without reading the rows of other processes' servers.
"""

from __future__ import annotations

from dataclasses import dataclass


def shard_of(guild_id: int, shard_count: int) -> int:
    return (guild_id >> 22) % shard_count


@dataclass(frozen=True)
class ShardSet:
    """A subset of `count` shards; None in its place everywhere means "every server"."""

    count: int
    ids: tuple[int, ...]

    def owns(self, guild_id: int) -> bool:
        return shard_of(guild_id, self.count) in self.ids

    def describe(self) -> str:
        return f"shards {','.join(map(str, self.ids))} of {self.count}"


def shard_filter(shards: ShardSet | None, column: str = "guild_id") -> tuple[str, tuple[int, ...]]:
    """` AND <column's shard> IN (...)` and its parameters, or nothing for every server."""
    if shards is None:
        return "", ()
    marks = ", ".join("?" for _ in shards.ids)
    return f" AND (({column} >> 22) % ?) IN ({marks})", (shards.count, *shards.ids)
