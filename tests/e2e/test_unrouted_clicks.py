"""Clicks on buttons no handler owns (crafted, or from a feature's old message) are answered
kindly within Discord's deadline instead of failing."""

from __future__ import annotations

import copy

import pytest

from bot.unrouted import STALE
from standin.harness import Sandbox


@pytest.mark.parametrize(
    "custom_id",
    [
        "mutual:review:approve:123456789012345678901234567890",
        "mutual:prompt-review:approve:99999999999999999999999",
        "learn:next:trust:1234567890123",
        "something:nobody:knows",
        "sc:zzzzzz:1:00000000::g",
    ],
)
async def test_a_crafted_custom_id_gets_a_kind_answer(sandbox: Sandbox, custom_id: str) -> None:
    alice = sandbox.person("alice")
    page = await alice.slash("learn topic", topic="trust")
    assert page.message is not None
    crafted = copy.deepcopy(page.message)
    button = crafted.components[0]["components"][0]
    button["custom_id"] = custom_id
    button["disabled"] = False  # "Previous" on the first page; any enabled button will do
    reply = await alice.click(crafted, custom_id)
    assert reply.acknowledged and reply.ephemeral
    assert reply.text == STALE
    sandbox.assert_no_failures()


async def test_a_real_button_still_works(sandbox: Sandbox) -> None:
    alice = sandbox.person("alice")
    page = await alice.slash("learn topic", topic="trust")
    turned = await alice.click(page, "Next")
    assert STALE not in turned.text and "2 of" in turned.text
