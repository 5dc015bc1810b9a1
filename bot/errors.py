"""Kind answers for everything that goes wrong, with an id that matches the log line."""

from __future__ import annotations

import logging
import secrets
from typing import Any

import discord
from discord import app_commands

from bot.db.connection import DatabaseBusyError
from bot.i18n import N_, _, ngettext

log = logging.getLogger("bot.errors")

NOT_SAVED = N_(
    "I couldn't save that just now: my storage was busy for too long. Nothing was saved, so "
    "please try again in a minute."
)
SERVER_ONLY = N_("This command works inside a server, not in direct messages.")


class UserFacingError(app_commands.AppCommandError):
    """An expected problem whose message is written for the member and shown as it is, so it
    is translated where it is raised (inside the interaction, in the member's language)."""


class MissingFacilitatorRole(app_commands.CheckFailure):
    """A moderator-only command was used by someone without the needed role or permission."""


async def answer_first(interaction: discord.Interaction[Any], *, update: bool = False) -> None:
    """Acknowledge before anything can wait on the database, so Discord's 3 s never pass.

    `update` keeps the clicked message in place (it is edited when the work is done); otherwise
    an ephemeral "thinking" answer is shown and filled in by `respond`.
    """
    if interaction.response.is_done():
        return
    if update:
        await interaction.response.defer()
    else:
        await interaction.response.defer(ephemeral=True, thinking=True)


async def respond(
    interaction: discord.Interaction[Any], content: Any = discord.utils.MISSING, **kw: Any
) -> None:
    """An ephemeral answer, whether or not `answer_first` already acknowledged."""
    if interaction.response.is_done():
        await interaction.followup.send(content, ephemeral=True, **kw)
    else:
        shown = None if content is discord.utils.MISSING else content
        await interaction.response.send_message(shown, ephemeral=True, **kw)


async def update(interaction: discord.Interaction[Any], **kw: Any) -> None:
    """Edit the clicked message, whether or not `answer_first(update=True)` already acknowledged."""
    if interaction.response.is_done():
        await interaction.edit_original_response(**kw)
    else:
        await interaction.response.edit_message(**kw)


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
            text = ngettext(
                "This command needs the {permissions} permission.",
                "This command needs the {permissions} permission.",
                len(error.missing_permissions),
            ).format(permissions=needed)
        elif isinstance(error, app_commands.NoPrivateMessage):
            text = _(SERVER_ONLY)
        elif isinstance(error, app_commands.CommandOnCooldown):
            seconds = round(error.retry_after)
            text = ngettext(
                "Please wait {seconds} second before trying again.",
                "Please wait {seconds} seconds before trying again.",
                seconds,
            ).format(seconds=seconds)
        return text or _("You can't use this here.")
    if isinstance(error, DatabaseBusyError):
        return _(NOT_SAVED)
    if isinstance(error, app_commands.TransformerError):
        return _unconverted(error.value)
    return None


def _unconverted(value: object) -> str:
    """What discord.py could not turn into an option's type, named as a member would: a channel
    by its mention, never by the object's repr."""
    if isinstance(value, app_commands.AppCommandThread) and value.archived:
        return _(
            "{channel} is an archived thread, so I can't use it. Please pick a text "
            "channel, or reopen the thread first and try again."
        ).format(channel=value.mention)
    if isinstance(value, app_commands.AppCommandChannel | app_commands.AppCommandThread):
        return _(
            "I can't use {channel} here: I may not be able to see it. Please check that "
            "Mutual can view that channel, or pick another one."
        ).format(channel=value.mention)
    if isinstance(value, str):
        return _(
            "I couldn't understand “{value}” there. Please pick one of the suggestions."
        ).format(value=value[:50])
    return _("I couldn't understand one of the options. Please pick one of the suggestions.")


def _bug_message(interaction: discord.Interaction, error: Exception) -> str:
    """Log an unexpected error with a short id, and say so kindly with the same id."""
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
    return _(
        "Sorry, something went wrong on my side. Nothing you did caused it. If it keeps "
        "happening, tell a moderator this error id: `{error_id}`."
    ).format(error_id=error_id)


async def report_error(interaction: discord.Interaction, error: Exception) -> None:
    """The single place unexpected errors are logged and answered."""
    message = friendly_message(error) or _bug_message(interaction, error)
    await send_ephemeral(interaction, message)


async def report_modal_error(
    interaction: discord.Interaction, error: Exception, modal: discord.ui.Modal
) -> None:
    """Like `report_error`, and the member gets back what they typed, with a button that opens
    the same form filled in, so a failed submit never costs them their words."""
    typed = kept_draft(modal)
    message = friendly_message(error) or _bug_message(interaction, error)
    if not typed:
        await send_ephemeral(interaction, message)
        return
    embed = discord.Embed(description="\n\n".join(typed)[:4096])
    try:
        await respond(
            interaction,
            f"{message}\n" + _("Here is what you wrote, so it isn't lost:"),
            embed=embed,
            view=DraftView(modal),
            allowed_mentions=discord.AllowedMentions.none(),
        )
    except discord.HTTPException:
        log.warning("Could not offer a draft back for interaction %s", interaction.id)


def kept_draft(modal: discord.ui.Modal) -> list[str]:
    """The typed values, also set as the inputs' defaults so the form reopens filled in."""
    typed: list[str] = []
    for child in modal.children:
        if isinstance(child, discord.ui.TextInput) and child.value:
            child.default = child.value
            typed.append(child.value)
    return typed


class MutualView(discord.ui.View):
    """A view whose errors reach the member kindly instead of vanishing into the log."""

    async def on_error(
        self,
        interaction: discord.Interaction,
        error: Exception,
        item: discord.ui.Item[discord.ui.View],
    ) -> None:
        await report_error(interaction, error)


class MutualModal(discord.ui.Modal):
    """A form whose errors reach the member kindly, with what they typed given back."""

    # discord.py's Modal.on_error takes no `item`, unlike the view class it derives from; mypy
    # reads that as a broken override, so it is declared once, here, for every form.
    async def on_error(  # type: ignore[override]
        self, interaction: discord.Interaction[Any], error: Exception, /
    ) -> None:
        await report_modal_error(interaction, error, self)


class DraftView(MutualView):
    """Reopens a form that failed, filled in with what was typed (kept in memory, never stored)."""

    def __init__(self, modal: discord.ui.Modal) -> None:
        super().__init__(timeout=900)
        self.modal = modal
        # Declared once, in English; labelled here, in the member's language.
        self.again.label = _("Edit and send again")

    @discord.ui.button(label="Edit and send again", style=discord.ButtonStyle.primary)
    async def again(
        self, interaction: discord.Interaction, button: discord.ui.Button[DraftView]
    ) -> None:
        await interaction.response.send_modal(self.modal)
