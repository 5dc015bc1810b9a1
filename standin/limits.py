"""Discord's documented size limits, which the OpenAPI description does not fully encode.

The spec accepts bodies that Discord rejects (a command named "Bad Name", a 7,000 character
embed), so every body the bot sends is also measured here. Each check returns human readable
problems with a path into the body, like "embeds/0/description: 4097 > 4096 characters".
"""

from __future__ import annotations

import re
from typing import Any

Json = dict[str, Any]

COMMAND_NAME = re.compile(r"^[-_'\w]{1,32}$")
COMPONENTS_V2 = 1 << 15
ARCHIVE_DURATIONS = {60, 1440, 4320, 10080}

MESSAGE_ROUTES = {
    ("POST", "/channels/{}/messages"),
    ("PATCH", "/channels/{}/messages/{}"),
    ("POST", "/webhooks/{}/{}"),
    ("PATCH", "/webhooks/{}/{}/messages/{}"),
    ("PATCH", "/webhooks/{}/{}/messages/@original"),
}


def check_limits(method: str, template: str, body: Any) -> list[str]:
    """Problems with `body` for the normalised route `template` ("{}" for each parameter)."""
    if not isinstance(body, dict | list):
        return []
    key = (method.upper(), template)
    if key in MESSAGE_ROUTES and isinstance(body, dict):
        return message_problems(body)
    if key == ("POST", "/interactions/{}/{}/callback") and isinstance(body, dict):
        return callback_problems(body)
    if method.upper() == "PUT" and template.endswith("/commands") and isinstance(body, list):
        return commands_problems(body)
    if key == ("PATCH", "/channels/{}") and isinstance(body, dict):
        return channel_problems(body, "")
    if template.endswith("/threads") and method.upper() == "POST" and isinstance(body, dict):
        problems = channel_problems(body, "")
        if isinstance(body.get("message"), dict):
            problems += message_problems(body["message"], "message/")
        return problems
    return []


def _too_long(value: Any, limit: int, where: str, minimum: int = 0) -> list[str]:
    if value is None:
        return []
    length = len(str(value))
    if length > limit:
        return [f"{where}: {length} > {limit} characters"]
    if length < minimum:
        return [f"{where}: {length} < {minimum} characters"]
    return []


def _too_many(items: Any, limit: int, where: str) -> list[str]:
    if isinstance(items, list) and len(items) > limit:
        return [f"{where}: {len(items)} > {limit} items"]
    return []


def message_problems(body: Json, at: str = "") -> list[str]:
    problems = _too_long(body.get("content"), 2000, f"{at}content")
    embeds = body.get("embeds") or []
    problems += _too_many(embeds, 10, f"{at}embeds")
    total = 0
    for i, embed in enumerate(embeds if isinstance(embeds, list) else []):
        found, size = embed_problems(embed, f"{at}embeds/{i}/")
        problems += found
        total += size
    if total > 6000:
        problems.append(f"{at}embeds: {total} > 6000 characters over all embeds")
    components = body.get("components")
    if components is not None:
        v2 = bool((body.get("flags") or 0) & COMPONENTS_V2)
        problems += components_problems(components, f"{at}components", v2=v2)
    return problems


def embed_problems(embed: Json, at: str) -> tuple[list[str], int]:
    """Problems in one embed, and how many characters it counts towards the 6,000 total."""
    problems = _too_long(embed.get("title"), 256, f"{at}title")
    problems += _too_long(embed.get("description"), 4096, f"{at}description")
    footer = embed.get("footer") or {}
    author = embed.get("author") or {}
    problems += _too_long(footer.get("text"), 2048, f"{at}footer/text")
    problems += _too_long(author.get("name"), 256, f"{at}author/name")
    fields = embed.get("fields") or []
    problems += _too_many(fields, 25, f"{at}fields")
    size = sum(
        len(str(x or ""))
        for x in (
            embed.get("title"),
            embed.get("description"),
            footer.get("text"),
            author.get("name"),
        )
    )
    for i, f in enumerate(fields):
        problems += _too_long(f.get("name"), 256, f"{at}fields/{i}/name", minimum=1)
        problems += _too_long(f.get("value"), 1024, f"{at}fields/{i}/value", minimum=1)
        size += len(str(f.get("name") or "")) + len(str(f.get("value") or ""))
    return problems, size


def components_problems(components: Any, at: str, *, v2: bool = False) -> list[str]:
    if not isinstance(components, list):
        return []
    problems = [] if v2 else _too_many(components, 5, at)
    seen: set[str] = set()
    for i, row in enumerate(components):
        where = f"{at}/{i}"
        children = row.get("components", []) if row.get("type") == 1 else [row]
        if row.get("type") == 1:
            selects = [c for c in children if c.get("type") in (3, 5, 6, 7, 8)]
            if selects and len(children) > 1:
                problems.append(f"{where}: a select menu must be alone in its action row")
            problems += _too_many(children, 5, f"{where}/components")
        for j, child in enumerate(children):
            problems += component_problems(child, f"{where}/components/{j}", seen)
    return problems


def component_problems(comp: Json, at: str, seen: set[str]) -> list[str]:
    problems = _too_long(comp.get("custom_id"), 100, f"{at}/custom_id")
    custom_id = comp.get("custom_id")
    if custom_id is not None:
        if custom_id in seen:
            problems.append(f"{at}/custom_id: duplicate custom_id {custom_id!r}")
        seen.add(custom_id)
    kind = comp.get("type")
    if kind == 2:
        problems += _too_long(comp.get("label"), 80, f"{at}/label")
        if comp.get("style") == 5 and not comp.get("url"):
            problems.append(f"{at}: a link button needs a url")
        if comp.get("style") not in (5, 6) and custom_id is None:
            problems.append(f"{at}: a button needs a custom_id")
    elif kind in (3, 5, 6, 7, 8):
        problems += _too_long(comp.get("placeholder"), 150, f"{at}/placeholder")
        options = comp.get("options") or []
        problems += _too_many(options, 25, f"{at}/options")
        if kind == 3 and not options:
            problems.append(f"{at}/options: a string select needs at least one option")
        for k, option in enumerate(options):
            for key in ("label", "value", "description"):
                problems += _too_long(option.get(key), 100, f"{at}/options/{k}/{key}")
        for key in ("min_values", "max_values"):
            value = comp.get(key)
            if value is not None and not 0 <= value <= 25:
                problems.append(f"{at}/{key}: {value} outside 0..25")
    elif kind == 4:
        problems += _too_long(comp.get("label"), 45, f"{at}/label")
        problems += _too_long(comp.get("placeholder"), 100, f"{at}/placeholder")
        problems += _too_long(comp.get("value"), 4000, f"{at}/value")
    elif kind == 18:
        problems += _too_long(comp.get("label"), 45, f"{at}/label", minimum=1)
        problems += _too_long(comp.get("description"), 100, f"{at}/description")
        inner = comp.get("component")
        if isinstance(inner, dict):
            problems += component_problems(inner, f"{at}/component", seen)
    return problems


def callback_problems(body: Json) -> list[str]:
    kind, data = body.get("type"), body.get("data") or {}
    if kind in (4, 7):
        return message_problems(data, "data/")
    if kind == 8:
        choices = data.get("choices") or []
        problems = _too_many(choices, 25, "data/choices")
        for i, choice in enumerate(choices):
            problems += _too_long(choice.get("name"), 100, f"data/choices/{i}/name", minimum=1)
            if isinstance(choice.get("value"), str):
                problems += _too_long(choice["value"], 100, f"data/choices/{i}/value")
        return problems
    if kind == 9:
        problems = _too_long(data.get("title"), 45, "data/title", minimum=1)
        problems += _too_long(data.get("custom_id"), 100, "data/custom_id", minimum=1)
        components = data.get("components") or []
        if not 1 <= len(components) <= 5:
            problems.append(
                f"data/components: a modal needs 1 to 5 components, got {len(components)}"
            )
        problems += components_problems(components, "data/components", v2=True)
        return problems
    return []


def commands_problems(commands: list[Any]) -> list[str]:
    problems = _too_many(commands, 100, "<body>")
    for i, command in enumerate(commands):
        if isinstance(command, dict):
            problems += command_problems(command, f"{i}")
    return problems


def command_problems(command: Json, at: str, depth: int = 0) -> list[str]:
    problems: list[str] = []
    name = str(command.get("name", ""))
    chat_input = command.get("type", 1) == 1
    if chat_input and (not COMMAND_NAME.match(name) or name != name.lower()):
        problems.append(f"{at}/name: {name!r} must be 1-32 lowercase letters, digits, - or _")
    if chat_input or depth:
        problems += _too_long(command.get("description"), 100, f"{at}/description", minimum=1)
    problems += _localisation_problems(command, at, chat_input)
    options = command.get("options") or []
    problems += _too_many(options, 25, f"{at}/options")
    for j, option in enumerate(options):
        problems += command_problems(option, f"{at}/options/{j}", depth + 1)
    choices = command.get("choices") or []
    problems += _too_many(choices, 25, f"{at}/choices")
    for k, choice in enumerate(choices):
        problems += _too_long(choice.get("name"), 100, f"{at}/choices/{k}/name", minimum=1)
        for locale, text in (choice.get("name_localizations") or {}).items():
            problems += _locale_problem(locale, f"{at}/choices/{k}/name_localizations")
            problems += _too_long(text, 100, f"{at}/choices/{k}/name_localizations/{locale}", 1)
        if isinstance(choice.get("value"), str):
            problems += _too_long(choice["value"], 100, f"{at}/choices/{k}/value")
    return problems


# The locales Discord accepts in *_localizations (its Locale enum).
DISCORD_LOCALES = frozenset(
    "id da de en-GB en-US es-ES es-419 fr hr it lt hu nl no pl pt-BR ro fi sv-SE vi tr cs el bg "
    "ru uk hi th zh-CN ja zh-TW ko".split()
)


def _locale_problem(locale: str, at: str) -> list[str]:
    return [] if locale in DISCORD_LOCALES else [f"{at}: {locale!r} is not a Discord locale"]


def _localisation_problems(command: Json, at: str, chat_input: bool) -> list[str]:
    """Localised names follow the same rules as the name in every language; descriptions too."""
    problems: list[str] = []
    for locale, name in (command.get("name_localizations") or {}).items():
        problems += _locale_problem(locale, f"{at}/name_localizations")
        text = str(name)
        if chat_input and (not COMMAND_NAME.match(text) or text != text.lower()):
            problems.append(
                f"{at}/name_localizations/{locale}: {text!r} must be 1-32 lowercase letters, "
                "digits, - or _"
            )
    for locale, text in (command.get("description_localizations") or {}).items():
        problems += _locale_problem(locale, f"{at}/description_localizations")
        problems += _too_long(text, 100, f"{at}/description_localizations/{locale}", minimum=1)
    return problems


def channel_problems(body: Json, at: str) -> list[str]:
    problems = _too_long(body.get("name"), 100, f"{at}name", minimum=1) if "name" in body else []
    slow = body.get("rate_limit_per_user")
    if slow is not None and not 0 <= slow <= 21600:
        problems.append(f"{at}rate_limit_per_user: {slow} outside 0..21600")
    duration = body.get("auto_archive_duration")
    if duration is not None and duration not in ARCHIVE_DURATIONS:
        problems.append(f"{at}auto_archive_duration: {duration} not one of 60, 1440, 4320, 10080")
    return problems
