"""One sandbox console session: who is acting, where, and what the latest output offers.

Each line is parsed (`commandline`), performed through the harness's people, and rendered
(`render`). Besides the answer itself, a step shows what it caused elsewhere (a thread opened, a
prompt posted, a DM), because that is what a member would notice in the channel list. Anything
real Discord would have refused, and any error the bot logged, comes back as a problem so a
script can fail on it.
"""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bot.app import MutualBot
from bot.clock import FakeClock
from standin import commandline as cl
from standin import render as rd
from standin.harness import BotCrashed, Sandbox
from standin.limits import DISCORD_LOCALES
from standin.payloads import InvalidInput, find_command
from standin.people import Person, Reply
from standin.state import Channel, ChannelType, Message

SCRIPTS = Path(__file__).resolve().parent / "scripts"
HELP = """\
Type what a member would do in Discord:
  as alice: /selfcheck start instrument:healthy-dependence   run a command as someone
  as mod                                 act as mod from now on (people: mod, alice, bob)
  /learn random                          run a command as the current person
  in #reflections | in thread | in dm    where to type from now on (`as bob in thread: /ask`)
  click 2 | click Begin                  press button [2], or the one labelled Begin
  select 1 trust, 3 | select 1 none      pick options (value, label or number) in menu 1
  modal question=How do I start?; note=  fill in and send the form the bot opened
  autocomplete /learn topic topic:tru    see the suggestions for the last option typed
  advance 1d | 3h | 30m                  move the clock on and run whatever falls due
  {today} {tomorrow} {today+3}           dates on the sandbox clock, e.g. when:{tomorrow} 18:00
  channel #reflections [10]              the latest messages and threads in a channel
  commands                               every slash command with its options, as the
                                         current person's Discord language shows them
  language es-ES                         the current person's Discord language from now on
  expect some words                      (scripts) the latest output must contain them
  help, quit"""


@dataclass
class Result:
    """What one line produced: the text shown, and anything that counts as a failure."""

    output: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    quit: bool = False


class ErrorLog(logging.Handler):
    """Collects ERROR records: an exception the bot only logged is still a bug a member met."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class Session:
    """The console's state: who is acting, where, and what `click N` or `modal` refers to."""

    def __init__(self, sandbox: Sandbox, clock: FakeClock, errors: ErrorLog) -> None:
        self.sandbox = sandbox
        self.world = sandbox.world
        self.clock = clock
        self.errors = errors
        self.person = "alice"
        self.where: Channel | None = None
        self.in_dm = False
        self.numbering = rd.Numbering()
        self.modal: Reply | None = None
        self.last_output = ""
        self._answered: set[int] = set()
        self._files_dir: Path | None = None
        self._failures_seen = len(sandbox.failures)
        self._errors_seen = len(errors.records)

    # -- where things are ----------------------------------------------------------------------

    @property
    def channel(self) -> Channel:
        if self.in_dm:
            return self.world.dm_channel(self.world.user_named(self.person))
        if self.where is not None and not self.where.deleted:
            return self.where
        return self.world.channel_named(self.sandbox.default_channel)

    def prompt(self) -> str:
        return f"{self.person} in {self.place(self.channel)}> "

    def place(self, channel: Channel) -> str:
        if channel.type == ChannelType.DM:
            return f"DM with {channel.name}"
        if channel.is_thread and channel.parent_id in self.world.channels:
            return f'thread "{channel.name}" (in #{self.world.channels[channel.parent_id].name})'
        return f"#{channel.name}"

    def names(self) -> rd.Names:
        roles = {r.id: r.name for g in self.world.guilds.values() for r in g.roles.values()}
        channels = {c.id: c.name for c in self.world.channels.values()}
        users = {u.id: u.username for u in self.world.users.values()}
        return rd.Names(channels=channels, users=users, roles=roles, now=self.clock.now())

    def _set_where(self, text: str) -> None:
        if text.strip().lower() == "dm":
            self.in_dm = True
            return
        self.where, self.in_dm = self.find_channel(text), False

    def find_channel(self, text: str) -> Channel:
        """`#name`, a thread's name, or `thread` for the newest thread."""
        word = text.strip()
        if word.lower() == "thread":
            threads = [c for c in self.world.channels.values() if c.is_thread and not c.deleted]
            if not threads:
                raise cl.ParseError("There is no thread yet.")
            return threads[-1]
        try:
            return self.world.channel_named(word)
        except KeyError:
            known = ", ".join(f"#{c.name}" for c in self.sandbox.guild.channels.values())
            raise cl.ParseError(f"There is no channel {word}. Channels: {known}") from None

    def _set_person(self, name: str) -> None:
        try:
            self.world.user_named(name)
        except KeyError:
            people = [u.username for u in self.world.users.values() if not u.bot]
            raise cl.ParseError(f"No one here is called {name}; try {', '.join(people)}.") from None
        self.person = name

    # -- running one line ----------------------------------------------------------------------

    async def run(self, line: str) -> Result:
        result = Result()
        try:
            step = cl.parse_line(cl.expand_dates(line, self.clock.now().date()))
            if step is None:
                return result
            if step.person:
                self._set_person(step.person)
            if step.where:
                self._set_where(step.where)
            if step.action == "expect":
                return self._expect(step.argument)
            known = set(self.world.messages)
            threads = {c.id for c in self.world.channels.values() if c.is_thread}
            numbering = rd.Numbering()
            self._answered = set()
            result.output = await self._act(step, numbering)
            result.output += self._elsewhere(known, threads, numbering)
            result.quit = step.action == "quit"
            if numbering:
                self.numbering = numbering
        except (cl.ParseError, InvalidInput, LookupError) as exc:
            result.problems.append(str(exc).strip("'\""))
        except BotCrashed as exc:
            result.problems.append(f"the bot crashed: {exc}")
            result.quit = True
        except TimeoutError as exc:
            result.problems.append(f"no answer: {exc}")
        self.last_output = "\n".join(result.output)
        result.problems += self._new_failures()
        return result

    async def _act(self, step: cl.Step, numbering: rd.Numbering) -> list[str]:
        me = self.sandbox.person(self.person)
        action, arg = step.action, step.argument
        if action == "":
            return [f"Acting as {self.person} in {self.place(self.channel)}."]
        if action == "help":
            return HELP.splitlines()
        if action == "quit":
            return ["Bye."]
        if action == "commands":
            return rd.render_commands(
                self.world.commands_for(self.sandbox.guild.id), me.user.locale
            )
        if action == "language":
            locale = arg.strip()
            if locale not in DISCORD_LOCALES:
                raise cl.ParseError(
                    f"{locale or 'That'} is not a Discord language; try one of "
                    f"{', '.join(sorted(DISCORD_LOCALES))}."
                )
            me.user.locale = locale
            return [f"{self.person}'s Discord is in {locale} from now on."]
        if action == "slash":
            slash, declared = self._parse_slash(arg)
            options = cl.coerce_options(declared, slash.options)
            reply = await me.slash(slash.command, where=self.channel, **options)
            return self._show(reply, numbering)
        if action == "click":
            if not arg.strip():
                raise cl.ParseError("Write: click <number>, as shown in brackets, e.g. click 1")
            button = self.numbering.find(arg)
            return self._show(await me.click(button.message, button.custom_id), numbering)
        if action == "select":
            number, picked = cl.parse_select(arg)
            menu, values = self.numbering.values(number, picked)
            return self._show(await me.select(menu.message, menu.custom_id, values), numbering)
        if action == "modal":
            if self.modal is None:
                raise cl.ParseError("There is no open form; a command or button opens one.")
            reply = await me.submit_modal(self.modal, cl.parse_modal(arg))
            self.modal = None
            return self._show(reply, numbering)
        if action == "autocomplete":
            return await self._autocomplete(me, arg)
        if action == "advance":
            return await self.advance(cl.parse_duration(arg))
        if action == "channel":
            return self._channel_view(arg, numbering)
        raise cl.ParseError(f"{action} is not something I can do yet.")

    def _parse_slash(self, text: str) -> tuple[cl.Slash, list[dict[str, Any]]]:
        """Parse once to find the command, then again knowing its option names."""
        command = cl.parse_slash(text).command
        node, rest = find_command(self.world, self.channel.guild_id, command)
        for word in rest:
            node = next((o for o in node.get("options") or [] if o["name"] == word), {})
        declared = list(node.get("options") or [])
        return cl.parse_slash(text, {str(o["name"]) for o in declared}), declared

    async def _autocomplete(self, me: Person, arg: str) -> list[str]:
        slash, declared = self._parse_slash(arg)
        if not slash.options:
            raise cl.ParseError(
                "Give the option being typed, e.g. autocomplete /learn topic topic:tr"
            )
        *given, (option, typed) = slash.options.items()
        others = cl.coerce_options(declared, dict(given))
        choices = await me.autocomplete(slash.command, option, typed, where=self.channel, **others)
        return rd.render_choices(choices)

    def _expect(self, text: str) -> Result:
        wanted = text.strip()
        if not wanted:
            return Result(problems=["expect needs the words to look for"])
        if wanted.casefold() in self.last_output.casefold():
            return Result(output=[f"ok: saw {wanted!r}"])
        return Result(problems=[f"expected to see {wanted!r} in the latest output"])

    # -- what the bot did ----------------------------------------------------------------------

    def _show(self, reply: Reply, numbering: rd.Numbering) -> list[str]:
        lines: list[str] = []
        names = self.names()
        if reply.modal is not None:
            self.modal = reply
            lines += rd.render_modal(reply.modal)
        for index, message in enumerate(reply.messages):
            self._answered.add(message.id)
            note = "updated the message" if index == 0 and reply.type in (6, 7) else ""
            top = self._heading(message, note)
            lines += rd.render_message(message, top, numbering, names)
            if message.attachments:
                lines += rd.render_attachments(message, self._save_attachments(message))
        if not reply.acknowledged:
            lines.append("(no answer in time: Discord would show 'This interaction failed')")
        elif not lines:
            lines.append("(Mutual acknowledged this without a visible answer)")
        return lines

    def _save_attachments(self, message: Message) -> dict[str, str]:
        """Write the message's uploaded files to disk (a console cannot show a picture), newest
        upload of each name; returns filename -> path."""
        if self._files_dir is None:
            self._files_dir = Path(tempfile.mkdtemp(prefix="mutual-sandbox-files-"))
        saved: dict[str, str] = {}
        for attachment in message.attachments:
            name = str(attachment.get("filename") or "")
            for record in reversed(self.sandbox.standin.requests):
                data = record.files.get(name)
                if data is not None:
                    path = self._files_dir / f"{message.id}-{Path(name).name}"
                    path.write_bytes(data)
                    saved[name] = str(path)
                    break
        return saved

    def _heading(self, message: Message, note: str = "") -> str:
        author = "Mutual" if message.author.bot else message.author.username
        where = self.place(self.world.channels[message.channel_id])
        return rd.heading(author, where, ephemeral=message.ephemeral, note=note)

    def _elsewhere(self, known: set[int], threads: set[int], numbering: rd.Numbering) -> list[str]:
        """Posts and threads the step caused outside the answer itself (threads, prompts, DMs)."""
        lines: list[str] = []
        names = self.names()
        for channel in self.world.channels.values():
            if channel.is_thread and channel.id not in threads:
                lines.append(f"New {self.place(channel)}")
        for message in self.world.messages.values():
            if message.id in known or message.id in self._answered or message.deleted:
                continue
            lines += rd.render_message(message, self._heading(message), numbering, names)
        return lines

    def _channel_view(self, arg: str, numbering: rd.Numbering) -> list[str]:
        words = arg.split()
        count = int(words.pop()) if len(words) > 1 and words[-1].isdigit() else 5
        channel = self.find_channel(" ".join(words)) if words else self.channel
        messages = self.sandbox.messages_in(channel)[-count:]
        lines = [f"{self.place(channel)}: {len(messages)} latest message(s)"]
        for message in messages:
            lines += rd.render_message(message, self._heading(message), numbering, self.names())
        for thread in self.sandbox.threads_in(channel):
            state = " (archived)" if thread.archived else ""
            lines.append(f'thread "{thread.name}"{state}: {thread.message_count} message(s)')
        return lines

    # -- time ----------------------------------------------------------------------------------

    async def advance(self, delta: timedelta) -> list[str]:
        """Move both clocks to each due instant in turn, so work runs when it would have."""
        bot = self.bot
        target = self.clock.now() + delta
        for _ in range(1000):
            due = await bot.dispatcher.next_due()
            if due is None or due > target:
                break
            self._move_to(max(due, self.clock.now()))
            await self.run_timers()
            again = await bot.dispatcher.next_due()
            if again is not None and again <= due:
                break
        self._move_to(target)
        await self.run_timers()
        return [f"The time is now {target:%a %d %b %Y %H:%M} UTC."]

    def _move_to(self, moment: datetime) -> None:
        step = moment - self.clock.now()
        if step > timedelta():
            self.clock.set(moment)
            self.world.clock.advance(step)

    async def run_timers(self) -> None:
        await self.bot.dispatcher.tick()
        await self.bot.sender.drain()
        await self.sandbox.settle()

    @property
    def bot(self) -> MutualBot:
        bot = self.sandbox.bot
        assert isinstance(bot, MutualBot)
        return bot

    def take_problems(self) -> list[str]:
        """Stand-in failures and logged errors not reported yet."""
        return self._new_failures()

    def _new_failures(self) -> list[str]:
        failures = self.sandbox.failures[self._failures_seen :]
        self._failures_seen = len(self.sandbox.failures)
        errors = self.errors.records[self._errors_seen :]
        self._errors_seen = len(self.errors.records)
        return [f"stand-in: {f}" for f in failures] + [
            f"the bot logged an error ({r.name}): {r.getMessage()}" for r in errors
        ]
