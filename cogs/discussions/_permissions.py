"""The Discord permissions a discussion needs, and the sentence that names a missing one.

Which permissions opening and closing need is decided here, so the check before acting and the
message after a refusal name the same ones. Each name is the one Discord's channel settings show
(translated as those settings show it), and each action (open, close, post the summary,
announce) has a whole sentence of its own, so every language can word it naturally.
"""

from __future__ import annotations

import discord

from bot.i18n import N_, _, ngettext

# (attribute of discord.Permissions, the name Discord shows in channel settings, translated as
# Discord's own settings show it in each language)
VIEW_CHANNEL = N_("View Channel")
SEND_MESSAGES = N_("Send Messages")
EMBED_LINKS = N_("Embed Links")
SEND_IN_THREADS = N_("Send Messages in Threads")
MANAGE_THREADS = N_("Manage Threads")
CREATE_THREADS = N_("Create Public Threads")
READ_HISTORY = N_("Read Message History")
COMMON = [
    ("view_channel", VIEW_CHANNEL),
    ("send_messages", SEND_MESSAGES),
    ("embed_links", EMBED_LINKS),
    ("send_messages_in_threads", SEND_IN_THREADS),
    ("manage_threads", MANAGE_THREADS),
]
TEXT_ONLY = [
    ("create_public_threads", CREATE_THREADS),
    ("read_message_history", READ_HISTORY),
]


def _names(missing: list[str]) -> str:
    """ "**Send Messages**" or "**Send Messages**, **Embed Links** and **Manage Threads**"."""
    bold = [f"**{_(name)}**" for name in missing]
    if len(bold) == 1:
        return bold[0]
    # Translators: the end of a list of permission names ("A, B and C").
    return _("{names} and {last}").format(names=", ".join(bold[:-1]), last=bold[-1])


def _cannot(action: str, count: int) -> str:
    """The sentence for what could not be done, as a whole sentence for each action."""
    if action == "open":
        return ngettext(
            "I can't open a discussion in {where} yet: I need the {names} permission there. A "
            "server admin can give it to Mutual in the channel's settings under Permissions; "
            "then please try again.",
            "I can't open a discussion in {where} yet: I need the {names} permissions there. A "
            "server admin can give them to Mutual in the channel's settings under Permissions; "
            "then please try again.",
            count,
        )
    if action == "close":
        return ngettext(
            "I can't close the discussion in {where} yet: I need the {names} permission there. "
            "A server admin can give it to Mutual in the channel's settings under Permissions; "
            "then please try again.",
            "I can't close the discussion in {where} yet: I need the {names} permissions there. "
            "A server admin can give them to Mutual in the channel's settings under "
            "Permissions; then please try again.",
            count,
        )
    if action == "summary":
        return ngettext(
            "I can't post the summary and lock it in {where} yet: I need the {names} permission "
            "there. A server admin can give it to Mutual in the channel's settings under "
            "Permissions; then please try again.",
            "I can't post the summary and lock it in {where} yet: I need the {names} "
            "permissions there. A server admin can give them to Mutual in the channel's "
            "settings under Permissions; then please try again.",
            count,
        )
    return ngettext(
        "I can't announce in {where} yet: I need the {names} permission there. A server admin "
        "can give it to Mutual in the channel's settings under Permissions; then please try "
        "again.",
        "I can't announce in {where} yet: I need the {names} permissions there. A server admin "
        "can give them to Mutual in the channel's settings under Permissions; then please try "
        "again.",
        count,
    )


NOTHING_POSTED = N_("Nothing was posted.")


def permission_message(
    where: str, missing: list[str], action: str, outcome: str | None = None
) -> str:
    """What is missing where, and what became of the request (`outcome`, a whole sentence)."""
    said = _cannot(action, len(missing)).format(where=where, names=_names(missing))
    return f"{said} {outcome or _(NOTHING_POSTED)}"


def missing_to_open(channel: discord.TextChannel | discord.ForumChannel) -> list[str]:
    perms = channel.permissions_for(channel.guild.me)
    wanted = COMMON + (TEXT_ONLY if isinstance(channel, discord.TextChannel) else [])
    return [label for attr, label in wanted if not getattr(perms, attr)]


def missing_to_close(thread: discord.Thread) -> list[str]:
    perms = thread.permissions_for(thread.guild.me)
    wanted = [("send_messages_in_threads", SEND_IN_THREADS), ("manage_threads", MANAGE_THREADS)]
    return [label for attr, label in wanted if not getattr(perms, attr)]
