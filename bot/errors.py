"""Kind answers for everything that goes wrong, with an id that matches the log line."""

from __future__ import annotations

import logging
import secrets

import discord
from discord import app_commands

log = logging.getLogger("bot.errors")


class UserFacingError(app_commands.AppCommandError):
    """An expected problem whose message is written for the member and shown as it is."""


class MissingFacilitatorRole(app_commands.CheckFailure):
    """A moderator-only command was used by someone without the needed role or permission."""


async def send_ephemeral(interaction: discord.Interaction, content: str) -> None:
    """Answer or follow up, whichever is still possible, without ever raising."""
    try:
        if interaction.response.is_done():
            await interaction.followup.send(content, ephemeral=True)
        else:
            await interaction.response.send_message(content, ephemeral=True)
    except discord.HTTPException:
        log.warning("Could not deliver an error message for interaction %s", interaction.id)


def friendly_message(error: Exception) -> str | None:
    """The message for expected errors; None for bugs, which get an error id instead."""
    if isinstance(error, app_commands.CommandInvokeError):
        error = error.original
    if isinstance(error, UserFacingError | app_commands.CheckFailure):
        text = str(error)
        if isinstance(error, app_commands.MissingPermissions):
            needed = ", ".join(p.replace("_", " ").title() for p in error.missing_permissions)
            text = f"This command needs the {needed} permission."
        elif isinstance(error, app_commands.NoPrivateMessage):
            text = "This command works inside a server, not in direct messages."
        elif isinstance(error, app_commands.CommandOnCooldown):
            text = f"Please wait {error.retry_after:.0f} seconds before trying again."
        return text or "You can't use this here."
    if isinstance(error, app_commands.TransformerError):
        return f"I couldn't understand {error.value!r} there. Please pick one of the suggestions."
    return None


async def report_error(interaction: discord.Interaction, error: Exception) -> None:
    """The single place unexpected errors are logged and answered."""
    message = friendly_message(error)
    if message is None:
        error_id = secrets.token_hex(3)
        original = getattr(error, "original", error)
        command = interaction.command.qualified_name if interaction.command else "component"
        log.error(
            "Error %s in %s (guild %s)",
            error_id,
            command,
            interaction.guild_id,
            exc_info=(type(original), original, original.__traceback__),
        )
        message = (
            "Sorry, something went wrong on my side. Nothing you did caused it, and nothing was "
            f"lost. If it keeps happening, tell a moderator this error id: `{error_id}`."
        )
    await send_ephemeral(interaction, message)


class MutualView(discord.ui.View):
    """A view whose errors reach the member kindly instead of vanishing into the log."""

    async def on_error(
        self,
        interaction: discord.Interaction,
        error: Exception,
        item: discord.ui.Item[discord.ui.View],
    ) -> None:
        await report_error(interaction, error)
