"""Members of the sandbox guild, and what the bot answered them.

A `Person` does what a member does in the Discord client (run a slash command, pick an
autocomplete suggestion, press a button, fill a modal) and gets a `Reply`: the bot's answer as
the member would see it. Replies read the stand-in's live state, so an answer the bot edits
after deferring shows its final content.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from standin import payloads
from standin.interactions import InteractionRecord
from standin.messages import render
from standin.state import Channel, Json, Message, User

if TYPE_CHECKING:
    from standin.harness import Sandbox

CALLBACK_NAMES = {
    4: "message",
    5: "deferred message",
    6: "deferred update",
    7: "update",
    8: "autocomplete",
    9: "modal",
}


class Reply:
    """What the bot did in answer to one interaction."""

    def __init__(self, sandbox: Sandbox, record: InteractionRecord) -> None:
        self.sandbox = sandbox
        self.record = record

    def __repr__(self) -> str:
        kind = CALLBACK_NAMES.get(self.type or 0, "no answer")
        return f"<Reply {kind} content={self.content!r} followups={len(self.followups)}>"

    @property
    def acknowledged(self) -> bool:
        return self.record.acknowledged.is_set() and not self.record.late

    @property
    def type(self) -> int | None:
        """The callback type: 4 message, 5 deferred, 6 deferred update, 7 update, 8, 9 modal."""
        return self.record.callback_type

    @property
    def message(self) -> Message | None:
        """The message the answer created or updated (None for modals and autocomplete)."""
        return self.record.original

    @property
    def content(self) -> str:
        return self.message.content if self.message else ""

    @property
    def embeds(self) -> list[Json]:
        return self.message.embeds if self.message else []

    @property
    def embed(self) -> Json | None:
        return self.embeds[0] if self.embeds else None

    @property
    def components(self) -> list[Json]:
        return self.message.components if self.message else []

    @property
    def flags(self) -> int:
        return self.message.flags if self.message else 0

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & 64)

    @property
    def message_id(self) -> int | None:
        return self.message.id if self.message else None

    @property
    def channel(self) -> Channel:
        return self.record.channel

    @property
    def channel_id(self) -> int:
        return self.record.channel.id

    @property
    def channel_name(self) -> str:
        return self.record.channel.name

    @property
    def thread(self) -> Channel | None:
        """The thread the answer was posted in, when the interaction happened in one."""
        return self.record.channel if self.record.channel.is_thread else None

    @property
    def modal(self) -> Json | None:
        """The modal the bot opened (`custom_id`, `title`, `components`), if it answered with one."""
        return self.record.modal

    @property
    def choices(self) -> list[Json]:
        return self.record.choices or []

    @property
    def followups(self) -> list[Message]:
        """Messages sent as followups. As on Discord, the first followup after a deferred answer
        fills in the "thinking" message, so it is `message`, not one of these."""
        return self.record.followups

    @property
    def messages(self) -> list[Message]:
        """The answer and its followups, in order."""
        first = [self.message] if self.message is not None else []
        return first + self.followups

    @property
    def text(self) -> str:
        """Every visible word of the answer and followups: content, embed titles, fields, footers."""
        return "\n".join(message_text(m) for m in self.messages)

    def labels(self) -> list[str]:
        """Labels of the buttons and placeholders of the selects on the answer."""
        return component_labels(self.components)


def message_text(message: Message) -> str:
    parts = [message.content]
    for embed in message.embeds:
        parts += [embed.get("title") or "", embed.get("description") or ""]
        for field in embed.get("fields") or []:
            parts += [field.get("name") or "", field.get("value") or ""]
        parts.append((embed.get("footer") or {}).get("text") or "")
    return "\n".join(p for p in parts if p)


def component_labels(components: Iterable[Json]) -> list[str]:
    out = []
    for row in components:
        for comp in row.get("components", []) if row.get("type") == 1 else [row]:
            label = comp.get("label") or comp.get("placeholder")
            if label:
                out.append(str(label))
    return out


class Person:
    """A member of the sandbox guild who uses the bot through Discord's interface."""

    def __init__(self, sandbox: Sandbox, user: User) -> None:
        self.sandbox = sandbox
        self.user = user

    def __repr__(self) -> str:
        return f"<Person {self.user.username}>"

    @property
    def name(self) -> str:
        return self.user.username

    @property
    def id(self) -> int:
        return self.user.id

    def _where(self, dm: bool, channel: str | Channel | None) -> Channel:
        world = self.sandbox.world
        if dm:
            return world.dm_channel(self.user)
        if isinstance(channel, Channel):
            return channel
        return world.channel_named(channel or self.sandbox.default_channel)

    def _split(
        self, command: str, options: dict[str, Any], dm: bool, where: str | Channel | None
    ) -> Channel:
        """`channel=` is an option when the command declares one, otherwise where to type it."""
        if "channel" in options and where is None:
            channel = self._where(dm, None)
            declared = _declared_options(self.sandbox.world, channel, command)
            if "channel" not in declared:
                where = options.pop("channel")
        return self._where(dm, where)

    async def slash(
        self, command: str, *, dm: bool = False, where: str | Channel | None = None, **options: Any
    ) -> Reply:
        """Run "/command sub ..." with options by name; waits for the answer and its followups."""
        channel = self._split(command, options, dm, where)
        payload = payloads.base(self.sandbox.world, 2, self.user, channel)
        payload["data"] = payloads.command_data(
            self.sandbox.world, self.user, channel, command, options
        )
        return await self.sandbox.deliver(payload, self.user, channel)

    async def autocomplete(
        self,
        command: str,
        option: str,
        typed: str,
        *,
        dm: bool = False,
        where: str | Channel | None = None,
        **options: Any,
    ) -> list[Json]:
        """Type `typed` into `option`; the suggestions the bot offered ({"name", "value"})."""
        channel = self._split(command, options, dm, where)
        payload = payloads.base(self.sandbox.world, 4, self.user, channel)
        values = {**options, option: typed}
        data = payloads.command_data(
            self.sandbox.world, self.user, channel, command, values, option
        )
        payload["data"] = data
        reply = await self.sandbox.deliver(payload, self.user, channel)
        return reply.choices

    async def click(self, on: Reply | Message, button: str) -> Reply:
        """Press the button with this label or custom_id on the bot's message."""
        message = _message_with(on, button)
        return await self._component(message, payloads.component_data(message, button, None))

    async def select(self, on: Reply | Message, menu: str, values: list[str] | str) -> Reply:
        """Pick option values (or labels) in the select with this placeholder or custom_id."""
        chosen = [values] if isinstance(values, str) else list(values)
        message = _message_with(on, menu)
        return await self._component(message, payloads.component_data(message, menu, chosen))

    async def _component(self, message: Message, data: Json) -> Reply:
        world = self.sandbox.world
        channel = world.channels[message.channel_id]
        payload = payloads.base(world, 3, self.user, channel)
        payload["data"] = data
        payload["message"] = render(world, message)
        return await self.sandbox.deliver(payload, self.user, channel, source=message)

    async def submit_modal(self, modal: Reply, answers: dict[str, str]) -> Reply:
        """Fill the modal the bot opened (fields by label or custom_id) and submit it."""
        if modal.modal is None:
            raise payloads.InvalidInput(f"{modal!r} is not a modal")
        world = self.sandbox.world
        channel = modal.record.channel
        payload = payloads.base(world, 5, self.user, channel)
        payload["data"] = payloads.modal_data(modal.modal, answers)
        source = modal.record.source
        if source is not None:
            payload["message"] = render(world, source)
        return await self.sandbox.deliver(payload, self.user, channel, source=source)


def _message_with(on: Reply | Message, target: str) -> Message:
    """The message carrying the component: the answer itself, or a followup that has it."""
    if isinstance(on, Message):
        return on
    for message in on.messages:
        for row in message.components:
            for comp in row.get("components", []) if row.get("type") == 1 else [row]:
                if target in (comp.get("custom_id"), comp.get("label"), comp.get("placeholder")):
                    return message
    if on.message is None:
        raise payloads.InvalidInput(f"{on!r} has no message with components")
    return on.message


def _declared_options(world: Any, channel: Channel, command: str) -> set[str]:
    try:
        node, rest = payloads.find_command(world, channel.guild_id, command)
    except payloads.InvalidInput:
        return set()
    for word in rest:
        node = next((o for o in node.get("options") or [] if o["name"] == word), {})
    return {o["name"] for o in node.get("options") or []}
