"""The bot's answers as plain text for the sandbox console.

Pure functions: given messages, modals or suggestions as the stand-in stores them, produce the
lines a person would read in the Discord client, with buttons and select menus numbered so the
console can click them by number. Mentions and timestamps are spelled out, because `<#1234>`
means nothing to someone reading a terminal.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from standin.state import Json, Message

EPHEMERAL, LOADING = 1 << 6, 1 << 7
INDENT = "  "
BUTTON, STRING_SELECT, TEXT_INPUT, LINK_STYLE = 2, 3, 4, 5
SELECT_KINDS = {3: "options", 5: "a member", 6: "a role", 7: "a member or role", 8: "a channel"}
TIME_FORMATS = {"t": "%H:%M", "T": "%H:%M:%S", "d": "%Y-%m-%d", "D": "%d %B %Y"}


@dataclass(frozen=True)
class Button:
    """A numbered button: which message carries it and the custom_id a click sends."""

    message: Message
    custom_id: str
    label: str


@dataclass(frozen=True)
class Menu:
    """A numbered select menu with its options (string selects) and how many may be picked."""

    message: Message
    custom_id: str
    placeholder: str
    options: list[Json]
    low: int = 1
    high: int = 1


@dataclass
class Numbering:
    """What `click N` and `select N ...` refer to in the latest output."""

    buttons: list[Button] = field(default_factory=list)
    menus: list[Menu] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.buttons or self.menus)

    def button(self, number: int) -> Button:
        if not 1 <= number <= len(self.buttons):
            raise LookupError(_out_of_range("button", number, len(self.buttons)))
        return self.buttons[number - 1]

    def find(self, text: str) -> Button:
        """A button by its number, or by its label (any case) when that is unambiguous."""
        word = text.strip()
        if word.isdigit():
            return self.button(int(word))
        found = [b for b in self.buttons if b.label.casefold() == word.casefold()]
        if not found:
            labels = ", ".join(b.label for b in self.buttons) or "none"
            raise LookupError(f"no button {word!r} in the latest output (buttons: {labels})")
        return found[0]

    def menu(self, number: int) -> Menu:
        if not 1 <= number <= len(self.menus):
            raise LookupError(_out_of_range("menu", number, len(self.menus)))
        return self.menus[number - 1]

    def values(self, number: int, picked: list[str]) -> tuple[Menu, list[str]]:
        """Option values for what was typed: a value, a label (any case) or an option's number;
        `none` clears a menu that allows picking nothing."""
        menu = self.menu(number)
        if [w.casefold() for w in picked] == ["none"] and _option_value(
            menu.options, "none"
        ) is None:
            return menu, []
        out = []
        for word in picked:
            found = _option_value(menu.options, word)
            if found is None:
                raise LookupError(f"menu {number} has no option {word!r}")
            out.append(found)
        return menu, out


@dataclass(frozen=True)
class Names:
    """Ids the console can spell out in mentions, and the time relative timestamps count from."""

    channels: Mapping[int, str] = field(default_factory=dict)
    users: Mapping[int, str] = field(default_factory=dict)
    roles: Mapping[int, str] = field(default_factory=dict)
    now: datetime | None = None


def _out_of_range(kind: str, number: int, count: int) -> str:
    if count == 0:
        return f"there is no {kind} in the latest output"
    return f"{kind} {number} does not exist; pick 1 to {count}"


def _option_value(options: list[Json], word: str) -> str | None:
    for option in options:
        if word == option.get("value"):
            return str(option["value"])
    for option in options:
        if word.casefold() == str(option.get("label", "")).casefold():
            return str(option["value"])
    if word.isdigit() and 1 <= int(word) <= len(options):
        return str(options[int(word) - 1]["value"])
    return None


def spell_out(text: str, names: Names | None = None) -> str:
    """Mentions and `<t:...>` timestamps as a reader would see them."""
    names = names or Names()

    def channel(match: re.Match[str]) -> str:
        return "#" + names.channels.get(int(match[1]), match[1])

    def role(match: re.Match[str]) -> str:
        return "@" + names.roles.get(int(match[1]), match[1])

    def user(match: re.Match[str]) -> str:
        return "@" + names.users.get(int(match[1]), match[1])

    def stamp(match: re.Match[str]) -> str:
        moment = datetime.fromtimestamp(int(match[1]), tz=UTC)
        style = match[2] or "f"
        if style in TIME_FORMATS:
            return moment.strftime(TIME_FORMATS[style])
        if style == "R" and names.now is not None:
            return relative(moment, names.now)
        return moment.strftime("%a %d %b %Y %H:%M UTC")

    text = re.sub(r"<#(\d+)>", channel, text)
    text = re.sub(r"<@&(\d+)>", role, text)
    text = re.sub(r"<@!?(\d+)>", user, text)
    return re.sub(r"<t:(-?\d+)(?::([tTdDfFR]))?>", stamp, text)


def relative(moment: datetime, now: datetime) -> str:
    """`in 6 hours`, `2 days ago`: Discord's relative timestamp, roughly."""
    seconds = (moment - now).total_seconds()
    size = abs(seconds)
    units = (("day", 86_400), ("hour", 3_600), ("minute", 60))
    found = next(((name, length) for name, length in units if size >= length), None)
    if found is None:
        return "in a few seconds" if seconds >= 0 else "a few seconds ago"
    unit, length = found
    count = round(size / length)
    words = f"{count} {unit}{'' if count == 1 else 's'}"
    return f"in {words}" if seconds >= 0 else f"{words} ago"


def _block(text: str, prefix: str) -> list[str]:
    return [prefix + line if line else prefix.rstrip() for line in text.splitlines()]


def render_embed(embed: Json, names: Names | None = None) -> list[str]:
    """An embed as a bar-marked block: author, title, description, fields, footer."""
    lines: list[str] = []
    bar = "| "
    author = (embed.get("author") or {}).get("name")
    if author:
        lines.append(bar + spell_out(str(author), names))
    if embed.get("title"):
        lines.append(bar + "**" + spell_out(str(embed["title"]), names) + "**")
    if embed.get("url"):
        lines.append(bar + f"<{embed['url']}>")
    if embed.get("description"):
        lines += _block(spell_out(str(embed["description"]), names), bar)
    for item in embed.get("fields") or []:
        lines.append(bar + "* " + spell_out(str(item.get("name", "")), names))
        lines += _block(spell_out(str(item.get("value", "")), names), bar + "    ")
    footer = (embed.get("footer") or {}).get("text")
    if footer:
        lines.append(bar + "-- " + spell_out(str(footer), names))
    if embed.get("image"):
        lines.append(bar + f"[image {(embed['image'] or {}).get('url', '')}]")
    return lines or [bar + "(empty embed)"]


def _children(components: Iterable[Json]) -> Iterator[Json]:
    """Interactive leaves and text displays, in reading order, through rows and containers."""
    for comp in components:
        kind = comp.get("type")
        if kind in (1, 17):
            yield from _children(comp.get("components") or [])
        elif kind == 9:
            yield from _children(comp.get("components") or [])
            if comp.get("accessory"):
                yield comp["accessory"]
        else:
            yield comp


def render_components(
    message: Message, components: list[Json], numbering: Numbering, names: Names | None = None
) -> list[str]:
    """Buttons on one line per row as `[N] label`, menus as `menu N` with numbered options."""
    lines: list[str] = []
    for top in components:
        leaves = (top.get("components") or []) if top.get("type") == 1 else list(_children([top]))
        buttons: list[str] = []
        for comp in leaves:
            kind = comp.get("type")
            if kind == BUTTON:
                buttons.append(_button(message, comp, numbering))
            elif kind in SELECT_KINDS:
                lines += _menu(message, comp, numbering)
            elif kind == 10 and comp.get("content"):
                lines += _block(spell_out(str(comp["content"]), names), "")
        if buttons:
            lines.append("  ".join(buttons))
    return lines


def _button(message: Message, comp: Json, numbering: Numbering) -> str:
    label = str(comp.get("label") or (comp.get("emoji") or {}).get("name") or "(no label)")
    if comp.get("style") == LINK_STYLE or "custom_id" not in comp:
        return f"[link: {label} <{comp.get('url', '')}>]"
    numbering.buttons.append(Button(message, str(comp["custom_id"]), label))
    disabled = " (disabled)" if comp.get("disabled") else ""
    return f"[{len(numbering.buttons)}] {label}{disabled}"


def _menu(message: Message, comp: Json, numbering: Numbering) -> list[str]:
    options = list(comp.get("options") or [])
    low, high = int(comp.get("min_values", 1)), int(comp.get("max_values", 1))
    numbering.menus.append(
        Menu(
            message,
            str(comp.get("custom_id")),
            str(comp.get("placeholder") or ""),
            options,
            low,
            high,
        )
    )
    number = len(numbering.menus)
    pick = f"pick {low}" if low == high else f"pick {low} to {high}"
    placeholder = comp.get("placeholder") or "Make a selection"
    disabled = " (disabled)" if comp.get("disabled") else ""
    lines = [f"menu {number}: {placeholder} ({pick} of {SELECT_KINDS[comp['type']]}){disabled}"]
    for index, option in enumerate(options, start=1):
        label, value = str(option.get("label", "")), str(option.get("value", ""))
        shown = label if value in (label, label.lower()) else f"{label} = {value}"
        text = f"{INDENT}{index}. {shown}"
        if option.get("description"):
            text += f" - {option['description']}"
        lines.append(text + (" (default)" if option.get("default") else ""))
    return lines


def render_message(
    message: Message, heading: str, numbering: Numbering, names: Names | None = None
) -> list[str]:
    """A heading line, then the message's content, embeds and components, indented."""
    body: list[str] = []
    if message.flags & LOADING:
        body.append("Mutual is thinking...")
    if message.content:
        body += _block(spell_out(message.content, names), "")
    for number, embed in enumerate(message.embeds):
        body += ([""] if number else []) + render_embed(embed, names)
    body += render_components(message, message.components, numbering, names)
    if not body:
        body.append("(empty message)")
    return [heading] + [INDENT + line if line else "" for line in body]


def render_attachments(message: Message, saved: dict[str, str]) -> list[str]:
    """One line per uploaded file: where the console saved it, and its alt text."""
    lines = []
    for attachment in message.attachments:
        name = str(attachment.get("filename") or "file")
        where = saved.get(name, "(the upload was not found)")
        lines.append(f"{INDENT}[attachment {name}: saved to {where}]")
        if attachment.get("description"):
            lines += _block(f"alt text: {attachment['description']}", INDENT + "  ")
    return lines


def heading(author: str, where: str, *, ephemeral: bool = False, note: str = "") -> str:
    """`Mutual in #general (only you can see this):`"""
    text = f"{author} in {where}"
    if ephemeral:
        text += " (only you can see this)"
    if note:
        text += f" [{note}]"
    return text + ":"


def render_modal(modal: Json) -> list[str]:
    """A modal's title and fields, with what to type to fill it."""
    lines = [f"Mutual opened a form: {modal.get('title', '')}"]
    for comp in _modal_fields(modal.get("components") or []):
        label = comp.get("label") or comp.get("custom_id")
        facts = ["required" if comp.get("required", True) else "optional"]
        if comp.get("max_length"):
            facts.append(f"up to {comp['max_length']} characters")
        line = f"{INDENT}{comp.get('custom_id')}: {label} ({', '.join(facts)})"
        if comp.get("placeholder"):
            line += f" - e.g. {comp['placeholder']}"
        if comp.get("value"):
            line += f" [filled in: {comp['value']}]"
        lines.append(line)
    lines.append(f"{INDENT}Fill it in with: modal <field>=<text>; <field>=<text>")
    return lines


def _modal_fields(components: list[Json]) -> Iterator[Json]:
    for top in components:
        if top.get("type") == 1:
            yield from (c for c in top.get("components") or [] if c.get("type") == TEXT_INPUT)
        elif top.get("type") == 18 and top.get("component"):
            yield {**top["component"], "label": top.get("label") or top["component"].get("label")}


def render_choices(choices: list[Json]) -> list[str]:
    """Autocomplete suggestions, as the client would list them above the text box."""
    if not choices:
        return ["No suggestions."]
    lines = ["Suggestions (type the value as the option):"]
    for choice in choices:
        name, value = str(choice.get("name", "")), str(choice.get("value", ""))
        lines.append(f"{INDENT}{name}" + ("" if name == value else f"  ->  {value}"))
    return lines


def render_commands(commands: Iterable[Json], locale: str = "en-US") -> list[str]:
    """Every slash command with its subcommands and options, as a quick reference, in the names
    and descriptions Discord would show a client in `locale`."""
    lines: list[str] = []
    for command in sorted(commands, key=lambda c: _shown(c, "name", locale)):
        if command.get("type", 1) != 1:
            continue
        lines += _command_lines("/" + _shown(command, "name", locale), command, locale)
    return lines


def _shown(node: Json, key: str, locale: str) -> str:
    return str((node.get(f"{key}_localizations") or {}).get(locale) or node.get(key, ""))


def _command_lines(path: str, node: Json, locale: str) -> list[str]:
    options = node.get("options") or []
    subcommands = [o for o in options if o.get("type") in (1, 2)]
    if subcommands:
        out: list[str] = []
        for sub in subcommands:
            out += _command_lines(f"{path} {_shown(sub, 'name', locale)}", sub, locale)
        return out
    words = [
        f"{_shown(o, 'name', locale)}:" if o.get("required") else f"[{_shown(o, 'name', locale)}:]"
        for o in options
    ]
    text = " ".join([path, *words])
    return [f"{text:<50} {_shown(node, 'description', locale)}".rstrip()]
