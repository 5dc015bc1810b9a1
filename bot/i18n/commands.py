"""Slash command names, descriptions, options and choices in each shipped language.

discord.py asks the translator for every `locale_str` while syncing; Mutual's command texts are
message ids of the same catalogs as its replies, so one `.po` file per language holds both. A
name must keep Discord's rules in every language (lower case, no spaces, at most 32 characters),
which a test checks for every catalog.
"""

from __future__ import annotations

import discord
from discord import app_commands

from bot.i18n.catalogs import shipped_locale, translations_for

NAME_CONTEXT = "slash command name"
"""Names share their catalog with sentences, so a name's entry has this context: "start" the
subcommand and "Start" the button may translate differently, and a name keeps Discord's rules."""

OPTION_CONTEXT = "slash command option name"
"""An option's name is a noun where a command's may be a verb: the `schedule` option (which
schedule) and the `/discuss schedule` command (to schedule one) translate apart."""

_NAME_LOCATIONS = {
    app_commands.TranslationContextLocation.command_name,
    app_commands.TranslationContextLocation.group_name,
}


def catalog_context(context: app_commands.TranslationContextTypes) -> str | None:
    if context.location is app_commands.TranslationContextLocation.parameter_name:
        return OPTION_CONTEXT
    return NAME_CONTEXT if context.location in _NAME_LOCATIONS else None


class CatalogTranslator(app_commands.Translator):
    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        shipped = shipped_locale(locale.value)
        if shipped != locale.value:
            return None  # only the exact locales that have a catalog are published
        found = translations_for(shipped)
        if found is None:
            return None
        msgctxt = catalog_context(context)
        if msgctxt is None:
            translated = found.gettext(string.message)
        else:
            translated = found.pgettext(msgctxt, string.message)
        return translated if translated != string.message else None


class RecordingTranslator(app_commands.Translator):
    """Collects every command text discord.py would ask to translate, for the catalog template."""

    def __init__(self) -> None:
        self.seen: dict[tuple[str | None, str], None] = {}

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        self.seen.setdefault((catalog_context(context), string.message), None)
        return None
