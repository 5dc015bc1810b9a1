"""/config end to end: the real MutualBot through the Discord stand-in."""

from __future__ import annotations

from typing import Any

from bot.db.settings import get_settings
from standin.harness import Sandbox
from standin.people import message_text
from standin.permissions import Perm
from tests.e2e.helpers import bot_of


async def test_show_lists_every_setting_with_its_default(sandbox: Sandbox) -> None:
    reply = await sandbox.person("mod").slash("config show")
    assert reply.ephemeral
    for name in ("Facilitator role", "Log channel", "Anonymous questions", "Ground rules"):
        assert name in reply.text
    assert "Reviewed" in reply.text  # the registered default


async def test_roles_channels_and_mode_are_saved(sandbox: Sandbox) -> None:
    mod = sandbox.person("mod")
    guild_id = sandbox.guild.id
    role = sandbox.world.role_named(sandbox.guild, "Facilitator")
    reply = await mod.slash("config facilitator-role", role="@Facilitator")
    assert f"<@&{role.id}>" in reply.text
    reply = await mod.slash("config log-channel", channel="mod-log")
    assert f"<#{sandbox.channel('mod-log').id}>" in reply.text
    reply = await mod.slash("config anonymous-questions", mode="direct")
    assert "Direct" in reply.text
    settings = await get_settings(bot_of(sandbox).db, guild_id)
    assert settings.facilitator_role_id == role.id
    assert settings.log_channel_id == sandbox.channel("mod-log").id
    assert settings.anonymous_mode == "direct"
    cleared = await mod.slash("config facilitator-role")
    assert "Cleared" in cleared.text
    assert (await get_settings(bot_of(sandbox).db, guild_id)).facilitator_role_id is None


async def test_a_log_channel_the_bot_cannot_post_in_is_refused(sandbox: Sandbox) -> None:
    await sandbox.standin.deny_bot("reflections", Perm.SEND_MESSAGES)
    reply = await sandbox.person("mod").slash("config log-channel", channel="reflections")
    assert "**Send Messages**" in reply.text and "Nothing was changed" in reply.text
    assert (await get_settings(bot_of(sandbox).db, sandbox.guild.id)).log_channel_id is None


async def test_ground_rules_modal_feeds_the_next_discussion(sandbox: Sandbox) -> None:
    mod = sandbox.person("mod")
    modal = await mod.slash("config ground-rules")
    assert modal.modal is not None and modal.modal["title"] == "Ground rules"
    saved = await mod.submit_modal(modal, {"text": "Listen first. No advice unless asked."})
    assert "Saved" in saved.text
    await mod.slash("discuss start", topic="trust")
    opening = sandbox.messages_in("general")[-1]
    assert "Listen first. No advice unless asked." in message_text(opening)
    # The modal opens with the current text, and a blank box clears it.
    again = await mod.slash("config ground-rules")
    assert again.modal is not None
    text_input = again.modal["components"][0]["components"][0]
    assert text_input["value"] == "Listen first. No advice unless asked."
    cleared = await mod.submit_modal(again, {"text": "  "})
    assert "Cleared" in cleared.text


async def test_resources_modal_puts_the_servers_lines_first(sandbox: Sandbox) -> None:
    mod = sandbox.person("mod")
    modal = await mod.slash("config resources")
    await mod.submit_modal(modal, {"text": "Our peer line: ask any @Moderator, day or night."})
    shown = await sandbox.person("alice").slash("resources")
    assert shown.embed is not None
    first = shown.embed["fields"][0]
    assert first["name"] == "From this server" and "Our peer line" in first["value"]


async def test_config_needs_manage_server_even_for_facilitators(sandbox: Sandbox) -> None:
    mod, alice = sandbox.person("mod"), sandbox.person("alice")
    await mod.slash("config facilitator-role", role="@Facilitator")
    facilitator = sandbox.world.role_named(sandbox.guild, "Facilitator")
    sandbox.guild.members[alice.id].roles.append(facilitator.id)
    attempts: tuple[tuple[str, dict[str, Any]], ...] = (
        ("config show", {}),
        ("config anonymous-questions", {"mode": "off"}),
        ("config ground-rules", {}),
    )
    for command, options in attempts:
        reply = await alice.slash(command, **options)
        assert reply.modal is None and "Manage Server" in reply.text, command
    assert (await get_settings(bot_of(sandbox).db, sandbox.guild.id)).anonymous_mode == "reviewed"
