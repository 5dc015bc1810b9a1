"""Mutual in the member's language, end to end: a Spanish self-check, a Portuguese server's daily
prompt while its German moderator reads German, and commands published in every language."""

from __future__ import annotations

from datetime import timedelta

from bot.i18n import _, locale_scope
from standin.harness import Sandbox
from tests.e2e.helpers import bot_of, clock_of, run_timers

SHIPPED = ("es-ES", "pt-BR", "fr", "de")


def said(locale: str, message: str) -> str:
    """`message` as the catalog of `locale` says it; never the English itself."""
    with locale_scope(locale):
        translated = _(message)
    assert translated != message, f"{locale} has no translation of {message!r}"
    return translated


async def test_a_spanish_member_takes_a_self_check_in_spanish(sandbox: Sandbox) -> None:
    bot = bot_of(sandbox)
    with locale_scope("es-ES"):
        spanish = bot.content.instruments["codependent-patterns"]
        harm = bot.content.safety["self-harm"]
    english = bot._content.instruments["codependent-patterns"]  # type: ignore[union-attr]
    assert spanish.title != english.title
    member = sandbox.person("alice", locale="es-ES")
    intro = await member.slash("selfcheck start", instrument="codependent-patterns")
    assert intro.embed is not None and intro.embed["title"] == spanish.title
    begin = said("es-ES", "Begin")
    assert begin in intro.labels()
    reply = await member.click(intro, begin)
    assert spanish.items[0].text in reply.text
    never, rarely = said("es-ES", "Never"), said("es-ES", "Rarely")
    assert reply.labels()[:2] == [never, rarely]
    for item in spanish.items:
        reply = await member.click(reply, rarely if item.safety == "self-harm" else never)
    assert reply.embeds[0]["title"] == harm.title  # the safety note first, in Spanish
    assert any(spanish.title in (e.get("title") or "") for e in reply.embeds)
    sandbox.assert_no_failures()


async def test_a_portuguese_server_posts_in_portuguese_while_its_german_moderator_reads_german(
    sandbox: Sandbox,
) -> None:
    bot = bot_of(sandbox)
    mod = sandbox.person("mod", locale="de")
    chosen = await mod.slash("config language", language="Português (Brasil)")
    assert (
        said(
            "de",
            "Daily prompts and discussion posts will be in {language}. Private "
            "answers still follow each member's own Discord language.",
        ).format(language="Português (Brasil)")
        in chosen.text
    )
    setup = await mod.slash(
        "prompts setup", channel="reflections", time="15:00", timezone="Europe/Berlin"
    )
    assert said("de", "Daily prompts are set.") in setup.text
    clock_of(sandbox).advance(timedelta(hours=1, seconds=2))
    await run_timers(sandbox)
    [post] = sandbox.messages_in("reflections")
    embed = post.embeds[0]
    assert embed["title"] == said("pt-BR", "Today's reflection")
    assert said("pt-BR", "Support, any time: /resources") in embed["footer"]["text"]
    with locale_scope("pt-BR"):
        portuguese = {p.text for p in bot.content.prompts.values()}
    assert embed["description"].replace("||", "") in portuguese
    status = await mod.slash("prompts status")
    assert status.embed is not None and status.embed["title"] == said("de", "Daily prompts")
    sandbox.assert_no_failures()


async def test_sync_publishes_every_command_in_every_shipped_language(sandbox: Sandbox) -> None:
    published = sandbox.world.commands_for(None) or sandbox.world.commands_for(sandbox.guild.id)
    assert published
    for command in published:
        descriptions = command.get("description_localizations") or {}
        assert set(SHIPPED) <= set(descriptions), (command["name"], sorted(descriptions))
