"""The same-shape echo: a bot with no logic that answers with the messages Mutual sent.

`bench.selfcheck` judges the self-check against what its messages cost to send and receive in
discord.py, whatever the bot does to choose them. So the reference must answer the same shape
at every step: the intro (an embed with two fields and two buttons) as a new ephemeral message,
each question (an embed and eight buttons) as an update of the clicked message, the result (the
long result embed and its four buttons) as an update, and Save as a deferred update followed by
an edit of the original message, which is two requests.

To be sure of that, the shapes are recorded, not imitated: Mutual takes one check of each
instrument in the stand-in (`record`) and every answer is kept as it reached the stand-in
(`Step`). The echo (`EchoButton`, `/echo start`) then replays them: on each click it builds the
next step's embeds and view from the recorded parts with the same discord.py calls Mutual uses,
and answers with the recorded kind of response. Its only "logic" is an index into the
recording, carried in the custom id as Mutual carries its session.

    script = await record(person, CheckWalk("selfcheck start", ...))  # Mutual, once
    save(script, folder / SCRIPT_FILE)                # for a bot in a child process
    add_echo(bot, script)                             # /echo start and its buttons
    await CheckWalk("echo start", ...).run(person, latencies)
"""

from __future__ import annotations

import copy
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

import discord
from discord.ext import commands

from bench._common import timed
from standin.people import Person, Reply
from standin.state import Json


class Advancing(Protocol):
    def advance(self, delta: timedelta) -> datetime: ...


SCRIPT_FILE = "echo-shapes.json"
SEND, UPDATE, DEFER_EDIT = "send", "update", "defer-edit"
KINDS = {4: SEND, 7: UPDATE, 6: DEFER_EDIT}
"""Interaction callback type -> how the echo answers."""


@dataclass(frozen=True)
class ButtonShape:
    label: str
    style: int
    disabled: bool
    row: int
    id_length: int
    """Length of Mutual's custom id, so the echo's ids weigh the same in every payload."""


@dataclass(frozen=True)
class Followup:
    """A message sent after the answer (a safety note after a safety answer)."""

    content: str | None
    embeds: tuple[Json, ...]
    ephemeral: bool


@dataclass(frozen=True)
class Step:
    """One answer as Mutual gave it: the response kind, what the message then held, and the
    followups sent after it.

    `embeds` is None when the answer left the embeds as they were (Save edits only the content
    and the buttons)."""

    kind: str
    content: str | None
    embeds: tuple[Json, ...] | None
    buttons: tuple[ButtonShape, ...]
    followups: tuple[Followup, ...] = ()

    def to_json(self) -> Json:
        return {
            "kind": self.kind,
            "content": self.content,
            "embeds": None if self.embeds is None else list(self.embeds),
            "buttons": [vars(b) for b in self.buttons],
            "followups": [
                {"content": f.content, "embeds": list(f.embeds), "ephemeral": f.ephemeral}
                for f in self.followups
            ],
        }

    @classmethod
    def from_json(cls, data: Json) -> Step:
        embeds = data["embeds"]
        return cls(
            data["kind"],
            data["content"],
            None if embeds is None else tuple(embeds),
            tuple(ButtonShape(**b) for b in data["buttons"]),
            tuple(
                Followup(f["content"], tuple(f["embeds"]), f["ephemeral"])
                for f in data["followups"]
            ),
        )


Script = dict[str, list[Step]]
"""Instrument id -> the steps of one whole check, the slash command's answer first."""


def numbered(script: Script) -> list[list[Step]]:
    """The checks by number, as the echo's custom ids name them (short, as Mutual's are)."""
    return [script[k] for k in sorted(script)]


def save(script: Script, path: Path) -> None:
    path.write_text(json.dumps({k: [s.to_json() for s in v] for k, v in script.items()}))


def load(path: Path) -> Script:
    data = json.loads(path.read_text())
    return {k: [Step.from_json(s) for s in v] for k, v in data.items()}


def _buttons(components: list[Json]) -> tuple[ButtonShape, ...]:
    out = []
    for row, action_row in enumerate(components):
        for button in action_row.get("components", []):
            out.append(
                ButtonShape(
                    label=str(button.get("label") or ""),
                    style=int(button.get("style", 2)),
                    disabled=bool(button.get("disabled", False)),
                    row=row,
                    id_length=len(str(button.get("custom_id") or "")),
                )
            )
    return tuple(out)


def snapshot(reply: Reply, before: Json | None) -> tuple[Step, Json]:
    """The answer to one interaction as it stands now (the stand-in edits messages in place,
    so this is taken before the next click), and the message's state to compare the next with.
    Followups are only there if the sandbox waited for them (it settles after each answer)."""
    kind = KINDS.get(reply.type or 0)
    if kind is None or any(m.components for m in reply.followups):
        raise RuntimeError(f"the echo cannot replay {reply!r}")
    state = {
        "content": reply.content,
        "embeds": copy.deepcopy(reply.embeds),
        "components": copy.deepcopy(reply.components),
    }
    kept = kind == DEFER_EDIT and before is not None and before["embeds"] == state["embeds"]
    step = Step(
        kind,
        reply.content or None,
        None if kept else tuple(state["embeds"]),
        _buttons(state["components"]),
        tuple(
            Followup(m.content or None, tuple(copy.deepcopy(m.embeds)), m.ephemeral)
            for m in reply.followups
        ),
    )
    return step, state


async def record(person: Person, check: CheckWalk) -> Script:
    """One check of each instrument by Mutual, through `check`, every answer kept."""
    script: Script = {}
    states: dict[str, Json | None] = {}

    def keep(instrument: str, reply: Reply) -> None:
        step, states[instrument] = snapshot(reply, states.get(instrument))
        script.setdefault(instrument, []).append(step)

    for _ in check.instruments:
        await check.run(person, [], keep)
    return script


# -- the echo ----------------------------------------------------------------------------------


def _embed(data: Json) -> discord.Embed:
    """The recorded embed, built with the calls Mutual's renderers make."""
    embed = discord.Embed(
        title=data.get("title"), description=data.get("description"), colour=data.get("color")
    )
    for field in data.get("fields") or []:
        embed.add_field(name=field["name"], value=field["value"], inline=field.get("inline", True))
    footer = data.get("footer")
    if footer:
        embed.set_footer(text=footer.get("text"))
    return embed


class EchoButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"e:(?P<check>\d+):(?P<step>\d+):(?P<slot>\d+):0*",
):
    """Any of the echo's buttons: a click answers with the next recorded step of its check."""

    def __init__(self, check: int, step: int, slot: int, shape: ButtonShape) -> None:
        custom_id = f"e:{check}:{step}:{slot}:".ljust(shape.id_length, "0")
        super().__init__(
            discord.ui.Button(
                label=shape.label,
                style=discord.ButtonStyle(shape.style),
                disabled=shape.disabled,
                custom_id=custom_id,
                row=shape.row,
            )
        )
        self.check, self.step = check, step

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: Any
    ) -> EchoButton:
        check, step, slot = int(match["check"]), int(match["step"]), int(match["slot"])
        return cls(check, step, slot, script_of(interaction.client)[check][step].buttons[slot])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await answer(interaction, self.check, self.step + 1)


def script_of(client: discord.Client) -> list[list[Step]]:
    found: list[list[Step]] = getattr(client, "echo_script")  # noqa: B009 - set by add_echo
    return found


async def answer(interaction: discord.Interaction[Any], check: int, index: int) -> None:
    """Step `index` of the recorded check, answered as Mutual answered it."""
    step = script_of(interaction.client)[check][index]
    view = discord.ui.View(timeout=None)
    for slot, shape in enumerate(step.buttons):
        view.add_item(EchoButton(check, index, slot, shape))
    if step.kind == DEFER_EDIT:
        await interaction.response.defer()
        if step.embeds is None:
            await interaction.edit_original_response(content=step.content, view=view)
        else:
            embeds = [_embed(e) for e in step.embeds]
            await interaction.edit_original_response(content=step.content, embeds=embeds, view=view)
    elif step.kind == SEND:
        embeds = [_embed(e) for e in step.embeds or ()]
        await interaction.response.send_message(
            step.content, embeds=embeds, view=view, ephemeral=True
        )
    else:
        embeds = [_embed(e) for e in step.embeds or ()]
        await interaction.response.edit_message(content=step.content, embeds=embeds, view=view)
    for followup in step.followups:
        await interaction.followup.send(
            followup.content or discord.utils.MISSING,
            embeds=[_embed(e) for e in followup.embeds],
            ephemeral=followup.ephemeral,
        )


def add_echo(bot: commands.Bot, script: Script) -> None:
    """`/echo start instrument:<id>` and its buttons on `bot`, replaying `script`."""
    bot.echo_script = numbered(script)  # type: ignore[attr-defined]
    names = sorted(script)
    group = discord.app_commands.Group(name="echo", description="Replays recorded messages")

    @group.command(name="start", description="The first recorded answer")
    async def start(interaction: discord.Interaction, instrument: str) -> None:
        await answer(interaction, names.index(instrument), 0)

    bot.tree.add_command(group)
    previous = bot.setup_hook

    async def register() -> None:
        await previous()
        bot.add_dynamic_items(EchoButton)

    bot.setup_hook = register  # type: ignore[method-assign]


Seen = Callable[[str, Reply], None]


@dataclass
class CheckWalk:
    """Whole checks, one instrument after another: the slash command, Begin, every statement
    answered in turn, then Save. The same walk drives Mutual (`command` "selfcheck start") and
    the echo ("echo start"). With a `clock`, it moves on a minute before each check, so every
    check is a new session whose result is counted and saved."""

    command: str
    instruments: list[tuple[str, int]]
    labels: tuple[str, ...]
    clock: Advancing | None = None
    turn: int = 0

    async def run(self, person: Person, latencies: list[float], seen: Seen | None = None) -> int:
        instrument, items = self.instruments[self.turn % len(self.instruments)]
        self.turn += 1
        if self.clock is not None:
            self.clock.advance(timedelta(minutes=1))

        async def step(action: Awaitable[Reply]) -> Reply:
            reply = await timed(latencies, action)
            if seen is not None:
                seen(instrument, reply)
            return reply

        reply = await step(person.slash(self.command, instrument=instrument))
        reply = await step(person.click(reply, "Begin"))
        for n in range(items):
            reply = await step(person.click(reply, self.labels[n % len(self.labels)]))
        assert reply.ephemeral and "Your reflection" in reply.text
        saved = await step(person.click(reply, "Save to my private history"))
        assert saved.ephemeral and "Saved" in saved.content
        return items + 3
