"""Self-check storage: opt-in history under a keyed hash, and identity-free daily counts."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.db.storage import Step, Storage


@dataclass(frozen=True)
class HistoryRow:
    instrument: str
    taken_on: str
    scores: dict[str, int]


@dataclass(frozen=True)
class DailyCell:
    instrument: str
    day: str
    completions: int


@dataclass(frozen=True)
class DailySum:
    instrument: str
    day: str
    dimension: str
    total: int
    answered: int


async def save_result(
    db: Storage,
    *,
    member_key: str,
    instrument: str,
    taken_on: str,
    save_token: str,
    scores: Mapping[str, int],
) -> bool:
    """True when stored; False when this session was saved already (a second click)."""
    changed = await db.execute(
        """
        INSERT INTO selfcheck_history (member_key, instrument, taken_on, save_token, scores)
        VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (member_key, instrument, save_token) DO NOTHING
        """,
        (member_key, instrument, taken_on, save_token, json.dumps(dict(scores), sort_keys=True)),
    )
    return changed > 0


async def history(db: Storage, member_key: str) -> list[HistoryRow]:
    rows = await db.fetchall(
        """
        SELECT instrument, taken_on, scores FROM selfcheck_history
        WHERE member_key = ? ORDER BY instrument, taken_on, id
        """,
        (member_key,),
    )
    loads = json.loads
    return [HistoryRow(row[0], row[1], loads(row[2])) for row in rows]


@dataclass(frozen=True)
class RecentHistory:
    """One instrument's latest saved results (oldest first), with how many there are in all and
    the day of the first."""

    instrument: str
    total: int
    first_day: str
    rows: list[HistoryRow]


async def recent_history(
    db: Storage, member_key: str, instruments: Sequence[str], per_instrument: int
) -> list[RecentHistory]:
    """The member's last `per_instrument` results of each of `instruments`, with each one's
    count and first day, in one statement: one index search per instrument for the latest rows
    and one covering read of the index for the counts, so only the rows returned are read and
    parsed, however many results the member has saved."""
    if not instruments:
        return []
    latest = " UNION ALL ".join(
        f"""SELECT * FROM (
                SELECT instrument, taken_on, scores, id FROM selfcheck_history
                WHERE member_key = ? AND instrument = ?
                ORDER BY taken_on DESC, id DESC LIMIT ?
            ) AS latest{n}"""
        for n in range(len(instruments))
    )
    rows = await db.fetchall(
        f"""
        SELECT r.instrument, r.taken_on, r.scores, c.total, c.first_day
        FROM ({latest}) AS r
        JOIN (SELECT instrument, COUNT(*) AS total, MIN(taken_on) AS first_day
              FROM selfcheck_history WHERE member_key = ? GROUP BY instrument) AS c
          ON c.instrument = r.instrument
        ORDER BY r.instrument, r.taken_on, r.id
        """,
        [*(v for i in instruments for v in (member_key, i, per_instrument)), member_key],
    )
    found: dict[str, RecentHistory] = {}
    loads = json.loads
    for instrument, taken_on, scores, total, first_day in rows:
        entry = found.get(instrument)
        if entry is None:
            entry = found[instrument] = RecentHistory(instrument, int(total), first_day, [])
        entry.rows.append(HistoryRow(instrument, taken_on, loads(scores)))
    return list(found.values())


async def count_history(db: Storage, member_key: str) -> int:
    value = await db.fetchval(
        "SELECT COUNT(*) FROM selfcheck_history WHERE member_key = ?", (member_key,)
    )
    return int(value or 0)


async def delete_history(db: Storage, member_key: str, instrument: str | None = None) -> int:
    if instrument is None:
        return await db.execute("DELETE FROM selfcheck_history WHERE member_key = ?", (member_key,))
    return await db.execute(
        "DELETE FROM selfcheck_history WHERE member_key = ? AND instrument = ?",
        (member_key, instrument),
    )


async def record_completion(
    db: Storage,
    guild_id: int,
    instrument: str,
    day: str,
    scores: Mapping[str, int],
    *,
    session_token: str | None = None,
) -> bool:
    """One more completion for the day, plus its scores folded into per-dimension sums.

    With a `session_token`, a session already counted is not counted again (False): the token
    and the count change in one transaction, so a crash between them cannot split them.
    """
    steps: list[Step] = []
    if session_token is not None:
        steps.append(
            Step(
                """
                INSERT INTO selfcheck_counted_sessions (session_token, guild_id, day)
                VALUES (?, ?, ?) ON CONFLICT (session_token) DO NOTHING
                """,
                (session_token, guild_id, day),
                guard=True,
            )
        )
    steps.append(
        Step(
            """
            INSERT INTO selfcheck_completions (guild_id, instrument, day, completions)
            VALUES (?, ?, ?, 1)
            ON CONFLICT (guild_id, instrument, day) DO UPDATE SET
                completions = selfcheck_completions.completions + 1
            """,
            (guild_id, instrument, day),
        )
    )
    steps.append(
        Step(
            """
            INSERT INTO selfcheck_dimension_sums
                (guild_id, instrument, day, dimension, total, answered)
            VALUES (?, ?, ?, ?, ?, 1)
            ON CONFLICT (guild_id, instrument, day, dimension) DO UPDATE SET
                total = selfcheck_dimension_sums.total + excluded.total,
                answered = selfcheck_dimension_sums.answered + 1
            """,
            rows=[(guild_id, instrument, day, dim, score) for dim, score in scores.items()],
        )
    )
    # One trip to the database: this runs on every shown result.
    return await db.in_one_trip(steps)


async def prune_counted_sessions(db: Storage, before_day: str) -> int:
    """Forget counted-session tokens from days before `before_day`; returns how many."""
    return await db.execute("DELETE FROM selfcheck_counted_sessions WHERE day < ?", (before_day,))


async def completions_between(
    db: Storage, guild_id: int, instruments: Sequence[str], first_day: str, last_day: str
) -> list[DailyCell]:
    """Each instrument's days in the range: one (guild, instrument, day) key range each, so a
    server's older history is never read."""
    marks = ", ".join("?" * len(instruments))
    rows = await db.fetchall(
        f"""
        SELECT instrument, day, completions FROM selfcheck_completions
        WHERE guild_id = ? AND instrument IN ({marks}) AND day BETWEEN ? AND ? ORDER BY instrument, day
        """,
        (guild_id, *instruments, first_day, last_day),
    )
    return [DailyCell(str(r["instrument"]), str(r["day"]), int(r["completions"])) for r in rows]


async def sums_between(
    db: Storage, guild_id: int, instruments: Sequence[str], first_day: str, last_day: str
) -> list[DailySum]:
    marks = ", ".join("?" * len(instruments))
    rows = await db.fetchall(
        f"""
        SELECT instrument, day, dimension, total, answered FROM selfcheck_dimension_sums
        WHERE guild_id = ? AND instrument IN ({marks}) AND day BETWEEN ? AND ? ORDER BY instrument, day, dimension
        """,
        (guild_id, *instruments, first_day, last_day),
    )
    return [
        DailySum(
            str(r["instrument"]),
            str(r["day"]),
            str(r["dimension"]),
            int(r["total"]),
            int(r["answered"]),
        )
        for r in rows
    ]


async def forget_guild(db: Storage, guild_id: int) -> int:
    removed = 0
    async with db.transaction() as tx:
        removed += await tx.execute(
            "DELETE FROM selfcheck_completions WHERE guild_id = ?", (guild_id,)
        )
        removed += await tx.execute(
            "DELETE FROM selfcheck_dimension_sums WHERE guild_id = ?", (guild_id,)
        )
        removed += await tx.execute(
            "DELETE FROM selfcheck_counted_sessions WHERE guild_id = ?", (guild_id,)
        )
    return removed
