"""The console's text rendering of what the bot sent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from standin import render as rd
from standin.state import Json, Message, User

BOT = User(1, "Mutual", bot=True)


def message(content: str = "", embeds: list[Json] | None = None, **fields: object) -> Message:
    return Message(
        id=int(str(fields.pop("id", 10))),
        channel_id=2,
        guild_id=3,
        author=BOT,
        content=content,
        embeds=embeds or [],
        **fields,  # type: ignore[arg-type]
    )


def row(*components: Json) -> Json:
    return {"type": 1, "components": list(components)}


def button(label: str, custom_id: str | None = None, **extra: object) -> Json:
    out: Json = {"type": 2, "style": 1, "label": label, **extra}
    if custom_id is not None:
        out["custom_id"] = custom_id
    return out


def menu(custom_id: str, options: list[tuple[str, str]], **extra: object) -> Json:
    return {
        "type": 3,
        "custom_id": custom_id,
        "placeholder": "Pick topics",
        "options": [{"label": label, "value": value} for label, value in options],
        **extra,
    }


def test_embed_shows_title_description_fields_and_footer_in_order() -> None:
    embed = {
        "title": "About Mutual",
        "description": "Line one\nLine two",
        "fields": [{"name": "Privacy", "value": "Kept under a code"}],
        "footer": {"text": "1 of 3"},
    }
    assert rd.render_embed(embed) == [
        "| **About Mutual**",
        "| Line one",
        "| Line two",
        "| * Privacy",
        "|     Kept under a code",
        "| -- 1 of 3",
    ]


def test_message_heading_says_who_where_and_only_you_can_see_it() -> None:
    ephemeral = message("Hello", flags=64)
    top = rd.heading("Mutual", "#general", ephemeral=ephemeral.ephemeral)
    lines = rd.render_message(ephemeral, top, rd.Numbering())
    assert lines == ["Mutual in #general (only you can see this):", "  Hello"]
    public = rd.heading("Mutual", 'thread "Trust" (in #general)', note="updated the message")
    assert public == 'Mutual in thread "Trust" (in #general) [updated the message]:'


def test_buttons_are_numbered_across_messages_and_link_buttons_are_not() -> None:
    numbering = rd.Numbering()
    first = message(id=1, components=[row(button("Begin", "b"), button("Not now", "n"))])
    second = message(
        id=2,
        components=[
            row(
                button("Read", None, style=5, url="https://example.org"),
                button("Next", "x", disabled=True),
            )
        ],
    )
    out = rd.render_message(first, "A:", numbering) + rd.render_message(second, "B:", numbering)
    assert "  [1] Begin  [2] Not now" in out
    assert "  [link: Read <https://example.org>]  [3] Next (disabled)" in out
    assert [b.label for b in numbering.buttons] == ["Begin", "Not now", "Next"]
    assert numbering.button(3).message is second and numbering.button(3).custom_id == "x"
    assert numbering.find("not NOW").custom_id == "n"
    with pytest.raises(LookupError, match="pick 1 to 3"):
        numbering.button(4)
    with pytest.raises(LookupError, match="no button 'Save'"):
        numbering.find("Save")


def test_select_menus_list_numbered_options_and_resolve_what_was_typed() -> None:
    numbering = rd.Numbering()
    options = [("Trust", "trust"), ("Open communication", "communication")]
    sent = message(components=[row(menu("topics", options, min_values=0, max_values=2))])
    lines = rd.render_message(sent, "Mutual:", numbering)
    assert lines[1:] == [
        "  menu 1: Pick topics (pick 0 to 2 of options)",
        "    1. Trust",
        "    2. Open communication = communication",
    ]
    chosen, values = numbering.values(1, ["trust", "open communication", "2"])
    assert chosen.custom_id == "topics"
    assert values == ["trust", "communication", "communication"]
    assert numbering.values(1, ["None"]) == (chosen, [])
    with pytest.raises(LookupError, match="no option 'fear'"):
        numbering.values(1, ["fear"])
    with pytest.raises(LookupError, match="menu 2 does not exist"):
        numbering.values(2, ["trust"])


def test_empty_numbering_is_false_and_says_there_is_nothing_to_click() -> None:
    numbering = rd.Numbering()
    rd.render_message(message("just text"), "Mutual:", numbering)
    assert not numbering
    with pytest.raises(LookupError, match="there is no button"):
        numbering.button(1)


def test_mentions_and_timestamps_are_spelled_out() -> None:
    names = rd.Names(channels={5: "reflections"}, users={6: "alice"}, roles={7: "Moderator"})
    stamp = int(datetime(2026, 6, 1, 9, 0, tzinfo=UTC).timestamp())
    text = f"In <#5>, <@6> and <@!6> pinged <@&7> at <t:{stamp}:t> on <t:{stamp}:d>, <t:{stamp}:R>"
    assert rd.spell_out(text, names) == (
        "In #reflections, @alice and @alice pinged @Moderator at 09:00 on 2026-06-01, "
        "Mon 01 Jun 2026 09:00 UTC"
    )
    assert rd.spell_out("<#99>") == "#99"


def test_thinking_and_empty_messages_say_so() -> None:
    assert rd.render_message(message(flags=128), "M:", rd.Numbering())[1] == (
        "  Mutual is thinking..."
    )
    assert rd.render_message(message(), "M:", rd.Numbering())[1] == "  (empty message)"


def test_modal_lists_fields_by_custom_id_with_what_they_take() -> None:
    modal = {
        "custom_id": "ask",
        "title": "Ask anonymously",
        "components": [
            row(
                {
                    "type": 4,
                    "custom_id": "question",
                    "label": "Your question",
                    "max_length": 1800,
                    "placeholder": "Posted under a pseudonym",
                }
            ),
            {
                "type": 18,
                "label": "A note",
                "component": {"type": 4, "custom_id": "note", "required": False, "value": "hi"},
            },
        ],
    }
    lines = rd.render_modal(modal)
    assert lines[0] == "Mutual opened a form: Ask anonymously"
    assert lines[1] == (
        "  question: Your question (required, up to 1800 characters) - e.g. Posted under a pseudonym"
    )
    assert lines[2] == "  note: A note (optional) [filled in: hi]"
    assert "modal <field>=<text>" in lines[3]


def test_choices_show_name_and_the_value_to_type() -> None:
    assert rd.render_choices([]) == ["No suggestions."]
    lines = rd.render_choices(
        [{"name": "Trust", "value": "Trust"}, {"name": "Healthy dependence", "value": "hd"}]
    )
    assert lines[1:] == ["  Trust", "  Healthy dependence  ->  hd"]


def test_commands_list_subcommands_with_required_and_optional_options() -> None:
    commands = [
        {"name": "about", "type": 1, "description": "What Mutual does"},
        {"name": "Report", "type": 3},
        {
            "name": "learn",
            "type": 1,
            "options": [
                {
                    "type": 1,
                    "name": "topic",
                    "description": "Read a topic",
                    "options": [
                        {"type": 3, "name": "topic", "required": True},
                        {"type": 4, "name": "page"},
                    ],
                }
            ],
        },
    ]
    lines = [" ".join(line.split()) for line in rd.render_commands(commands)]
    assert lines == ["/about What Mutual does", "/learn topic topic: [page:] Read a topic"]


def test_components_v2_text_and_section_accessories_are_rendered() -> None:
    numbering = rd.Numbering()
    container = {
        "type": 17,
        "components": [
            {"type": 10, "content": "Hello <@6>"},
            {
                "type": 9,
                "components": [{"type": 10, "content": "A section"}],
                "accessory": button("Open", "open"),
            },
        ],
    }
    names = rd.Names(users={6: "bob"})
    lines = rd.render_components(message(), [container], numbering, names)
    assert lines == ["Hello @bob", "A section", "[1] Open"]


def test_relative_timestamps_count_from_the_sandbox_clock() -> None:
    now = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    names = rd.Names(now=now)
    later = int(datetime(2026, 6, 1, 18, 10, tzinfo=UTC).timestamp())
    earlier = int(datetime(2026, 5, 30, 12, 0, tzinfo=UTC).timestamp())
    soon = int(datetime(2026, 6, 1, 12, 0, 20, tzinfo=UTC).timestamp())
    text = f"<t:{later}:R>, <t:{earlier}:R>, <t:{soon}:R>, <t:{now.timestamp():.0f}:R>"
    assert rd.spell_out(text, names) == "in 6 hours, 2 days ago, in a few seconds, in a few seconds"
    assert rd.relative(now + timedelta(minutes=1), now) == "in 1 minute"
