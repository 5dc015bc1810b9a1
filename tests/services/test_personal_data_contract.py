"""Every table is held against the personal-data contracts: a column that looks like member
text or a member-derived key must be erased by some feature's contract or be declared as not
member data with a reason, and every server's rows must be deleted with the server."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.app import MutualBot
from bot.db import Storage
from bot.services.lifecycle import (
    INSTALLATION_TABLES,
    LIFECYCLE_TABLES,
    NOT_MEMBER_DATA,
    build_registry,
)
from bot.services.privacy import KeyedHasher, PersonalDataRegistry
from tests.e2e.conftest import shipped_content, test_settings

# Names that hold, or could hold, what a member wrote or something derived from who they are.
LOOKS_PERSONAL = re.compile(
    r"key|token|text|scores|pseudonym|warning|title|rules|member|user|asker"
)


@pytest.fixture
def db(storage: Storage) -> Storage:
    """The shared fixture's database, SQLite and PostgreSQL in turn."""
    return storage


@pytest.fixture
def registry(db: Storage) -> PersonalDataRegistry:
    return build_registry(db, KeyedHasher(b"contract-test-secret-0001"), shipped_content())


async def schema(db: Storage) -> dict[str, list[str]]:
    return {table: await db.column_names(table) for table in await db.table_names()}


async def test_every_column_that_looks_personal_is_covered(
    db: Storage, registry: PersonalDataRegistry
) -> None:
    covered = {
        (table, column)
        for provider in registry.providers
        for table, columns in provider.member_columns.items()
        for column in columns
    }
    uncovered = [
        f"{table}.{column}"
        for table, columns in (await schema(db)).items()
        for column in columns
        if LOOKS_PERSONAL.search(column)
        and (table, column) not in covered
        and (table, column) not in NOT_MEMBER_DATA
    ]
    assert uncovered == [], (
        "Declare these in a feature's member_columns (and erase them), or in NOT_MEMBER_DATA "
        "with the reason they hold nothing about a member"
    )


async def test_every_table_is_deleted_with_its_server(
    db: Storage, registry: PersonalDataRegistry
) -> None:
    cleared = {t for p in registry.providers for t in p.server_tables} | set(LIFECYCLE_TABLES)
    member_only = {t for p in registry.providers for t in p.member_columns}
    tables = await schema(db)
    missing = [t for t, cols in tables.items() if "guild_id" in cols and t not in cleared]
    assert missing == [], "a table with server rows that no contract deletes with the server"
    orphans = [t for t in tables if t not in cleared | member_only | set(INSTALLATION_TABLES)]
    assert orphans == [], "a table no contract mentions"


async def test_declarations_name_real_columns(db: Storage, registry: PersonalDataRegistry) -> None:
    tables = await schema(db)
    declared = [
        (table, column)
        for provider in registry.providers
        for table, columns in provider.member_columns.items()
        for column in columns
    ] + list(NOT_MEMBER_DATA)
    stale = [f"{t}.{c}" for t, c in declared if c not in tables.get(t, [])]
    assert stale == []
    named = [t for p in registry.providers for t in p.server_tables]
    assert [t for t in named if t not in tables] == []


async def test_the_running_bot_registers_the_same_contracts(tmp_path: Path) -> None:
    from bot.clock import FakeClock
    from tests.e2e.conftest import START

    bot = MutualBot(
        test_settings(tmp_path), clock=FakeClock(START), content=shipped_content(),
        start_timers=False,
    )  # fmt: skip
    async with bot:
        await bot.setup_hook()
        running = {p.feature: (dict(p.member_columns), p.server_tables) for p in
                   bot.personal_data.providers}  # fmt: skip
        built = build_registry(bot.db, bot.hasher, bot.content)
        assert running == {
            p.feature: (dict(p.member_columns), p.server_tables) for p in built.providers
        }
        await bot.close()
