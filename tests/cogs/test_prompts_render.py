"""The footer line a restarted bot looks for: one schedule's post is never taken for another's."""

from datetime import date
from types import SimpleNamespace
from typing import Any

import discord

from bot.config import DEFAULT_CONTENT_DIR
from bot.content import load_content
from bot.services.prompts.model import PromptText
from cogs.prompts._render import is_post_of, post_marker, prompt_embed

DAY = date(2026, 6, 1)


def message_with(embed: discord.Embed) -> Any:
    return SimpleNamespace(embeds=[embed])


def test_two_schedules_in_one_channel_find_only_their_own_post() -> None:
    content = load_content(DEFAULT_CONTENT_DIR)
    prompt = PromptText(key="p", topic=None, text="What helped today?")
    daily = message_with(prompt_embed(prompt, content, day=DAY))
    weekend = message_with(prompt_embed(prompt, content, day=DAY, schedule="weekend"))
    assert is_post_of(daily, DAY) and not is_post_of(daily, DAY, "weekend")
    assert is_post_of(weekend, DAY, "weekend") and not is_post_of(weekend, DAY)
    assert not is_post_of(daily, date(2026, 6, 2))


def test_the_first_schedules_marker_is_the_one_posts_from_before_names_carry() -> None:
    assert post_marker(DAY) == "Daily reflection · 2026-06-01"
