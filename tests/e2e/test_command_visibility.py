"""Who sees which command: moderator commands are hidden from members by default (a server admin
can show them to a facilitator role), member commands are visible to all, and every moderator
command is still checked in code (see the refusal tests of each feature)."""

from __future__ import annotations

from standin.harness import Sandbox
from tests.e2e.helpers import bot_of

MANAGE_GUILD = 1 << 5
MODERATORS = {"prompts", "discuss", "config", "insights", "status"}
EVERYONE = {"about", "resources", "mydata", "selfcheck", "learn", "prompt", "ask"}


def test_moderator_commands_are_hidden_from_members_by_default(sandbox: Sandbox) -> None:
    published = {
        c.name: c.to_dict(bot_of(sandbox).tree) for c in bot_of(sandbox).tree.get_commands()
    }
    for name in MODERATORS:
        assert int(published[name]["default_member_permissions"]) == MANAGE_GUILD, name
    for name in EVERYONE & set(published):
        assert published[name].get("default_member_permissions") is None, name
    assert set(published) <= MODERATORS | EVERYONE, "a new command must say who sees it"


async def test_a_member_who_reaches_a_moderator_command_is_refused_kindly(sandbox: Sandbox) -> None:
    alice = sandbox.person("alice")
    for command in ("insights", "discuss queue"):
        reply = await alice.slash(command)
        assert reply.ephemeral and "Manage Server" in reply.text, (command, reply.text)
