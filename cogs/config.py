"""/config: the server settings facilitation relies on. Manage Server only, checked in code."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import MutualBot
from bot.checks import server_manager_only
from bot.content import Content
from bot.errors import (
    MutualModal,
    MutualView,
    UserFacingError,
    answer_first,
    respond,
    update,
)
from bot.i18n import N_, _
from bot.services.resources import find_country
from bot.services.server_settings import (
    AnonymousMode,
    GuildSettings,
    get_settings,
    update_settings,
)
from cogs._common import CARE_COLOUR, country_options

TEXT_MAX = 1000  # shown as one embed field (1,024 characters)

MODES: dict[str, str] = {
    "off": N_("Off: no anonymous questions"),
    "direct": N_("Direct: relayed at once"),
    "reviewed": N_("Reviewed: a facilitator approves each first"),
}


def settings_embed(
    guild: discord.Guild, settings: GuildSettings, content: Content
) -> discord.Embed:
    role = guild.get_role(settings.facilitator_role_id or 0)
    embed = discord.Embed(title=_("Mutual settings for this server"), colour=CARE_COLOUR)
    embed.add_field(
        name=_("Facilitator role"),
        value=role.mention if role else _("Not set: only Manage Server can facilitate"),
        inline=False,
    )
    log = f"<#{settings.log_channel_id}>" if settings.log_channel_id else _("Not set")
    embed.add_field(name=_("Log channel (review queue and notices)"), value=log, inline=False)
    embed.add_field(
        name=_("Anonymous questions"), value=_(MODES[settings.anonymous_mode]), inline=False
    )
    embed.add_field(
        name=_("Ground rules"),
        value=(settings.ground_rules or _("Not set: a gentle default is shown")),
        inline=False,
    )
    embed.add_field(
        name=_("Help lines for /resources"),
        value=settings.resources_text or _("Not set: only the built-in lines"),
        inline=False,
    )
    country = content.resources.countries.get(settings.country or "")
    embed.add_field(
        name=_("Country for help lines"),
        value=country.name if country else _("Not set: international lines only"),
        inline=False,
    )
    left_out = [content.notes[n].label for n in settings.excluded_notes if n in content.notes]
    embed.add_field(
        name=_("Content notes left out"),
        value=", ".join(left_out) or _("None"),
        inline=False,
    )
    embed.add_field(
        name=_("Language of public posts"),
        value=LANGUAGES.get(settings.language or "", "")
        or _("Not set: the server's preferred language, else English"),
        inline=False,
    )
    return embed


# Each language named in itself, as members look for it.
LANGUAGES: dict[str, str] = {
    "en-US": "English",
    "es-ES": "Español",
    "pt-BR": "Português (Brasil)",
    "fr": "Français",
    "de": "Deutsch",
}


def guild_of(interaction: discord.Interaction[Any]) -> discord.Guild:
    if interaction.guild is None:
        raise UserFacingError(_("This works inside a server, not in direct messages."))
    return interaction.guild


class TextSettingModal(MutualModal):
    """One long text setting; an empty box clears it."""

    def __init__(self, bot: MutualBot, column: str, title: str, label: str, current: str | None):
        super().__init__(title=title, timeout=900)
        self.bot = bot
        self.column = column
        self.text: discord.ui.TextInput[TextSettingModal] = discord.ui.TextInput(
            label=label,
            style=discord.TextStyle.paragraph,
            default=current,
            required=False,
            max_length=TEXT_MAX,
            custom_id="text",
        )
        self.add_item(self.text)

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        guild = guild_of(interaction)
        await answer_first(interaction)
        value = self.text.value.strip() or None
        updated = await update_settings(self.bot.db, guild.id, **{self.column: value})
        said = (
            _("Saved. Here is how things stand:")
            if value
            else _("Cleared. Here is how things stand:")
        )
        await respond(
            interaction,
            said,
            embed=settings_embed(guild, updated, self.bot.content),
            allowed_mentions=discord.AllowedMentions.none(),
        )


@app_commands.default_permissions(manage_guild=True)
@app_commands.guild_only()
class Config(
    commands.GroupCog, group_name="config", group_description="Server settings for Mutual"
):
    def __init__(self, bot: MutualBot) -> None:
        self.bot = bot
        super().__init__()

    async def _saved(self, interaction: discord.Interaction, text: str, **changes: Any) -> None:
        guild = guild_of(interaction)
        await answer_first(interaction)
        updated = await update_settings(self.bot.db, guild.id, **changes)
        await respond(interaction, text, embed=settings_embed(guild, updated, self.bot.content))

    @app_commands.command(name="show", description="See this server's Mutual settings")
    @server_manager_only()
    async def show(self, interaction: discord.Interaction) -> None:
        guild = guild_of(interaction)
        settings = await get_settings(self.bot.db, guild.id)
        await interaction.response.send_message(
            embed=settings_embed(guild, settings, self.bot.content), ephemeral=True
        )

    @app_commands.command(name="facilitator-role", description="Who may run discussions")
    @app_commands.describe(role="The facilitator role; leave empty to clear it")
    @server_manager_only()
    async def facilitator_role(
        self, interaction: discord.Interaction, role: discord.Role | None = None
    ) -> None:
        if role is not None and role.is_default():
            raise UserFacingError(_("Please choose a specific role rather than @everyone."))
        text = (
            _("Members with {role} can now run discussions.").format(role=role.mention)
            if role
            else _("Cleared: only members with Manage Server can run discussions.")
        )
        await self._saved(interaction, text, facilitator_role_id=role.id if role else None)

    @app_commands.command(name="log-channel", description="Where review queues and notices go")
    @app_commands.describe(channel="A private channel for facilitators; leave empty to clear it")
    @server_manager_only()
    async def log_channel(
        self, interaction: discord.Interaction, channel: discord.TextChannel | None = None
    ) -> None:
        text = _("Cleared: facilitators see waiting questions with /discuss queue.")
        if channel is not None:
            me = guild_of(interaction).me
            perms = channel.permissions_for(me)
            missing = [
                name
                for name, ok in (
                    (_("View Channel"), perms.view_channel),
                    (_("Send Messages"), perms.send_messages),
                    (_("Embed Links"), perms.embed_links),
                )
                if not ok
            ]
            if missing:
                raise UserFacingError(
                    _(
                        "I can't post in {channel} yet: I need {permissions} there. Please "
                        "give Mutual that in the channel's permissions and try again. Nothing "
                        "was changed."
                    ).format(
                        channel=channel.mention,
                        permissions=", ".join(f"**{m}**" for m in missing),
                    )
                )
            text = _("Review queues and notices now go to {channel}.").format(
                channel=channel.mention
            )
        await self._saved(interaction, text, log_channel_id=channel.id if channel else None)

    @app_commands.command(name="ground-rules", description="The ground rules shown in discussions")
    @server_manager_only()
    async def ground_rules(self, interaction: discord.Interaction) -> None:
        settings = await get_settings(self.bot.db, guild_of(interaction).id)
        await interaction.response.send_modal(
            TextSettingModal(
                self.bot,
                "ground_rules",
                _("Ground rules"),
                _("Ground rules (empty to clear)"),
                settings.ground_rules,
            )
        )

    @app_commands.command(name="resources", description="This server's own help lines")
    @server_manager_only()
    async def resources(self, interaction: discord.Interaction) -> None:
        settings = await get_settings(self.bot.db, guild_of(interaction).id)
        await interaction.response.send_modal(
            TextSettingModal(
                self.bot,
                "resources_text",
                _("Help lines"),
                _("Shown first in /resources"),
                settings.resources_text,
            )
        )

    @app_commands.command(name="anonymous-questions", description="Allow anonymous questions")
    @app_commands.describe(mode="Off, relayed directly, or reviewed by a facilitator first")
    @app_commands.choices(
        mode=[app_commands.Choice(name=label, value=value) for value, label in MODES.items()]
    )
    @server_manager_only()
    async def anonymous_questions(
        self, interaction: discord.Interaction, mode: app_commands.Choice[str]
    ) -> None:
        value: AnonymousMode = mode.value  # type: ignore[assignment]
        await self._saved(
            interaction,
            _("Anonymous questions: {mode}.").format(mode=_(MODES[value])),
            anonymous_mode=value,
        )

    @app_commands.command(
        name="language", description="The language of daily prompts and discussion posts"
    )
    @app_commands.describe(language="Leave empty to follow the server's preferred language")
    @app_commands.choices(
        language=[app_commands.Choice(name=name, value=code) for code, name in LANGUAGES.items()]
    )
    @server_manager_only()
    async def language(
        self, interaction: discord.Interaction, language: app_commands.Choice[str] | None = None
    ) -> None:
        if language is None:
            text = _(
                "Cleared: public posts follow the server's preferred language, else English. "
                "Private answers always follow each member's own Discord language."
            )
            await self._saved(interaction, text, language=None)
            return
        text = _(
            "Daily prompts and discussion posts will be in {language}. Private answers still "
            "follow each member's own Discord language."
        ).format(language=language.name)
        await self._saved(interaction, text, language=language.value)

    @app_commands.command(name="country", description="Whose help lines Mutual shows first")
    @app_commands.describe(country="The server's country; leave empty for international lines")
    @server_manager_only()
    async def country(self, interaction: discord.Interaction, country: str | None = None) -> None:
        if country is None:
            await self._saved(
                interaction, _("Cleared: Mutual shows international help lines."), country=None
            )
            return
        found = find_country(self.bot.content, country)
        if found is None:
            raise UserFacingError(
                _(
                    "I don't have help lines for that country yet. Please pick one from the "
                    "suggestions; your own lines in `/config resources` are always shown "
                    "first. Nothing was changed."
                )
            )
        await self._saved(
            interaction,
            _(
                "Help lines for {country} now come after your own, in /resources and in every "
                "safety note. Members can still look up any country with `/resources country:`."
            ).format(country=found.name),
            country=found.code,
        )

    @country.autocomplete("country")
    async def country_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return country_options(self.bot.content, current)

    @app_commands.command(
        name="content-notes", description="Subjects Mutual leaves out of what it picks here"
    )
    @server_manager_only()
    async def content_notes(self, interaction: discord.Interaction) -> None:
        settings = await get_settings(self.bot.db, guild_of(interaction).id)
        view = NotesView(self.bot, settings.excluded_notes)
        await interaction.response.send_message(_(NOTES_HELP), view=view, ephemeral=True)


NOTES_HELP = N_(
    "Choose the subjects Mutual should leave out of what it picks for this server: the daily "
    "prompt and its excerpt, `/learn random`, excerpts after a self-check and `/discuss` "
    "suggestions. Wherever such a text still appears (a member asked for it by name), its "
    "content note comes first. Topics are left out with `/prompts topics`."
)


class NotesView(MutualView):
    """A multi-select of the content-note vocabulary, with what is left out now preselected."""

    def __init__(self, bot: MutualBot, excluded: tuple[str, ...]) -> None:
        super().__init__(timeout=600)
        self.bot = bot
        notes = list(bot.content.notes.values())[:25]
        self.choice: discord.ui.Select[NotesView] = discord.ui.Select(
            placeholder=_("Subjects to leave out (none chosen: nothing left out)"),
            min_values=0,
            max_values=len(notes),
            options=[
                discord.SelectOption(label=n.label[:100], value=n.id, default=n.id in excluded)
                for n in notes
            ],
        )
        self.choice.callback = self.chosen  # type: ignore[method-assign]
        self.add_item(self.choice)

    async def chosen(self, interaction: discord.Interaction[Any]) -> None:
        guild = guild_of(interaction)
        await answer_first(interaction, update=True)
        picked = tuple(v for v in self.choice.values if v in self.bot.content.notes)
        updated = await update_settings(self.bot.db, guild.id, excluded_notes=picked)
        text = (
            _("Saved. Nothing is left out.")
            if not picked
            else _("Saved. Mutual now leaves those subjects out here.")
        )
        await update(
            interaction,
            content=text,
            embed=settings_embed(guild, updated, self.bot.content),
            view=None,
            allowed_mentions=discord.AllowedMentions.none(),
        )


async def setup(bot: MutualBot) -> None:
    await bot.add_cog(Config(bot))
