"""Who may run moderator commands: Manage Server, or the server's facilitator role.

Checked in code on every call, because `default_permissions` is only a hint that server admins
can override in their integration settings.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import discord
from discord import app_commands

from bot.db.settings import get_settings
from bot.errors import SERVER_ONLY, MissingFacilitatorRole
from bot.i18n import _

if TYPE_CHECKING:
    from bot.app import MutualBot

Decorated = TypeVar("Decorated")


async def is_facilitator(interaction: discord.Interaction[Any]) -> bool:
    member = interaction.user
    if interaction.guild is None or not isinstance(member, discord.Member):
        return False
    if member.guild_permissions.manage_guild:
        return True
    bot: MutualBot = interaction.client
    settings = await get_settings(bot.db, interaction.guild.id)
    return settings.facilitator_role_id is not None and any(
        role.id == settings.facilitator_role_id for role in member.roles
    )


async def needed_role_text(interaction: discord.Interaction[Any]) -> str:
    bot: MutualBot = interaction.client
    if interaction.guild is None:
        return _(SERVER_ONLY)
    settings = await get_settings(bot.db, interaction.guild.id)
    role = interaction.guild.get_role(settings.facilitator_role_id or 0)
    if role is not None:
        return _(
            "This is for moderators: it needs the Manage Server permission or the @{role} role."
        ).format(role=role.name)
    return _(
        "This is for moderators: it needs the Manage Server permission. (A server admin can also "
        "name a facilitator role with /config facilitator-role.)"
    )


def facilitator_only() -> Callable[[Decorated], Decorated]:
    """`app_commands.check` that refuses with a message naming what is needed."""

    async def predicate(interaction: discord.Interaction[Any]) -> bool:
        if await is_facilitator(interaction):
            return True
        raise MissingFacilitatorRole(await needed_role_text(interaction))

    return app_commands.check(predicate)


def server_manager_only() -> Callable[[Decorated], Decorated]:
    async def predicate(interaction: discord.Interaction[Any]) -> bool:
        member = interaction.user
        if isinstance(member, discord.Member) and member.guild_permissions.manage_guild:
            return True
        raise MissingFacilitatorRole(_("This needs the Manage Server permission."))

    return app_commands.check(predicate)
