"""The /prompts command group, shared by the modules that add its subcommands."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any, TypeVar

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import UserFacingError
from bot.services.prompts.model import PromptInputError

T = TypeVar("T")

if TYPE_CHECKING:
    # The command mixins end up in the `Prompts` cog; to the type checker they are cogs already,
    # so the group's decorators accept their methods. At run time only `Prompts` is a cog.
    CommandsMixin = commands.Cog
else:
    CommandsMixin = object

PROMPTS = app_commands.Group(
    name="prompts",
    description="Daily reflection prompts for this server (moderators)",
    guild_only=True,
    # A hint for Discord's client; facilitator_only() checks every call in code.
    default_permissions=discord.Permissions(manage_guild=True),
)


async def kindly(awaitable: Awaitable[T]) -> T:
    """Service input errors become the member-facing errors the tree answers ephemerally."""
    try:
        return await awaitable
    except PromptInputError as error:
        raise UserFacingError(str(error)) from None


def guild_id_of(interaction: discord.Interaction[Any]) -> int:
    assert interaction.guild_id is not None  # the group is guild-only
    return interaction.guild_id
