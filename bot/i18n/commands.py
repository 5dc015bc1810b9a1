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
        translated = found.gettext(string.message)
        return translated if translated != string.message else None
