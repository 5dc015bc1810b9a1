"""Chart images on /selfcheck history and /insights: a small PNG on the ephemeral reply, with the
figures in its alt text."""

from __future__ import annotations

import io
from datetime import timedelta

from PIL import Image

from standin.harness import Sandbox
from standin.people import Person, Reply
from tests.e2e.helpers import clock_of
from tests.e2e.selfcheck_support import answer_all, begin, instrument_of, private

DISCORD_UPLOAD_LIMIT = 10 * 1024 * 1024  # the smallest per-file limit, on servers without boosts


async def full_check(person: Person, sandbox: Sandbox, instrument_id: str, label: str) -> Reply:
    count = len(instrument_of(sandbox, instrument_id).items)
    return await answer_all(person, await begin(person, instrument_id), count, label)


def chart_of(sandbox: Sandbox, reply: Reply, filename: str) -> tuple[str, Image.Image, int]:
    """(alt text, the decoded image, its size in bytes) of the chart on the reply."""
    assert reply.message is not None
    described = [a for a in reply.message.attachments if a.get("filename") == filename]
    assert len(described) == 1, reply.message.attachments
    uploads = [r.files for r in sandbox.standin.requests if r.files]
    data = next(files[name] for files in reversed(uploads) for name in files if filename in name)
    return str(described[0].get("description", "")), Image.open(io.BytesIO(data)), len(data)


async def test_history_has_a_chart_with_the_figures_as_alt_text(sandbox: Sandbox) -> None:
    alice = sandbox.person("alice")
    for label in ("Often", "Never"):
        result = await full_check(alice, sandbox, "give-and-take", label)
        private(await alice.click(result, "Save to my private history"))
        clock_of(sandbox).advance(timedelta(days=7))
    history = private(await alice.slash("selfcheck history"))
    alt, image, size = chart_of(sandbox, history, "selfcheck-history.png")
    assert image.format == "PNG" and image.width == 480
    assert size < DISCORD_UPLOAD_LIMIT and size < 64 * 1024
    assert "Give and take" in alt and "How much I lean on them" in alt
    assert any(char.isdigit() for char in alt) and len(alt) <= 1024
    # Someone with nothing saved gets no empty picture.
    nothing = private(await sandbox.person("bob").slash("selfcheck history"))
    assert nothing.message is not None and nothing.message.attachments == []


async def test_insights_have_a_chart_that_never_shows_a_small_week(sandbox: Sandbox) -> None:
    alice, mod = sandbox.person("alice"), sandbox.person("mod")
    for _ in range(5):
        await full_check(alice, sandbox, "give-and-take", "Always")
        clock_of(sandbox).advance(timedelta(minutes=2))
    insights = private(await mod.slash("insights", weeks=2))
    alt, image, size = chart_of(sandbox, insights, "selfcheck-insights.png")
    assert image.format == "PNG" and size < DISCORD_UPLOAD_LIMIT
    assert "Give and take: 2026-W22: not shown, 2026-W23: 5." in alt
    assert "Healthy dependence: 2026-W22: not shown, 2026-W23: not shown." in alt
