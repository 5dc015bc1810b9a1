"""Buttons answered from their custom id: sent as discord.py would send them, routed first."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import discord

from bot.direct_clicks import Button, ButtonRows, DirectClicks

Style = discord.ButtonStyle


def test_button_rows_render_as_discord_py_renders_the_same_buttons() -> None:
    rows = [
        [Button("Begin", "a:1", Style.primary), Button("Not now", "a:2")],
        [Button("Saved", "a:3", Style.success, disabled=True)],
    ]
    view = discord.ui.View(timeout=None)
    for number, row in enumerate(rows):
        for button in row:
            view.add_item(
                discord.ui.Button(
                    label=button.label,
                    custom_id=button.custom_id,
                    style=button.style,
                    disabled=button.disabled,
                    row=number,
                )
            )
    assert ButtonRows(rows).to_components() == view.to_components()


def test_button_rows_are_neither_stored_nor_timed_out_by_discord_py() -> None:
    rows = ButtonRows([[Button("Begin", "a:1")]])
    assert rows.is_finished() and not rows.is_dispatchable()
    assert not rows.has_components_v2() and rows.timeout is None


async def test_a_route_answers_the_clicks_it_owns_and_only_those() -> None:
    seen: list[str] = []

    async def handler(interaction: Any, match: re.Match[str]) -> None:
        seen.append(match["n"])

    routes = DirectClicks()
    routes.add(r"x:(?P<n>\d+)", handler)
    button = discord.ComponentType.button.value
    assert routes.dispatch(button, "x:7", object())
    assert not routes.dispatch(button, "x:7:more", object())
    assert not routes.dispatch(button, "y:7", object())
    assert not routes.dispatch(discord.ComponentType.string_select.value, "x:8", object())
    await asyncio.sleep(0)
    assert seen == ["7"]
    routes.remove(r"x:(?P<n>\d+)")
    assert not routes.dispatch(button, "x:7", object())
