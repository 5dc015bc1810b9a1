"""Rendering shared by several features (not an extension: the name starts with `_`)."""

from __future__ import annotations

import discord

from bot.services.resources import ResourceList

CARE_COLOUR = discord.Colour.from_rgb(88, 166, 160)


def resources_embed(
    resources: ResourceList, *, title: str = "Where to find support"
) -> discord.Embed:
    embed = discord.Embed(title=title, colour=CARE_COLOUR, description=resources.notice[:4096])
    if resources.server_text:
        embed.add_field(name="From this server", value=resources.server_text[:1024], inline=False)
    for resource in resources.defaults[:20]:
        value = resource.detail if not resource.url else f"{resource.detail}\n{resource.url}"
        embed.add_field(name=resource.name[:256], value=value[:1024], inline=False)
    return embed
