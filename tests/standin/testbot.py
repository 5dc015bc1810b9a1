"""A tiny bot that exercises each kind of interaction and REST call the stand-in serves."""

from __future__ import annotations

import asyncio

import discord
from discord import app_commands
from discord.ext import commands
from discord.http import Route

INSTRUMENTS = ["healthy-dependence", "loneliness", "hope"]


class Thoughts(discord.ui.Modal, title="Share a thought"):
    thought: discord.ui.TextInput[Thoughts] = discord.ui.TextInput(
        label="Your thought", custom_id="thought", max_length=200
    )
    extra: discord.ui.Label[Thoughts] = discord.ui.Label(
        text="Anything else?",
        component=discord.ui.TextInput(custom_id="extra", required=False),
    )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        extra = self.extra.component
        assert isinstance(extra, discord.ui.TextInput)
        await interaction.response.send_message(
            f"thanks: {self.thought.value} / {extra.value or '-'}", ephemeral=True
        )


class Answers(discord.ui.View):
    @discord.ui.button(label="Often", custom_id="answer:often")
    async def often(
        self, interaction: discord.Interaction, button: discord.ui.Button[Answers]
    ) -> None:
        await interaction.response.edit_message(content="You said: often", view=None)

    @discord.ui.button(label="Write more", custom_id="answer:more")
    async def more(
        self, interaction: discord.Interaction, button: discord.ui.Button[Answers]
    ) -> None:
        await interaction.response.send_modal(Thoughts())

    @discord.ui.button(label="Later", custom_id="answer:later")
    async def later(
        self, interaction: discord.Interaction, button: discord.ui.Button[Answers]
    ) -> None:
        await interaction.response.defer()
        await interaction.edit_original_response(content="updated later")

    @discord.ui.select(
        placeholder="How do you feel?",
        custom_id="answer:mood",
        options=[
            discord.SelectOption(label="Calm", value="calm"),
            discord.SelectOption(label="Tense", value="tense"),
        ],
    )
    async def mood(
        self, interaction: discord.Interaction, select: discord.ui.Select[Answers]
    ) -> None:
        await interaction.response.send_message(f"mood: {select.values[0]}", ephemeral=True)


selfcheck = app_commands.Group(name="selfcheck", description="Self-checks")


@selfcheck.command(name="start", description="Start a self-check")
async def start(
    interaction: discord.Interaction, instrument: str, channel: discord.TextChannel | None = None
) -> None:
    where = channel.name if channel else "here"
    await interaction.response.send_message(
        f"{instrument} in {where}", view=Answers(), ephemeral=True
    )


@start.autocomplete("instrument")
async def instrument_names(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=n, value=n) for n in INSTRUMENTS if n.startswith(current)]


mod = app_commands.Group(name="mod", description="Moderation")
roles = app_commands.Group(name="roles", description="Roles", parent=mod)


@roles.command(name="grant", description="Grant a role")
async def grant(
    interaction: discord.Interaction, member: discord.Member, role: discord.Role
) -> None:
    await interaction.response.send_message(f"{member.name} gets {role.name}")


class ProbeBot(commands.Bot):
    """Remembers the content of every message it sees, to prove events arrive."""

    def __init__(self) -> None:
        intents = discord.Intents.default()
        intents.message_content = True
        super().__init__(command_prefix="!", intents=intents)
        self.seen: list[str] = []
        self.tallied = 0
        self.never = asyncio.Event()

    async def on_message(self, message: discord.Message) -> None:
        self.seen.append(message.content)


def make_bot() -> ProbeBot:
    bot = ProbeBot()
    tree = bot.tree
    tree.add_command(selfcheck)
    tree.add_command(mod)

    @tree.command(description="Is the bot there?")
    async def ping(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("pong")

    @tree.command(description="Answer, then count quietly in a task of its own")
    async def tally(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("counting", ephemeral=True)

        async def count() -> None:
            await asyncio.sleep(0.2)  # no request meanwhile: longer than any quiet period
            bot.tallied += 1

        await asyncio.create_task(count())

    @tree.command(description="Answer, then wait for something that never happens")
    async def hang(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("waiting", ephemeral=True)
        await bot.never.wait()

    @tree.command(description="Share a thought")
    async def feedback(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(Thoughts())

    @tree.command(description="Post in a channel")
    async def post(
        interaction: discord.Interaction, target: discord.TextChannel, text: str
    ) -> None:
        await _post(interaction, bot.get_partial_messageable(target.id), text)

    @tree.command(description="Get a private note")
    async def dmme(interaction: discord.Interaction) -> None:
        try:
            await interaction.user.send("hello in private")
        except discord.Forbidden as error:
            await interaction.response.send_message(f"error {error.code}", ephemeral=True)
        else:
            await interaction.response.send_message("sent you a DM", ephemeral=True)

    @tree.command(description="Set slowmode here")
    async def slowmode(interaction: discord.Interaction, seconds: int) -> None:
        channel = interaction.channel
        assert isinstance(channel, discord.TextChannel)
        try:
            await channel.edit(slowmode_delay=seconds)
        except discord.Forbidden as error:
            await interaction.response.send_message(f"error {error.code}", ephemeral=True)
        else:
            await interaction.response.send_message(f"slowmode {seconds}", ephemeral=True)

    @tree.command(description="Relay text without pinging anyone")
    async def relay(interaction: discord.Interaction, text: str) -> None:
        channel = bot.get_partial_messageable(interaction.channel_id or 0)
        await channel.send(text, allowed_mentions=discord.AllowedMentions.none())
        await interaction.response.send_message("relayed", ephemeral=True)

    @tree.command(description="Post in a channel by id")
    async def post_id(interaction: discord.Interaction, channel_id: str, text: str) -> None:
        await _post(interaction, bot.get_partial_messageable(int(channel_id)), text)

    @tree.command(description="Send the same announcement twice")
    async def twice(interaction: discord.Interaction) -> None:
        channel = bot.get_partial_messageable(interaction.channel_id or 0)
        first = await channel.send("announcement", nonce="daily-1")
        second = await channel.send("announcement", nonce="daily-1")
        await interaction.response.send_message(f"{first.id} {second.id}", ephemeral=True)

    @tree.command(description="An embed that is too long")
    async def bigembed(interaction: discord.Interaction) -> None:
        await interaction.response.send_message(embed=discord.Embed(description="x" * 4097))

    @tree.command(description="A body Discord's schema rejects")
    async def raw(interaction: discord.Interaction) -> None:
        route = Route("POST", "/channels/{channel_id}/messages", channel_id=interaction.channel_id)
        await bot.http.request(route, json={"content": "hi", "tts": "yes"})
        await interaction.response.send_message("sent")

    @tree.command(description="Never answers")
    async def silent(interaction: discord.Interaction) -> None:
        return None

    @tree.command(description="Answers after a short pause")
    async def sleepy(interaction: discord.Interaction) -> None:
        await asyncio.sleep(0.2)
        await interaction.response.send_message("yawn")

    @tree.command(description="Thinks, then answers")
    async def slow(interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True)
        first = await interaction.followup.send("first words", wait=True)
        followup = await interaction.followup.send("a followup", wait=True)
        await followup.edit(content="an edited followup")
        gone = await interaction.followup.send("never mind", wait=True)
        await gone.delete()
        original = await interaction.original_response()
        assert original.id == first.id
        await interaction.edit_original_response(content=f"done thinking after {first.content}")

    @tree.command(description="Start a discussion thread")
    async def discuss(interaction: discord.Interaction, topic: str) -> None:
        channel = interaction.channel
        assert isinstance(channel, discord.TextChannel)
        message = await channel.send(f"Discussion: {topic}")
        thread = await message.create_thread(name=topic)
        await thread.send("Say hello")
        await message.pin()
        await thread.edit(locked=True, archived=True)
        forum = discord.utils.get(interaction.guild.channels, name="discussions")  # type: ignore[union-attr]
        assert isinstance(forum, discord.ForumChannel)
        post = await forum.create_thread(name=topic, content="First post")
        await interaction.response.send_message(f"{thread.id} {post.thread.id}", ephemeral=True)

    return bot


async def _post(
    interaction: discord.Interaction, channel: discord.abc.Messageable, text: str
) -> None:
    try:
        message = await channel.send(text)
    except discord.HTTPException as error:
        await interaction.response.send_message(
            f"error {error.status} {error.code}", ephemeral=True
        )
    else:
        await interaction.response.send_message(f"posted {message.id}", ephemeral=True)
