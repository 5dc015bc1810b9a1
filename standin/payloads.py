"""INTERACTION_CREATE payloads, built the way the Discord client builds them.

A malformed payload kills discord.py's `bot.start()`, so these builders only produce complete
interactions: the common fields discord.py reads unconditionally, a member (guild) or a user
(DM), and data resolved against what the bot really synced. Option values are given the way a
person thinks of them (a channel by name, a choice by its label) and converted here; what a
Discord client would not let a person send (an unknown option, a missing required one) raises
`InvalidInput` instead of reaching the bot.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from standin.permissions import ALL, base_permissions, channel_permissions
from standin.state import Channel, Json, Message, Upload, User, World

SUBCOMMAND, GROUP = 1, 2
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER = 3, 4, 5, 6, 7, 8, 9, 10
ATTACHMENT = 11


class InvalidInput(ValueError):
    """What a person asked for cannot be expressed as a Discord interaction."""


def base(world: World, kind: int, user: User, channel: Channel) -> Json:
    """Fields every interaction carries, with the member or user and the channel."""
    guild = world.guild_of(channel)
    payload: Json = {
        "id": str(world.ids.next()),
        "application_id": str(world.application_id),
        "type": kind,
        "token": secrets.token_urlsafe(48),
        "version": 1,
        "attachment_size_limit": 26_214_400,
        "locale": user.locale,
        "entitlements": [],
        "channel_id": str(channel.id),
        "channel": channel.to_dict(),
        "context": 0 if guild else 1,
    }
    if guild is None:
        payload["user"] = user.to_dict()
        payload["authorizing_integration_owners"] = {"1": str(user.id)}
        payload["app_permissions"] = str(ALL)
        return payload
    member = guild.members.get(user.id)
    if member is None:
        raise InvalidInput(f"{user.username} is not a member of {guild.name}")
    payload.update(
        guild_id=str(guild.id),
        guild_locale=guild.preferred_locale,
        guild={"id": str(guild.id), "locale": guild.preferred_locale, "features": []},
        member={
            **member.to_dict(),
            "permissions": str(channel_permissions(guild, channel, user.id)),
        },
        authorizing_integration_owners={"0": str(guild.id)},
        app_permissions=str(channel_permissions(guild, channel, world.bot.id)),
    )
    return payload


def find_command(world: World, guild_id: int | None, path: str) -> tuple[Json, list[str]]:
    """The synced top-level command for "name sub ..." and the remaining path words."""
    words = path.split()
    if not words:
        raise InvalidInput("empty command")
    for command in world.commands_for(guild_id):
        if command["name"] == words[0] and command.get("type", 1) == 1:
            return command, words[1:]
    raise InvalidInput(f"/{words[0]} is not a synced command here")


def command_data(
    world: World,
    user: User,
    channel: Channel,
    path: str,
    values: dict[str, Any],
    focused: str | None = None,
) -> Json:
    """`data` for an application command (or its autocomplete when `focused` is set)."""
    command, rest = find_command(world, channel.guild_id, path)
    resolved: Json = {}
    node, wrappers = command, []
    for word in rest:
        child = next((o for o in node.get("options") or [] if o["name"] == word), None)
        if child is None or child["type"] not in (SUBCOMMAND, GROUP):
            raise InvalidInput(f"/{path}: {word!r} is not a subcommand")
        wrappers.append(child)
        node = child
    if any(o["type"] in (SUBCOMMAND, GROUP) for o in node.get("options") or []):
        raise InvalidInput(f"/{path} needs a subcommand")
    options = _options(world, user, channel, node, values, focused, resolved)
    for wrapper in reversed(wrappers):
        options = [{"type": wrapper["type"], "name": wrapper["name"], "options": options}]
    data: Json = {"id": command["id"], "name": command["name"], "type": 1, "options": options}
    if command.get("guild_id"):
        data["guild_id"] = command["guild_id"]
    if resolved:
        data["resolved"] = resolved
    return data


def _options(
    world: World,
    user: User,
    channel: Channel,
    node: Json,
    values: dict[str, Any],
    focused: str | None,
    resolved: Json,
) -> list[Json]:
    declared = {o["name"]: o for o in node.get("options") or []}
    for name in [*values, *([focused] if focused else [])]:
        if name not in declared:
            raise InvalidInput(f"no option {name!r}; options are {sorted(declared)}")
    out = []
    for name, option in declared.items():
        if name == focused:
            if not option.get("autocomplete"):
                raise InvalidInput(f"option {name!r} has no autocomplete")
            value = values.get(name, "")
            out.append({"type": option["type"], "name": name, "value": str(value), "focused": True})
        elif name in values:
            value = _convert(world, user, channel, option, values[name], resolved)
            out.append({"type": option["type"], "name": name, "value": value})
        elif option.get("required") and focused is None:
            raise InvalidInput(f"option {name!r} is required")
    return out


def _convert(
    world: World, invoker: User, channel: Channel, option: Json, value: Any, resolved: Json
) -> Any:
    """The value as Discord's client would send it, or the refusal the client would show."""
    kind = option["type"]
    name = option["name"]
    choices = option.get("choices") or []
    for choice in choices:
        if value in (choice["name"], choice["value"]):
            return choice["value"]
    if choices:
        names = ", ".join(str(c["name"]) for c in choices)
        raise InvalidInput(f"{name}: {value!r} is not one of the choices ({names})")
    if kind == STRING:
        text = str(value)
        low, high = option.get("min_length", 0), option.get("max_length", 6000)
        if not low <= len(text) <= high:
            raise InvalidInput(f"{name}: must be {low} to {high} characters, got {len(text)}")
        return text
    if kind in (INTEGER, NUMBER):
        return _number(option, value)
    if kind == BOOLEAN:
        return _boolean(name, value)
    guild = world.guild_of(channel)
    if kind in (USER, MENTIONABLE) and _is_user(world, value):
        user = world.user_named(str(value))
        resolved.setdefault("users", {})[str(user.id)] = user.to_dict()
        if guild is not None and user.id in guild.members:
            member = guild.members[user.id].to_dict()
            member.pop("user")
            member["permissions"] = str(base_permissions(guild, user.id))
            resolved.setdefault("members", {})[str(user.id)] = member
        return str(user.id)
    if kind in (ROLE, MENTIONABLE) and guild is not None:
        role = world.role_named(guild, str(value))
        resolved.setdefault("roles", {})[str(role.id)] = role.to_dict()
        return str(role.id)
    if kind == CHANNEL:
        target = world.channel_named(str(value))
        types = option.get("channel_types")
        if types and int(target.type) not in types:
            raise InvalidInput(f"#{target.name} is not one of the channel types {types}")
        invoker_perms = 0
        if guild is not None:
            invoker_perms = channel_permissions(guild, target, invoker.id)
        entry = {**target.to_dict(), "permissions": str(invoker_perms)}
        resolved.setdefault("channels", {})[str(target.id)] = entry
        return str(target.id)
    if kind == ATTACHMENT:
        return _attachment(world, name, value, resolved)
    raise InvalidInput(f"option type {kind} is not supported by the sandbox")


def _attachment(world: World, name: str, value: Any, resolved: Json) -> str:
    """An `Upload`, or the path of a local file (as the console gives it), uploaded the way the
    client does: the interaction carries only its id, `resolved.attachments` the URL to read."""
    if not isinstance(value, Upload):
        path = Path(str(value)).expanduser()
        if not path.is_file():
            raise InvalidInput(f"{name}: {value!r} is not a file to attach")
        value = Upload(path.name, path.read_bytes())
    attachment_id = world.ids.next()
    world.uploads[attachment_id] = value
    url = f"{world.attachment_base}/attachments/{attachment_id}/{value.filename}"
    resolved.setdefault("attachments", {})[str(attachment_id)] = {
        "id": str(attachment_id),
        "filename": value.filename,
        "size": len(value.data),
        "url": url,
        "proxy_url": url,
        "content_type": value.content_type,
        "ephemeral": True,
    }
    return str(attachment_id)


def _number(option: Json, value: Any) -> int | float:
    name, kind = option["name"], option["type"]
    try:
        number: int | float = int(str(value)) if kind == INTEGER else float(str(value))
    except ValueError:
        wanted = "a whole number" if kind == INTEGER else "a number"
        raise InvalidInput(f"{name}: {value!r} is not {wanted}") from None
    low, high = option.get("min_value"), option.get("max_value")
    if (low is not None and number < low) or (high is not None and number > high):
        raise InvalidInput(f"{name}: {number} is outside {low} to {high}")
    return number


def _boolean(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "yes", "1", "on"):
        return True
    if text in ("false", "no", "0", "off"):
        return False
    raise InvalidInput(f"{name}: {value!r} is not True or False")


def _is_user(world: World, value: Any) -> bool:
    try:
        world.user_named(str(value))
    except KeyError:
        return False
    return True


def component_data(message: Message, target: str, values: list[str] | None) -> Json:
    """`data` for a click (values None) or a select, finding the component by label or id."""
    for row in message.components:
        children = row.get("components", []) if row.get("type") == 1 else [row]
        for comp in children:
            names = {comp.get("custom_id"), comp.get("label"), comp.get("placeholder")}
            if target not in names:
                continue
            if comp.get("disabled"):
                raise InvalidInput(f"{target!r} is disabled")
            if values is None:
                if comp.get("type") != 2 or comp.get("style") == 5 or "custom_id" not in comp:
                    raise InvalidInput(f"{target!r} is not a button that sends an interaction")
                return {"custom_id": comp["custom_id"], "component_type": 2}
            return _select(comp, target, values)
    raise InvalidInput(f"no component {target!r} on message {message.id}")


def _select(comp: Json, target: str, values: list[str]) -> Json:
    if comp.get("type") != 3:
        raise InvalidInput(f"{target!r} is not a string select")
    allowed = {o["value"]: o for o in comp.get("options") or []}
    by_label = {o["label"]: o["value"] for o in comp.get("options") or []}
    chosen = [by_label.get(v, v) for v in values]
    unknown = [v for v in chosen if v not in allowed]
    if unknown:
        raise InvalidInput(f"{unknown} are not options of {target!r}")
    low, high = comp.get("min_values", 1), comp.get("max_values", 1)
    if not low <= len(chosen) <= high:
        raise InvalidInput(f"{target!r} takes {low} to {high} values, got {len(chosen)}")
    return {"custom_id": comp["custom_id"], "component_type": 3, "values": chosen}


def modal_data(modal: Json, answers: dict[str, str]) -> Json:
    """`data` for a modal submit, mirroring the modal's layout (label or action row wrappers)."""
    used: set[str] = set()
    next_id = iter(range(1, 1000))

    def field(comp: Json) -> Json:
        keys = [k for k in (comp.get("custom_id"), comp.get("label")) if k in answers]
        value = answers[keys[0]] if keys else None
        used.update(keys)
        out: Json = {"type": comp["type"], "id": comp.get("id") or next(next_id)}
        out["custom_id"] = comp.get("custom_id")
        if comp["type"] == 4:
            text = str(value or comp.get("value") or "")
            if comp.get("required", True) and not text:
                raise InvalidInput(f"field {comp.get('label') or comp['custom_id']!r} is required")
            if len(text) > int(comp.get("max_length") or 4000):
                raise InvalidInput(f"field {comp['custom_id']!r} is longer than its max_length")
            if len(text) < int(comp.get("min_length") or 0):
                raise InvalidInput(f"field {comp['custom_id']!r} is shorter than its min_length")
            out["value"] = text
        elif comp["type"] == 3:
            out["values"] = (
                list(value) if isinstance(value, list | tuple) else ([value] if value else [])
            )
        return out

    components = []
    for top in modal.get("components") or []:
        if top["type"] == 1:
            components.append({"type": 1, "components": [field(c) for c in top["components"]]})
        elif top["type"] == 18:
            inner = dict(top["component"])
            inner.setdefault("label", top.get("label"))
            submitted = field(inner)
            components.append(
                {"type": 18, "id": top.get("id") or next(next_id), "component": submitted}
            )
        elif top["type"] == 10:
            components.append({"type": 10, "id": top.get("id") or next(next_id)})
    unknown = set(answers) - used
    if unknown:
        raise InvalidInput(f"the modal has no fields {sorted(unknown)}")
    return {"custom_id": modal["custom_id"], "components": components}
